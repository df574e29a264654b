//! The terminal table: comfy-table, numbers right-aligned, with the preface above and
//! the summary and notes below. It buffers, to align its columns.
//!
//! Given a width (the terminal's, or `COLUMNS`), the table fits it: long headers wrap
//! onto two lines, then columns are given up in the order their [`Shrink`] says
//! (dropped, cut short, wrapped, bars drawn shorter), never a figure; the lines around
//! the table wrap at spaces. Without a width (a pipe, a file) everything is in full.
//! Every command gets this from its [`Column`]s alone.

use super::{Cell, Column, Report, Shrink, summary_with_prices, visible};
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// No borders, a rule under the header: pastes cleanly into a chat, an issue or a file.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// Continuation lines of a wrapped summary line are indented this much.
const INDENT: usize = 2;

pub(super) fn render(
    report: &dyn Report,
    width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let columns = report.columns();
    let cols: Vec<Column> = visible(&columns, true)
        .into_iter()
        .filter_map(|i| columns.get(i).copied())
        .collect();
    let positions = visible(&columns, true);
    let total = report.total();
    let total_rows = usize::from(total.is_some());
    let rows: Vec<Vec<Cell>> = report
        .rows()
        .chain(total)
        .map(|row| {
            positions
                .iter()
                .map(|&i| row.get(i).cloned().unwrap_or(Cell::Empty))
                .collect()
        })
        .collect();
    let layout = Layout::new(&cols, &rows, width);

    // A wrapped header sits on the rule, as in a spreadsheet: shorter ones are pushed
    // down to its last line.
    let headers: Vec<String> = layout
        .shown
        .iter()
        .map(|&c| layout.header(&cols, c))
        .collect();
    let header_height = headers.iter().map(|h| h.lines().count()).max().unwrap_or(1);
    let mut table = Table::new();
    table
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().map(|h| {
            let lines = h.lines().count().max(1);
            format!("{}{h}", "\n".repeat(header_height - lines))
        }));
    let mut total_height = 1;
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<String> = layout
            .shown
            .iter()
            .map(|&c| layout.cell(&cols, row, c))
            .collect();
        if r + total_rows == rows.len() {
            total_height = cells.iter().map(|t| t.lines().count()).max().unwrap_or(1);
        }
        table.add_row(cells);
    }
    for (pos, &c) in layout.shown.iter().enumerate() {
        if cols.get(c).is_some_and(|c| c.numeric) {
            if let Some(column) = table.column_mut(pos) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }

    // Prose may quote a file's text (a plan's name): escaped before it is wrapped.
    let wrap = |line: &str, indent: usize| {
        let line = crate::error::printable(line);
        match width {
            Some(w) => wrap_prose(&line, w, indent),
            None => vec![line.into_owned()],
        }
    };
    let mut preface = report.preface();
    if let Some(title) = report.title() {
        preface.insert(0, title);
    }
    for line in &preface {
        for part in wrap(line, INDENT) {
            writeln!(out, "{part}")?;
        }
    }
    if !preface.is_empty() {
        writeln!(out)?;
    }
    // Trailing padding would only get in the way of pasting; the header rule is drawn
    // again above the total row.
    let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_owned()).collect();
    let rule = lines.get(header_height).cloned().unwrap_or_default();
    // The rule above the total separates it from the rows; with no rows, the header's
    // own rule already does.
    let total_at = (total_rows > 0 && rows.len() > total_rows)
        .then(|| lines.len().saturating_sub(total_height));
    for (i, line) in lines.iter().enumerate() {
        if Some(i) == total_at {
            writeln!(out, "{rule}")?;
        }
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    write_chart(report, width, out)?;
    for line in summary_with_prices(report) {
        for part in wrap(&line, INDENT) {
            writeln!(out, "{part}")?;
        }
    }
    for note in report.notes() {
        for part in wrap(&format!("note: {note}"), "note: ".len()) {
            writeln!(out, "{part}")?;
        }
    }
    Ok(())
}

/// The report's chart, if it has one, and a blank line after it.
fn write_chart(report: &dyn Report, width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    let Some(chart) = report.chart() else {
        return Ok(());
    };
    let drawn = chart.render(width.unwrap_or(CHART_WIDTH));
    for line in &drawn {
        writeln!(out, "{line}")?;
    }
    if !drawn.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// How wide a chart is drawn when the table goes to a pipe or a file (full width).
const CHART_WIDTH: usize = 80;

/// Display width of `text`: its widest line, in terminal columns.
fn text_width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// How wide a table is whose columns hold this much: each column is padded by a space
/// on either side, and columns are one space apart.
fn table_width(widths: impl Iterator<Item = usize>) -> usize {
    let (sum, count) = widths.fold((0_usize, 0_usize), |(sum, count), w| {
        (sum + w + 2, count + 1)
    });
    sum + count.saturating_sub(1)
}

/// Which columns the table shows, and how wide each is.
#[derive(Debug)]
struct Layout {
    /// Positions (in the visible columns) of the columns shown, in order.
    shown: Vec<usize>,
    /// Width given to each visible column (only the shown ones matter).
    widths: Vec<usize>,
    /// Widest cell of each visible column (blocks, for a bar column).
    content: Vec<usize>,
}

impl Layout {
    /// The layout of `rows` under `cols`, fitted to `width` when one is given.
    fn new(cols: &[Column], rows: &[Vec<Cell>], width: Option<usize>) -> Layout {
        let content: Vec<usize> = (0..cols.len())
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| match cell {
                        Cell::Bar(n) => *n,
                        cell => text_width(&cell.display()),
                    })
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let natural: Vec<usize> = cols
            .iter()
            .zip(&content)
            .map(|(col, &w)| w.max(text_width(col.header)))
            .collect();
        let mut layout = Layout {
            shown: (0..cols.len()).collect(),
            widths: natural.clone(),
            content,
        };
        if let Some(width) = width {
            layout.fit(cols, &natural, width);
        }
        layout
    }

    fn width(&self) -> usize {
        table_width(
            self.shown
                .iter()
                .filter_map(|&c| self.widths.get(c).copied()),
        )
    }

    /// Narrows the table to `width`: headers first (nothing is lost), then columns in
    /// rank order down to their least, then those columns themselves; whatever room is
    /// left goes back to the most useful of them.
    fn fit(&mut self, cols: &[Column], natural: &[usize], width: usize) {
        if self.width() <= width {
            return;
        }
        // 1. Long headers over narrow figures wrap onto two lines, biggest saving first.
        let mut headers: Vec<(usize, usize)> = cols
            .iter()
            .enumerate()
            .filter_map(|(c, col)| {
                let content = self.content.get(c).copied().unwrap_or(0);
                let narrow = header_width(col.header, content);
                (narrow < natural.get(c).copied().unwrap_or(0)).then_some((c, narrow))
            })
            .collect();
        headers.sort_by_key(|&(c, narrow)| {
            std::cmp::Reverse(natural.get(c).map_or(0, |n| n - narrow))
        });
        for &(c, narrow) in &headers {
            if self.width() <= width {
                break;
            }
            if let Some(w) = self.widths.get_mut(c) {
                *w = narrow;
            }
        }
        // 2. Shrinkable columns, lowest rank first (an empty one before any other):
        //    drop, or narrow to their least.
        let mut ranked: Vec<usize> = (0..cols.len())
            .filter(|&c| cols.get(c).and_then(|col| col.shrink.rank()).is_some())
            .collect();
        ranked.sort_by_key(|&c| {
            let empty = self.content.get(c) == Some(&0);
            (!empty, cols.get(c).and_then(|col| col.shrink.rank()))
        });
        let mut squeezed = Vec::new();
        for &c in &ranked {
            if self.width() <= width {
                break;
            }
            match cols.get(c).map(|col| (col.shrink, col.numeric)) {
                // A derived figure (a ratio) goes only after every narrowed column
                // (a bar, prose) has gone: a figure is worth more than decoration.
                Some((Shrink::Drop { .. }, true)) => {
                    for &q in &squeezed {
                        if self.width() <= width {
                            break;
                        }
                        self.shown.retain(|&s| s != q);
                    }
                    if self.width() > width {
                        self.shown.retain(|&s| s != c);
                    }
                }
                Some((Shrink::Drop { .. }, false)) => self.shown.retain(|&s| s != c),
                Some(_) if self.content.get(c) == Some(&0) => self.shown.retain(|&s| s != c),
                Some((
                    Shrink::Cut { min, .. } | Shrink::Wrap { min, .. } | Shrink::Scale { min, .. },
                    _,
                )) => {
                    if let Some(w) = self.widths.get_mut(c) {
                        *w = (*w).min(min.max(1));
                    }
                    squeezed.push(c);
                }
                _ => {}
            }
        }
        // 3. Still too wide: the narrowed columns go too, lowest rank first.
        for &c in &squeezed {
            if self.width() <= width {
                break;
            }
            self.shown.retain(|&s| s != c);
        }
        // 4. Room left over goes back to the narrowed columns, most useful first, then
        //    to wrapped headers.
        for &c in squeezed.iter().rev() {
            let spare = width.saturating_sub(self.width());
            if let (Some(w), Some(&n)) = (self.widths.get_mut(c), natural.get(c)) {
                *w += spare.min(n.saturating_sub(*w));
            }
        }
        for &(c, _) in headers.iter().rev() {
            let spare = width.saturating_sub(self.width());
            if let (Some(w), Some(&n)) = (self.widths.get_mut(c), natural.get(c)) {
                if self.shown.contains(&c) && n - *w <= spare {
                    *w = n;
                }
            }
        }
    }

    /// Column `c`'s header, wrapped to its width.
    fn header(&self, cols: &[Column], c: usize) -> String {
        let head = cols.get(c).map_or("", |col| col.header);
        let w = self.widths.get(c).copied().unwrap_or(0);
        if text_width(head) <= w {
            head.to_owned()
        } else {
            wrap_cell(head, w).join("\n")
        }
    }

    /// Row `row`'s cell in column `c`, narrowed as the column is.
    fn cell(&self, cols: &[Column], row: &[Cell], c: usize) -> String {
        let w = self.widths.get(c).copied().unwrap_or(0);
        let content = self.content.get(c).copied().unwrap_or(0);
        let cell = row.get(c).unwrap_or(&Cell::Empty);
        if let Cell::Bar(n) = cell {
            // A bar is a picture of a figure: drawn shorter in proportion, never cut.
            let blocks = if w >= content || content == 0 {
                *n
            } else {
                ((n * w + content / 2) / content).max(1)
            };
            return "█".repeat(blocks);
        }
        let text = cell.display();
        if text_width(&text) <= w {
            return text;
        }
        match cols.get(c).map(|col| col.shrink) {
            Some(Shrink::Cut { .. }) => text
                .lines()
                .map(|l| cut(l, w))
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Shrink::Wrap { .. }) => wrap_cell(&text, w).join("\n"),
            _ => text,
        }
    }
}

/// The narrowest width, no narrower than `content`, at which `header` wraps onto two
/// lines at most (or its longest word, if it has more than three).
fn header_width(header: &str, content: usize) -> usize {
    let full = text_width(header);
    let longest = header
        .split(' ')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0);
    let mut w = content.max(longest);
    while w < full && wrap_cell(header, w).len() > 2 {
        w += 1;
    }
    w.min(full.max(content))
}

/// `line` cut to `width` columns, with `…` in place of what is cut.
fn cut(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar as _;
    if UnicodeWidthStr::width(line) <= width {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The words of `text` for wrapping: split at spaces, except that `≈` and `=` stay
/// with the figure after them.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if last.ends_with('≈') || last.ends_with('=') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    words
}

/// `text` wrapped at spaces to `width` columns, continuation lines indented by
/// `indent`. A word longer than the line is left whole (a path, a figure).
fn wrap_prose(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let lead = if lines.is_empty() { 0 } else { indent };
        let mut line = " ".repeat(lead);
        let mut used = lead;
        let mut empty = true;
        for word in words(paragraph) {
            let w = UnicodeWidthStr::width(word.as_str());
            if !empty && used + 1 + w > width {
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(indent);
                used = indent;
                empty = true;
            }
            if !empty {
                line.push(' ');
                used += 1;
            }
            line.push_str(&word);
            used += w;
            empty = false;
        }
        lines.push(line);
    }
    lines
}

/// `text` wrapped at spaces to `width` columns for a table cell; a word longer than
/// the column is broken across lines, after a `-` where one falls near the end.
fn wrap_cell(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar as _;
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.to_owned();
            loop {
                let used = UnicodeWidthStr::width(line.as_str());
                let gap = usize::from(!line.is_empty());
                let w = UnicodeWidthStr::width(word.as_str());
                if used + gap + w <= width {
                    if gap == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    continue;
                }
                // The word alone is too long: break it.
                let mut head = String::new();
                let mut head_width = 0;
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if head_width + cw > width {
                        break;
                    }
                    head.push(c);
                    head_width += cw;
                }
                if let Some(dash) = head
                    .rfind('-')
                    .filter(|&d| d + 1 >= head.len() / 2 && d + 1 < head.len())
                {
                    head.truncate(dash + 1);
                }
                if head.is_empty() {
                    head = word.chars().next().map(String::from).unwrap_or_default();
                }
                word = word.get(head.len()..).unwrap_or_default().to_owned();
                lines.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        lines.push(line);
    }
    lines.retain(|l| !l.is_empty());
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};
    use super::*;

    #[test]
    fn a_table_with_a_rule_above_the_total_and_the_bar_column() {
        assert_eq!(
            rendered(&sample(), Format::Table),
            "\
a | preface

 Service      Credits      USD
──────────── ───────── ──────── ────
 sd35-large       6.5   $0.065   ██
 core               3    $0.03   ██
──────────── ───────── ──────── ────
 total            9.5   $0.095

9.5 credits in all
prices: Test card, effective 2026-06 (built-in card)
note: a note
"
        );
    }

    #[test]
    fn prose_wraps_at_spaces_and_keeps_an_estimate_whole() {
        assert_eq!(
            wrap_prose("self-hosting: ≈ $41.67 GPU compute", 16, 2),
            ["self-hosting:", "  ≈ $41.67 GPU", "  compute"]
        );
        assert_eq!(wrap_prose("note: a b", 80, 6), ["note: a b"]);
        assert_eq!(wrap_prose("one\ntwo", 80, 2), ["one", "  two"]);
        // A word longer than the line stays whole.
        assert_eq!(
            wrap_prose("card /a/very/long/path.toml", 10, 2),
            ["card", "  /a/very/long/path.toml"]
        );
    }

    #[test]
    fn cells_cut_and_wrap_to_their_width() {
        assert_eq!(cut("sdxl-1.0, stable-diffusion-xl", 10), "sdxl-1.0,…");
        assert_eq!(cut("short", 10), "short");
        assert_eq!(
            wrap_cell("discontinued 2025-07-24; use sdxl", 15),
            ["discontinued", "2025-07-24; use", "sdxl"]
        );
        assert_eq!(
            wrap_cell("stable-diffusion-xl-1024-v1-0", 12),
            ["stable-", "diffusion-", "xl-1024-v1-0"]
        );
        assert_eq!(header_width("Credits per asset", 2), 9);
        assert_eq!(header_width("Credits each", 1), 7);
        assert_eq!(header_width("USD", 5), 5);
        assert_eq!(header_width("vs cheapest", 5), 8);
    }

    #[test]
    fn a_narrow_table_drops_and_shrinks_in_rank_order_and_keeps_every_figure() {
        let cols = [
            Column::text("Id", "id"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("Credits per image", "credits"),
            Column::text("Notes", "notes").shrink(Shrink::Wrap { rank: 2, min: 6 }),
            Column::table_only("", "bar").shrink(Shrink::Scale { rank: 3, min: 4 }),
        ];
        let row = |id: &str, name: &str, notes: &str, bar| {
            vec![
                Cell::Text(id.into()),
                Cell::Text(name.into()),
                Cell::Count(12_345),
                Cell::Text(notes.into()),
                Cell::Bar(bar),
            ]
        };
        let rows = [
            row("ultra", "Stable Image Ultra", "one two three four", 24),
            row("core", "Stable Image Core", "", 9),
        ];
        let full = Layout::new(&cols, &rows, None);
        assert_eq!(full.shown, [0, 1, 2, 3, 4]);
        assert_eq!(full.width(), 5 + 18 + 17 + 18 + 24 + 5 * 2 + 4);
        // Headers wrap before anything is given up.
        let headers = Layout::new(&cols, &rows, Some(full.width() - 8));
        assert_eq!(headers.shown, [0, 1, 2, 3, 4]);
        assert_eq!(headers.header(&cols, 2), "Credits\nper image");
        // Then the name goes, then the notes narrow, then the bars shorten.
        let narrow = Layout::new(&cols, &rows, Some(50));
        assert_eq!(narrow.shown, [0, 2, 3, 4]);
        assert!(narrow.width() <= 50, "{narrow:?}");
        assert_eq!(narrow.cell(&cols, &rows[0], 2), "12,345");
        // A column with nothing in it goes before any other.
        let no_notes = [
            row("ultra", "Stable Image Ultra", "", 24),
            row("core", "Core", "", 9),
        ];
        let empty = Layout::new(&cols, &no_notes, Some(70));
        assert_eq!(empty.shown, [0, 1, 2, 4]);
        // At the narrowest, only what is never given up is left, at full width.
        let tiny = Layout::new(&cols, &rows, Some(10));
        assert_eq!(tiny.shown, [0, 2]);
        assert_eq!(tiny.cell(&cols, &rows[0], 2), "12,345");
        // The notes (rank 2) narrow to their least before the bars (rank 3) shorten; room
        // left over goes to the bars first.
        let bars = Layout::new(&cols, &rows, Some(5 + 9 + 6 + 12 + 4 * 2 + 3));
        assert_eq!(bars.cell(&cols, &rows[0], 3), "one\ntwo\nthree\nfour");
        assert_eq!(bars.cell(&cols, &rows[0], 4).chars().count(), 12);
        assert_eq!(bars.cell(&cols, &rows[1], 4).chars().count(), 5);
    }
}

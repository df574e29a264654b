//! How a terminal table fits a width: which columns it shows and how wide each is.
//! Long headers wrap onto two lines, then columns are given up in the order their
//! [`Shrink`] says (dropped, cut short, wrapped, bars drawn shorter), never a figure.

use super::wrap::{cut, text_width, wrap_cell};
use super::{Cell, Column, Shrink};
use unicode_width::UnicodeWidthStr;

/// How wide a table is whose columns hold this much: each column is padded by a space
/// on either side (on its left only, `compact`), and columns are one space apart.
fn table_width(widths: impl Iterator<Item = usize>, compact: bool) -> usize {
    let pad = if compact { 1 } else { 2 };
    let (sum, count) = widths.fold((0_usize, 0_usize), |(sum, count), w| {
        (sum + w + pad, count + 1)
    });
    sum + count.saturating_sub(1)
}

/// Which columns the table shows, and how wide each is.
#[derive(Debug)]
pub(super) struct Layout {
    /// Positions (in the visible columns) of the columns shown, in order.
    pub(super) shown: Vec<usize>,
    /// Width given to each visible column (only the shown ones matter).
    widths: Vec<usize>,
    /// Widest cell of each visible column (blocks, for a bar column).
    content: Vec<usize>,
    /// Columns two spaces apart (a space of padding on the left only), not three.
    pub(super) compact: bool,
    /// The figures do not fit side by side: each row is shown as a block of lines.
    pub(super) blocks: bool,
}

impl Layout {
    /// The layout of `rows` under `cols`, fitted to `width` when one is given.
    pub(super) fn new(cols: &[Column], rows: &[Vec<Cell>], width: Option<usize>) -> Layout {
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
            compact: false,
            blocks: false,
        };
        if let Some(width) = width {
            layout.fit(cols, &natural, width);
        }
        layout
    }

    pub(super) fn width(&self) -> usize {
        self.width_of(&self.shown)
    }

    /// The width of a table of these columns, at their widths now.
    fn width_of(&self, columns: &[usize]) -> usize {
        table_width(
            columns.iter().filter_map(|&c| self.widths.get(c).copied()),
            self.compact,
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
        // 2. A shrinkable column with nothing in it goes; then columns are two spaces
        //    apart instead of three. Nothing is lost either way.
        let rank = |c: usize| cols.get(c).and_then(|col| col.shrink.rank());
        for c in 0..cols.len() {
            if self.width() > width && rank(c).is_some() && self.content.get(c) == Some(&0) {
                self.shown.retain(|&s| s != c);
            }
        }
        if self.width() > width {
            self.compact = true;
        }
        // 3. Text and bars, lowest rank first: drop, or narrow to their least.
        let mut ranked: Vec<usize> = (0..cols.len())
            .filter(|&c| rank(c).is_some() && self.shown.contains(&c))
            .collect();
        ranked.sort_by_key(|&c| rank(c));
        let mut squeezed = Vec::new();
        for &c in &ranked {
            if self.width() <= width {
                break;
            }
            match cols.get(c).map(|col| col.shrink) {
                Some(Shrink::Drop { .. }) => self.shown.retain(|&s| s != c),
                Some(
                    Shrink::Cut { min, .. }
                    | Shrink::Wrap { min, .. }
                    | Shrink::Scale { min, .. }
                    | Shrink::Name { min },
                ) => {
                    if let Some(w) = self.widths.get_mut(c) {
                        *w = (*w).min(min.max(1));
                    }
                    squeezed.push(c);
                }
                _ => {}
            }
        }
        // 4. Still too wide: the narrowed columns go too, lowest rank first, but not a
        //    row's name.
        for &c in &squeezed {
            if self.width() <= width {
                break;
            }
            if !matches!(cols.get(c).map(|col| col.shrink), Some(Shrink::Name { .. })) {
                self.shown.retain(|&s| s != c);
            }
        }
        // 5. The figures alone do not fit: each row becomes a block of lines, one a
        //    column, every column but the table-only ones there.
        if self.width() > width {
            self.blocks = true;
            self.shown = (0..cols.len())
                .filter(|&c| cols.get(c).is_some_and(|col| !col.table_only))
                .collect();
            return;
        }
        // 6. Room left over goes back to the narrowed columns, most useful first, then
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
    pub(super) fn header(&self, cols: &[Column], c: usize) -> String {
        let head = cols.get(c).map_or("", |col| col.header);
        let w = self.widths.get(c).copied().unwrap_or(0);
        if text_width(head) <= w {
            head.to_owned()
        } else {
            wrap_cell(head, w).join("\n")
        }
    }

    /// Row `row`'s cell in column `c`, narrowed as the column is.
    pub(super) fn cell(&self, cols: &[Column], row: &[Cell], c: usize) -> String {
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
            Some(Shrink::Wrap { .. } | Shrink::Name { .. }) => wrap_cell(&text, w).join("\n"),
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

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn headers_wrap_onto_two_lines_at_most() {
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
        // Too narrow for the figures side by side: blocks of lines, every column but
        // the bars in them.
        let tiny = Layout::new(&cols, &rows, Some(10));
        assert!(tiny.blocks);
        assert_eq!(tiny.shown, [0, 1, 2, 3]);
        // A row's name narrows after every other text and is never dropped: too narrow
        // for it and the figures, the rows become blocks.
        let named = [
            Column::text("Lever", "lever").shrink(Shrink::Name { min: 6 }),
            Column::text("Notes", "notes").shrink(Shrink::Wrap { rank: 2, min: 6 }),
            Column::number("Credits per image", "credits"),
        ];
        let lever = |name: &str| {
            vec![
                Cell::Text(name.into()),
                Cell::Text("one two three four".into()),
                Cell::Count(12_345),
            ]
        };
        let levers = [lever("cheapest model: ultra → sdxl")];
        let narrowed = Layout::new(&named, &levers, Some(20));
        assert!(!narrowed.blocks, "{narrowed:?}");
        assert_eq!(narrowed.shown, [0, 2]);
        assert_eq!(
            narrowed.cell(&named, &levers[0], 0),
            "cheapest\nmodel:\nultra →\nsdxl"
        );
        let blocks = Layout::new(&named, &levers, Some(12));
        assert!(blocks.blocks);
        assert_eq!(blocks.shown, [0, 1, 2]);
        // Columns close up to two spaces apart before anything is given up.
        let compact = Layout::new(&cols, &rows, Some(full.width() - 12));
        assert!(compact.compact && !compact.blocks);
        assert_eq!(compact.shown, [0, 1, 2, 3, 4]);
        // The notes (rank 2) narrow to their least before the bars (rank 3) shorten; room
        // left over goes to the bars first. Compact, each column is padded by one space.
        let bars = Layout::new(&cols, &rows, Some(5 + 9 + 6 + 12 + 4 + 3));
        assert_eq!(bars.cell(&cols, &rows[0], 3), "one\ntwo\nthree\nfour");
        assert_eq!(bars.cell(&cols, &rows[0], 4).chars().count(), 12);
        assert_eq!(bars.cell(&cols, &rows[1], 4).chars().count(), 5);
    }
}

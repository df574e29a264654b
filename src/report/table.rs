//! The terminal table: comfy-table, numbers right-aligned, with the preface above and
//! the summary and notes below. It buffers, to align its columns.
//!
//! Given a width (the terminal's, or `COLUMNS`), the table fits it: long headers wrap
//! onto two lines, then columns are given up in the order their [`Shrink`] says
//! (dropped, cut short, wrapped, bars drawn shorter), never a figure; the lines around
//! the table wrap at spaces. Without a width (a pipe, a file) everything is in full.
//! Every command gets this from its [`Column`]s alone.

use super::layout::Layout;
use super::wrap::{text_width, wrap_cell, wrap_prose};
use super::{Cell, Column, Report, Shrink, summary_with_prices, visible};
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use std::io::{self, Write};

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
            let row = super::checked_row(&columns, row)?;
            Ok(positions
                .iter()
                .map(|&i| row.get(i).cloned().unwrap_or(Cell::Empty))
                .collect())
        })
        .collect::<io::Result<_>>()?;
    let layout = Layout::new(&cols, &rows, width);
    let lines = if layout.blocks {
        blocks(&layout, &cols, &rows, total_rows, width.unwrap_or(0))
    } else {
        table(&layout, &cols, &rows, total_rows)
    };

    // Prose may quote a file's text (a plan's name): escaped before it is wrapped.
    let wrap = |line: &str, indent: usize| {
        let line = crate::text::printable(line);
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
    for line in &lines {
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

/// The rows as a table: the header (wrapped headers sit on the rule, as in a
/// spreadsheet), the rows, and the rule again above the total row.
fn table(layout: &Layout, cols: &[Column], rows: &[Vec<Cell>], total_rows: usize) -> Vec<String> {
    // A wrapped header sits on the rule, as in a spreadsheet: shorter ones are pushed
    // down to its last line.
    let headers: Vec<String> = layout
        .shown
        .iter()
        .map(|&c| layout.header(cols, c))
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
            .map(|&c| layout.cell(cols, row, c))
            .collect();
        if r + total_rows == rows.len() {
            total_height = cells.iter().map(|t| t.lines().count()).max().unwrap_or(1);
        }
        table.add_row(cells);
    }
    for (pos, &c) in layout.shown.iter().enumerate() {
        if let Some(column) = table.column_mut(pos) {
            if cols.get(c).is_some_and(|c| c.numeric) {
                column.set_cell_alignment(CellAlignment::Right);
            }
            if layout.compact {
                column.set_padding((1, 0));
            }
        }
    }

    // Trailing padding would only get in the way of pasting; the header rule is drawn
    // again above the total row.
    let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_owned()).collect();
    let rule = lines.get(header_height).cloned().unwrap_or_default();
    // The rule above the total separates it from the rows; with no rows, the header's
    // own rule already does.
    let total_at = (total_rows > 0 && rows.len() > total_rows)
        .then(|| lines.len().saturating_sub(total_height));
    let mut out = Vec::with_capacity(lines.len() + 1);
    for (i, line) in lines.into_iter().enumerate() {
        if Some(i) == total_at {
            out.push(rule.clone());
        }
        out.push(line);
    }
    out
}

/// The rows as blocks, for a terminal too narrow for the figures side by side: each
/// row is headed by its ids (the leading text columns always shown), then one line a
/// column (its header, then its value: figures right-aligned, text wrapped to the
/// width), empty cells left out; a blank line between blocks, a rule above the total's.
fn blocks(
    layout: &Layout,
    cols: &[Column],
    rows: &[Vec<Cell>],
    total_rows: usize,
    width: usize,
) -> Vec<String> {
    const LEAD: usize = 3;
    let ids = layout
        .shown
        .iter()
        .take_while(|&&c| {
            cols.get(c).is_some_and(|col| {
                !col.numeric && matches!(col.shrink, Shrink::Keep | Shrink::Name { .. })
            })
        })
        .count()
        .max(1);
    let (heading, rest) = layout.shown.split_at(ids.min(layout.shown.len()));
    let label = rest
        .iter()
        .filter_map(|&c| cols.get(c))
        .map(|c| text_width(c.header))
        .max()
        .unwrap_or(0);
    let cell = |row: &[Cell], c: usize| row.get(c).map(Cell::display).unwrap_or_default();
    let numeric = |c: usize| cols.get(c).is_some_and(|col| col.numeric);
    let figures = rows
        .iter()
        .flat_map(|row| {
            rest.iter()
                .filter(|&&c| numeric(c))
                .map(|&c| text_width(&cell(row, c)))
        })
        .max()
        .unwrap_or(0);
    let value_width = width.saturating_sub(LEAD + label + 2).max(figures).max(8);
    let mut out: Vec<String> = Vec::new();
    let mut widest = 0;
    let mut total_at = None;
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push(String::new());
        }
        if r + total_rows == rows.len() && r > 0 {
            total_at = Some(out.len());
        }
        let head: Vec<String> = heading
            .iter()
            .map(|&c| match (cols.get(c), cell(row, c)) {
                (Some(col), v) if col.numeric && !v.is_empty() => format!("{} {v}", col.header),
                (_, v) => v,
            })
            .filter(|v| !v.is_empty())
            .collect();
        out.push(format!(" {}", head.join(" · ")));
        for &c in rest {
            let (Some(col), text) = (cols.get(c), cell(row, c)) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            let pad = " ".repeat(LEAD);
            let name = format!("{:<label$}", col.header);
            if col.numeric {
                out.push(format!("{pad}{name}  {text:>figures$}"));
            } else {
                for (i, part) in wrap_cell(&text, value_width).into_iter().enumerate() {
                    let name = if i == 0 {
                        name.clone()
                    } else {
                        " ".repeat(label)
                    };
                    out.push(format!("{pad}{name}  {part}").trim_end().to_owned());
                }
            }
        }
        widest = out.iter().map(|l| text_width(l)).fold(widest, usize::max);
    }
    if let Some(at) = total_at {
        out.insert(at, "─".repeat(widest.min(width.max(1))));
    }
    out
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

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

    #[test]
    fn a_terminal_too_narrow_for_the_figures_gets_a_block_a_row() {
        let mut out = Vec::new();
        super::render(&sample(), Some(20), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\
a | preface

 sd35-large
   Credits     6.5
   USD      $0.065

 core
   Credits       3
   USD       $0.03

──────────────────
 total
   Credits     9.5
   USD      $0.095

9.5 credits in all
prices: Test card,
  effective 2026-06
  (built-in card)
note: a note
"
        );
    }

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
}

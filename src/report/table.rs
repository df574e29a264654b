//! The terminal table: comfy-table, numbers right-aligned, with the preface above and
//! the summary and notes below. It buffers, to align its columns.
//!
//! Given a width (the terminal's, or `COLUMNS`), the table fits it: long headers wrap
//! onto two lines, then columns are given up in the order their [`Shrink`] says
//! (dropped, cut short, wrapped, bars drawn shorter), never a figure; the lines around
//! the table wrap at spaces. Without a width (a pipe, a file) everything is in full.
//! Every command gets this from its [`Column`]s alone.

use super::layout::Layout;
use super::wrap::wrap_prose;
use super::{Cell, Column, Report, summary_with_prices, visible};
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

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

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

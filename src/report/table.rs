//! The terminal table: comfy-table, numbers right-aligned, never wrapped, with the
//! preface above and the summary and notes below. It buffers, to align its columns.

use super::{Report, summary_with_prices, visible};
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use std::io::{self, Write};

/// No borders, a rule under the header: pastes cleanly into a chat, an issue or a file.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

pub(super) fn render(
    report: &dyn Report,
    width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let _ = width;
    let columns = report.columns();
    let cols = visible(&columns, true);
    let mut table = Table::new();
    table
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            cols.iter()
                .filter_map(|&i| columns.get(i))
                .map(|c| c.header),
        );
    let total = report.total();
    for row in report.rows().chain(total.clone()) {
        table.add_row(
            cols.iter()
                .map(|&i| row.get(i).map(super::Cell::display).unwrap_or_default()),
        );
    }
    for (pos, &i) in cols.iter().enumerate() {
        if columns.get(i).is_some_and(|c| c.numeric) {
            if let Some(column) = table.column_mut(pos) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let mut preface = report.preface();
    if let Some(title) = report.title() {
        preface.insert(0, title);
    }
    for line in &preface {
        writeln!(out, "{line}")?;
    }
    if !preface.is_empty() {
        writeln!(out)?;
    }
    // Trailing padding would only get in the way of pasting; the header rule is drawn
    // again above the total row.
    let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_owned()).collect();
    let rule = lines.get(1).cloned().unwrap_or_default();
    let total_at = total.map(|_| lines.len().saturating_sub(1));
    for (i, line) in lines.iter().enumerate() {
        if Some(i) == total_at {
            writeln!(out, "{rule}")?;
        }
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    for line in summary_with_prices(report) {
        writeln!(out, "{line}")?;
    }
    for note in report.notes() {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

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

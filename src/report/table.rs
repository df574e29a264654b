//! The terminal table: comfy-table, numbers right-aligned, never wrapped, with the
//! preface above and the summary and notes below.

use super::{Report, all_rows, visible};
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// No borders, a rule under the header: pastes cleanly into a chat, an issue or a file.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));
use std::fmt::Write as _;

pub(super) fn render(report: &Report) -> String {
    let cols = visible(report, true);
    let mut table = Table::new();
    table
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            cols.iter()
                .filter_map(|&i| report.columns.get(i))
                .map(|c| c.header),
        );
    for row in all_rows(report) {
        table.add_row(
            cols.iter()
                .map(|&i| row.get(i).map(super::Cell::display).unwrap_or_default()),
        );
    }
    for (pos, &i) in cols.iter().enumerate() {
        if report.columns.get(i).is_some_and(|c| c.numeric) {
            if let Some(column) = table.column_mut(pos) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let mut out = String::new();
    for line in &report.preface {
        let _ = writeln!(out, "{line}");
    }
    if !report.preface.is_empty() {
        out.push('\n');
    }
    // Trailing padding would only get in the way of pasting; the header rule is drawn
    // again above the total row.
    let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_owned()).collect();
    let rule = lines.get(1).cloned().unwrap_or_default();
    let total_at = report.total.as_ref().map(|_| lines.len().saturating_sub(1));
    for (i, line) in lines.iter().enumerate() {
        if Some(i) == total_at {
            let _ = writeln!(out, "{rule}");
        }
        let _ = writeln!(out, "{line}");
    }
    if !report.summary.is_empty() || !report.notes.is_empty() {
        out.push('\n');
    }
    for line in &report.summary {
        let _ = writeln!(out, "{line}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

//! Markdown: a GitHub table (numbers right-aligned, the total row in bold), with the
//! preface, summary and notes as plain lines around it.

use super::{Report, all_rows, visible};
use std::fmt::Write as _;

fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub(super) fn render(report: &Report) -> String {
    let cols: Vec<_> = visible(report, false)
        .into_iter()
        .filter_map(|i| report.columns.get(i).map(|c| (i, c)))
        .collect();
    let mut out = String::new();
    for line in &report.preface {
        let _ = writeln!(out, "{}\n", escape(line));
    }
    let header: Vec<_> = cols.iter().map(|(_, c)| c.header.to_owned()).collect();
    let rule: Vec<_> = cols
        .iter()
        .map(|(_, c)| if c.numeric { "---:" } else { "---" }.to_owned())
        .collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    let total = report.total.as_ref();
    for row in all_rows(report) {
        let is_total = total.is_some_and(|t| std::ptr::eq(t, row));
        let cells: Vec<_> = cols
            .iter()
            .map(|(i, _)| {
                let text = escape(&row.get(*i).map(super::Cell::display).unwrap_or_default());
                if is_total && !text.is_empty() {
                    format!("**{text}**")
                } else {
                    text
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !report.summary.is_empty() || !report.notes.is_empty() {
        out.push('\n');
    }
    for line in &report.summary {
        let _ = writeln!(out, "- {}", escape(line));
    }
    for note in &report.notes {
        let _ = writeln!(out, "- note: {}", escape(note));
    }
    out
}

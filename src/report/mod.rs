//! How a command's typed result becomes output.
//!
//! Every command returns one result struct. It derives `Serialize`, which is the JSON
//! view (money as decimal strings, see [`crate::money`]), and implements [`Report`],
//! which is the table-shaped view the other formats share: columns, rows, a total row
//! and the lines around them. Both views read the same fields, so a figure exists once.
//! One renderer per format (hyperfine's exporters) writes a report to a sink: CSV,
//! Markdown, HTML and JSON stream row by row, the terminal table buffers to align its
//! columns. Markdown and HTML share the document's order through `markup.rs`; a
//! report's [`Report::figure`] is drawn by the HTML page (`svg/`). Only `main`
//! decides where the sink goes.

mod cell;
pub mod chart;
mod csv;
pub mod figure;
pub mod html;
mod json;
mod layout;
mod markdown;
mod markup;
mod svg;
mod table;
mod wrap;

use crate::rates::{Origin, Provenance};
pub use cell::{Cell, Column, Shrink};
use serde::Serialize;
use std::io::{self, Write};

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned table for terminals (the default).
    #[default]
    Table,
    /// One JSON object; every credit and money value is a decimal string.
    Json,
    /// Header row, one row per line, then a `total` row.
    Csv,
    /// A GitHub table, ready for a pull request or a job summary.
    Markdown,
    /// One self-contained HTML page, with the figure as inline SVG.
    Html,
}

/// How a command ended, once its report is written: the exit code it earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    /// Exit 0.
    #[default]
    Success,
    /// A budget gate tripped (`--fail-if-over`, `--max-increase`): exit 3, after the
    /// whole report has been printed.
    GateTripped,
    /// The report left records out (`usage --strict` with unpriced or malformed
    /// records): exit 2, after the whole report has been printed.
    Incomplete,
}

impl Outcome {
    /// The process exit code (README, "Errors and exit codes").
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::GateTripped => 3,
            Outcome::Incomplete => 2,
        }
    }
}

/// The rows of a report, produced as they are rendered.
pub type Rows<'a> = Box<dyn Iterator<Item = Vec<Cell>> + 'a>;

/// A command's result as the table-shaped formats (table, CSV, Markdown) see it.
///
/// The JSON format serializes the result itself, inside an envelope that carries
/// [`Report::command`] and [`Report::rate_card`].
pub trait Report {
    /// The subcommand, as the JSON `command` key names it.
    fn command(&self) -> &'static str;

    /// The prices every figure used: the JSON `rate_card`, and the `prices:` line.
    fn rate_card(&self) -> &Provenance;

    /// The table's columns.
    fn columns(&self) -> Vec<Column>;

    /// The table's rows, one cell per column.
    fn rows(&self) -> Rows<'_>;

    /// The total row, whose first cell reads `total`.
    fn total(&self) -> Option<Vec<Cell>> {
        None
    }

    /// A one-line headline: a `###` heading in Markdown (a pull-request comment), the
    /// first line of the table format.
    fn title(&self) -> Option<String> {
        None
    }

    /// A chart drawn under the terminal table (never in the other formats, which carry
    /// its figures in their rows).
    fn chart(&self) -> Option<chart::Chart> {
        None
    }

    /// The report as a picture, for the formats that draw one (HTML): typed series
    /// of the same exact figures as the rows.
    fn figure(&self) -> Option<figure::Figure> {
        None
    }

    /// The rows for machines (CSV) when they differ from the table for people: every
    /// figure on a line of its own, with its own columns and no total row.
    fn records(&self) -> Option<(Vec<Column>, Rows<'_>)> {
        None
    }

    /// Lines before the table (table and Markdown formats).
    fn preface(&self) -> Vec<String> {
        Vec::new()
    }

    /// Lines after the table: totals in words, top-ups, alternatives. The `prices:`
    /// line is added after them by the renderer.
    fn summary(&self) -> Vec<String> {
        Vec::new()
    }

    /// Caveats, shown last as `note: …`.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    /// Warnings for standard error, written after the report: what the report could
    /// not account for (each line gets a `warning: ` prefix).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// The exit code the command earns once the report is written.
    fn outcome(&self) -> Outcome {
        Outcome::Success
    }
}

/// Writes `report` to `out` in `format`, the table at full width.
pub fn render<R: Report + Serialize>(
    report: &R,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_fitted(report, format, None, out)
}

/// Writes `report` to `out` in `format`; the terminal table fits `width` columns when
/// one is given. The other formats are for programs and pastes, and keep every column.
pub fn render_fitted<R: Report + Serialize>(
    report: &R,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, width, out),
        Format::Json => json::render(report, report, out),
        Format::Csv => csv::render(report, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, out),
    }
}

/// The width a terminal table should fit: `COLUMNS` when it holds a width, else the
/// terminal's own width when standard output is a terminal; `None` (full width) when
/// the output goes to a pipe or a file, so what a program reads never depends on a
/// window's size.
pub fn terminal_width(stdout_is_terminal: bool) -> Option<usize> {
    let terminal = || terminal_columns();
    choose_width(
        std::env::var("COLUMNS").ok().as_deref(),
        stdout_is_terminal,
        terminal,
    )
}

/// The terminal's own width, when there is one to ask (the `cli` feature).
fn terminal_columns() -> Option<usize> {
    #[cfg(feature = "cli")]
    return terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w));
    #[cfg(not(feature = "cli"))]
    None
}

/// [`terminal_width`] with its inputs given: `COLUMNS`, whether standard output is a
/// terminal, and how to ask the terminal.
fn choose_width(
    columns: Option<&str>,
    is_terminal: bool,
    terminal: impl FnOnce() -> Option<usize>,
) -> Option<usize> {
    match columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        Some(w) if w > 0 => Some(w),
        _ if is_terminal => terminal().filter(|&w| w > 0),
        _ => None,
    }
}

/// The line every human-readable report ends its summary with: which prices it used.
pub fn prices_line(p: &Provenance) -> String {
    let origin = match &p.origin {
        Origin::BuiltIn => "built-in card".to_owned(),
        Origin::File(path) => format!("card {path}"),
    };
    let effective = p.effective_by_day.as_ref().unwrap_or(&p.effective);
    format!("prices: {}, effective {effective} ({origin})", p.name)
}

/// The summary lines, then the `prices:` line (always the last).
fn summary_with_prices(report: &dyn Report) -> Vec<String> {
    let mut lines = report.summary();
    lines.push(prices_line(report.rate_card()));
    lines
}

/// `row` as a renderer takes it: one cell per column of `columns`. A row with more or
/// fewer cells is a bug in the report, so an error (exit 1), never a blank or a lost
/// figure.
pub(crate) fn checked_row(columns: &[Column], row: Vec<Cell>) -> io::Result<Vec<Cell>> {
    if row.len() == columns.len() {
        Ok(row)
    } else {
        Err(io::Error::other(format!(
            "a report row has {} cells for {} columns ({}): this is a bug in stabcost",
            row.len(),
            columns.len(),
            columns.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
        )))
    }
}

/// The positions of the columns a renderer shows: all of them, or all but the
/// table-only ones.
fn visible(columns: &[Column], with_table_only: bool) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| with_table_only || !c.table_only)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
pub(crate) mod tests {
    use super::*;
    use crate::money::{Credits, Usd};
    use rust_decimal::Decimal;
    use serde::Serialize;

    /// A two-row report for the renderers' own tests: 6.5 credits ($0.065) and
    /// 3 credits ($0.03), 9.5 credits ($0.095) in all.
    #[derive(Serialize)]
    pub(crate) struct Sample {
        #[serde(skip)]
        pub(crate) card: Provenance,
        pub(crate) lines: Vec<(String, Credits, Usd)>,
        #[serde(skip)]
        pub(crate) outcome: Outcome,
    }

    pub(crate) fn dec(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    pub(crate) fn sample() -> Sample {
        Sample {
            card: Provenance {
                name: "Test card".into(),
                effective: "2026-06".into(),
                currency: "USD".into(),
                source: "test".into(),
                origin: Origin::BuiltIn,
                effective_by_day: None,
            },
            lines: vec![
                (
                    "sd35-large".into(),
                    Credits::new(dec("6.5")),
                    Usd::new(dec("0.065")),
                ),
                ("core".into(), Credits::new(dec("3")), Usd::new(dec("0.03"))),
            ],
            outcome: Outcome::Success,
        }
    }

    impl Report for Sample {
        fn command(&self) -> &'static str {
            "sample"
        }
        fn rate_card(&self) -> &Provenance {
            &self.card
        }
        fn columns(&self) -> Vec<Column> {
            vec![
                Column::text("Service", "service"),
                Column::number("Credits", "credits"),
                Column::number("USD", "usd"),
                Column::table_only("", "bar"),
            ]
        }
        fn rows(&self) -> Rows<'_> {
            Box::new(self.lines.iter().map(|(s, c, u)| {
                vec![
                    Cell::Text(s.clone()),
                    Cell::Credits(*c),
                    Cell::Usd(*u),
                    Cell::Bar(2),
                ]
            }))
        }
        fn total(&self) -> Option<Vec<Cell>> {
            Some(vec![
                Cell::Total,
                Cell::Credits(Credits::new(dec("9.5"))),
                Cell::Usd(Usd::new(dec("0.095"))),
                Cell::Empty,
            ])
        }
        fn preface(&self) -> Vec<String> {
            vec!["a | preface".into()]
        }
        fn summary(&self) -> Vec<String> {
            vec!["9.5 credits in all".into()]
        }
        fn notes(&self) -> Vec<String> {
            vec!["a note".into()]
        }
        fn outcome(&self) -> Outcome {
            self.outcome
        }
    }

    /// Renders `report` to a string, as `main` would to standard output.
    pub(crate) fn rendered<R: Report + Serialize>(report: &R, format: Format) -> String {
        let mut out = Vec::new();
        render(report, format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_width_is_columns_or_the_terminal_and_full_when_piped() {
        // COLUMNS wins wherever the output goes (it is how a user asks for a width).
        assert_eq!(choose_width(Some("80"), false, || Some(120)), Some(80));
        assert_eq!(choose_width(Some("100"), true, || Some(120)), Some(100));
        // A terminal without COLUMNS: its own width.
        assert_eq!(choose_width(None, true, || Some(120)), Some(120));
        assert_eq!(choose_width(Some(""), true, || Some(90)), Some(90));
        assert_eq!(choose_width(Some("wide"), true, || Some(90)), Some(90));
        // A pipe or a file without COLUMNS: full width, the terminal is not asked.
        assert_eq!(choose_width(None, false, || panic!("asked")), None);
        assert_eq!(choose_width(Some("0"), false, || None), None);
        assert_eq!(choose_width(None, true, || None), None);
    }

    #[test]
    fn a_tripped_gate_is_printed_in_full_and_then_exits_3() {
        let mut report = sample();
        report.outcome = Outcome::GateTripped;
        for format in [
            Format::Table,
            Format::Json,
            Format::Csv,
            Format::Markdown,
            Format::Html,
        ] {
            let text = rendered(&report, format);
            // The whole report is written, its last row included, before the exit code
            // is known to anyone.
            assert!(text.contains("core"), "{format:?}: {text}");
            if format == Format::Json {
                assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
            } else {
                assert!(text.contains("0.095"), "{format:?}: {text}");
            }
        }
        assert_eq!(report.outcome().exit_code(), 3);
        assert_eq!(Outcome::Success.exit_code(), 0);
    }

    #[test]
    fn a_row_that_lacks_a_cell_is_a_bug_not_a_blank() {
        // The sample's columns with a row one cell short.
        #[derive(Serialize)]
        struct Short(#[serde(skip)] Sample);
        impl Report for Short {
            fn command(&self) -> &'static str {
                "short"
            }
            fn rate_card(&self) -> &Provenance {
                self.0.rate_card()
            }
            fn columns(&self) -> Vec<Column> {
                self.0.columns()
            }
            fn rows(&self) -> Rows<'_> {
                Box::new(self.0.rows().map(|mut r| {
                    r.pop();
                    r
                }))
            }
        }
        for format in [Format::Table, Format::Csv, Format::Markdown, Format::Html] {
            let err = render(&Short(sample()), format, &mut Vec::new()).unwrap_err();
            assert!(
                err.to_string().contains("3 cells for 4 columns"),
                "{format:?}: {err}"
            );
        }
    }

    #[test]
    fn a_failed_write_is_an_error_not_a_silent_success() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        for format in [
            Format::Table,
            Format::Json,
            Format::Csv,
            Format::Markdown,
            Format::Html,
        ] {
            let err = render(&sample(), format, &mut Full).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::StorageFull, "{format:?}");
        }
    }
}

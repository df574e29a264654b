//! CSV: a header row of keys, one row per line as it is produced, then the `total` row;
//! or, when a report has them, its records (every figure on a line of its own). Values
//! are bare numbers (no `$`, no thousands separators) so spreadsheets read them as
//! numbers; a missing figure is an empty cell. A text cell that a spreadsheet would run
//! as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return: a
//! card's name can be anything) gets a leading `'`, as OWASP advises. Number columns
//! hold figures stabcost wrote, so a negative number there stays a number.

use super::{Report, visible};
use std::io::{self, Write};

pub(super) fn render(report: &dyn Report, out: &mut dyn Write) -> io::Result<()> {
    let (columns, rows) = match report.records() {
        Some(records) => records,
        None => (
            report.columns(),
            Box::new(report.rows().chain(report.total())) as _,
        ),
    };
    let cols = visible(&columns, false);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(cols.iter().filter_map(|&i| columns.get(i)).map(|c| c.key))
        .map_err(io_error)?;
    for row in rows {
        let row = super::checked_row(&columns, row)?;
        w.write_record(cols.iter().map(|&i| {
            let text = row.get(i).map(super::Cell::plain).unwrap_or_default();
            match columns.get(i) {
                Some(c) if c.numeric => text,
                _ => inert(text),
            }
        }))
        .map_err(io_error)?;
    }
    w.flush()
}

/// A failed CSV write as the I/O error it is. csv's own conversion wraps it in an
/// `Other` error without a source, so a closed pipe would no longer read as one (and
/// `stabcost … --format csv | head` would end with an error instead of quietly).
fn io_error(e: csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// `text`, made inert for a spreadsheet: a leading `'` when it would start a formula.
fn inert(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

    #[test]
    fn formulas_in_text_cells_are_inert_and_numbers_stay_numbers() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("core", "core"),
            ("", ""),
        ] {
            assert_eq!(super::inert(cell.to_owned()), want);
        }
        let mut report = sample();
        report.lines[0].0 = "=cmd()".into();
        report.lines[1].2 = crate::money::Usd::new(super::super::tests::dec("-0.25"));
        assert_eq!(
            rendered(&report, Format::Csv),
            "service,credits,usd\n'=cmd(),6.5,0.065\ncore,3,-0.25\n,9.5,0.095\n"
        );
    }

    #[test]
    fn a_closed_pipe_stays_a_closed_pipe() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        // More rows than csv's own buffer holds, so the failure comes from a record.
        let mut report = sample();
        let row = report.lines[0].clone();
        report.lines = vec![row; 2_000];
        let err = super::super::render(&report, Format::Csv, &mut Closed).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn bare_numbers_no_bar_and_a_total_row() {
        assert_eq!(
            rendered(&sample(), Format::Csv),
            "service,credits,usd\nsd35-large,6.5,0.065\ncore,3,0.03\n,9.5,0.095\n"
        );
    }

    #[test]
    fn a_line_named_total_is_not_the_total_row() {
        // The total row is the one whose first cell is empty; a line may be called
        // `total` (a workload, a tag) and still reads as a line.
        let mut report = sample();
        report.lines[1].0 = "total".into();
        assert_eq!(
            rendered(&report, Format::Csv),
            "service,credits,usd\nsd35-large,6.5,0.065\ntotal,3,0.03\n,9.5,0.095\n"
        );
    }
}

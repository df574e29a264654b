//! CSV: a header row of keys, one row per line as it is produced, then the `total` row;
//! or, when a report has them, its records (every figure on a line of its own). Values
//! are bare numbers (no `$`, no thousands separators) so spreadsheets read them as
//! numbers.

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
    w.write_record(cols.iter().filter_map(|&i| columns.get(i)).map(|c| c.key))?;
    for row in rows {
        w.write_record(
            cols.iter()
                .map(|&i| row.get(i).map(super::Cell::plain).unwrap_or_default()),
        )?;
    }
    w.flush()
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

    #[test]
    fn bare_numbers_no_bar_and_a_total_row() {
        assert_eq!(
            rendered(&sample(), Format::Csv),
            "service,credits,usd\nsd35-large,6.5,0.065\ncore,3,0.03\ntotal,9.5,0.095\n"
        );
    }
}

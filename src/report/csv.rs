//! CSV: a header row of keys, one row per line, then the `total` row. Values are bare
//! numbers (no `$`, no thousands separators) so spreadsheets read them as numbers.

use super::{Report, all_rows, visible};

pub(super) fn render(report: &Report) -> anyhow::Result<String> {
    let cols = visible(report, false);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        cols.iter()
            .filter_map(|&i| report.columns.get(i))
            .map(|c| c.key),
    )?;
    for row in all_rows(report) {
        w.write_record(
            cols.iter()
                .map(|&i| row.get(i).map(super::Cell::plain).unwrap_or_default()),
        )?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

//! JSON: the command's body, pretty-printed, ending in a newline.

use super::Report;

pub(super) fn render(report: &Report) -> anyhow::Result<String> {
    let mut out = serde_json::to_string_pretty(&report.json)?;
    out.push('\n');
    Ok(out)
}

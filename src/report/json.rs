//! JSON: the command's body, pretty-printed, ending in a newline.

use super::Report;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// The body with the typed lines (if any) in place of its `lines` key.
struct Body<'a>(&'a Report);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (Value::Object(map), Some(lines)) = (&self.0.json, &self.0.json_lines) else {
            return self.0.json.serialize(serializer);
        };
        let mut out = serializer.serialize_map(Some(map.len()))?;
        for (key, value) in map {
            if key == "lines" {
                out.serialize_entry(key, lines)?;
            } else {
                out.serialize_entry(key, value)?;
            }
        }
        out.end()
    }
}

pub(super) fn render(report: &Report) -> anyhow::Result<String> {
    let mut out = serde_json::to_string_pretty(&Body(report))?;
    out.push('\n');
    Ok(out)
}

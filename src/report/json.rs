//! JSON: the command's typed result, pretty-printed and streamed, inside an envelope
//! that starts with `version`, `command` and `rate_card`; it ends in a newline.

use super::Report;
use crate::rates::Provenance;
use serde::Serialize;
use std::io::{self, Write};

/// The keys every JSON report starts with, then the result's own.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    version: u32,
    command: &'static str,
    rate_card: &'a Provenance,
    #[serde(flatten)]
    body: &'a T,
}

pub(super) fn render<T: Serialize>(
    report: &dyn Report,
    body: &T,
    out: &mut dyn Write,
) -> io::Result<()> {
    let envelope = Envelope {
        version: 1,
        command: report.command(),
        rate_card: report.rate_card(),
        body,
    };
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    writeln!(out)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

    #[test]
    fn the_envelope_comes_first_and_money_is_strings() {
        let text = rendered(&sample(), Format::Json);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["version", "command", "rate_card", "lines"]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["command"], "sample");
        assert_eq!(v["rate_card"]["effective"], "2026-06");
        assert_eq!(
            v["lines"][0],
            serde_json::json!(["sd35-large", "6.5", "0.065"])
        );
        assert!(text.ends_with("}\n"));
    }
}

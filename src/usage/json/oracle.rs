//! The scanner checked against `serde_json`, line by line: the oracle of the
//! differential tests below and of the `usage_log` fuzz target (built with the
//! `fuzzing` feature), never part of the library's API otherwise.

use super::fallback::{Malformed, record, slow};
use super::scan::{Keys, Stop, scan, unescape};
use crate::usage::fields::{EMPTY, Fields, Prompt, Rec, SLOTS, Val};

/// Reads `line` with the scanner (its template carried in `keys` from the previous
/// line, as in a real log) and with `serde_json`, and says where they disagree, for the
/// differential test and the fuzz target. `Ok(None)`: the scanner left the line to
/// `serde_json`; `Ok(Some(read))`: it answered (a record, or malformed for a repeated
/// field) exactly as `serde_json` does.
#[allow(
    unreachable_pub,
    reason = "public to the fuzz targets through `crate::fuzzing`"
)]
pub fn differential(line: &[u8], keys: &mut Keys) -> Result<Option<bool>, String> {
    let fields = Fields::default();
    let text = || String::from_utf8_lossy(line).into_owned();
    let mut rec = EMPTY;
    let judged = slow(line, &fields);
    let escaped = match scan(line, &fields, &mut rec, keys) {
        Err(Stop::Defer) => return Ok(None),
        Err(Stop::Repeated) => {
            return match judged {
                Err(Malformed) => Ok(Some(false)),
                Ok(_) => Err(format!(
                    "the scanner finds a repeated field, serde_json does not: {:?}",
                    text()
                )),
            };
        }
        Ok(escaped) => escaped,
    };
    let Ok(found) = judged else {
        return Err(format!(
            "the scanner reads a line serde_json rejects: {:?}",
            text()
        ));
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(line)
    else {
        return Err(format!(
            "the scanner reads a line that is no JSON object: {:?}",
            text()
        ));
    };
    let from_slow = record(&found);
    for (slot, name) in crate::usage::fields::NAMES.iter().enumerate() {
        let fast = rec.get(slot).copied().unwrap_or(Val::Absent);
        let decoded;
        let fast = match fast {
            Val::Esc(raw) if escaped => {
                decoded = unescape(raw);
                Val::Str(&decoded)
            }
            v => v,
        };
        let slow_val = from_slow.get(slot).copied().unwrap_or(Val::Absent);
        if fast != slow_val {
            return Err(format!(
                "`{name}`: the scanner reads {fast:?}, the fallback {slow_val:?} in {:?}",
                text()
            ));
        }
        let agrees = match (fast, map.get(*name)) {
            (Val::Absent, None | Some(serde_json::Value::Null)) => true,
            (Val::Str(s), Some(serde_json::Value::String(t))) => s == t.as_bytes(),
            (Val::Num(n), Some(v @ serde_json::Value::Number(_))) => {
                serde_json::from_slice::<serde_json::Value>(n).ok().as_ref() == Some(v)
            }
            (Val::Other, Some(v)) => v.is_boolean() || v.is_array() || v.is_object(),
            _ => false,
        };
        if !agrees {
            return Err(format!(
                "`{name}`: the scanner reads {fast:?}, serde_json {:?} in {:?}",
                map.get(*name),
                text()
            ));
        }
    }
    prompted(line)?;
    Ok(Some(true))
}

/// A record's values slot by slot, escaped strings decoded: (kind, text), the kind 0 for
/// a string, 1 a number, 2 any other value, 3 none.
fn decoded(rec: &Rec<'_>, escaped: bool) -> Vec<(u8, Vec<u8>)> {
    rec.iter()
        .map(|v| match *v {
            Val::Esc(raw) if escaped => (0, unescape(raw)),
            Val::Esc(raw) | Val::Str(raw) => (0, raw.to_vec()),
            Val::Num(n) => (1, n.to_vec()),
            Val::Other | Val::ClfTime(_) => (2, Vec::new()),
            Val::Absent => (3, Vec::new()),
        })
        .collect()
}

/// The same line read with the prompt identity too (the what-if reports' reading): the
/// scanner and the fallback agree on every slot, the prompt's among them, and a prompt
/// named twice is no identity in both, never a malformed record.
fn prompted(line: &[u8]) -> Result<(), String> {
    let fields = Fields::default().with_prompt(Prompt::Default);
    let text = || String::from_utf8_lossy(line).into_owned();
    let mut rec = EMPTY;
    let judged = slow(line, &fields);
    let escaped = match scan(line, &fields, &mut rec, &mut Keys::default()) {
        Err(Stop::Defer) => return Ok(()),
        Err(Stop::Repeated) => {
            return match judged {
                Err(Malformed) => Ok(()),
                Ok(_) => Err(format!(
                    "with the prompt read, the scanner finds a repeated field, serde_json does not: {:?}",
                    text()
                )),
            };
        }
        Ok(escaped) => escaped,
    };
    let Ok(found) = judged else {
        return Err(format!(
            "with the prompt read, the scanner reads a line serde_json rejects: {:?}",
            text()
        ));
    };
    let from_slow = record(&found);
    let (fast, slow_vals) = (decoded(&rec, escaped), decoded(&from_slow, false));
    for slot in 0..SLOTS {
        if fast.get(slot) != slow_vals.get(slot) {
            return Err(format!(
                "with the prompt read, slot {slot}: the scanner reads {:?}, the fallback {:?} in {:?}",
                rec.get(slot),
                from_slow.get(slot),
                text()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
// Test code: each unwrap or index is an assertion, and a failure fails the test.
#[allow(
    clippy::indexing_slicing,
    reason = "test code: a failed index is a failed test"
)]
mod tests {
    // `stabcost usage` reads JSONL with a hand scanner for speed; `serde_json` is the
    // judge. On every line the scanner answers (a record, or malformed for a field given
    // twice), it must read exactly what `serde_json` reads: escapes, unicode, key order,
    // whitespace, nesting, numbers. Lines are generated from the shapes logs have, then
    // mutated byte by byte; the scanner's key template is carried from line to line, as in
    // a real log.
    use super::super::Keys;
    use super::differential;
    use proptest::prelude::*;

    /// Keys stabcost reads, keys it does not, and near misses.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("ts"),
            Just("timestamp"),
            Just("time"),
            Just("created_at"),
            Just("endpoint"),
            Just("path"),
            Just("url"),
            Just("service"),
            Just("model"),
            Just("status"),
            Just("steps"),
            Just("samples"),
            Just("tag"),
            Just("feature"),
            Just("user"),
            Just("prompt"),
            Just("prompt_hash"),
            Just("meta"),
            Just("Endpoint"),
            Just("status "),
            Just("t\\u0073"),
            Just("caf\u{e9}"),
            Just(""),
        ]
        .prop_map(str::to_owned)
    }

    /// A JSON string's body: plain text, every escape, unicode, surrogate pairs.
    fn string_body() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-z0-9/._ -]{1,12}",
                Just("\\\"".to_owned()),
                Just("\\\\".to_owned()),
                Just("\\/".to_owned()),
                Just("\\n\\t\\r\\b\\f".to_owned()),
                Just("\\u00e9".to_owned()),
                Just("\\ud83d\\ude00".to_owned()),
                Just("\u{e9}\u{1f600}\u{4e2d}".to_owned()),
                Just("/v2beta/stable-image/generate/sd3".to_owned()),
                Just("\\/v2beta\\/stable-image\\/generate\\/core".to_owned()),
                Just("2026-10-01T10:09:25Z".to_owned()),
            ],
            0..4,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A JSON value as text.
    fn value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            string_body().prop_map(|s| format!("\"{s}\"")),
            Just("200".to_owned()),
            Just("\"200\"".to_owned()),
            Just("-0.5".to_owned()),
            Just("1790899200.25".to_owned()),
            Just("0".to_owned()),
            Just("1.50".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            Just("null".to_owned()),
            (0u64..1_000_000).prop_map(|n| n.to_string()),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key(), inner), 0..3).prop_map(|kv| {
                    let body: Vec<String> =
                        kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", body.join(","))
                }),
            ]
        })
    }

    /// Whitespace JSON allows between tokens.
    fn ws() -> impl Strategy<Value = String> {
        prop_oneof![Just(""), Just(""), Just(" "), Just("\t"), Just("  \r ")]
            .prop_map(str::to_owned)
    }

    /// A log line: an object of keys and values, with whitespace here and there.
    fn line() -> impl Strategy<Value = String> {
        prop::collection::vec((ws(), key(), ws(), ws(), value(), ws()), 0..8).prop_map(|fields| {
            let body: Vec<String> = fields
                .iter()
                .map(|(a, k, b, c, v, d)| format!("{a}\"{k}\"{b}:{c}{v}{d}"))
                .collect();
            format!("{{{}}}", body.join(","))
        })
    }

    /// A byte edit: position (as a fraction of the length), kind, and byte.
    fn edit() -> impl Strategy<Value = (u16, u8, u8)> {
        let bytes = prop::sample::select(
            b"\"\\{}[],: \t\r0123456789-+.eEtrufalsn/u\x01\x7f\xc3\xa9\xff".to_vec(),
        );
        (any::<u16>(), 0u8..3, bytes)
    }

    fn mutate(line: &str, edits: &[(u16, u8, u8)]) -> Vec<u8> {
        let mut b = line.as_bytes().to_vec();
        for &(at, kind, byte) in edits {
            let p = if b.is_empty() {
                0
            } else {
                usize::from(at) % b.len()
            };
            match kind {
                0 if !b.is_empty() => b[p] = byte,
                1 => b.insert(p, byte),
                _ if !b.is_empty() => {
                    b.remove(p);
                }
                _ => {}
            }
        }
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// Well-formed lines: the scanner answers most of them, always as serde_json does.
        #[test]
        fn the_scanner_reads_lines_as_serde_json_does(lines in prop::collection::vec(line(), 1..6)) {
            let mut keys = Keys::default();
            for l in &lines {
                if let Err(e) = differential(l.as_bytes(), &mut keys) {
                    prop_assert!(false, "{}", e);
                }
            }
        }

        /// Lines with a few bytes changed: whatever the scanner still answers, it answers as
        /// serde_json does.
        #[test]
        fn mutated_lines_too(lines in prop::collection::vec((line(), prop::collection::vec(edit(), 1..4)), 1..6)) {
            let mut keys = Keys::default();
            for (l, edits) in &lines {
                let bytes = mutate(l, edits);
                if let Err(e) = differential(&bytes, &mut keys) {
                    prop_assert!(false, "{}", e);
                }
            }
        }
    }

    /// The test bites: the scanner answers most well-formed lines itself (it is not
    /// agreeing by deferring everything).
    #[test]
    fn the_scanner_answers_typical_lines_itself() {
        let mut keys = Keys::default();
        let typical = [
            r#"{"ts":"2026-10-01T10:09:25Z","endpoint":"/v2beta/stable-image/generate/sd3","status":200,"tag":"avatars","model":"sd3.5-large"}"#,
            r#"{"ts":"2026-10-01T10:09:26Z","endpoint":"/v2beta/stable-image/generate/core","status":200,"tag":"catalog"}"#,
            r#"{"endpoint":"\/v2beta\/stable-image\/generate\/core","status":"500","tag":"caf\u00e9"}"#,
            r#" { "ts" : 1790899200 , "service" : "ultra" , "meta" : {"endpoint":"/x"} } "#,
            r#"{"endpoint":"/a","endpoint":"/b"}"#,
        ];
        let answered: Vec<Option<bool>> = typical
            .iter()
            .map(|l| differential(l.as_bytes(), &mut keys).unwrap())
            .collect();
        assert_eq!(
            answered,
            [Some(true), Some(true), Some(true), Some(true), Some(false)]
        );
    }
}

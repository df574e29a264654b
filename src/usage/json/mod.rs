//! One JSONL line's top-level fields: a hand scanner for the common case (`scan`),
//! `serde_json` for everything else (`fallback`).
//!
//! The scanner never guesses. Anything it is not sure of makes it defer, and
//! `serde_json` reads the line instead; its verdict, a record or malformed, is final.
//! So the scanner can never accept a line `serde_json` rejects, nor read one
//! differently: `oracle`'s proptest checks that (it is built for tests, and for the
//! `usage_log` fuzz target with the `fuzzing` feature, which keeps checking it).

mod fallback;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod oracle;
mod scan;

#[allow(
    unreachable_pub,
    reason = "public to the fuzz targets through `crate::fuzzing`"
)]
pub use scan::Keys;

use crate::usage::fields::{EMPTY, Fields, Rec, Val};

/// Reads one line's record and hands it to `f`, or `None` when the line is malformed:
/// the scanner's record (escaped strings decoded), or `serde_json`'s when the scanner
/// leaves the line to it. `keys` is the previous line's key order, the scanner's
/// template, kept by the worker that reads the lines.
#[inline]
pub(crate) fn read_line<T>(
    line: &[u8],
    fields: &Fields,
    keys: &mut Keys,
    f: impl FnOnce(Option<&Rec<'_>>) -> T,
) -> T {
    let mut rec = EMPTY;
    match scan::scan(line, fields, &mut rec, keys) {
        Ok(false) => f(Some(&rec)),
        Ok(true) => {
            let decoded: Vec<(usize, Vec<u8>)> = rec
                .iter()
                .enumerate()
                .filter_map(|(slot, v)| match v {
                    Val::Esc(raw) => Some((slot, scan::unescape(raw))),
                    _ => None,
                })
                .collect();
            let mut plain = rec;
            for (slot, text) in &decoded {
                if let Some(v) = plain.get_mut(*slot) {
                    *v = Val::Str(text);
                }
            }
            f(Some(&plain))
        }
        Err(scan::Stop::Repeated) => f(None),
        Err(scan::Stop::Defer) => match fallback::slow(line, fields) {
            Ok(found) => f(Some(&fallback::record(&found))),
            Err(fallback::Malformed) => f(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::fallback::{Malformed, Owned, slow};
    use super::scan::{Keys, Stop, scan, unescape};
    use crate::usage::fields::{EMPTY, Fields, Val};
    use crate::usage::fields::{ENDPOINT, MODEL, STATUS, TAG};

    /// The scanner's fields, decoded, or `None` when it defers; panics when it
    /// disagrees with `serde_json`.
    fn agree(line: &[u8]) -> Option<Result<Vec<(usize, Owned)>, Malformed>> {
        let fields = Fields::default();
        let mut rec = EMPTY;
        let fast = match scan(line, &fields, &mut rec, &mut Keys::default()) {
            Err(Stop::Defer) => return None,
            Err(Stop::Repeated) => Err(Malformed),
            Ok(_) => Ok(rec
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    Some((
                        i,
                        match *v {
                            Val::Absent => return None,
                            Val::Str(s) => Owned::Str(s.to_vec()),
                            Val::Esc(s) => Owned::Str(unescape(s)),
                            Val::Num(n) => Owned::Num(n.to_vec()),
                            Val::Other | Val::ClfTime(_) => Owned::Other,
                        },
                    ))
                })
                .collect::<Vec<_>>()),
        };
        let mut slow = slow(line, &fields);
        if let Ok(v) = &mut slow {
            v.retain(|(_, o)| *o != Owned::Absent);
            v.sort_by_key(|(i, _)| *i);
        }
        assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(line));
        Some(fast)
    }

    #[test]
    fn tricky_lines_the_scanner_reads() {
        let ok = |line: &[u8]| agree(line).unwrap().unwrap();
        let r = ok(br#"  { "status" : "200" , "endpoint":"/x" }  "#);
        assert_eq!(
            r,
            [
                (ENDPOINT, Owned::Str(b"/x".to_vec())),
                (STATUS, Owned::Str(b"200".to_vec()))
            ]
        );
        // A nested object's keys are not the record's.
        let r = ok(br#"{"meta":{"endpoint":"/inner","status":500},"endpoint":"/outer"}"#);
        assert_eq!(r, [(ENDPOINT, Owned::Str(b"/outer".to_vec()))]);
        ok(br#"{"list":[1,{"ts":"x"},"\"q\""],"status":201}"#);
        ok(br#"{"note":"caf\u00e9 \"quoted\" \ud83d\ude00","status":200}"#);
        ok("{\"tag\":\"caf\u{e9}\",\"status\":200.0}".as_bytes());
        ok(br#"{"model":null,"status":-0.5,"x":true,"y":false}"#);
        ok(b"{}");
        let r = ok(br#"{"tag":"a\"b","endpoint":"\/v2beta\/x","model":"\ud83d\ude00\u00e9\n"}"#);
        assert_eq!(r[0], (ENDPOINT, Owned::Str(b"/v2beta/x".to_vec())));
        assert_eq!(
            r[1],
            (MODEL, Owned::Str("\u{1f600}\u{e9}\n".as_bytes().to_vec()))
        );
        assert_eq!(r[2], (TAG, Owned::Str(b"a\"b".to_vec())));
        ok(b"{\"status\":200}\t ");
        // Repeated keys stabcost does not read are fine; repeated fields it reads are not.
        ok(br#"{"x":1,"x":2,"status":200}"#);
        assert_eq!(
            agree(br#"{"endpoint":"/a","endpoint":"/b"}"#),
            Some(Err(Malformed))
        );
        assert_eq!(
            agree(br#"{"model":null,"model":"x"}"#),
            Some(Err(Malformed))
        );
    }

    #[test]
    fn lines_left_to_serde_json() {
        for line in [
            &br#"{"t\u0073":"2026-10-01T10:09:25Z"}"#[..],
            b"{\"tag\":\"a\tb\"}",
            b"{\"tag\":\"\xff\"}",
            br#"{"x":"\ud800"}"#,
            br#"{"x":01}"#,
            br#"{"x":2.5e352}"#,
            br#"{"x":tru}"#,
            br#"{"x":[1,2}"#,
            br#"{"a":1}{"b":2}"#,
            br#"{"a":1,}"#,
            b"[1,2]",
            b"\xEF\xBB\xBF{\"a\":1}",
        ] {
            assert_eq!(agree(line), None, "{:?}", String::from_utf8_lossy(line));
        }
        // serde_json then decides: an escaped key is read, the rest are malformed.
        let fields = Fields::default();
        assert!(slow(br#"{"t\u0073":"2026-10-01T10:09:25Z"}"#, &fields).is_ok());
        assert!(slow(br#"{"endpoint":"/a","endpo\u0069nt":"/b"}"#, &fields).is_err());
        assert!(slow(br#"{"x":2.5e352}"#, &fields).is_err());
        assert!(slow(b"[1,2]", &fields).is_err());
    }

    #[test]
    fn the_template_follows_the_previous_line() {
        let fields = Fields::default();
        let mut keys = Keys::default();
        for line in [
            &br#"{"ts":"2026-10-01T10:09:25Z","endpoint":"/a","status":200}"#[..],
            br#"{"ts":"2026-10-01T10:09:25Z","endpoint":"/b","status":200}"#,
            br#"{"endpoint":"/c","ts":"2026-10-01T10:09:25Z","status":200}"#,
            br#"{"endpointx":"/d","status":200}"#,
        ] {
            let mut rec = EMPTY;
            scan(line, &fields, &mut rec, &mut keys).unwrap();
            let mut alone = EMPTY;
            scan(line, &fields, &mut alone, &mut Keys::default()).unwrap();
            assert_eq!(rec, alone, "{:?}", String::from_utf8_lossy(line));
        }
    }
}

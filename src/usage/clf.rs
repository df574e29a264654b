//! Common and Combined Log Format lines, as a proxy in front of the API writes them:
//! `host ident user [10/Oct/2026:13:55:36 -0700] "POST /v2beta/… HTTP/1.1" 200 1234 …`.
//! Such a line has the time, the path and the status; it has no model, so calls to the
//! shared sd3 endpoint are unpriced unless `--sd3-model` names one.

use super::fields::{EMPTY, ENDPOINT, Rec, STATUS, TIME, Val};

/// The fields of one line; `None` when it is not in the format.
pub(crate) fn parse(line: &[u8]) -> Option<Rec<'_>> {
    let open = memchr::memchr(b'[', line)?;
    if open == 0 {
        return None; // no host
    }
    let close = open + memchr::memchr(b']', line.get(open..)?)?;
    let date = line.get(open + 1..close)?;
    let after = line.get(close + 1..)?;
    let request_and_rest = after.strip_prefix(b" \"")?;
    let end = memchr::memchr(b'"', request_and_rest)?;
    let request = request_and_rest.get(..end)?;
    let rest = request_and_rest.get(end + 1..)?.strip_prefix(b" ")?;
    let status = rest.split(|&c| c == b' ').next()?;
    // `POST /path HTTP/1.1`: the path is the middle word (a malformed request such as
    // "-" is kept whole, and matches no path).
    let mut words = request.split(|&c| c == b' ');
    let target = match (words.next(), words.next()) {
        (Some(_), Some(path)) => path,
        _ => request,
    };
    let mut rec = EMPTY;
    *rec.get_mut(TIME)? = Val::ClfTime(date);
    *rec.get_mut(ENDPOINT)? = Val::Str(target);
    *rec.get_mut(STATUS)? = if status == b"-" {
        Val::Absent
    } else {
        Val::Str(status)
    };
    Some(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_combined_lines() {
        let rec = parse(br#"10.0.0.1 - - [01/Oct/2026:10:09:25 +0000] "POST /v2beta/stable-image/generate/ultra HTTP/1.1" 200 1234 "-" "curl/8""#).unwrap();
        assert_eq!(rec[TIME], Val::ClfTime(b"01/Oct/2026:10:09:25 +0000"));
        assert_eq!(
            rec[ENDPOINT],
            Val::Str(b"/v2beta/stable-image/generate/ultra")
        );
        assert_eq!(rec[STATUS], Val::Str(b"200"));
        let rec = parse(br#"h - u [01/Oct/2026:10:09:25 +0000] "-" 408 -"#).unwrap();
        assert_eq!(rec[ENDPOINT], Val::Str(b"-"));
        assert!(parse(b"[01/Oct/2026:10:09:25 +0000] \"GET / HTTP/1.1\" 200 1").is_none());
        assert!(parse(b"h - - [01/Oct/2026:10:09:25 +0000] GET / 200").is_none());
        assert!(parse(b"not a log line").is_none());
    }
}

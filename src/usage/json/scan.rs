//! The hand scanner for one JSONL line's top-level fields. It never guesses:
//! anything it is not sure of (an escape in a key, invalid UTF-8, a control character,
//! a number `serde_json` might read differently, trailing bytes) makes it
//! [`Stop::Defer`], and `serde_json` ([`super::fallback`]) reads the line instead.
//!
//! What makes it fast: strings are scanned 8 bytes at a time (SWAR), and the previous
//! line's key order is a template ([`Keys`]), so a log from one producer matches each key
//! with one masked 16-byte compare. Nested objects and arrays are skipped by bracket
//! matching and validated by `serde_json`, so their keys are never read as fields. A
//! field stabcost reads that appears twice is [`Stop::Repeated`]: the record is
//! ambiguous, so malformed; but for the prompt identity, which is then none.

use crate::usage::fields::{Fields, PROMPT, Rec, Val};

/// Why the scanner stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Let `serde_json` decide.
    Defer,
    /// A field stabcost reads appears twice: malformed, whatever else the line holds.
    Repeated,
}

type Scanned<T> = Result<T, Stop>;

/// `Some` or defer.
#[inline]
fn need<T>(o: Option<T>) -> Scanned<T> {
    o.ok_or(Stop::Defer)
}

/// Bytes that end the fast run inside a string: quote, backslash, control, non-ASCII.
#[allow(
    clippy::indexing_slicing,
    reason = "a constant initializer: i runs over the table's own length"
)]
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i < 0x20 || i >= 0x80 || i == b'"' as usize || i == b'\\' as usize;
        i += 1;
    }
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The index of the first special byte in the 8 bytes `w` (little-endian), if any.
#[inline]
fn special8(w: u64) -> Option<usize> {
    let quote = w ^ (LO * u64::from(b'"'));
    let backslash = w ^ (LO * u64::from(b'\\'));
    // A zero byte in `quote` or `backslash`, a byte below 0x20, or one of 0x80 and above.
    // The borrow can flag bytes above the first real hit, never below it, so the lowest
    // flagged byte is exact.
    let m = ((quote.wrapping_sub(LO) & !quote)
        | (backslash.wrapping_sub(LO) & !backslash)
        | (w.wrapping_sub(LO * 0x20) & !w)
        | w)
        & HI;
    (m != 0).then(|| (m.trailing_zeros() / 8) as usize)
}

#[inline]
fn is_special(c: u8) -> bool {
    SPECIAL.get(usize::from(c)).copied().unwrap_or(true)
}

/// The index of the first byte at or after `i` that is not JSON whitespace.
#[inline]
fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

fn hex4(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 4)?.iter().try_fold(0u16, |v, &c| {
        let d = char::from(c).to_digit(16)?;
        Some(v * 16 + u16::try_from(d).ok()?)
    })
}

/// A string whose opening quote is at `i - 1`: the index of its closing quote, and
/// whether it has an escape.
#[inline]
fn string(b: &[u8], mut i: usize) -> Scanned<(usize, bool)> {
    let start = i;
    let (mut escaped, mut non_ascii) = (false, false);
    loop {
        while let Some(w) = b.get(i..i + 8) {
            let Ok(word) = <[u8; 8]>::try_from(w) else {
                break;
            };
            if let Some(k) = special8(u64::from_le_bytes(word)) {
                i += k;
                break;
            }
            i += 8;
        }
        while b.get(i).is_some_and(|&c| !is_special(c)) {
            i += 1;
        }
        match *need(b.get(i))? {
            b'"' => break,
            b'\\' => {
                escaped = true;
                match *need(b.get(i + 1))? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let u = need(hex4(b, i + 2))?;
                        i += 6;
                        if (0xDC00..0xE000).contains(&u) {
                            return Err(Stop::Defer); // a lone low surrogate
                        }
                        if (0xD800..0xDC00).contains(&u) {
                            if b.get(i..i + 2) != Some(b"\\u") {
                                return Err(Stop::Defer);
                            }
                            if !(0xDC00..0xE000).contains(&need(hex4(b, i + 2))?) {
                                return Err(Stop::Defer);
                            }
                            i += 6;
                        }
                    }
                    _ => return Err(Stop::Defer),
                }
            }
            c if c < 0x20 => return Err(Stop::Defer),
            _ => {
                non_ascii = true;
                i += 1;
            }
        }
    }
    if non_ascii && std::str::from_utf8(need(b.get(start..i))?).is_err() {
        return Err(Stop::Defer);
    }
    Ok((i, escaped))
}

/// A JSON number starting at `i`: the index just past it. Numbers with an exponent or
/// more than 300 characters are left to `serde_json` (`2.5e352` is valid JSON that it
/// rejects).
fn number(b: &[u8], mut i: usize) -> Scanned<usize> {
    let start = i;
    let digits = |mut i: usize| {
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        need((i > s).then_some(i))
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match *need(b.get(i))? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(i)?,
        _ => return Err(Stop::Defer),
    }
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) || i - start > 300 {
        return Err(Stop::Defer);
    }
    Ok(i)
}

/// An object or array starting at `i`: the index of its closing bracket, once `serde_json`
/// has checked it is valid JSON (as the fallback would: `Value`, not `IgnoredAny`).
fn nested(b: &[u8], i: usize) -> Scanned<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        match *need(b.get(j))? {
            b'"' => j = string(b, j + 1)?.0,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    need(serde_json::from_slice::<serde_json::Value>(need(b.get(i..=j))?).ok())?;
    Ok(j)
}

/// The previous line's keys, in order, each as written with its quotes and colon
/// (`"endpoint":`). JSONL from one producer repeats its key order, so the key at the same
/// position in the next line is one compare instead of a string scan and a key match.
#[derive(Debug, Default)]
#[allow(
    unreachable_pub,
    reason = "public to the fuzz targets through `crate::fuzzing`"
)]
pub struct Keys(Vec<Key>);

#[derive(Debug)]
struct Key {
    /// The first 16 bytes, and a mask of the ones that count.
    word: u128,
    mask: u128,
    bytes: Box<[u8]>,
    slot: Option<usize>,
}

impl Key {
    fn new(bytes: &[u8], slot: Option<usize>) -> Key {
        let mut w = [0u8; 16];
        w.iter_mut().zip(bytes).for_each(|(w, b)| *w = *b);
        let mask = if bytes.len() >= 16 {
            u128::MAX
        } else {
            (1u128 << (8 * bytes.len())) - 1
        };
        Key {
            word: u128::from_le_bytes(w),
            mask,
            bytes: bytes.into(),
            slot,
        }
    }

    /// Whether `b` has this key at `i`.
    #[inline]
    fn at(&self, b: &[u8], i: usize) -> bool {
        if self.bytes.len() <= 16 {
            if let Some(Ok(w)) = b.get(i..i + 16).map(<[u8; 16]>::try_from) {
                return u128::from_le_bytes(w) & self.mask == self.word;
            }
        }
        b.get(i..).is_some_and(|rest| rest.starts_with(&self.bytes))
    }
}

/// How many keys of a line the template keeps.
const TEMPLATE_KEYS: usize = 32;

/// Fills `rec` from one line. `Ok(true)`: some field read has an escape (its value is
/// [`Val::Esc`]; decode it with [`unescape`]).
pub(crate) fn scan<'a>(
    b: &'a [u8],
    fields: &Fields,
    rec: &mut Rec<'a>,
    keys: &mut Keys,
) -> Scanned<bool> {
    let mut escaped = false;
    let mut seen = 0u32;
    let mut i = ws(b, 0);
    if *need(b.get(i))? != b'{' {
        return Err(Stop::Defer);
    }
    i = ws(b, i + 1);
    if *need(b.get(i))? == b'}' {
        return if ws(b, i + 1) == b.len() {
            Ok(false)
        } else {
            Err(Stop::Defer)
        };
    }
    let mut k = 0;
    loop {
        // A key the previous line had at this position: it came from a key read in full
        // (no escape), so a byte-for-byte match is exactly that key.
        let known = keys.0.get(k).filter(|key| key.at(b, i));
        let slot = if let Some(key) = known {
            i = ws(b, i + key.bytes.len());
            key.slot
        } else {
            if *need(b.get(i))? != b'"' {
                return Err(Stop::Defer);
            }
            let start = i;
            let (end, key_escaped) = string(b, i + 1)?;
            if key_escaped {
                return Err(Stop::Defer); // "t\u0073" is "ts": serde_json unescapes it
            }
            let slot = fields.slot(need(b.get(i + 1..end))?);
            let colon = end + 1;
            i = ws(b, colon);
            if *need(b.get(i))? != b':' {
                return Err(Stop::Defer);
            }
            if i == colon && k < TEMPLATE_KEYS {
                let key = Key::new(need(b.get(start..=i))?, slot);
                keys.0.truncate(k);
                keys.0.push(key);
            }
            i = ws(b, i + 1);
            slot
        };
        k += 1;
        let mut into = slot;
        if let Some(s) = slot {
            let bit = 1u32 << s;
            if seen & bit != 0 {
                if s < PROMPT {
                    return Err(Stop::Repeated);
                }
                // A prompt named twice is no identity, and no reason to drop the call.
                if let Some(v) = rec.get_mut(s) {
                    *v = Val::Other;
                }
                into = None;
            }
            seen |= bit;
        }
        let next = value(b, i, into.and_then(|s| rec.get_mut(s)), &mut escaped)?;
        i = ws(b, next);
        match *need(b.get(i))? {
            b',' => i = ws(b, i + 1),
            b'}' => {
                return if ws(b, i + 1) == b.len() {
                    Ok(escaped)
                } else {
                    Err(Stop::Defer)
                };
            }
            _ => return Err(Stop::Defer),
        }
    }
}

/// The value at `i`, stored in `slot` when the field is one stabcost reads: the index
/// just past it. `escaped` is set when a stored string has an escape.
#[inline]
fn value<'a>(
    b: &'a [u8],
    i: usize,
    slot: Option<&mut Val<'a>>,
    escaped: &mut bool,
) -> Scanned<usize> {
    let (val, next) = match *need(b.get(i))? {
        b'"' => {
            let (end, has_escape) = string(b, i + 1)?;
            let text = need(b.get(i + 1..end))?;
            if has_escape && slot.is_some() {
                // `\/v2beta\/…` (PHP's json_encode), `caf\u00e9`: decoded by the caller.
                *escaped = true;
                (Val::Esc(text), end + 1)
            } else {
                (Val::Str(text), end + 1)
            }
        }
        b'-' | b'0'..=b'9' => {
            let end = number(b, i)?;
            (Val::Num(need(b.get(i..end))?), end)
        }
        b'{' | b'[' => (Val::Other, nested(b, i)? + 1),
        b't' if b.get(i..i + 4) == Some(b"true") => (Val::Other, i + 4),
        b'f' if b.get(i..i + 5) == Some(b"false") => (Val::Other, i + 5),
        b'n' if b.get(i..i + 4) == Some(b"null") => (Val::Absent, i + 4),
        _ => return Err(Stop::Defer),
    };
    if let Some(v) = slot {
        *v = val;
    }
    Ok(next)
}

/// The text of a string whose escapes [`string`] has validated.
pub(crate) fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let simple = match e {
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hi = u32::from(hex4(raw, i).unwrap_or(0xFFFD));
                i += 4;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let lo = u32::from(hex4(raw, i + 2).unwrap_or(0xDC00));
                    i += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo.saturating_sub(0xDC00))
                } else {
                    hi
                };
                let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
            other => other, // `"`, `\` and `/` stand for themselves
        };
        out.push(simple);
    }
    out
}

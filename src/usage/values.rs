//! A record's field values as the accounting reads them: a logged time's day, an HTTP
//! status, a step or sample count, a string; or [`Bad`], when the value is of a kind
//! the field cannot have.

use super::fields::Val;
use super::time;

/// A record that cannot be read as a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bad;

/// The day of a logged time.
#[inline]
pub(crate) fn parse_day(v: Val<'_>, cache: &mut (u64, u16, i32)) -> Result<Option<i32>, Bad> {
    match v {
        Val::Absent => Ok(None),
        Val::Str(s) => {
            // `YYYY-MM-DDTHH:MM:SSZ`, the usual form: logs come in time order, so the
            // date is cached by its bytes.
            if let (20, Some(b'Z'), Some(tod), Some(ymd), Some(dd)) = (
                s.len(),
                s.get(19),
                s.get(10..19),
                s.get(..8).and_then(|w| <[u8; 8]>::try_from(w).ok()),
                s.get(8..10).and_then(|w| <[u8; 2]>::try_from(w).ok()),
            ) {
                if time::time_of_day(tod) {
                    let (ymd, dd) = (u64::from_le_bytes(ymd), u16::from_le_bytes(dd));
                    if (ymd, dd) == (cache.0, cache.1) {
                        return Ok(Some(cache.2));
                    }
                    let day = time::date(s.get(..10).ok_or(Bad)?).ok_or(Bad)?;
                    *cache = (ymd, dd, day);
                    return Ok(Some(day));
                }
            }
            let date_shape = s.len() == 10 && s.get(4) == Some(&b'-') && s.get(7) == Some(&b'-');
            if !date_shape
                && s.iter()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'.'))
            {
                return time::unix_day(s).map(Some).ok_or(Bad);
            }
            time::rfc3339_day(s).map(Some).ok_or(Bad)
        }
        Val::Num(n) => time::unix_day(n).map(Some).ok_or(Bad),
        Val::ClfTime(s) => time::clf_day(s).map(Some).ok_or(Bad),
        Val::Esc(_) | Val::Other => Err(Bad),
    }
}

/// An HTTP status: three digits, 100 to 599, as a JSON number or a string.
#[inline]
pub(crate) fn parse_status(v: Val<'_>) -> Result<Option<u16>, Bad> {
    match v {
        Val::Absent => Ok(None),
        Val::Num(n) | Val::Str(n) if n.len() == 3 => {
            let s = n.iter().try_fold(0u16, |v, &b| {
                b.is_ascii_digit().then(|| v * 10 + u16::from(b - b'0'))
            });
            s.filter(|s| (100..=599).contains(s)).map(Some).ok_or(Bad)
        }
        _ => Err(Bad),
    }
}

/// A positive whole number up to 65,535 (steps, samples), as a number or a string.
#[inline]
pub(crate) fn parse_small(v: Val<'_>) -> Result<Option<u16>, Bad> {
    match v {
        Val::Absent => Ok(None),
        Val::Num(n) | Val::Str(n) if (1..=5).contains(&n.len()) => {
            let s = n.iter().try_fold(0u32, |v, &b| {
                b.is_ascii_digit().then(|| v * 10 + u32::from(b - b'0'))
            });
            s.and_then(|s| u16::try_from(s).ok())
                .filter(|&s| s > 0)
                .map(Some)
                .ok_or(Bad)
        }
        _ => Err(Bad),
    }
}

/// A string field's text; a number or `true` there is a field of the wrong type.
#[inline]
pub(crate) fn text(v: Val<'_>) -> Result<Option<&[u8]>, Bad> {
    match v {
        Val::Absent | Val::Str([]) => Ok(None),
        Val::Str(s) => Ok(Some(s)),
        _ => Err(Bad),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_text_or_numbers() {
        let mut cache = (0, 0, super::super::tally::UNDATED);
        let day = |s: &str| time::date(s.as_bytes());
        let mut parse = |v: Val<'_>| parse_day(v, &mut cache);
        assert_eq!(
            parse(Val::Str(b"2026-10-01T10:09:25Z")),
            Ok(day("2026-10-01"))
        );
        assert_eq!(
            parse(Val::Str(b"2026-10-01T10:09:25Z")),
            Ok(day("2026-10-01"))
        );
        assert_eq!(
            parse(Val::Str(b"2026-10-02T00:00:00Z")),
            Ok(day("2026-10-02"))
        );
        // Unix seconds as a CSV field or a JSON string, ten digits like a date's length.
        assert_eq!(parse(Val::Str(b"1790899200")), Ok(day("2026-10-02")));
        assert_eq!(parse(Val::Str(b"1790899200.5")), Ok(day("2026-10-02")));
        assert_eq!(parse(Val::Num(b"1790899200")), Ok(day("2026-10-02")));
        assert_eq!(parse(Val::Str(b"2026-10-01")), Ok(day("2026-10-01")));
        assert_eq!(parse(Val::Str(b"2026-13-01T00:00:00Z")), Err(Bad));
        assert_eq!(parse(Val::Str(b"yesterday")), Err(Bad));
        assert_eq!(parse(Val::Other), Err(Bad));
        assert_eq!(parse(Val::Absent), Ok(None));
    }

    #[test]
    fn statuses_steps_and_samples() {
        assert_eq!(parse_status(Val::Num(b"200")), Ok(Some(200)));
        assert_eq!(parse_status(Val::Str(b"503")), Ok(Some(503)));
        for bad in [&b"200.0"[..], b"2e2", b"099", b"600", b"20", b"200 "] {
            assert_eq!(parse_status(Val::Str(bad)), Err(Bad), "{bad:?}");
        }
        assert_eq!(parse_small(Val::Num(b"50")), Ok(Some(50)));
        assert_eq!(parse_small(Val::Str(b"0")), Err(Bad));
        assert_eq!(parse_small(Val::Str(b"65536")), Err(Bad));
        assert_eq!(parse_small(Val::Absent), Ok(None));
    }
}

//! A logged call's time to its UTC day: RFC 3339 (`2026-10-01T23:30:00-05:00` is
//! 2026-10-02 in UTC), a bare date, Unix seconds (`1790899200`, `1790899200.25`), or a
//! Common Log Format date (`[01/Oct/2026:23:30:00 -0500]`). Days count from 1970-01-01.

use crate::date::Date;

/// The value of a run of ASCII digits.
#[inline]
fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u32, |v, &b| {
        b.is_ascii_digit().then(|| v * 10 + u32::from(b - b'0'))
    })
}

#[inline]
fn field(s: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    digits(s.get(range)?)
}

/// `YYYY-MM-DD` → its day number; `None` when it is not a day of the calendar.
pub(crate) fn date(s: &[u8]) -> Option<i32> {
    if s.len() != 10 || s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (field(s, 0..4)?, field(s, 5..7)?, field(s, 8..10)?);
    let day = Date::from_ymd(i64::from(y), m, d)?;
    i32::try_from(day.days()).ok()
}

/// `THH:MM:SS` (`T`, `t` or a space first) is a time of day (a leap second allowed).
#[inline]
pub(crate) fn time_of_day(s: &[u8]) -> bool {
    s.len() == 9
        && matches!(s.first(), Some(b'T' | b't' | b' '))
        && s.get(3) == Some(&b':')
        && s.get(6) == Some(&b':')
        && field(s, 1..3).is_some_and(|h| h <= 23)
        && field(s, 4..6).is_some_and(|m| m <= 59)
        && field(s, 7..9).is_some_and(|s| s <= 60)
}

/// An RFC 3339 date-time (fraction optional, `Z` or `±HH:MM`) or a bare date → its UTC
/// day.
pub(crate) fn rfc3339_day(s: &[u8]) -> Option<i32> {
    if s.len() == 10 {
        return date(s);
    }
    let day = i64::from(date(s.get(..10)?)?);
    if !time_of_day(s.get(10..19)?) {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let [b'.', frac @ ..] = rest {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = frac.get(n..)?;
    }
    let offset_minutes = match rest {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = i64::from(digits(&[*h1, *h2])?);
            let m = i64::from(digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            if *sign == b'+' {
                h * 60 + m
            } else {
                -(h * 60 + m)
            }
        }
        _ => return None,
    };
    let h = i64::from(field(s, 11..13)?);
    let m = i64::from(field(s, 14..16)?);
    let minutes = day * 1440 + h * 60 + m - offset_minutes;
    i32::try_from(minutes.div_euclid(1440)).ok()
}

/// Unix seconds, whole or with a fraction, possibly negative → the UTC day.
pub(crate) fn unix_day(n: &[u8]) -> Option<i32> {
    let (int, frac) = match memchr::memchr(b'.', n) {
        Some(i) => (n.get(..i)?, Some(n.get(i + 1..)?)),
        None => (n, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let (negative, whole) = match int {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, int),
    };
    // Twelve digits reach the year 33658; more is a unit mistake (milliseconds).
    if whole.is_empty() || whole.len() > 12 {
        return None;
    }
    let mut v = whole.iter().try_fold(0i64, |v, &b| {
        b.is_ascii_digit().then(|| v * 10 + i64::from(b - b'0'))
    })?;
    // -1.5 is before -1: a negative time with a fraction rounds towards the past.
    if negative {
        v = -v - i64::from(frac.is_some_and(|f| f.iter().any(|&d| d != b'0')));
    }
    i32::try_from(Date::from_unix_seconds(v).days()).ok()
}

/// A Common Log Format date, `10/Oct/2026:13:55:36 -0700` → the UTC day.
pub(crate) fn clf_day(s: &[u8]) -> Option<i32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    if s.len() != 26 || s.get(2) != Some(&b'/') || s.get(6) != Some(&b'/') {
        return None;
    }
    let day_of_month = field(s, 0..2)?;
    let month_name = s.get(3..6)?;
    let month = MONTHS
        .iter()
        .position(|name| name.as_slice() == month_name)?
        + 1;
    let year = field(s, 7..11)?;
    if s.get(11) != Some(&b':') || s.get(14) != Some(&b':') || s.get(17) != Some(&b':') {
        return None;
    }
    let (h, min, sec) = (field(s, 12..14)?, field(s, 15..17)?, field(s, 18..20)?);
    if h > 23 || min > 59 || sec > 60 || s.get(20) != Some(&b' ') {
        return None;
    }
    let sign = match s.get(21) {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    let (oh, om) = (field(s, 22..24)?, field(s, 24..26)?);
    if oh > 23 || om > 59 {
        return None;
    }
    let day = Date::from_ymd(i64::from(year), u32::try_from(month).ok()?, day_of_month)?.days();
    let minutes = day * 1440 + i64::from(h * 60 + min) - sign * i64::from(oh * 60 + om);
    i32::try_from(minutes.div_euclid(1440)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i32 {
        date(s.as_bytes()).unwrap()
    }

    #[test]
    fn rfc3339_with_offsets_fractions_and_bare_dates() {
        assert_eq!(date(b"1970-01-01"), Some(0));
        assert_eq!(date(b"2026-02-29"), None);
        assert_eq!(date(b"2026-13-01"), None);
        assert_eq!(
            rfc3339_day(b"2026-10-01T10:09:25Z"),
            Some(day("2026-10-01"))
        );
        // An offset moves the call to another UTC day, both ways.
        assert_eq!(
            rfc3339_day(b"2026-10-01T23:30:00-05:00"),
            Some(day("2026-10-02"))
        );
        assert_eq!(
            rfc3339_day(b"2026-10-01T01:30:00.123+02:00"),
            Some(day("2026-09-30"))
        );
        assert_eq!(rfc3339_day(b"2026-10-01"), Some(day("2026-10-01")));
        assert_eq!(rfc3339_day(b"2026-10-01T01:30:00+2:00"), None);
        assert_eq!(rfc3339_day(b"2026-10-01T24:00:00Z"), None);
        assert_eq!(rfc3339_day(b"2026-10-01T10:09:25"), None);
        assert_eq!(rfc3339_day(b"2026-10-01T10:09:25.Z"), None);
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(unix_day(b"86400"), Some(1));
        assert_eq!(unix_day(b"86399.9"), Some(0));
        assert_eq!(unix_day(b"-0.5"), Some(-1));
        assert_eq!(unix_day(b"-86400"), Some(-1));
        assert_eq!(unix_day(b"1790899200"), Some(day("2026-10-02")));
        assert_eq!(unix_day(b"1790899200000"), None);
        assert_eq!(unix_day(b"12."), None);
        assert_eq!(unix_day(b"1e9"), None);
        assert_eq!(unix_day(b""), None);
    }

    #[test]
    fn common_log_format_dates() {
        assert_eq!(
            clf_day(b"01/Oct/2026:23:30:00 -0500"),
            Some(day("2026-10-02"))
        );
        assert_eq!(
            clf_day(b"01/Oct/2026:01:30:00 +0200"),
            Some(day("2026-09-30"))
        );
        assert_eq!(clf_day(b"31/Sep/2026:01:30:00 +0200"), None);
        assert_eq!(clf_day(b"01/Okt/2026:01:30:00 +0200"), None);
    }
}

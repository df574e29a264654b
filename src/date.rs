//! Calendar dates (proleptic Gregorian, UTC): when a rate card took effect, `--as-of`,
//! and the day, ISO week and month a logged call falls in.
//!
//! A [`Date`] is a day count from 1970-01-01, so comparing, stepping and grouping are
//! integer operations; the conversions are Howard Hinnant's `days_from_civil` and
//! `civil_from_days` algorithms.

use std::fmt;

/// One calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

/// Days from 0000-03-01 to 1970-01-01 in the algorithms' era arithmetic.
const EPOCH_SHIFT: i64 = 719_468;

impl Date {
    /// The date `year-month-day`, if it exists (years 0 to 9999).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(0..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date {
            days: era * 146_097 + doe - EPOCH_SHIFT,
        })
    }

    /// The year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.days + EPOCH_SHIFT;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // Both fit: day is 1..=31 and month 1..=12 by construction.
        (
            year,
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        )
    }

    /// The day `days` after 1970-01-01 (negative: before).
    pub fn from_days(days: i64) -> Date {
        Date { days }
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        self.days
    }

    /// The UTC day a Unix time (seconds) falls in.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date {
            days: seconds.div_euclid(86_400),
        }
    }

    /// The day before.
    #[must_use]
    pub fn pred(self) -> Date {
        Date {
            days: self.days - 1,
        }
    }

    /// The ISO 8601 week: its year (which may differ from the date's near New Year)
    /// and number, 1 to 53.
    pub fn iso_week(self) -> (i64, u32) {
        // Monday = 0. 1970-01-01 was a Thursday.
        let weekday = (self.days + 3).rem_euclid(7);
        let thursday = Date {
            days: self.days - weekday + 3,
        };
        let (year, _, _) = thursday.ymd();
        let first = Date::from_ymd(year, 1, 1).map_or(thursday.days, Date::days);
        let week = (thursday.days - first) / 7 + 1;
        (year, u32::try_from(week).unwrap_or(1))
    }

    /// Parses `YYYY-MM-DD`, naming what is wrong.
    pub fn parse(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let bytes = t.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!(
                "'{t}' is not a date; write it as YYYY-MM-DD, such as 2025-08-01"
            ));
        }
        let num = |range: std::ops::Range<usize>| t.get(range).and_then(|s| s.parse::<u32>().ok());
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(format!("'{t}' is not a date; write it as YYYY-MM-DD"));
        };
        Date::from_ymd(i64::from(y), m, d)
            .ok_or_else(|| format!("'{t}' is not a day of the calendar"))
    }
}

/// A calendar month, `YYYY-MM`: the month a plan is set against a log in, and a plan's
/// `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i64,
    /// 1 to 12.
    month: u32,
}

impl Month {
    /// The month `year-month`, if it exists (years 0 to 9999).
    pub fn new(year: i64, month: u32) -> Option<Month> {
        ((0..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// The month a day falls in.
    pub fn of(day: Date) -> Month {
        let (year, month, _) = day.ymd();
        Month { year, month }
    }

    /// Parses `YYYY-MM`, naming what is wrong.
    pub fn parse(text: &str) -> Result<Month, String> {
        let t = text.trim();
        let bytes = t.as_bytes();
        let shape_ok = bytes.len() == 7
            && bytes.get(4) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit());
        let num = |range: std::ops::Range<usize>| t.get(range).and_then(|s| s.parse::<u32>().ok());
        match (shape_ok, num(0..4), num(5..7)) {
            (true, Some(y), Some(m)) => Month::new(i64::from(y), m)
                .ok_or_else(|| format!("'{t}' is not a month of the calendar (01 to 12)")),
            _ => Err(format!(
                "'{t}' is not a month; write it as YYYY-MM, such as 2026-10"
            )),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::from_ymd(self.year, self.month, 1).unwrap_or(Date { days: 0 })
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        Date::from_days(self.first_day().days + i64::from(self.days()) - 1)
    }

    /// How many days it has: 28 to 31.
    pub fn days(self) -> u32 {
        days_in_month(self.year, self.month)
    }

    /// Months from `earlier` to this one: 0 for the same month, `None` when `earlier` is
    /// later.
    pub fn since(self, earlier: Month) -> Option<u32> {
        let index = |m: Month| m.year * 12 + i64::from(m.month);
        u32::try_from(index(self) - index(earlier)).ok()
    }

    /// `October 2026`, for people.
    pub fn name(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let name = usize::try_from(self.month - 1)
            .ok()
            .and_then(|i| NAMES.get(i))
            .copied()
            .unwrap_or("?");
        format!("{name} {}", self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days(), 11_017);
        // 2025-08-01 is 20,301 days after the epoch (55 years of 365 days, 14 leap days,
        // and 212 days into 2025).
        assert_eq!(Date::from_ymd(2025, 8, 1).unwrap().days(), 20_301);
        assert_eq!(Date::parse("2025-08-01").unwrap().to_string(), "2025-08-01");
        assert_eq!(
            Date::parse("2024-02-29").unwrap().pred().to_string(),
            "2024-02-28"
        );
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
        assert_eq!(
            Date::from_unix_seconds(1_754_006_400).to_string(),
            "2025-08-01"
        );
    }

    #[test]
    fn bad_dates_say_what_is_wrong() {
        assert!(Date::parse("2025-02-29").unwrap_err().contains("not a day"));
        assert!(Date::parse("2025-13-01").unwrap_err().contains("not a day"));
        assert!(Date::parse("2025-8-1").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("yesterday").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn iso_weeks_across_new_year() {
        // 2021-01-03 (a Sunday) is in week 53 of 2020; 2024-12-30 in week 1 of 2025.
        assert_eq!(Date::parse("2021-01-03").unwrap().iso_week(), (2020, 53));
        assert_eq!(Date::parse("2021-01-04").unwrap().iso_week(), (2021, 1));
        assert_eq!(Date::parse("2024-12-30").unwrap().iso_week(), (2025, 1));
        assert_eq!(Date::parse("2026-10-01").unwrap().iso_week(), (2026, 40));
    }

    #[test]
    fn every_day_round_trips() {
        let mut d = Date::from_ymd(1999, 12, 25).unwrap();
        for _ in 0..12_000 {
            let (y, m, day) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, day), Some(d));
            assert_eq!(Date::parse(&d.to_string()), Ok(d));
            let next = Date::from_days(d.days() + 1);
            assert!(next > d);
            d = next;
        }
    }

    #[test]
    fn months() {
        let oct = Month::parse("2026-10").unwrap();
        assert_eq!(oct.to_string(), "2026-10");
        assert_eq!(oct.name(), "October 2026");
        assert_eq!(oct.first_day().to_string(), "2026-10-01");
        assert_eq!(oct.last_day().to_string(), "2026-10-31");
        assert_eq!(oct.days(), 31);
        assert_eq!(Month::parse("2028-02").unwrap().days(), 29);
        assert_eq!(
            Month::parse("2026-02").unwrap().last_day().to_string(),
            "2026-02-28"
        );
        assert_eq!(Month::of(Date::parse("2026-10-21").unwrap()), oct);
        // October is month 3 of a plan that starts in August, and month 15 of one that
        // started the August before.
        assert_eq!(oct.since(Month::parse("2026-08").unwrap()), Some(2));
        assert_eq!(oct.since(Month::parse("2025-08").unwrap()), Some(14));
        assert_eq!(oct.since(oct), Some(0));
        assert_eq!(oct.since(Month::parse("2026-11").unwrap()), None);
        assert!(
            Month::parse("2026-13")
                .unwrap_err()
                .contains("not a month of the calendar")
        );
        assert!(Month::parse("2026-1").unwrap_err().contains("YYYY-MM"));
        assert!(Month::parse("2026-10-01").unwrap_err().contains("YYYY-MM"));
        assert!(Month::parse("").is_err());
    }
}

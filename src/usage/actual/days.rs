//! The calls per day, tag and service added up by day: what the forecast, the runway
//! and the spikes read. A day without a charged call is a day of $0.00.

use super::super::Spend;
use crate::date::Date;
use crate::money::{self, Overflow};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The first and last day of a log's dated calls (charged or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: Date,
    pub last: Date,
}

impl Span {
    /// The days `daily`'s dated calls span; `None` when no call has a time.
    pub fn of(daily: &[Spend]) -> Option<Span> {
        let mut days = daily.iter().filter_map(|s| s.day);
        let first = days.next()?;
        let (first, last) = days.fold((first, first), |(a, b), d| (a.min(d), b.max(d)));
        Some(Span { first, last })
    }
}

/// What one day's charged calls cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Day {
    pub calls: u64,
    pub credits: Decimal,
    pub usd: Decimal,
}

impl Day {
    fn add(&mut self, o: &Day) -> Result<(), Overflow> {
        self.calls += o.calls;
        self.credits = money::add(self.credits, o.credits)?;
        self.usd = money::add(self.usd, o.usd)?;
        Ok(())
    }
}

/// The charged calls of each dated day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Days(BTreeMap<Date, Day>);

impl Days {
    /// `daily` added up by day (undated calls are in no day).
    pub fn of(daily: &[Spend]) -> Result<Days, Overflow> {
        let mut days: BTreeMap<Date, Day> = BTreeMap::new();
        for s in daily.iter().filter(|s| s.charged > 0) {
            if let Some(d) = s.day {
                days.entry(d).or_default().add(&Day {
                    calls: s.charged,
                    credits: s.credits,
                    usd: s.usd,
                })?;
            }
        }
        Ok(Days(days))
    }

    /// The day's calls: nothing on a day without any.
    pub fn get(&self, day: Date) -> Day {
        self.0.get(&day).copied().unwrap_or_default()
    }

    /// The days from `from` to `to`, inclusive, that have charged calls.
    pub fn between(&self, from: Date, to: Date) -> impl Iterator<Item = (Date, &Day)> {
        self.0
            .range(from..=to.max(from))
            .filter(move |_| from <= to)
            .map(|(d, day)| (*d, day))
    }

    /// The calls of the days from `from` to `to`, inclusive, added up.
    pub fn sum(&self, from: Date, to: Date) -> Result<Day, Overflow> {
        let mut total = Day::default();
        for (_, day) in self.between(from, to) {
            total.add(day)?;
        }
        Ok(total)
    }

    /// How many of the days from `from` to `to` have charged calls.
    pub fn with_calls(&self, from: Date, to: Date) -> u32 {
        u32::try_from(self.between(from, to).count()).unwrap_or(u32::MAX)
    }

    /// Every day with charged calls, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Date, &Day)> {
        self.0.iter().map(|(d, day)| (*d, day))
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{core, d, day};
    use super::*;

    #[test]
    fn days_add_up_their_tags_and_skip_the_undated() {
        let mut undated = core("2026-10-01", None, 5);
        undated.day = None;
        let mut failed = core("2026-10-09", None, 0);
        failed.not_charged = 4;
        let daily = [
            core("2026-10-02", Some("a"), 10),
            core("2026-10-02", Some("b"), 20),
            core("2026-10-05", None, 1),
            undated,
            failed,
        ];
        let days = Days::of(&daily).unwrap();
        // 30 Core calls on the 2nd: 90 credits, $0.90.
        assert_eq!(
            days.get(day("2026-10-02")),
            Day {
                calls: 30,
                credits: d("90"),
                usd: d("0.9")
            }
        );
        assert_eq!(days.get(day("2026-10-03")), Day::default());
        assert_eq!(days.with_calls(day("2026-10-01"), day("2026-10-31")), 2);
        assert_eq!(days.with_calls(day("2026-10-03"), day("2026-10-04")), 0);
        assert_eq!(days.with_calls(day("2026-10-05"), day("2026-10-02")), 0);
        let all = days.sum(day("2026-10-01"), day("2026-10-31")).unwrap();
        assert_eq!((all.calls, all.usd), (31, d("0.93")));
        // The span counts the failed calls' day too, and not the undated ones.
        assert_eq!(
            Span::of(&daily),
            Some(Span {
                first: day("2026-10-02"),
                last: day("2026-10-09")
            })
        );
        assert_eq!(Span::of(&[]), None);
    }
}

//! Days that spent far more than the days before them (README, "Are we on plan?"): a
//! day whose spend is more than a factor (3 unless `--spike-factor` says) times the
//! median of the [`BEFORE`] days before it, when at least [`MIN_BEFORE`] of those had
//! calls. A day without calls counts as $0.00 in the median; the median of an even
//! number of days is the mean of the middle two, exact. Each spike names the service
//! and the tag that spent the most that day.

use super::super::Spend;
use super::days::Days;
use crate::date::Date;
use crate::money::{self, Overflow, Ratio, Usd};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many times the median a day must pass, unless `--spike-factor` says.
pub const SPIKE_FACTOR: Decimal = Decimal::from_parts(3, 0, 0, false, 0);
/// The days before a day that its median is taken over.
pub const BEFORE: i64 = 14;
/// Of those, how many must have calls.
pub const MIN_BEFORE: u32 = 7;

/// One day far above the days before it. JSON: `day`, `usd`, `median_usd`, `factor`,
/// `top_service`, `top_tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spike {
    pub day: Date,
    pub usd: Usd,
    /// The median spend of the [`BEFORE`] days before it.
    pub median_usd: Usd,
    /// `usd / median_usd`, rounded once to two decimals; `None` when the median is $0.
    pub factor: Option<Ratio>,
    /// The service that spent the most that day.
    pub top_service: String,
    /// The tag that spent the most that day; `None` when the calls without one did.
    pub top_tag: Option<String>,
}

impl Spike {
    /// A spike in words: `spike: 2026-10-21 spent $3.00, 10.00× the median of the 14 days
    /// before ($0.30): most on core, tag avatars`.
    pub fn line(&self) -> String {
        let s = self;
        let times = s
            .factor
            .map_or_else(String::new, |f| format!(", {f} the median"));
        let tag = s
            .top_tag
            .as_deref()
            .map_or_else(|| "no tag".to_owned(), |t| format!("tag {t}"));
        format!(
            "spike: {} spent {}{times} of the {} days before ({}): most on {}, {tag}",
            s.day, s.usd, BEFORE, s.median_usd, s.top_service
        )
    }
}

/// The median of `values`, exactly: the middle one, or the mean of the middle two.
fn median(mut values: Vec<Decimal>) -> Option<Decimal> {
    values.sort_unstable();
    let n = values.len();
    let upper = *values.get(n / 2)?;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = *values.get(n / 2 - 1)?;
    money::div_exact(money::add(lower, upper).ok()?, Decimal::TWO)
}

/// What spent the most on `day` among `daily`'s calls, by `key`: ties go to the first
/// in order.
fn top<'a>(
    daily: &'a [Spend],
    day: Date,
    key: impl Fn(&'a Spend) -> Option<&'a str>,
) -> Option<&'a str> {
    let mut spent: BTreeMap<Option<&str>, Decimal> = BTreeMap::new();
    for s in daily.iter().filter(|s| s.day == Some(day) && s.charged > 0) {
        let usd = spent.entry(key(s)).or_default();
        *usd = money::add(*usd, s.usd).unwrap_or(*usd);
    }
    let mut best: Option<(Option<&str>, Decimal)> = None;
    for (k, usd) in spent {
        if best.is_none_or(|(_, b)| usd > b) {
            best = Some((k, usd));
        }
    }
    best.and_then(|(k, _)| k)
}

/// The spikes among the days of `days` (those from `from` to `to` when given), each
/// more than `factor` times the median before it; `daily` names what spent the most.
pub fn spikes(
    daily: &[Spend],
    days: &Days,
    factor: Decimal,
    within: Option<(Date, Date)>,
) -> Result<Vec<Spike>, Overflow> {
    let mut out = Vec::new();
    for (day, spent) in days.iter() {
        if within.is_some_and(|(from, to)| day < from || day > to) {
            continue;
        }
        let first = Date::from_days(day.days() - BEFORE);
        let last = day.pred();
        if days.with_calls(first, last) < MIN_BEFORE {
            continue;
        }
        let before: Vec<Decimal> = (0..BEFORE)
            .map(|i| days.get(Date::from_days(first.days() + i)).usd)
            .collect();
        let Some(median) = median(before) else {
            continue;
        };
        if spent.usd <= money::mul(factor, median)? {
            continue;
        }
        out.push(Spike {
            day,
            usd: Usd::new(spent.usd),
            median_usd: Usd::new(median),
            factor: Ratio::of(spent.usd, median),
            top_service: top(daily, day, |s| Some(s.service.as_str()))
                .unwrap_or_default()
                .to_owned(),
            top_tag: top(daily, day, |s| s.tag.as_deref()).map(str::to_owned),
        });
    }
    Ok(out)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{core, d, day};
    use super::*;

    /// Twenty days of 10 Core calls ($0.30), Oct 1–20, tagged `catalog`.
    fn twenty_quiet_days() -> Vec<Spend> {
        (1..=20)
            .map(|i| core(&format!("2026-10-{i:02}"), Some("catalog"), 10))
            .collect()
    }

    #[test]
    fn a_day_of_100_avatars_after_twenty_quiet_days_is_the_one_spike() {
        let mut daily = twenty_quiet_days();
        // The 21st: 100 Core calls tagged avatars, $3.00, and 10 catalog calls, $0.30.
        daily.push(core("2026-10-21", Some("avatars"), 100));
        daily.push(core("2026-10-21", Some("catalog"), 10));
        let days = Days::of(&daily).unwrap();
        let found = spikes(&daily, &days, SPIKE_FACTOR, None).unwrap();
        // The 14 days before the 21st (Oct 7–20) spent $0.30 each: median $0.30; $3.30
        // is more than 3 × $0.30 = $0.90, 11.00 times the median.
        assert_eq!(
            found,
            [Spike {
                day: day("2026-10-21"),
                usd: Usd::new(d("3.3")),
                median_usd: Usd::new(d("0.3")),
                factor: Ratio::of(d("11"), Decimal::ONE),
                top_service: "core".into(),
                top_tag: Some("avatars".into()),
            }]
        );
        // A factor of 11 is not passed: $3.30 is not more than 11 × $0.30.
        assert!(spikes(&daily, &days, d("11"), None).unwrap().is_empty());
        // Only the days asked about.
        let before = Some((day("2026-10-01"), day("2026-10-20")));
        assert!(
            spikes(&daily, &days, SPIKE_FACTOR, before)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_day_needs_seven_days_with_calls_before_it() {
        // Oct 1–6 quiet, then $30.00 on Oct 7: six days of history are not enough.
        let mut daily: Vec<Spend> = twenty_quiet_days().into_iter().take(6).collect();
        daily.push(core("2026-10-07", Some("avatars"), 1000));
        let days = Days::of(&daily).unwrap();
        assert!(
            spikes(&daily, &days, SPIKE_FACTOR, None)
                .unwrap()
                .is_empty()
        );
        // On Oct 8 the 14 days before hold 7 with calls (Oct 1–7) and 7 without: the
        // median is the mean of $0.00 and $0.30, $0.15. $1.50 > 3 × $0.15 = $0.45.
        daily.push(core("2026-10-08", None, 50));
        let days = Days::of(&daily).unwrap();
        let found = spikes(&daily, &days, SPIKE_FACTOR, None).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].day, day("2026-10-08"));
        assert_eq!(found[0].median_usd, Usd::new(d("0.15")));
        // Its calls had no tag.
        assert_eq!(found[0].top_tag, None);
    }

    #[test]
    fn medians_are_exact() {
        assert_eq!(median(vec![d("3"), d("1"), d("2")]), Some(d("2")));
        assert_eq!(median(vec![d("0.01"), d("0.02")]), Some(d("0.015")));
        assert_eq!(median(Vec::new()), None);
    }
}

//! A plan set against the calls a log priced (README, "Are we on plan?"): each
//! workload's planned month against the calls tagged with its name or one of its
//! `tags`, the month-end forecast, the runway of a credit balance, and the spikes.
//!
//! Everything here is derived at the end from the calls per day, tag and service
//! ([`Spend`], counted with `Options::daily`), so the read stays one pass over the
//! log with no work per call. One concept per file: this one sets a plan against a
//! month; `days` adds the calls up by day; `forecast` is the month-end forecast and the
//! runway; `spikes` finds the days far above the ones before them.

mod days;
mod forecast;
mod spikes;

pub use days::{Days, Span};
pub use forecast::{Forecast, MIN_HISTORY, MonthEnd, Rate, Runway, Window, forecast, runway};
pub use spikes::{BEFORE, MIN_BEFORE, SPIKE_FACTOR, Spike, spikes};

use super::Spend;
use crate::date::{Date, Month};
use crate::error::{UserError, UserResult};
use crate::money::{self, Approx, Overflow, Percent, Usd};
use crate::plan::{Plan, price};
use crate::rates::RateCard;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How a call without a label is listed among the unplanned tags.
pub const NO_TAG: &str = "(none)";

/// What the plan says of one workload for the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub workload: String,
    /// The labels of its calls: its name, then its `tags`.
    pub labels: Vec<String>,
    pub usd: Usd,
    pub assets: u64,
}

/// The plan's month `index` (1 is the plan as written) that `month` is: counted from
/// the plan's `start`, else 1.
pub fn plan_month(plan: &Plan, month: Month) -> UserResult<u32> {
    let Some(start) = plan.start else {
        return Ok(1);
    };
    match month.since(start) {
        Some(n) => Ok(n.saturating_add(1)),
        None => Err(UserError::new(format!(
            "{month} is before the plan's start, {start}: the plan has no figures for it"
        ))
        .hint(format!(
            "change start in {} to {month} or before, or set a later month of the log against it (--month)",
            plan.file
        ))),
    }
}

/// Every workload of `plan` priced on `card` for `month`, its volume grown to the
/// plan's month that `month` is.
pub fn planned(plan: &Plan, card: &RateCard, month: Month) -> UserResult<Vec<Planned>> {
    let index = plan_month(plan, month)?;
    let steps = plan.compile(card)?;
    let priced = price::price(plan, card, &steps, index)?;
    Ok(priced
        .workloads
        .iter()
        .map(|w| Planned {
            workload: w.workload.name.clone(),
            labels: w.workload.labels().map(str::to_owned).collect(),
            usd: w.priced.total.usd,
            assets: w.assets,
        })
        .collect())
}

/// One workload, planned and actual. JSON: `workload`, `tags`, `planned_usd`,
/// `pro_rata_usd`, `actual_usd`, `variance_usd`, `variance_pct`, `planned_assets`,
/// `actual_calls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub workload: String,
    /// The labels its calls are matched by.
    pub tags: Vec<String>,
    /// The plan's figure for the whole month.
    pub planned_usd: Usd,
    /// In a month only partly in the log, the planned figure for the days covered,
    /// rounded once to cents; `None` for a whole month.
    pub pro_rata_usd: Option<Approx>,
    pub actual_usd: Usd,
    /// `actual_usd` less the planned figure it is set against: `planned_usd`, or in a
    /// month partly in the log `pro_rata_usd` (see [`PlanVsActual::against`]).
    pub variance_usd: Usd,
    /// The variance in percent of that planned figure; `None` when it is zero.
    pub variance_pct: Option<Percent>,
    pub planned_assets: u64,
    /// Calls charged.
    pub actual_calls: u64,
}

/// The calls whose label matches no workload. JSON: `tags` (most spent first),
/// `actual_usd`, `actual_calls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplanned {
    /// Their labels, most spent first ([`NO_TAG`] for calls with none).
    pub tags: Vec<String>,
    pub actual_usd: Usd,
    pub actual_calls: u64,
}

/// The plan's month and everything the log spent in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Total {
    pub planned_usd: Usd,
    /// The lines' own planned figures to date added up (each rounded once), so that
    /// the total is the sum of its rows.
    pub pro_rata_usd: Option<Approx>,
    pub actual_usd: Usd,
    pub variance_usd: Usd,
    pub variance_pct: Option<Percent>,
    pub planned_assets: u128,
    pub actual_calls: u64,
}

/// Which planned figure the variance is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Against {
    /// The month's plan: the month is whole in the log.
    PlannedUsd,
    /// The plan for the days the log covers: the month is in progress.
    ProRataUsd,
}

/// The plan set against a month of the log. JSON `plan_vs_actual`: `month`, `partial`,
/// `against`, `days_covered`, `days_in_month`, `lines`, `unplanned`, `total`,
/// `outside_month`, `undated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanVsActual {
    pub month: Month,
    /// The log ends before the month does.
    pub partial: bool,
    /// What the variances are against: `planned_usd`, or `pro_rata_usd` in a month
    /// only partly in the log.
    pub against: Against,
    /// Days of the month up to the log's last day in it.
    pub days_covered: u32,
    pub days_in_month: u32,
    pub lines: Vec<Line>,
    pub unplanned: Unplanned,
    pub total: Total,
    /// Charged calls on other days than the month's: not set against the plan.
    pub outside_month: u64,
    /// Charged calls without a time: in no month.
    pub undated: u64,
}

/// The month a report is for: `chosen` (`--month`), else the month of the log's last
/// day; it must overlap the log.
pub fn month_of(span: Span, chosen: Option<Month>) -> UserResult<Month> {
    let month = chosen.unwrap_or_else(|| Month::of(span.last));
    if month.first_day() > span.last || month.last_day() < span.first {
        return Err(UserError::new(format!(
            "the log's calls are from {} to {}: none in {month}",
            span.first, span.last
        ))
        .hint(format!(
            "--month {} sets the plan against the log's last month",
            Month::of(span.last)
        )));
    }
    Ok(month)
}

/// The last day of `month` the log covers: the month's last day, or the log's last
/// day when it ends before.
pub fn as_of(span: Span, month: Month) -> Date {
    span.last.min(month.last_day())
}

/// `a / b` rounded once, half-to-even, to `dp` decimals, from the exact quotient
/// (never a rounded one rounded again); `None` when `b` is not positive or a figure
/// does not fit.
pub(crate) fn quotient(num: Decimal, den: Decimal, dp: u32) -> Option<Decimal> {
    if den <= Decimal::ZERO {
        return None;
    }
    let unit = Decimal::from_i128_with_scale(1, dp);
    let scaled = money::div_exact(num.abs(), unit)?;
    // floor(scaled / den), exactly, and what is left over.
    let floor = money::floor_div(scaled, den).ok()?;
    let rest = money::sub(scaled, money::mul(floor, den).ok()?).ok()?;
    let twice = money::add(rest, rest).ok()?;
    let odd = floor.checked_rem(Decimal::TWO)? == Decimal::ONE;
    let units = if twice > den || (twice == den && odd) {
        money::add(floor, Decimal::ONE).ok()?
    } else {
        floor
    };
    let magnitude = money::mul(units, unit).ok()?;
    Some(if num < Decimal::ZERO {
        -magnitude
    } else {
        magnitude
    })
}

/// `usd × covered / days`, rounded once, half-to-even, to cents.
fn pro_rata(usd: Usd, covered: u32, days: u32) -> Option<Approx> {
    let share = money::mul(usd.get(), Decimal::from(covered)).ok()?;
    quotient(share, Decimal::from(days), 2).map(Approx::cents)
}

/// The plan's figures `planned` for `month` set against the calls `daily` of a log
/// whose dated calls span `span`.
pub fn plan_vs_actual(
    planned: &[Planned],
    daily: &[Spend],
    month: Month,
    span: Span,
) -> Result<PlanVsActual, Overflow> {
    let last = as_of(span, month);
    let first = month.first_day();
    let days_covered = u32::try_from(last.days() - first.days() + 1).unwrap_or(0);
    let days_in_month = month.days();
    let partial = span.last < month.last_day();

    // Label → workload, in any case (reading the plan made them unique so).
    let owner: HashMap<String, usize> = planned
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.labels.iter().map(move |l| (l.to_lowercase(), i)))
        .collect();
    let mut actual = vec![(Usd::ZERO, 0u64); planned.len()];
    let mut unplanned: BTreeMap<&str, (Usd, u64)> = BTreeMap::new();
    let (mut outside_month, mut undated) = (0, 0);
    for s in daily.iter().filter(|s| s.charged > 0) {
        match s.day {
            None => undated += s.charged,
            Some(d) if d < first || d > last => outside_month += s.charged,
            Some(_) => {
                let tag = s.tag.as_deref();
                let slot = match tag.and_then(|t| owner.get(&t.to_lowercase())) {
                    Some(&i) => actual.get_mut(i),
                    None => Some(unplanned.entry(tag.unwrap_or(NO_TAG)).or_default()),
                };
                if let Some((usd, calls)) = slot {
                    *usd = usd.checked_add(Usd::new(s.usd))?;
                    *calls += s.charged;
                }
            }
        }
    }

    let mut lines = Vec::with_capacity(planned.len());
    for (p, (usd, calls)) in planned.iter().zip(actual) {
        let pro_rata_usd = if partial {
            Some(pro_rata(p.usd, days_covered, days_in_month).ok_or(Overflow::TooLarge)?)
        } else {
            None
        };
        let against = pro_rata_usd.map_or(p.usd, Approx::usd);
        lines.push(Line {
            workload: p.workload.clone(),
            tags: p.labels.clone(),
            planned_usd: p.usd,
            pro_rata_usd,
            actual_usd: usd,
            variance_usd: usd.checked_sub(against)?,
            variance_pct: Percent::change(against.get(), usd.get()),
            planned_assets: p.assets,
            actual_calls: calls,
        });
    }
    let mut tags: Vec<(&str, (Usd, u64))> = unplanned.into_iter().collect();
    tags.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let unplanned = Unplanned {
        tags: tags.iter().map(|(t, _)| (*t).to_owned()).collect(),
        actual_usd: Usd::sum(tags.iter().map(|(_, (u, _))| *u))?,
        actual_calls: tags.iter().map(|(_, (_, n))| n).sum(),
    };
    let planned_usd = Usd::sum(lines.iter().map(|l| l.planned_usd))?;
    let actual_usd =
        Usd::sum(lines.iter().map(|l| l.actual_usd))?.checked_add(unplanned.actual_usd)?;
    let pro_rata_usd = if partial {
        Some(Usd::sum(
            lines.iter().filter_map(|l| l.pro_rata_usd.map(Approx::usd)),
        )?)
    } else {
        None
    };
    let against = pro_rata_usd.unwrap_or(planned_usd);
    let pro_rata_usd = pro_rata_usd.map(|u| Approx::cents(u.get()));
    let total = Total {
        planned_usd,
        pro_rata_usd,
        actual_usd,
        variance_usd: actual_usd.checked_sub(against)?,
        variance_pct: Percent::change(against.get(), actual_usd.get()),
        planned_assets: lines.iter().map(|l| u128::from(l.planned_assets)).sum(),
        actual_calls: lines.iter().map(|l| l.actual_calls).sum::<u64>() + unplanned.actual_calls,
    };
    Ok(PlanVsActual {
        month,
        partial,
        against: if partial {
            Against::ProRataUsd
        } else {
            Against::PlannedUsd
        },
        days_covered,
        days_in_month,
        lines,
        unplanned,
        total,
        outside_month,
        undated,
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    pub(crate) fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `charged` Core calls (3 credits, $0.03 each) on `on`, labelled `tag`.
    pub(crate) fn core(on: &str, tag: Option<&str>, charged: u64) -> Spend {
        Spend {
            day: Some(day(on)),
            tag: tag.map(str::to_owned),
            service: "core".into(),
            charged,
            not_charged: 0,
            credits: Decimal::from(charged * 3),
            usd: Decimal::from(charged * 3) / Decimal::ONE_HUNDRED,
        }
    }

    fn planned(name: &str, tags: &[&str], usd: &str, assets: u64) -> Planned {
        Planned {
            workload: name.into(),
            labels: std::iter::once(name)
                .chain(tags.iter().copied())
                .map(str::to_owned)
                .collect(),
            usd: Usd::new(d(usd)),
            assets,
        }
    }

    fn oct() -> Month {
        Month::parse("2026-10").unwrap()
    }

    #[test]
    fn each_workload_gets_the_calls_of_its_name_and_its_tags() {
        let plan = [
            planned("catalog", &[], "60", 2000),
            planned("avatars", &["profile"], "90", 3000),
            planned("video", &[], "10", 5),
        ];
        // 1,000 catalog calls ($30.00), 3,000 avatars and 1,000 profile calls ($120.00,
        // labels matched in any case), 10 untagged ($0.30) and 20 "beta" ($0.60):
        // $150.90 in all.
        let daily = [
            core("2026-10-01", Some("catalog"), 1000),
            core("2026-10-02", Some("avatars"), 3000),
            core("2026-10-31", Some("Profile"), 1000),
            core("2026-10-05", None, 10),
            core("2026-10-05", Some("beta"), 20),
        ];
        let span = Span {
            first: day("2026-10-01"),
            last: day("2026-10-31"),
        };
        let r = plan_vs_actual(&plan, &daily, oct(), span).unwrap();
        assert!(!r.partial);
        assert_eq!(r.against, Against::PlannedUsd);
        assert_eq!((r.days_covered, r.days_in_month), (31, 31));
        let [catalog, avatars, video] = r.lines.as_slice() else {
            panic!("{:?}", r.lines)
        };
        // catalog: $30.00 of $60.00, -$30.00, -50.00%.
        assert_eq!(catalog.actual_usd, Usd::new(d("30")));
        assert_eq!(catalog.variance_usd, Usd::new(d("-30")));
        assert_eq!(catalog.variance_pct.unwrap().get(), d("-50"));
        assert_eq!(catalog.pro_rata_usd, None);
        // avatars: 4,000 calls, $120.00 of $90.00: +$30.00, +33.33%.
        assert_eq!(avatars.actual_calls, 4000);
        assert_eq!(avatars.variance_usd, Usd::new(d("30")));
        assert_eq!(avatars.variance_pct.unwrap().get(), d("33.33"));
        assert_eq!(avatars.tags, ["avatars", "profile"]);
        // video made no calls: $0.00 actual, -$10.00.
        assert_eq!((video.actual_usd, video.actual_calls), (Usd::ZERO, 0));
        assert_eq!(video.variance_usd, Usd::new(d("-10")));
        // beta ($0.60) before the untagged calls ($0.30).
        assert_eq!(r.unplanned.tags, ["beta", NO_TAG]);
        assert_eq!(r.unplanned.actual_usd, Usd::new(d("0.9")));
        assert_eq!(r.unplanned.actual_calls, 30);
        // $160.00 planned, $150.90 spent: -$9.10, -5.6875% → -5.69%.
        assert_eq!(r.total.planned_usd, Usd::new(d("160")));
        assert_eq!(r.total.actual_usd, Usd::new(d("150.9")));
        assert_eq!(r.total.variance_usd, Usd::new(d("-9.1")));
        assert_eq!(r.total.variance_pct.unwrap().get(), d("-5.69"));
        assert_eq!(r.total.planned_assets, 5005);
        assert_eq!(r.total.actual_calls, 5030);
    }

    #[test]
    fn a_month_partly_in_the_log_is_planned_pro_rata_too() {
        let plan = [planned("catalog", &[], "60", 2000)];
        let daily = [
            core("2026-09-30", Some("catalog"), 7),
            core("2026-10-10", Some("catalog"), 100),
        ];
        let span = Span {
            first: day("2026-09-30"),
            last: day("2026-10-10"),
        };
        let r = plan_vs_actual(&plan, &daily, oct(), span).unwrap();
        assert!(r.partial);
        assert_eq!(r.against, Against::ProRataUsd);
        assert_eq!(r.days_covered, 10);
        // $60.00 × 10 / 31 = $19.3548… → $19.35.
        let line = &r.lines[0];
        assert_eq!(line.pro_rata_usd.unwrap().usd(), Usd::new(d("19.35")));
        // September's 7 calls are not October's: 100 calls, $3.00, -$16.35 against the
        // plan to date, -84.496…% → -84.50%.
        assert_eq!(line.actual_calls, 100);
        assert_eq!(r.outside_month, 7);
        assert_eq!(line.variance_usd, Usd::new(d("-16.35")));
        assert_eq!(line.variance_pct.unwrap().get(), d("-84.50"));
    }

    #[test]
    fn the_total_planned_to_date_is_the_sum_of_its_rows() {
        // The plan of examples/plan.toml over 10 of 31 days: $60.00 → $19.35 (19.354…),
        // $63.00 → $20.32 (20.322…), $90.00 → $29.03 (29.032…): $68.70 in all, where
        // $213.00 × 10 / 31 would round to $68.71 on its own.
        let plan = [
            planned("catalog", &[], "60", 2000),
            planned("marketing", &[], "63", 100),
            planned("avatars", &[], "90", 3000),
        ];
        let daily = [core("2026-10-10", Some("catalog"), 1000)];
        let span = Span {
            first: day("2026-10-01"),
            last: day("2026-10-10"),
        };
        let r = plan_vs_actual(&plan, &daily, oct(), span).unwrap();
        let to_date: Vec<Decimal> = r
            .lines
            .iter()
            .map(|l| l.pro_rata_usd.unwrap().usd().get())
            .collect();
        assert_eq!(to_date, [d("19.35"), d("20.32"), d("29.03")]);
        assert_eq!(r.total.pro_rata_usd.unwrap().usd(), Usd::new(d("68.70")));
        // $30.00 spent: +$10.65 on catalog, -$38.70 in all (-56.33%).
        assert_eq!(r.lines[0].variance_usd, Usd::new(d("10.65")));
        assert_eq!(r.total.variance_usd, Usd::new(d("-38.7")));
        assert_eq!(r.total.variance_pct.unwrap().get(), d("-56.33"));
    }

    #[test]
    fn the_month_must_overlap_the_log() {
        let span = Span {
            first: day("2026-09-20"),
            last: day("2026-10-10"),
        };
        assert_eq!(month_of(span, None).unwrap(), oct());
        assert_eq!(
            month_of(span, Some(Month::parse("2026-09").unwrap()))
                .unwrap()
                .to_string(),
            "2026-09"
        );
        let e = month_of(span, Some(Month::parse("2026-11").unwrap())).unwrap_err();
        assert!(e.message.contains("none in 2026-11"), "{}", e.message);
        assert!(month_of(span, Some(Month::parse("2026-08").unwrap())).is_err());
        assert_eq!(as_of(span, oct()), day("2026-10-10"));
        assert_eq!(
            as_of(span, Month::parse("2026-09").unwrap()),
            day("2026-09-30")
        );
    }

    #[test]
    fn quotients_are_rounded_once_half_to_even_from_the_exact_value() {
        // 213 × 10 / 31 = 68.709677… → 68.71; 1 / 8 = 0.125 → 0.12 (even), 3 / 8 =
        // 0.375 → 0.38 (even); 0.005 / 1 stays a half: → 0.00.
        assert_eq!(quotient(d("2130"), d("31"), 2), Some(d("68.71")));
        assert_eq!(quotient(d("1"), d("8"), 2), Some(d("0.12")));
        assert_eq!(quotient(d("3"), d("8"), 2), Some(d("0.38")));
        assert_eq!(quotient(d("0.005"), d("1"), 2), Some(d("0.00")));
        assert_eq!(quotient(d("-3"), d("8"), 2), Some(d("-0.38")));
        assert_eq!(quotient(d("21"), d("7"), 2), Some(d("3")));
        assert_eq!(quotient(d("1"), Decimal::ZERO, 2), None);
        // Two decimals of credits: 2,100 / 7 = 300; 1,000 / 3 = 333.333… → 333.33.
        assert_eq!(quotient(d("2100"), d("7"), 2), Some(d("300")));
        assert_eq!(quotient(d("1000"), d("3"), 2), Some(d("333.33")));
    }
}

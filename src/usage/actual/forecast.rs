//! Where a month in progress is heading (README, "Are we on plan?"): the month-end
//! forecast, month-to-date plus the run rate of the last days times the days left, and
//! the runway of a prepaid credit balance at that rate. Both read the same window: the
//! last `N` days up to the month's last day in the log (never before the log's first
//! day). Fewer than [`MIN_HISTORY`] of them with calls give no rate at all: a forecast
//! from two days is noise.
//!
//! The only divisions are the rate and what follows from it: each is computed from the
//! exact figures and rounded once, half-to-even, to cents (credits to two decimals);
//! whole days and packs are exact floors and ceilings.

use super::days::{Days, Span};
use super::quotient;
use crate::date::{Date, Month};
use crate::money::{self, Approx, Credits, Overflow, Usd};
use crate::rates::Billing;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Serialize, Serializer};

/// Days with calls a window needs before it gives a rate.
pub const MIN_HISTORY: u32 = 3;

/// The days the run rate is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: Date,
    /// The month's last day in the log: "today", as far as the log knows.
    pub last: Date,
    /// Days from `first` to `last`, inclusive.
    pub days: u32,
    pub days_with_calls: u32,
    /// What the window's charged calls cost.
    pub credits: Decimal,
    pub usd: Decimal,
}

impl Window {
    /// The last `n` days (at least 1) up to `month`'s last day in the log, from the
    /// log's first day at the earliest.
    pub fn new(days: &Days, span: Span, month: Month, n: u32) -> Result<Window, Overflow> {
        let last = super::as_of(span, month);
        let back = i64::from(n.max(1)) - 1;
        let first = Date::from_days(last.days() - back)
            .max(span.first)
            .min(last);
        let sum = days.sum(first, last)?;
        Ok(Window {
            first,
            last,
            days: u32::try_from(last.days() - first.days() + 1).unwrap_or(1),
            days_with_calls: days.with_calls(first, last),
            credits: sum.credits,
            usd: sum.usd,
        })
    }

    /// Whether the window has enough days with calls to give a rate.
    pub fn enough(&self) -> bool {
        self.days_with_calls >= MIN_HISTORY
    }
}

/// The month's end: exact once the month is over, else an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthEnd {
    /// The month is over in the log: its actual.
    Exact(Usd),
    /// To date plus the rate times the days left, rounded once to cents.
    Estimate(Approx),
}

impl MonthEnd {
    /// The figure, exact or rounded.
    pub fn usd(self) -> Usd {
        match self {
            MonthEnd::Exact(u) => u,
            MonthEnd::Estimate(a) => a.usd(),
        }
    }
}

impl Serialize for MonthEnd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.usd().serialize(s)
    }
}

/// The month-end forecast. JSON `forecast`: `as_of`, `to_date_usd`, `window_days`,
/// `days_with_calls`, `usd_per_day`, `days_left`, `month_end_usd`, `budget_usd`,
/// `over`, `actual_over`, `forecast_over`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub as_of: Date,
    /// The month's charged calls up to `as_of`.
    pub to_date_usd: Usd,
    pub window_days: u32,
    pub days_with_calls: u32,
    /// The window's spend a day, rounded once to cents; `None` without enough history.
    pub usd_per_day: Option<Approx>,
    /// Days of the month after `as_of`.
    pub days_left: u32,
    /// `None`: not enough history for a month still in progress.
    pub month_end_usd: Option<MonthEnd>,
    pub budget_usd: Option<Usd>,
    /// The actual or the forecast is over the budget (`None`: no budget).
    pub over: Option<bool>,
    pub actual_over: Option<bool>,
    /// `None` as well when there is no forecast.
    pub forecast_over: Option<bool>,
}

/// The forecast for `month`, read from `window`, against `budget`.
pub fn forecast(
    days: &Days,
    month: Month,
    window: &Window,
    budget: Option<Usd>,
) -> Result<Forecast, Overflow> {
    let as_of = window.last;
    let to_date = Usd::new(days.sum(month.first_day(), as_of)?.usd);
    let days_left = u32::try_from(month.last_day().days() - as_of.days()).unwrap_or(0);
    let wd = Decimal::from(window.days);
    let usd_per_day = window
        .enough()
        .then(|| quotient(window.usd, wd, 2).map(Approx::cents))
        .flatten();
    let month_end = if days_left == 0 {
        Some(MonthEnd::Exact(to_date))
    } else if window.enough() {
        // (to date × window days + window spend × days left) / window days, once.
        let ahead = money::mul(window.usd, Decimal::from(days_left))?;
        let whole = money::add(money::mul(to_date.get(), wd)?, ahead)?;
        quotient(whole, wd, 2).map(|q| MonthEnd::Estimate(Approx::cents(q)))
    } else {
        None
    };
    let actual_over = budget.map(|b| to_date > b);
    let forecast_over = budget.and_then(|b| month_end.map(|m| m.usd() > b));
    Ok(Forecast {
        as_of,
        to_date_usd: to_date,
        window_days: window.days,
        days_with_calls: window.days_with_calls,
        usd_per_day,
        days_left,
        month_end_usd: month_end,
        budget_usd: budget,
        over: actual_over.map(|a| a || forecast_over == Some(true)),
        actual_over,
        forecast_over,
    })
}

/// Credits a day, rounded once to two decimals: serialized as a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(pub Decimal);

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money::decimal_plain(self.0))
    }
}

/// How long a credit balance lasts at the window's burn rate. JSON `runway`:
/// `balance_credits`, `credits_per_day`, `days`, `runs_out_on`, `packs_to_month_end`,
/// `packs_usd`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runway {
    pub balance_credits: Credits,
    /// `None`: not enough history.
    pub credits_per_day: Option<Rate>,
    /// Whole days the balance lasts after the window's last day; `None` without a rate,
    /// or when the window spent nothing.
    pub days: Option<u64>,
    /// The day the last credit goes.
    pub runs_out_on: Option<Date>,
    /// Top-up packs to buy so that the balance lasts to the month's end.
    pub packs_to_month_end: Option<u64>,
    pub packs_usd: Option<Usd>,
}

/// `balance` credits burnt at `window`'s rate, to the end of `month`, bought in
/// `billing`'s packs.
pub fn runway(
    window: &Window,
    month: Month,
    balance: Decimal,
    billing: &Billing,
) -> Result<Runway, Overflow> {
    let mut r = Runway {
        balance_credits: Credits::new(balance),
        credits_per_day: None,
        days: None,
        runs_out_on: None,
        packs_to_month_end: None,
        packs_usd: None,
    };
    if !window.enough() {
        return Ok(r);
    }
    let (wc, wd) = (window.credits, Decimal::from(window.days));
    r.credits_per_day = quotient(wc, wd, 2).map(Rate);
    let left = Decimal::from(month.last_day().days() - window.last.days());
    // Credits for the days left beyond the balance, in packs: ⌈(wc × left / wd −
    // balance) / pack⌉ = ⌈(wc × left − balance × wd) / (pack × wd)⌉, exactly.
    let short = money::sub(money::mul(wc, left)?, money::mul(balance, wd)?)?;
    let packs = money::ceil_div(short, money::mul(billing.topup_credits, wd)?)?;
    r.packs_to_month_end = Some(packs.to_u64().ok_or(Overflow::TooLarge)?);
    r.packs_usd = Some(Usd::new(money::mul(packs, billing.topup_usd)?));
    if wc > Decimal::ZERO {
        // The balance lasts balance × wd / wc days; it is gone on the day that ends.
        let lasting = money::mul(balance, wd)?;
        let whole = money::floor_div(lasting, wc)?;
        let gone = money::ceil_div(lasting, wc)?;
        r.days = Some(whole.to_u64().ok_or(Overflow::TooLarge)?);
        r.runs_out_on = gone
            .to_i64()
            .and_then(|g| window.last.days().checked_add(g))
            .map(Date::from_days);
    }
    Ok(r)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{core, d, day};
    use super::*;
    use crate::usage::Spend;

    /// `per_day` Core calls a day, from `from` for `n` days.
    fn steady(from: &str, n: i64, per_day: u64) -> Vec<Spend> {
        (0..n)
            .map(|i| {
                let on = Date::from_days(day(from).days() + i).to_string();
                core(&on, Some("catalog"), per_day)
            })
            .collect()
    }

    fn oct() -> Month {
        Month::parse("2026-10").unwrap()
    }

    fn window(daily: &[Spend], n: u32) -> (Days, Window) {
        let days = Days::of(daily).unwrap();
        let span = Span::of(daily).unwrap();
        let w = Window::new(&days, span, oct(), n).unwrap();
        (days, w)
    }

    fn billing() -> Billing {
        crate::rates::RateCard::built_in().unwrap().billing
    }

    #[test]
    fn ten_days_of_100_core_calls_forecast_93_dollars() {
        // Oct 1–10, 100 Core calls a day: 300 credits, $3.00 a day. To date $30.00;
        // the last 7 days spent $21.00, $3.00 a day; 21 days left: 30 + 3 × 21 = $93.00.
        let daily = steady("2026-10-01", 10, 100);
        let (days, w) = window(&daily, 7);
        assert_eq!((w.first, w.last), (day("2026-10-04"), day("2026-10-10")));
        assert_eq!((w.days, w.days_with_calls), (7, 7));
        let f = forecast(&days, oct(), &w, Some(Usd::new(d("250")))).unwrap();
        assert_eq!(f.to_date_usd, Usd::new(d("30")));
        assert_eq!(f.usd_per_day.unwrap().usd(), Usd::new(d("3")));
        assert_eq!(f.days_left, 21);
        assert_eq!(
            f.month_end_usd,
            Some(MonthEnd::Estimate(Approx::cents(d("93"))))
        );
        assert_eq!(
            (f.over, f.actual_over, f.forecast_over),
            (Some(false), Some(false), Some(false))
        );
        // Against $90.00 the actual fits and the forecast does not.
        let f = forecast(&days, oct(), &w, Some(Usd::new(d("90")))).unwrap();
        assert_eq!(
            (f.over, f.actual_over, f.forecast_over),
            (Some(true), Some(false), Some(true))
        );

        // 3,000 credits at 300 a day: 10 days, gone on Oct 20; the 21 days left need
        // 6,300 credits, 3,300 more than the balance: 4 packs of 1,000 ($40.00).
        let r = runway(&w, oct(), d("3000"), &billing()).unwrap();
        assert_eq!(r.credits_per_day, Some(Rate(d("300"))));
        assert_eq!(r.days, Some(10));
        assert_eq!(r.runs_out_on, Some(day("2026-10-20")));
        assert_eq!(r.packs_to_month_end, Some(4));
        assert_eq!(r.packs_usd, Some(Usd::new(d("40"))));
    }

    #[test]
    fn a_balance_between_whole_days_runs_out_in_the_next_one() {
        // 1,000 credits at 300 a day: 3 whole days (3.33…), gone during the 4th, Oct 14.
        // 21 days need 6,300: 5,300 more, 6 packs. Enough for the month: none.
        let daily = steady("2026-10-01", 10, 100);
        let (_, w) = window(&daily, 7);
        let r = runway(&w, oct(), d("1000"), &billing()).unwrap();
        assert_eq!(r.days, Some(3));
        assert_eq!(r.runs_out_on, Some(day("2026-10-14")));
        assert_eq!(r.packs_to_month_end, Some(6));
        let r = runway(&w, oct(), d("6300"), &billing()).unwrap();
        assert_eq!(r.packs_to_month_end, Some(0));
        assert_eq!(r.days, Some(21));
    }

    #[test]
    fn two_days_of_calls_are_not_enough_history() {
        let daily = steady("2026-10-09", 2, 100);
        let (days, w) = window(&daily, 7);
        // The window starts at the log's first day: Oct 9–10.
        assert_eq!((w.days, w.days_with_calls), (2, 2));
        let f = forecast(&days, oct(), &w, Some(Usd::new(d("1")))).unwrap();
        assert_eq!(f.to_date_usd, Usd::new(d("6")));
        assert_eq!((f.usd_per_day, f.month_end_usd), (None, None));
        // The actual is over the $1.00 budget; there is no forecast to be over it.
        assert_eq!(
            (f.over, f.actual_over, f.forecast_over),
            (Some(true), Some(true), None)
        );
        let r = runway(&w, oct(), d("3000"), &billing()).unwrap();
        assert_eq!(
            (r.credits_per_day, r.days, r.packs_to_month_end),
            (None, None, None)
        );
    }

    #[test]
    fn a_complete_months_forecast_is_its_actual() {
        // 31 days of 7 calls ($0.21 a day): $6.51, exactly, whatever the window.
        let daily = steady("2026-10-01", 31, 7);
        for n in [1, 3, 7, 31] {
            let (days, w) = window(&daily, n);
            let f = forecast(&days, oct(), &w, None).unwrap();
            assert_eq!(f.days_left, 0);
            assert_eq!(f.month_end_usd, Some(MonthEnd::Exact(Usd::new(d("6.51")))));
            assert_eq!(f.over, None);
        }
    }

    #[test]
    fn the_window_counts_days_without_calls_too() {
        // Calls on Oct 1–3, none after, to a failed call on the 10th: the window of the
        // last 7 days (Oct 4–10) has no calls at all, and gives no rate.
        let mut daily = steady("2026-10-01", 3, 100);
        let mut failed = core("2026-10-10", None, 0);
        failed.not_charged = 1;
        daily.push(failed);
        let (_, w) = window(&daily, 7);
        assert_eq!((w.days_with_calls, w.days), (0, 7));
        // A window of 10 days holds the three: 900 credits over 10 days, 90 a day.
        let (_, w) = window(&daily, 10);
        let r = runway(&w, oct(), d("900"), &billing()).unwrap();
        assert_eq!(r.credits_per_day, Some(Rate(d("90"))));
        assert_eq!(r.days, Some(10));
    }
}

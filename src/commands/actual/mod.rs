//! `stabcost usage LOG… --plan PLAN`: the plan set against a month of the log, with the
//! month-end forecast, the runway of a credit balance and the spikes (README, "Are we
//! on plan?"). The figures are the domain's (`usage::actual`); this file picks the
//! cards, runs the log through `usage`, and puts the figures in words; `rows` lays
//! them out as the table's rows and the CSV's records.

mod figure;
mod rows;

use super::request::CardSource;
use super::usage::{self as plain, Logs, UsageReport};
use crate::cli::UsageArgs;
use crate::date::Month;
use crate::error::{UserError, UserResult};
use crate::money::{self, Credits, Usd};
use crate::plan::{Plan, PlanInfo};
use crate::rates::{Provenance, RateCard};
use crate::report::{Cell, Column, Outcome, Report, Rows, Shrink};
use crate::usage::Pricing;
use crate::usage::actual::{
    self, Days, Forecast, MonthEnd, PlanVsActual, Runway, Span, Spike, Window,
};
use rust_decimal::Decimal;
use serde::Serialize;

/// The forecast's window unless `--window` says.
const WINDOW: u32 = 7;
/// Unplanned tags the table and Markdown list (JSON lists them all).
const TAGS_SHOWN: usize = 5;

/// The report: the priced log as `usage` reports it (JSON `group_by`, `lines`, `total`,
/// `records`, …), the plan, `plan_month`, `plan_vs_actual`, `forecast`, `runway` and
/// `spikes`.
#[derive(Debug, Serialize)]
pub(super) struct ActualReport {
    #[serde(flatten)]
    usage: UsageReport,
    plan: PlanInfo,
    /// The plan's month the report's month is: 1 is the plan as written, counted from
    /// its `start`.
    plan_month: u32,
    plan_vs_actual: PlanVsActual,
    forecast: Forecast,
    runway: Option<Runway>,
    spikes: Vec<Spike>,
    #[serde(skip)]
    spike_factor: Decimal,
    #[serde(skip)]
    fail_if_over: bool,
    #[serde(skip)]
    grows: bool,
    #[serde(skip)]
    start: Option<Month>,
    /// `--window`, or its default: the window is shorter when the log is.
    #[serde(skip)]
    window_asked: u32,
    /// The days the forecast's rate is read from.
    #[serde(skip)]
    window: Window,
    /// The month's figure for the page (`--format html`).
    #[serde(skip)]
    figure: Option<crate::report::figure::Figure>,
}

/// The one card that prices the log and the plan, when one is fixed: `--rates` or
/// `--as-of`, else the plan's `rates`, else `STABCOST_RATES` (as for `stabcost plan`).
/// `None`: each call by the built-in card in force on its day, the plan by the one in
/// force on the month's first day.
fn fixed_card(source: &CardSource, plan: &Plan) -> UserResult<Option<RateCard>> {
    match (source, &plan.rates) {
        (CardSource::BuiltIn, None) => Ok(None),
        _ => source.for_plan(plan).map(Some),
    }
}

pub(super) fn run(
    source: &CardSource,
    args: &UsageArgs,
    plan_arg: &str,
) -> anyhow::Result<ActualReport> {
    if plan_arg == "-" && (args.logs.is_empty() || args.logs.iter().any(|l| l == "-")) {
        return Err(
            UserError::new("standard input can hold the plan or the log, not both")
                .hint("name the plan's file (--plan plan.toml), or the log's")
                .into(),
        );
    }
    run_plan(source, args, &Plan::read(plan_arg)?, Logs::Named)
}

/// `usage --plan` with the plan already read (a front end's upload), on `logs`.
pub(super) fn run_plan(
    source: &CardSource,
    args: &UsageArgs,
    plan: &Plan,
    logs: Logs<'_>,
) -> anyhow::Result<ActualReport> {
    let fixed = fixed_card(source, plan)?;
    // Every problem of the plan is reported before a long log is read.
    match &fixed {
        Some(card) => plan.compile(card).map(drop)?,
        None => plan.compile(&RateCard::built_in()?).map(drop)?,
    }
    if let Some(month) = args.actual.month {
        actual::plan_month(plan, month)?;
    }
    let budget = args.actual.budget.or(plan.budget_usd);
    if args.actual.fail_if_over && budget.is_none() {
        return Err(
            UserError::new("--fail-if-over needs a budget to compare with")
                .hint("add budget-usd = \"250\" to the plan, or give --budget 250")
                .into(),
        );
    }
    let pricing = match &fixed {
        Some(card) => Pricing::Fixed(Box::new(card.clone())),
        None => Pricing::ByDay(crate::rates::all_built_in()?),
    };
    let usage = plain::read(args, pricing, true, logs)?;
    let daily = &usage.usage.daily;
    let span = Span::of(daily).ok_or_else(|| {
        UserError::new(
            "the log has no call with a time: none falls in a month to set against the plan",
        )
        .hint("each record needs a time (ts, timestamp, time or created_at)")
    })?;
    let month = actual::month_of(span, args.actual.month)?;
    let card = match fixed {
        Some(card) => card,
        None => RateCard::built_in_as_of(month.first_day())?,
    };
    let planned = actual::planned(plan, &card, month)?;
    let too_large = UserError::from;
    let plan_vs_actual = actual::plan_vs_actual(&planned, daily, month, span).map_err(too_large)?;
    let days = Days::of(daily).map_err(too_large)?;
    let window_asked = args.actual.window.unwrap_or(WINDOW);
    let window = Window::new(&days, span, month, window_asked).map_err(too_large)?;
    let forecast =
        actual::forecast(&days, month, &window, budget.map(Usd::new)).map_err(too_large)?;
    let runway = args
        .actual
        .balance
        .map(|b| actual::runway(&window, month, b, &card.billing))
        .transpose()
        .map_err(too_large)?;
    let spike_factor = args.actual.spike_factor.unwrap_or(actual::SPIKE_FACTOR);
    let within = Some((month.first_day(), month.last_day()));
    let spikes = actual::spikes(daily, &days, spike_factor, within).map_err(too_large)?;
    let mut report = ActualReport {
        usage,
        plan: plan.info(),
        plan_month: actual::plan_month(plan, month)?,
        plan_vs_actual,
        forecast,
        runway,
        spikes,
        spike_factor,
        fail_if_over: args.actual.fail_if_over,
        grows: plan.workloads.iter().any(|w| w.growth.is_some()),
        start: plan.start,
        window_asked,
        window,
        figure: None,
    };
    report.figure = report.spend_figure(&days);
    Ok(report)
}

/// `5 credits` and its plural.
fn credits(c: Decimal) -> String {
    let n = Credits::new(c);
    if c == Decimal::ONE {
        format!("{n} credit")
    } else {
        format!("{n} credits")
    }
}

impl ActualReport {
    fn pva(&self) -> &PlanVsActual {
        &self.plan_vs_actual
    }

    /// What the window is, in words: `the last 7 days`, or, when the log is shorter,
    /// `the 5 days since 2026-10-06, the log's first`.
    fn window_words(&self) -> String {
        let f = &self.forecast;
        if f.window_days >= self.window_asked {
            return format!("the last {} days", f.window_days);
        }
        let first = crate::date::Date::from_days(f.as_of.days() - i64::from(f.window_days) + 1);
        format!(
            "the {} since {first}, the log's first",
            money::count_of(u64::from(f.window_days), "day")
        )
    }

    /// Why there is no rate: too few days with calls.
    fn no_history(&self) -> String {
        let f = &self.forecast;
        format!(
            "not enough history: calls on {} of {}, and a rate takes {}",
            f.days_with_calls,
            self.window_words(),
            actual::MIN_HISTORY
        )
    }

    fn forecast_line(&self) -> Option<String> {
        let f = &self.forecast;
        if f.days_left == 0 {
            return None;
        }
        let end = self.pva().month.last_day();
        Some(match (f.month_end_usd, f.usd_per_day) {
            (Some(MonthEnd::Estimate(e)), Some(rate)) => format!(
                "forecast: {e} by {end} ({} planned): {} to date + {rate} a day ({}) × {} days left",
                self.pva().total.planned_usd,
                f.to_date_usd,
                self.window_words(),
                f.days_left
            ),
            _ => format!("forecast: {}", self.no_history()),
        })
    }

    fn budget_line(&self) -> Option<String> {
        let f = &self.forecast;
        let budget = f.budget_usd?;
        let left = |spent: Usd| match budget.checked_sub(spent) {
            Ok(l) if l.get() >= Decimal::ZERO => format!("{l} left"),
            Ok(l) => format!("over by {}", Usd::new(-l.get())),
            Err(_) => String::new(),
        };
        let used = money::Percent::of(f.to_date_usd.get(), budget.get())
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        if f.days_left == 0 {
            return Some(format!(
                "budget {budget}: {} spent{used}, {}",
                f.to_date_usd,
                left(f.to_date_usd)
            ));
        }
        let ahead = match f.month_end_usd {
            Some(m) if f.forecast_over == Some(true) => {
                format!("the forecast ≈ {} is over it by ≈ {}", m.usd(), {
                    Usd::new(money::sub(m.usd().get(), budget.get()).unwrap_or_default())
                })
            }
            Some(m) => format!("the forecast ≈ {} is within it", m.usd()),
            None => "no forecast yet".to_owned(),
        };
        Some(format!(
            "budget {budget}: {} spent to date{used}, {}; {ahead}",
            f.to_date_usd,
            left(f.to_date_usd)
        ))
    }

    fn runway_line(&self) -> Option<String> {
        let r = self.runway.as_ref()?;
        let balance = credits(r.balance_credits.get());
        let Some(rate) = r.credits_per_day else {
            return Some(format!("runway: {balance}: {}", self.no_history()));
        };
        let end = self.pva().month.last_day();
        let packs = match (r.packs_to_month_end, r.packs_usd) {
            (Some(0), _) => format!("enough to {end}"),
            (Some(n), Some(usd)) => format!(
                "{} ({usd}) to last to {end}",
                money::count_of(n, "top-up pack")
            ),
            _ => String::new(),
        };
        Some(match (r.days, r.runs_out_on) {
            (Some(days), Some(on)) => format!(
                "runway: {balance} last {} at ≈ {} a day ({}): gone on {on}; {packs}",
                money::count_of(days, "day"),
                credits(rate.0),
                self.window_words()
            ),
            _ => format!(
                "runway: {balance}: {} spent no credits; {packs}",
                self.window_words()
            ),
        })
    }

    /// The unplanned row's tags, the first few.
    fn unplanned_tags(&self) -> String {
        let tags = &self.pva().unplanned.tags;
        let shown = tags.iter().take(TAGS_SHOWN).cloned().collect::<Vec<_>>();
        let more = tags.len().saturating_sub(TAGS_SHOWN);
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    }
}

impl Report for ActualReport {
    fn command(&self) -> &'static str {
        "usage"
    }

    fn rate_card(&self) -> &Provenance {
        &self.usage.card
    }

    fn title(&self) -> Option<String> {
        Some(self.headline())
    }

    fn figure(&self) -> Option<crate::report::figure::Figure> {
        self.figure.clone()
    }

    fn columns(&self) -> Vec<Column> {
        let partial = self.pva().partial;
        let mut cols = vec![
            Column::text("Workload", "workload"),
            Column::text("Tags", "tags").shrink(Shrink::Cut { rank: 1, min: 12 }),
            Column::number("Planned", "planned_usd"),
        ];
        if partial {
            cols.push(Column::number("Planned to date", "pro_rata_usd"));
        }
        let (variance, percent) = if partial {
            ("Variance to date", "Variance to date %")
        } else {
            ("Variance", "Variance %")
        };
        cols.extend([
            Column::number("Actual", "actual_usd"),
            Column::number(variance, "variance_usd"),
            Column::number(percent, "variance_pct"),
            Column::number("Planned assets", "planned_assets"),
            Column::number("Calls", "actual_calls"),
        ]);
        cols
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.table_rows())
    }

    fn total(&self) -> Option<Vec<Cell>> {
        Some(self.total_row())
    }

    fn records(&self) -> Option<(Vec<Column>, Rows<'_>)> {
        Some(self.csv_records())
    }

    fn summary(&self) -> Vec<String> {
        let mut lines: Vec<String> = [self.budget_line(), self.forecast_line(), self.runway_line()]
            .into_iter()
            .flatten()
            .collect();
        if self.spikes.is_empty() {
            lines.push(format!(
                "spikes: none (no day above {}× the median of the {} days before it)",
                money::decimal_display(self.spike_factor),
                actual::BEFORE
            ));
        }
        lines.extend(self.spikes.iter().map(Spike::line));
        lines.extend(self.usage.summary());
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.note_lines()
    }

    fn warnings(&self) -> Vec<String> {
        self.usage.warnings()
    }

    fn outcome(&self) -> Outcome {
        match self.usage.outcome() {
            Outcome::Success if self.fail_if_over && self.forecast.over == Some(true) => {
                Outcome::GateTripped
            }
            other => other,
        }
    }
}

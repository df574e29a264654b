//! `stabcost plan FILE`: a monthly plan of several workloads priced against a budget,
//! or forecast month by month with each workload's growth.

use super::footer::{self, Purchase};
use super::request;
use crate::engine::{FreeCredits, Step};
use crate::error::{UserError, UserResult};
use crate::money::{self, Amount, Credits, Percent, Usd};
use crate::plan::price::{self, PricedPlan};
use crate::plan::{Plan, PlanInfo};
use crate::rates::{Provenance, RateCard};
use crate::report::figure::{Columns, Figure, Limit, Unit};
use crate::report::{Cell, Column, Outcome, Report, Rows, Shrink};
use rust_decimal::Decimal;
use serde::Serialize;

/// The plan priced: JSON `plan`, `lines`, `total`, `budget`, `topups`, and with
/// `--months` a `months` array.
#[derive(Debug, Serialize)]
pub(super) struct PlanReport<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    plan: PlanInfo,
    lines: Vec<PlanLine>,
    total: Amount,
    budget: Option<Budget>,
    #[serde(flatten)]
    purchase: Purchase,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<Month>>,
    /// With `--months`: every forecast month together (what `topups` buys for), where
    /// `total` is one month's.
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast_total: Option<ForecastTotal>,
    notes: Vec<String>,
    #[serde(skip)]
    outcome: Outcome,
}

/// One workload a month.
#[derive(Debug, Serialize)]
struct PlanLine {
    workload: String,
    pipeline: String,
    assets: u64,
    per_asset: Amount,
    credits: Credits,
    usd: Usd,
    /// Its part of the month's total, rounded once to two decimals.
    share: Option<Percent>,
    /// Month-over-month growth, in percent (`"10"`), when it has one.
    #[serde(rename = "growth_percent", serialize_with = "serialize_growth")]
    growth: Option<Decimal>,
}

#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with hands over a reference to the field"
)]
fn serialize_growth<S: serde::Serializer>(g: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match g {
        Some(rate) => s.serialize_str(&crate::plan::growth_percent(*rate)),
        None => s.serialize_none(),
    }
}

/// The month against the budget.
#[derive(Debug, Serialize)]
struct Budget {
    usd: Usd,
    /// The month's total (the highest month's, with `--months`).
    used_usd: Usd,
    /// `usd - used_usd`: negative when over.
    left_usd: Usd,
    used_percent: Option<Percent>,
    over: bool,
    /// With `--months`: the months whose total is over the budget.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    months_over: Vec<u32>,
}

/// One forecast month.
#[derive(Debug, Serialize)]
#[allow(
    clippy::struct_field_names,
    reason = "`month` is the JSON key docs/formats.md names"
)]
struct Month {
    month: u32,
    lines: Vec<MonthLine>,
    /// The month's assets, every workload together.
    assets: u128,
    total: Amount,
    /// The total of this month and every month before it.
    cumulative: Amount,
}

/// The whole forecast: its months' assets and totals added up.
#[derive(Debug, Serialize)]
struct ForecastTotal {
    months: u32,
    assets: u128,
    credits: Credits,
    usd: Usd,
}

#[derive(Debug, Serialize)]
struct MonthLine {
    workload: String,
    assets: u64,
    credits: Credits,
    usd: Usd,
}

pub(super) fn run<'c>(
    card: &'c RateCard,
    plan: &Plan,
    args: &request::PlanOptions,
) -> UserResult<PlanReport<'c>> {
    let steps = plan.compile(card)?;
    let first = price::price(plan, card, &steps, 1)?;
    let budget_usd = args.budget.or(plan.budget_usd);
    if args.fail_if_over && budget_usd.is_none() {
        return Err(
            UserError::new("--fail-if-over needs a budget to compare with")
                .hint("add budget-usd = \"250\" to the plan, or give --budget 250"),
        );
    }

    let (months, forecast_total) = match args.months {
        Some(n) => {
            let (months, total) = forecast(plan, card, &steps, n)?;
            (Some(months), Some(total))
        }
        None => (None, None),
    };

    // The budget is for a month: the month's total, or each forecast month's.
    let budget = budget_usd
        .map(|limit| -> UserResult<Budget> {
            let totals: Vec<(u32, Usd)> = match &months {
                Some(ms) => ms.iter().map(|m| (m.month, m.total.usd)).collect(),
                None => vec![(1, first.total.usd)],
            };
            let used = totals.iter().map(|t| t.1).max().unwrap_or(Usd::ZERO);
            let months_over: Vec<u32> = totals
                .iter()
                .filter(|t| t.1.get() > limit)
                .map(|t| t.0)
                .collect();
            Ok(Budget {
                usd: Usd::new(limit),
                used_usd: used,
                left_usd: Usd::new(limit).checked_sub(used)?,
                used_percent: Percent::of(used.get(), limit),
                over: used.get() > limit,
                months_over: if args.months.is_some() {
                    months_over
                } else {
                    Vec::new()
                },
            })
        })
        .transpose()?;

    let bill = match &months {
        Some(ms) => ms.last().map_or(Amount::ZERO, |m| m.cumulative),
        None => first.total,
    };
    let purchase = Purchase::new(&card.billing, bill.credits, FreeCredits::None)?;

    let mut notes = Vec::new();
    let calls = first.generation_calls()?;
    if let Some(note) = footer::volume_note(&card.billing, calls) {
        notes.push(format!(
            "this plan makes {} generation calls a month; {note}",
            money::decimal_display(calls)
        ));
    }

    let grows = plan.workloads.iter().any(|w| w.growth.is_some());
    match (&months, grows) {
        (Some(_), true) => notes.push(
            "a grown volume is rounded once, half-to-even, to whole assets; everything else is exact"
                .into(),
        ),
        (None, true) => notes.push(
            "growth applies to forecasts: add --months N to grow the volumes month by month".into(),
        ),
        _ => {}
    }
    let outcome = if args.fail_if_over && budget.as_ref().is_some_and(|b| b.over) {
        Outcome::GateTripped
    } else {
        Outcome::Success
    };
    Ok(PlanReport {
        card,
        plan: plan.info(),
        lines: lines(&first),
        total: first.total,
        budget,
        purchase,
        months,
        forecast_total,
        notes,
        outcome,
    })
}

/// The plan month by month for `n` months, and the forecast's total.
fn forecast<'c>(
    plan: &Plan,
    card: &'c RateCard,
    steps: &[Vec<Step<'c>>],
    n: u32,
) -> UserResult<(Vec<Month>, ForecastTotal)> {
    let mut months = Vec::with_capacity(n as usize);
    let mut cumulative = Amount::ZERO;
    for m in 1..=n {
        let priced = price::price(plan, card, steps, m)?;
        cumulative = cumulative.checked_add(priced.total)?;
        months.push(month(&priced, cumulative)?);
    }
    let total = ForecastTotal {
        months: n,
        assets: checked_count(months.iter().map(|m| m.assets))?,
        credits: cumulative.credits,
        usd: cumulative.usd,
    };
    Ok((months, total))
}

/// A sum of counts that is an error, never a wrapped number, when it does not fit.
fn checked_count(counts: impl IntoIterator<Item = impl Into<u128>>) -> UserResult<u128> {
    counts
        .into_iter()
        .try_fold(0u128, |sum, n| sum.checked_add(n.into()))
        .ok_or_else(|| UserError::new("the forecast's assets are more than stabcost can count"))
}

fn lines(priced: &PricedPlan<'_, '_>) -> Vec<PlanLine> {
    priced
        .workloads
        .iter()
        .map(|w| PlanLine {
            workload: w.workload.name.clone(),
            pipeline: w.workload.pipeline.to_string(),
            assets: w.assets,
            per_asset: w.priced.per_asset,
            credits: w.priced.total.credits,
            usd: w.priced.total.usd,
            share: Percent::of(w.priced.total.usd.get(), priced.total.usd.get()),
            growth: w.workload.growth,
        })
        .collect()
}

fn month(priced: &PricedPlan<'_, '_>, cumulative: Amount) -> UserResult<Month> {
    Ok(Month {
        month: priced.month,
        assets: checked_count(priced.workloads.iter().map(|w| w.assets))?,
        lines: priced
            .workloads
            .iter()
            .map(|w| MonthLine {
                workload: w.workload.name.clone(),
                assets: w.assets,
                credits: w.priced.total.credits,
                usd: w.priced.total.usd,
            })
            .collect(),
        total: priced.total,
        cumulative,
    })
}

/// A workload's share of the month, rounded once; a share that rounds to nothing but is
/// not nothing says so (`<0.01%`).
fn share_cell(share: Option<Percent>, usd: Usd) -> Cell {
    match share {
        Some(p) if p.get().is_zero() && !usd.is_zero() => Cell::Word {
            text: "<0.01%".into(),
            value: p.plain(),
        },
        Some(p) => Cell::Percent(p),
        None => Cell::Empty,
    }
}

impl PlanReport<'_> {
    /// The budget in words: `budget $250.00: $213.00 used (85.20%), $37.00 left`.
    fn budget_line(&self) -> Option<String> {
        let b = self.budget.as_ref()?;
        let percent = b
            .used_percent
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let rest = if b.over {
            let over = Usd::new(-b.left_usd.get());
            format!("over budget by {over}")
        } else {
            format!("{} left", b.left_usd)
        };
        Some(match &self.months {
            None => format!("budget {}: {} used{percent}, {rest}", b.usd, b.used_usd),
            Some(_) if b.months_over.is_empty() => format!(
                "budget {} a month: every month within it; the highest is {}{percent}, {rest}",
                b.usd, b.used_usd
            ),
            Some(_) => format!(
                "budget {} a month: over in {} {}; the highest is {}{percent}, {rest}",
                b.usd,
                if b.months_over.len() == 1 {
                    "month"
                } else {
                    "months"
                },
                b.months_over
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                b.used_usd
            ),
        })
    }
}

impl Report for PlanReport<'_> {
    fn command(&self) -> &'static str {
        "plan"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        if self.months.is_some() {
            return vec![
                Column::number("Month", "month"),
                Column::number("Assets", "assets"),
                Column::number("Credits", "credits"),
                Column::number("USD", "usd"),
                Column::number("Cumulative USD", "cumulative_usd"),
            ];
        }
        vec![
            Column::text("Workload", "workload"),
            Column::text("Pipeline", "pipeline").shrink(Shrink::Wrap { rank: 1, min: 16 }),
            Column::number("Assets a month", "assets"),
            Column::number("Credits per asset", "per_asset_credits"),
            Column::number("USD per asset", "per_asset_usd"),
            Column::number("Credits a month", "credits"),
            Column::number("USD a month", "usd"),
            Column::number("Share", "share"),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        if let Some(months) = &self.months {
            return Box::new(months.iter().map(|m| {
                vec![
                    Cell::count(u64::from(m.month)),
                    Cell::Count(m.assets),
                    Cell::Credits(m.total.credits),
                    Cell::Usd(m.total.usd),
                    Cell::Usd(m.cumulative.usd),
                ]
            }));
        }
        Box::new(self.lines.iter().map(|l| {
            vec![
                Cell::Text(l.workload.clone()),
                Cell::Text(l.pipeline.clone()),
                Cell::count(l.assets),
                Cell::Credits(l.per_asset.credits),
                Cell::Usd(l.per_asset.usd),
                Cell::Credits(l.credits),
                Cell::Usd(l.usd),
                share_cell(l.share, l.usd),
            ]
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        if let Some(f) = &self.forecast_total {
            return Some(vec![
                Cell::Total,
                Cell::Count(f.assets),
                Cell::Credits(f.credits),
                Cell::Usd(f.usd),
                Cell::Empty,
            ]);
        }
        // Shares are each rounded, so their sum need not be 100.00%: the total row does
        // not claim one.
        Some(vec![
            Cell::Total,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Credits(self.total.credits),
            Cell::Usd(self.total.usd),
            Cell::Empty,
        ])
    }

    fn records(&self) -> Option<(Vec<Column>, Rows<'_>)> {
        let months = self.months.as_ref()?;
        let columns = vec![
            Column::number("Month", "month"),
            Column::text("Workload", "workload"),
            Column::number("Assets", "assets"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
            Column::number("Cumulative USD", "cumulative_usd"),
        ];
        let rows = months.iter().flat_map(|m| {
            let month = u64::from(m.month);
            m.lines
                .iter()
                .map(move |l| {
                    vec![
                        Cell::count(month),
                        Cell::Text(l.workload.clone()),
                        Cell::count(l.assets),
                        Cell::Credits(l.credits),
                        Cell::Usd(l.usd),
                        Cell::Empty,
                    ]
                })
                .chain(std::iter::once(vec![
                    Cell::count(month),
                    Cell::Total,
                    Cell::Count(m.assets),
                    Cell::Credits(m.total.credits),
                    Cell::Usd(m.total.usd),
                    Cell::Usd(m.cumulative.usd),
                ]))
        });
        Some((columns, Box::new(rows)))
    }

    fn figure(&self) -> Option<Figure> {
        let months = self.months.as_ref()?;
        let labels: Vec<String> = months.iter().map(|m| m.month.to_string()).collect();
        let points = months.iter().zip(&labels).flat_map(|(m, label)| {
            m.lines
                .iter()
                .map(move |l| (label.as_str(), l.workload.as_str(), l.usd.get()))
        });
        let mut columns = Columns::from_points(
            "Dollars each month, by workload".into(),
            Unit::Usd,
            "month".into(),
            points,
        )?;
        columns.limit = self.budget.as_ref().map(|b| Limit {
            label: "budget".into(),
            value: b.usd.get(),
        });
        Some(Figure::Columns(columns))
    }

    fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        lines.push(match &self.forecast_total {
            None => format!(
                "{}: {} a month ({} credits) for {}",
                self.plan.name,
                self.total.usd,
                self.total.credits,
                money::count_of(self.lines.len() as u64, "workload")
            ),
            Some(f) => format!(
                "{}: {} over {} ({} credits), each workload grown by its growth",
                self.plan.name,
                f.usd,
                money::count_of(u64::from(f.months), "month"),
                f.credits,
            ),
        });
        lines.extend(self.budget_line());
        let period = if self.months.is_some() {
            " for the whole forecast"
        } else {
            " a month"
        };
        lines.extend(self.purchase.lines_for(period));
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    fn outcome(&self) -> Outcome {
        self.outcome
    }
}

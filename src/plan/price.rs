//! A plan priced against a card for one month: every workload's pipeline at its volume
//! that month, and the plan's total.

use super::{Plan, Workload, growth};
use crate::engine::{self, Priced, Step, Workload as EngineWorkload};
use crate::error::UserResult;
use crate::money::{self, Amount};
use crate::rates::{Category, RateCard};
use crate::text::echo;
use rust_decimal::Decimal;

/// One workload priced for a month.
#[derive(Debug, Clone)]
pub struct PricedWorkload<'p, 'c> {
    pub workload: &'p Workload,
    /// Assets that month: the workload's volume, grown by month `month`.
    pub assets: u64,
    pub priced: Priced<'c>,
}

/// A plan priced for one month (1 is the plan as written).
#[derive(Debug, Clone)]
pub struct PricedPlan<'p, 'c> {
    pub month: u32,
    pub workloads: Vec<PricedWorkload<'p, 'c>>,
    /// The sum of the workloads' totals.
    pub total: Amount,
}

/// Prices `plan` (whose pipelines, resolved against `card`, are `steps`) for `month`.
pub fn price<'p, 'c>(
    plan: &'p Plan,
    card: &'c RateCard,
    steps: &[Vec<Step<'c>>],
    month: u32,
) -> UserResult<PricedPlan<'p, 'c>> {
    let mut workloads = Vec::with_capacity(plan.workloads.len());
    for (w, steps) in plan.workloads.iter().zip(steps) {
        // Reading refused a users × per-user that does not fit.
        let base = w.volume.assets()?;
        let assets = match w.growth {
            Some(rate) => growth::grown(base, rate, month).map_err(|_| {
                plan.figure_error(
                    w.growth_at.unwrap_or(w.volume_at),
                    format!(
                        "workload '{}': its volume in month {month}, grown by {}% a month, is more assets than stabcost can count",
                        echo(&w.name),
                        super::growth_percent(rate)
                    ),
                    vec!["forecast fewer months (--months), or lower the workload's growth or volume".into()],
                )
            })?,
            None => base,
        };
        let priced = engine::price(
            &card.billing,
            &EngineWorkload {
                steps: steps.clone(),
                count: assets,
            },
        )
        .map_err(|e| {
            let when = if month > 1 {
                format!(" in month {month}")
            } else {
                String::new()
            };
            let hints = if e.is_overflow() {
                vec!["lower the workload's volume (per-month, or users × per-user) or the multipliers in its pipeline".into()]
            } else {
                e.hints.clone()
            };
            plan.figure_error(
                w.volume_at,
                format!(
                    "workload '{}'{when}: {} assets of {}: {}",
                    echo(&w.name),
                    money::count_display(assets),
                    echo(&w.expression),
                    e.message
                ),
                hints,
            )
        })?;
        workloads.push(PricedWorkload {
            workload: w,
            assets,
            priced,
        });
    }
    let total = Amount::sum(workloads.iter().map(|w| w.priced.total))?;
    Ok(PricedPlan {
        month,
        workloads,
        total,
    })
}

impl PricedPlan<'_, '_> {
    /// Generation calls this month, over every workload (`assets × multiplier` of each
    /// generation step): what the card's volume-pricing threshold counts.
    pub fn generation_calls(&self) -> Result<Decimal, money::Overflow> {
        let mut calls = Decimal::ZERO;
        for w in &self.workloads {
            for line in &w.priced.lines {
                if line.service.category == Category::Generate {
                    let n = money::mul(line.multiplier, Decimal::from(w.assets))?;
                    calls = money::add(calls, n)?;
                }
            }
        }
        Ok(calls)
    }
}

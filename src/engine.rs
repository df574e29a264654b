//! Pure pricing: a rate card and a workload in, priced lines and totals out.
//!
//! A [`Workload`] is a pipeline of steps (service, optional step count, multiplier)
//! applied to a number of assets. `quote` is a one-step workload, `workflow` a many-step
//! one, and `compare` prices the same workload once per generation model. Every operation
//! is exact (see [`crate::money`]); totals are sums of the lines they stand under.

use crate::error::{UserError, UserResult};
use crate::money::{self, Overflow};
use crate::rates::{Billing, RateCard, Service};
use rust_decimal::Decimal;

/// One step of a pipeline: `multiplier` calls of `service` per asset.
#[derive(Debug, Clone, Copy)]
pub struct Step<'c> {
    pub service: &'c Service,
    /// Diffusion steps, for a step-scaled service; `None` means the service's default.
    pub steps: Option<u32>,
    pub multiplier: Decimal,
}

impl<'c> Step<'c> {
    /// One call of `service` per asset.
    pub fn once(service: &'c Service, steps: Option<u32>) -> Self {
        Step {
            service,
            steps,
            multiplier: Decimal::ONE,
        }
    }
}

/// A pipeline applied to `count` assets.
#[derive(Debug, Clone)]
pub struct Workload<'c> {
    pub steps: Vec<Step<'c>>,
    pub count: u64,
}

/// A priced step.
#[derive(Debug, Clone)]
pub struct Line<'c> {
    pub service: &'c Service,
    /// The step count priced, for step-scaled services.
    pub steps: Option<u32>,
    pub multiplier: Decimal,
    /// Credits for one call.
    pub credits_each: Decimal,
    /// Credits per asset: `credits_each × multiplier`.
    pub per_asset: Decimal,
    /// Credits for all assets: `per_asset × count`.
    pub credits: Decimal,
}

/// A priced workload.
#[derive(Debug, Clone)]
pub struct Priced<'c> {
    pub lines: Vec<Line<'c>>,
    pub count: u64,
    /// Sum of the lines' `per_asset`.
    pub per_asset: Decimal,
    /// Sum of the lines' `credits`.
    pub credits: Decimal,
}

/// Credits for one call of `service`, with the step count priced (step-scaled services
/// only; `None` takes the service's default).
pub fn unit_price(service: &Service, steps: Option<u32>) -> UserResult<(Decimal, Option<u32>)> {
    let Some(credits) = service.credits else {
        return Err(UserError::new(format!(
            "'{}' has no price on this card",
            service.id
        )));
    };
    let Some(pricing) = service.steps else {
        return match steps {
            None => Ok((credits, None)),
            Some(_) => Err(UserError::new(format!(
                "'{}' is not priced by steps; its price is the same at any step count",
                service.id
            ))
            .hint("only step-scaled services (such as 'sdxl') take a step count")),
        };
    };
    let n = steps.unwrap_or(pricing.default);
    if !(pricing.min..=pricing.max).contains(&n) {
        return Err(UserError::new(format!(
            "'{}' takes {} to {} steps, not {n}",
            service.id, pricing.min, pricing.max
        )));
    }
    if n <= pricing.included {
        return Ok((credits, Some(n)));
    }
    let scaled = money::mul(credits, Decimal::from(n))?;
    let price = money::div_exact(scaled, Decimal::from(pricing.included)).ok_or_else(|| {
        UserError::new(format!(
            "the price of '{}' at {n} steps ({} × {n} / {}) is not an exact number of credits",
            service.id,
            money::credits_plain(credits),
            pricing.included
        ))
        .hint("stabcost never rounds a price; pick a step count that divides evenly")
    })?;
    Ok((price, Some(n)))
}

/// Prices every step of `workload`.
pub fn price<'c>(workload: &Workload<'c>) -> UserResult<Priced<'c>> {
    let count = Decimal::from(workload.count);
    let mut lines = Vec::with_capacity(workload.steps.len());
    for step in &workload.steps {
        let (credits_each, steps) = unit_price(step.service, step.steps)?;
        let per_asset = money::mul(credits_each, step.multiplier)?;
        lines.push(Line {
            service: step.service,
            steps,
            multiplier: step.multiplier,
            credits_each,
            per_asset,
            credits: money::mul(per_asset, count)?,
        });
    }
    Ok(Priced {
        per_asset: money::sum(lines.iter().map(|l| l.per_asset))?,
        credits: money::sum(lines.iter().map(|l| l.credits))?,
        count: workload.count,
        lines,
    })
}

impl Billing {
    /// Dollars for `credits`, exactly.
    pub fn usd(&self, credits: Decimal) -> Result<Decimal, Overflow> {
        money::mul(credits, self.credit_usd)
    }
}

/// What has to be bought to cover a bill, after free credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topups {
    /// Free credits used (never more than the bill).
    pub free_credits: Decimal,
    /// Credits still to pay for.
    pub to_buy: Decimal,
    /// Top-up packs needed (each `topup_credits`; the pack is the minimum purchase).
    pub packs: Decimal,
    /// What the packs cost.
    pub usd: Decimal,
}

/// The top-up packs needed for `credits`, after spending up to `free` credits.
pub fn topups(billing: &Billing, credits: Decimal, free: Decimal) -> Result<Topups, Overflow> {
    let free_credits = free.min(credits).max(Decimal::ZERO);
    let to_buy = money::sub(credits, free_credits)?;
    let packs = money::ceil_div(to_buy, billing.topup_credits)?;
    Ok(Topups {
        free_credits,
        to_buy,
        packs,
        usd: money::mul(packs, billing.topup_usd)?,
    })
}

/// Free credits to spend before buying top-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FreeCredits {
    /// None: every credit is bought.
    #[default]
    None,
    /// The card's one-time sign-up bonus.
    SignupBonus,
    /// A given number of credits.
    Exactly(u64),
}

impl FreeCredits {
    /// How many credits this is on `card`.
    pub fn credits(self, card: &RateCard) -> Decimal {
        match self {
            FreeCredits::None => Decimal::ZERO,
            FreeCredits::SignupBonus => card.billing.signup_bonus_credits,
            FreeCredits::Exactly(n) => Decimal::from(n),
        }
    }
}

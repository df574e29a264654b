//! Pure pricing: a rate card and a workload in, priced lines and totals out.
//!
//! A [`Workload`] is a pipeline of steps (service, optional step count, multiplier)
//! applied to a number of assets. `quote` is a one-step workload, `workflow` a many-step
//! one, and `compare` prices the same workload once per generation model. Every operation
//! is exact (see [`crate::money`]); totals are sums of the lines they stand under.

use crate::error::{UserError, UserResult};
use crate::money::{self, Amount, Credits, Overflow, Usd};
use crate::rates::{Billing, Service, StepPriceError};
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeStruct, Serializer};

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

/// A priced step. Every figure is an exact [`Amount`]: credits and what they cost.
#[derive(Debug, Clone)]
pub struct Line<'c> {
    pub service: &'c Service,
    /// The step count priced, for step-scaled services.
    pub steps: Option<u32>,
    pub multiplier: Decimal,
    /// One call.
    pub each: Amount,
    /// Per asset: `each × multiplier`.
    pub per_asset: Amount,
    /// For all assets: `per_asset × count`.
    pub total: Amount,
}

impl Line<'_> {
    /// The step as an expression writes it: `sdxl@50`, `core`.
    pub fn label(&self) -> String {
        step_label(self.service, self.steps)
    }
}

/// `service` with the step count priced, as an expression writes it: `sdxl@50`.
pub fn step_label(service: &Service, steps: Option<u32>) -> String {
    match steps {
        Some(n) => format!("{}@{n}", service.id),
        None => service.id.clone(),
    }
}

/// The JSON form of a priced step, shared by every command that lists steps: the
/// service, then each figure as a decimal string.
impl Serialize for Line<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_struct("Line", 11)?;
        m.serialize_field("service", &self.service.id)?;
        m.serialize_field("name", &self.service.name)?;
        m.serialize_field("category", &self.service.category)?;
        m.serialize_field("steps", &self.steps)?;
        m.serialize_field("multiplier", &money::decimal_plain(self.multiplier))?;
        m.serialize_field("credits_each", &self.each.credits)?;
        m.serialize_field("usd_each", &self.each.usd)?;
        m.serialize_field("per_asset_credits", &self.per_asset.credits)?;
        m.serialize_field("per_asset_usd", &self.per_asset.usd)?;
        m.serialize_field("credits", &self.total.credits)?;
        m.serialize_field("usd", &self.total.usd)?;
        m.end()
    }
}

/// A priced workload.
#[derive(Debug, Clone)]
pub struct Priced<'c> {
    pub lines: Vec<Line<'c>>,
    pub count: u64,
    /// Sum of the lines' `per_asset`.
    pub per_asset: Amount,
    /// Sum of the lines' `total`.
    pub total: Amount,
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
    let price = pricing.credits_at(credits, n).map_err(|e| match e {
        StepPriceError::Overflow(o) => UserError::from(o),
        StepPriceError::Inexact => UserError::new(format!(
            "the price of '{}' at {n} steps ({} × {n} / {}) is not an exact number of credits",
            service.id,
            money::decimal_plain(credits),
            pricing.included
        ))
        .hint("stabcost never rounds a price; pick a step count that divides evenly"),
    })?;
    Ok((price, Some(n)))
}

/// Prices every step of `workload` with `billing`'s credit price.
pub fn price<'c>(billing: &Billing, workload: &Workload<'c>) -> UserResult<Priced<'c>> {
    let count = Decimal::from(workload.count);
    let mut lines = Vec::with_capacity(workload.steps.len());
    for step in &workload.steps {
        let (credits_each, steps) = unit_price(step.service, step.steps)?;
        let each = billing.amount(Credits::new(credits_each))?;
        let per_asset = each.times(step.multiplier)?;
        lines.push(Line {
            service: step.service,
            steps,
            multiplier: step.multiplier,
            each,
            per_asset,
            total: per_asset.times(count)?,
        });
    }
    Ok(Priced {
        per_asset: Amount::sum(lines.iter().map(|l| l.per_asset))?,
        total: Amount::sum(lines.iter().map(|l| l.total))?,
        count: workload.count,
        lines,
    })
}

impl Billing {
    /// Dollars for `credits`, exactly.
    pub fn usd(&self, credits: Credits) -> Result<Usd, Overflow> {
        Ok(Usd::new(money::mul(credits.get(), self.credit_usd)?))
    }

    /// `credits` and what they cost.
    pub fn amount(&self, credits: Credits) -> Result<Amount, Overflow> {
        Ok(Amount {
            credits,
            usd: self.usd(credits)?,
        })
    }
}

/// What has to be bought to cover a bill, after free credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topups {
    /// Free credits available.
    pub free_available: Credits,
    /// Free credits used (never more than the bill).
    pub free_applied: Credits,
    /// Credits still to pay for.
    pub to_buy: Credits,
    /// Top-up packs needed (each `topup_credits`; the pack is the minimum purchase).
    pub packs: Decimal,
    /// What the packs cost.
    pub usd: Usd,
}

/// The top-up packs needed for `credits`, after spending up to `free` credits.
pub fn topups(billing: &Billing, credits: Credits, free: Credits) -> Result<Topups, Overflow> {
    let free_applied = free.min(credits).max(Credits::ZERO);
    let to_buy = credits.checked_sub(free_applied)?;
    let packs = money::ceil_div(to_buy.get(), billing.topup_credits)?;
    Ok(Topups {
        free_available: free,
        free_applied,
        to_buy,
        packs,
        usd: Usd::new(money::mul(packs, billing.topup_usd)?),
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
    /// A given number of credits (balances are fractional: SDXL costs 0.9).
    Exactly(Decimal),
}

impl FreeCredits {
    /// How many credits this is on `card`.
    pub fn credits(self, billing: &Billing) -> Credits {
        match self {
            FreeCredits::None => Credits::ZERO,
            FreeCredits::SignupBonus => Credits::new(billing.signup_bonus_credits),
            FreeCredits::Exactly(n) => Credits::new(n),
        }
    }
}

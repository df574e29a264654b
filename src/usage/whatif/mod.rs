//! What the calls of a log would have cost (README, "What would it have cost?"): the
//! pricing guide's levers measured on a team's own calls, as figures, never as advice
//! on quality. One concept per file:
//! - `swap`: every charged call of one service priced as another (`--what-if FROM=TO`);
//! - `rates`: the whole log under another card (`--what-if-rates CARD`);
//! - `reuse`: the calls that repeat an earlier call of the same prompt, noted while
//!   the log is read;
//! - `levers`: the guide's levers in one table (`--levers`).
//!
//! Everything but reuse is priced at the end, from the groups the read counted (with
//! the day kept in each, for the days a service was sold): plain `usage` reads as
//! before, and pays for none of it.

mod levers;
mod rates;
pub(crate) mod reuse;
mod swap;

/// What the unit tests of swap.rs and levers.rs build their groups from.
#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod testing {
    use super::{Catalog, Key, NO_TAG, NONE16, Priced, unit_credits};
    use rust_decimal::Decimal;

    pub(super) fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    /// `calls` charged calls of `svc` on `day`, priced as the card does.
    pub(super) fn group(cat: &Catalog, svc: &str, day: &str, calls: u64) -> Priced {
        let svc = cat.service(svc.as_bytes()).unwrap();
        let day = crate::usage::time::date(day.as_bytes()).unwrap();
        let key = Key {
            svc,
            card: cat.card_for(Some(day)).unwrap(),
            charged: true,
            ep: NONE16,
            status: 0,
            day,
            tag: NO_TAG,
            steps: 0,
            samples: 1,
        };
        let (each, _) = unit_credits(&key, cat).unwrap();
        let credits = each * Decimal::from(calls);
        Priced {
            key,
            calls,
            credits,
            usd: credits / Decimal::ONE_HUNDRED,
        }
    }
}

pub use levers::{GpuMonth, Lever, LeverKind, Levers};
pub use rates::{Rates, RatesLine, RatesNotPriced};
pub use reuse::LIMIT as REUSE_LIMIT;
pub use swap::{NotPriced, SwapLine, Swaps, Total, TotalCredits, Unchanged};

use super::catalog::Catalog;
use super::price::{Priced, unit_credits};
use super::tally::{Key, NO_TAG, NONE16};
use crate::error::{UserError, UserResult};
use crate::money::{self, Credits, Usd};
use crate::rates::{Category, RateCard, Service};
use crate::text::echo;
use rust_decimal::Decimal;
use serde::Serialize;

/// The reuse window unless `--reuse-window` says: 30 days.
pub const REUSE_WINDOW: u32 = 30;
/// The longest reuse window: ten years of days.
pub const MAX_WINDOW: u32 = 3650;

/// What to work out besides the usual figures ([`super::Options::what_if`]).
#[derive(Debug, Clone)]
pub struct Ask {
    /// `--what-if FROM=TO`, each as typed (ids or aliases).
    pub swaps: Vec<(String, String)>,
    /// `--what-if-rates`: the card to price the whole log with.
    pub rates: Option<Box<RateCard>>,
    /// `--levers`.
    pub levers: Option<Levers>,
    /// `--prompt-field`: the field holding a call's prompt identity, instead of
    /// `prompt_hash` and `prompt`.
    pub prompt_field: Option<String>,
    /// `--reuse-window`: days from a call that pays within which the same prompt's
    /// calls repeat it (1: the same day).
    pub reuse_window: u32,
    /// The entries the reuse figure may keep ([`REUSE_LIMIT`]; tests make it small).
    pub reuse_limit: usize,
}

impl Default for Ask {
    fn default() -> Ask {
        Ask {
            swaps: Vec::new(),
            rates: None,
            levers: None,
            prompt_field: None,
            reuse_window: REUSE_WINDOW,
            reuse_limit: REUSE_LIMIT,
        }
    }
}

/// What the calls would have cost: the sections [`Ask`] asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    pub swaps: Option<Swaps>,
    pub rates: Option<Rates>,
    /// `None` when no charged call carried a prompt identity.
    pub reuse: Option<Reuse>,
    pub levers: Option<Vec<Lever>>,
}

/// The calls that repeat an earlier call of the same service and prompt (and steps and
/// samples) within the window, and what they cost: what reusing the first results
/// would have saved. JSON `reuse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reuse {
    pub window_days: u32,
    /// Charged calls that carried a prompt identity.
    pub prompted_calls: u64,
    pub repeated_calls: u64,
    pub saving_credits: Credits,
    pub saving_usd: Usd,
    /// The entries ran out ([`REUSE_LIMIT`]): some calls were left out, and the figure
    /// is a lower bound.
    pub capped: bool,
    /// The entries the figure may keep.
    pub limit: usize,
    /// Calls left out when the entries ran out.
    pub left_out_calls: u64,
    /// Calls with a prompt but no time, never counted as repeats.
    pub undated_calls: u64,
}

/// The swaps of an [`Ask`], as service numbers, checked before the log is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    swaps: Vec<(u16, u16)>,
}

/// The id of service number `svc`.
fn id(cat: &Catalog, svc: u16) -> &str {
    cat.services
        .get(usize::from(svc))
        .map_or("?", String::as_str)
}

/// Service number `svc` as the newest card that has it describes it.
fn service(cat: &Catalog, svc: u16) -> Option<&Service> {
    let id = cat.services.get(usize::from(svc))?;
    cat.cards.iter().rev().find_map(|c| c.find(id))
}

fn category(cat: &Catalog, svc: u16) -> Option<Category> {
    service(cat, svc).map(|s| s.category)
}

/// The service `name` (an id or alias, in any case) of a `--what-if`.
fn named(cat: &Catalog, name: &str, side: &str) -> UserResult<u16> {
    cat.service(name.as_bytes()).ok_or_else(|| {
        let mut err = UserError::new(format!(
            "unknown service '{}' in --what-if, as {side}",
            echo(name)
        ));
        if let Some(best) = cat.cards.last().and_then(|c| c.closest(name)) {
            err = err.hint(format!("did you mean '{best}'?"));
        }
        err.hint("`stabcost rates` lists every service")
    })
}

/// Checks the swaps of `ask` against the cards in play: both services known, of one
/// category, and each service swapped once.
pub(crate) fn resolve(cat: &Catalog, ask: &Ask) -> UserResult<Resolved> {
    let mut swaps: Vec<(u16, u16)> = Vec::new();
    for (from, to) in &ask.swaps {
        let (f, t) = (named(cat, from, "FROM")?, named(cat, to, "TO")?);
        let (fc, tc) = (category(cat, f), category(cat, t));
        if fc != tc {
            let kind = |c: Option<Category>| c.map_or("other", Category::as_str);
            return Err(UserError::new(format!(
                "--what-if {}={} swaps across categories: '{}' is in {}, '{}' in {}",
                echo(from),
                echo(to),
                id(cat, f),
                kind(fc),
                id(cat, t),
                kind(tc)
            ))
            .hint("a swap prices the same calls on a service of the same kind, as in ultra=core or upscale-creative=upscale-conservative")
            .hint(format!(
                "`stabcost rates --category {}` lists the {} services",
                kind(fc),
                kind(fc)
            )));
        }
        if swaps.iter().any(|&(prev, _)| prev == f) {
            return Err(UserError::new(format!(
                "--what-if swaps '{}' twice: each service's calls can be priced as one other",
                id(cat, f)
            ))
            .hint("keep one --what-if for it; several services may swap to the same one"));
        }
        swaps.push((f, t));
    }
    Ok(Resolved { swaps })
}

/// The charged calls of `groups`, added up.
fn spent(groups: &[Priced]) -> UserResult<(u64, Decimal, Decimal)> {
    let mut out = (0u64, Decimal::ZERO, Decimal::ZERO);
    for g in groups {
        out.0 += g.calls;
        out.1 = money::add(out.1, g.credits)?;
        out.2 = money::add(out.2, g.usd)?;
    }
    Ok(out)
}

/// The repeated calls priced, each by the card in force on its day.
fn reuse(cat: &Catalog, ask: &Ask, r: &reuse::Repeats) -> UserResult<Option<Reuse>> {
    if r.prompted == 0 {
        return Ok(None);
    }
    let (mut calls, mut credits, mut usd) = (0u64, Decimal::ZERO, Decimal::ZERO);
    for (&(svc, steps, samples, day), &n) in &r.calls {
        let Some(card) = cat.card_for(Some(day)) else {
            continue;
        };
        let key = Key {
            svc,
            card,
            charged: true,
            ep: NONE16,
            status: 0,
            day,
            tag: NO_TAG,
            steps,
            samples,
        };
        // A step count the card does not price left these calls unpriced: no saving.
        let Ok((each, billing)) = unit_credits(&key, cat) else {
            continue;
        };
        let c = money::mul(each, Decimal::from(n))?;
        calls += n;
        credits = money::add(credits, c)?;
        usd = money::add(usd, billing.usd(Credits::new(c))?.get())?;
    }
    Ok(Some(Reuse {
        window_days: ask.reuse_window,
        prompted_calls: r.prompted,
        repeated_calls: calls,
        saving_credits: Credits::new(credits),
        saving_usd: Usd::new(usd),
        capped: r.dropped > 0,
        limit: ask.reuse_limit,
        left_out_calls: r.dropped,
        undated_calls: r.undated,
    }))
}

/// The figures `ask` asks for, from the priced groups of charged calls and the
/// prompted calls the workers noted.
pub(crate) fn settle(
    cat: &Catalog,
    ask: &Ask,
    resolved: &Resolved,
    groups: &[Priced],
    trackers: Vec<reuse::Tracker>,
) -> UserResult<WhatIf> {
    let repeats = reuse::repeats(trackers, ask.reuse_window);
    let reuse = reuse(cat, ask, &repeats)?;
    let swaps = if resolved.swaps.is_empty() {
        None
    } else {
        Some(swap::swaps(cat, groups, &resolved.swaps)?)
    };
    let rates = ask
        .rates
        .as_deref()
        .map(|card| rates::price(cat, groups, card))
        .transpose()?;
    let levers = ask
        .levers
        .as_ref()
        .map(|l| levers::measure(cat, groups, l, reuse.as_ref()))
        .transpose()?;
    Ok(WhatIf {
        swaps,
        rates,
        reuse,
        levers,
    })
}

//! `--what-if-rates CARD`: the whole log under another card (a negotiated overlay, an
//! older built-in card), each charged call priced by that card's service of the same
//! id, with the call's steps and samples, if the card sold it on the call's day. A call
//! the card cannot price is counted and listed, and kept at what it cost in the total.

use super::swap::Total;
use super::{Catalog, id};
use crate::date::Date;
use crate::engine;
use crate::error::UserResult;
use crate::money::{self, Credits, Percent, Usd};
use crate::rates::{Provenance, RateCard, Service};
use crate::usage::price::Priced;
use crate::usage::tally::UNDATED;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One service's calls under the other card: those it could price. JSON
/// `what_if_rates.lines[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatesLine {
    pub service: String,
    pub calls: u64,
    pub actual_usd: Usd,
    pub what_if_usd: Usd,
    pub saving_usd: Usd,
    pub saving_pct: Option<Percent>,
}

/// Calls of a service the other card could not price, for one reason. JSON
/// `what_if_rates.not_priced[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatesNotPriced {
    pub service: String,
    pub reason: String,
    pub calls: u64,
    pub actual_usd: Usd,
}

/// The log under another card. JSON `what_if_rates` (with the card that priced the
/// actual figures, which the report adds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rates {
    /// The other card.
    pub what_if_card: Provenance,
    pub lines: Vec<RatesLine>,
    pub total: Total,
    pub not_priced: Vec<RatesNotPriced>,
}

/// What `g`'s calls cost on `card`, or why it cannot price them.
fn priced_on(g: &Priced, svc_id: &str, card: &RateCard) -> UserResult<Result<Decimal, String>> {
    let Some(s): Option<&Service> = card.find(svc_id) else {
        return Ok(Err("not on the card".to_owned()));
    };
    let day = (g.key.day != UNDATED).then(|| Date::from_days(i64::from(g.key.day)));
    if !s.sold_on(day) {
        return Ok(Err(match (&s.deprecated, s.available_from) {
            (_, Some(from)) if !s.available_on(day) => format!("not yet available before {from}"),
            (Some(d), _) => format!("discontinued on {}", d.date),
            _ => "no price on the card".to_owned(),
        }));
    }
    let steps = (s.steps.is_some() && g.key.steps != 0).then_some(u32::from(g.key.steps));
    match engine::unit_price(s, steps) {
        Ok((each, _)) => {
            let each = money::mul(each, Decimal::from(g.key.samples))?;
            let credits = money::mul(each, Decimal::from(g.calls))?;
            Ok(Ok(card.billing.usd(Credits::new(credits))?.get()))
        }
        Err(e) => Ok(Err(e.message)),
    }
}

/// Every group of `groups` priced on `card`, by service.
pub(crate) fn price(cat: &Catalog, groups: &[Priced], card: &RateCard) -> UserResult<Rates> {
    // By service: calls, actual, what-if of the calls priced.
    let mut by: BTreeMap<&str, (u64, Decimal, Decimal)> = BTreeMap::new();
    let mut not: BTreeMap<(&str, String), (u64, Decimal)> = BTreeMap::new();
    let (mut calls, mut actual, mut what_if) = (0u64, Decimal::ZERO, Decimal::ZERO);
    for g in groups {
        let svc = id(cat, g.key.svc);
        calls += g.calls;
        actual = money::add(actual, g.usd)?;
        match priced_on(g, svc, card)? {
            Ok(usd) => {
                let line = by.entry(svc).or_default();
                line.0 += g.calls;
                line.1 = money::add(line.1, g.usd)?;
                line.2 = money::add(line.2, usd)?;
                what_if = money::add(what_if, usd)?;
            }
            Err(reason) => {
                let n = not.entry((svc, reason)).or_default();
                n.0 += g.calls;
                n.1 = money::add(n.1, g.usd)?;
                what_if = money::add(what_if, g.usd)?;
            }
        }
    }
    let lines = by
        .into_iter()
        .map(|(service, (calls, actual, what_if))| {
            let saving = money::sub(actual, what_if)?;
            Ok(RatesLine {
                service: service.to_owned(),
                calls,
                actual_usd: Usd::new(actual),
                what_if_usd: Usd::new(what_if),
                saving_usd: Usd::new(saving),
                saving_pct: Percent::of(saving, actual),
            })
        })
        .collect::<UserResult<Vec<_>>>()?;
    let not_priced = not
        .into_iter()
        .map(|((service, reason), (calls, usd))| RatesNotPriced {
            service: service.to_owned(),
            reason,
            calls,
            actual_usd: Usd::new(usd),
        })
        .collect();
    Ok(Rates {
        what_if_card: card.provenance.clone(),
        lines,
        total: Total::new(calls, actual, what_if)?,
        not_priced,
    })
}

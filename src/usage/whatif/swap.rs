//! `--what-if FROM=TO`: every charged call of FROM priced as TO, by the card that priced
//! the call (the one in force on its day), with the call's steps where TO is
//! step-scaled (else TO's default) and its samples (images) as they were. A call TO
//! could not have been made on its day (not on that card, not yet available, or
//! discontinued by then) is counted and listed as not priced, and kept at what it cost
//! in the total: never priced $0.

use super::{Catalog, id, spent};
use crate::error::UserResult;
use crate::money::{self, Credits, Percent, Usd};
use crate::usage::price::{Priced, describe, unit_credits};
use crate::usage::tally::{Key, Reason, UNDATED, unsold};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One swap's calls priced as TO: the calls that could be. JSON `what_if.swaps[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SwapLine {
    pub from: String,
    pub to: String,
    pub calls: u64,
    pub actual_credits: Credits,
    pub actual_usd: Usd,
    pub what_if_credits: Credits,
    pub what_if_usd: Usd,
    pub saving_credits: Credits,
    pub saving_usd: Usd,
    /// The saving in percent of the calls' actual cost; `None` for no cost.
    pub saving_pct: Option<Percent>,
}

/// Calls of a swap that TO could not price, for one reason. JSON
/// `what_if.not_priced[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotPriced {
    pub from: String,
    pub to: String,
    /// Why, in words: `sd16: discontinued on 2025-07-24`.
    pub reason: String,
    pub calls: u64,
    /// What they cost, and are kept at in the total.
    pub actual_credits: Credits,
    pub actual_usd: Usd,
}

/// The calls no swap names. JSON `what_if.unchanged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Unchanged {
    pub calls: u64,
    pub credits: Credits,
    pub usd: Usd,
}

/// The whole log with every swap. JSON `what_if.total` (and `what_if_rates.total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Total {
    /// Every charged call.
    pub calls: u64,
    pub actual_usd: Usd,
    pub what_if_usd: Usd,
    pub saving_usd: Usd,
    pub saving_pct: Option<Percent>,
    /// In credits too, where every line has them (the swaps, all on the card of the
    /// calls' day; not under another card, whose credits are its own).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub credits: Option<TotalCredits>,
}

/// A total's credits: JSON `actual_credits`, `what_if_credits`, `saving_credits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TotalCredits {
    pub actual_credits: Credits,
    pub what_if_credits: Credits,
    pub saving_credits: Credits,
}

impl Total {
    /// The total of `calls` that cost `actual` and would cost `what_if`.
    pub(crate) fn new(calls: u64, actual: Decimal, what_if: Decimal) -> UserResult<Total> {
        let saving = money::sub(actual, what_if)?;
        Ok(Total {
            calls,
            actual_usd: Usd::new(actual),
            what_if_usd: Usd::new(what_if),
            saving_usd: Usd::new(saving),
            saving_pct: Percent::of(saving, actual),
            credits: None,
        })
    }
}

/// Every swap, what they leave unchanged, and the whole log. JSON `what_if`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Swaps {
    pub swaps: Vec<SwapLine>,
    pub unchanged: Unchanged,
    pub total: Total,
    pub not_priced: Vec<NotPriced>,
}

/// What group `g`'s calls would cost as service `to`, in credits and dollars, by the
/// card that priced them; or why that card could not price them on their day.
fn as_service(
    cat: &Catalog,
    g: &Priced,
    to: u16,
) -> UserResult<Result<(Decimal, Decimal), String>> {
    let key = g.key;
    let on = (key.day != UNDATED)
        .then_some(key.day)
        .or_else(|| cat.undated_day(key.card));
    // Why, without the service's id the row names already.
    let why = |reason: Reason| {
        let text = describe(reason, &[], cat);
        let prefix = format!("{}: ", id(cat, to));
        text.strip_prefix(&prefix)
            .map_or_else(|| text.clone(), str::to_owned)
    };
    let Some(offer) = cat.offer(key.card, to) else {
        return Ok(Err(why(Reason::NotOnCard {
            svc: to,
            card: key.card,
        })));
    };
    if let Some(reason) = unsold(offer, on, to, key.card) {
        return Ok(Err(why(reason)));
    }
    let as_to = Key {
        svc: to,
        steps: if offer.step_scaled { key.steps } else { 0 },
        ..key
    };
    match unit_credits(&as_to, cat) {
        Ok((each, billing)) => {
            let credits = money::mul(each, Decimal::from(g.calls))?;
            let usd = billing.usd(Credits::new(credits))?.get();
            Ok(Ok((credits, usd)))
        }
        Err(e) => Ok(Err(e)),
    }
}

/// The calls of service `from` in `groups` priced as `to`: the line of those it could
/// price, and those it could not, by reason.
pub(crate) fn one(
    cat: &Catalog,
    groups: &[Priced],
    from: u16,
    to: u16,
) -> UserResult<(SwapLine, Vec<NotPriced>)> {
    let mut calls = 0u64;
    let (mut actual_c, mut actual_u) = (Decimal::ZERO, Decimal::ZERO);
    let (mut what_c, mut what_u) = (Decimal::ZERO, Decimal::ZERO);
    let mut not: BTreeMap<String, (u64, Decimal, Decimal)> = BTreeMap::new();
    for g in groups.iter().filter(|g| g.key.svc == from) {
        match as_service(cat, g, to)? {
            Ok((credits, usd)) => {
                calls += g.calls;
                actual_c = money::add(actual_c, g.credits)?;
                actual_u = money::add(actual_u, g.usd)?;
                what_c = money::add(what_c, credits)?;
                what_u = money::add(what_u, usd)?;
            }
            Err(reason) => {
                let n = not.entry(reason).or_default();
                n.0 += g.calls;
                n.1 = money::add(n.1, g.credits)?;
                n.2 = money::add(n.2, g.usd)?;
            }
        }
    }
    let saving = money::sub(actual_u, what_u)?;
    let line = SwapLine {
        from: id(cat, from).to_owned(),
        to: id(cat, to).to_owned(),
        calls,
        actual_credits: Credits::new(actual_c),
        actual_usd: Usd::new(actual_u),
        what_if_credits: Credits::new(what_c),
        what_if_usd: Usd::new(what_u),
        saving_credits: Credits::new(money::sub(actual_c, what_c)?),
        saving_usd: Usd::new(saving),
        saving_pct: Percent::of(saving, actual_u),
    };
    let not_priced = not
        .into_iter()
        .map(|(reason, (calls, credits, usd))| NotPriced {
            from: line.from.clone(),
            to: line.to.clone(),
            reason,
            calls,
            actual_credits: Credits::new(credits),
            actual_usd: Usd::new(usd),
        })
        .collect();
    Ok((line, not_priced))
}

/// Every swap of `pairs` (FROM, TO) on `groups`, and the whole log with all of them.
pub(crate) fn swaps(cat: &Catalog, groups: &[Priced], pairs: &[(u16, u16)]) -> UserResult<Swaps> {
    let mut lines = Vec::new();
    let mut not_priced = Vec::new();
    for &(from, to) in pairs {
        let (line, not) = one(cat, groups, from, to)?;
        lines.push(line);
        not_priced.extend(not);
    }
    let others: Vec<Priced> = groups
        .iter()
        .filter(|g| !pairs.iter().any(|&(from, _)| from == g.key.svc))
        .copied()
        .collect();
    let (calls, credits, usd) = spent(&others)?;
    let unchanged = Unchanged {
        calls,
        credits: Credits::new(credits),
        usd: Usd::new(usd),
    };
    let (all_calls, actual_credits, actual) = spent(groups)?;
    // What the log would cost: each swap's priced calls as TO, the calls it could not
    // price and those no swap names at what they cost.
    let what_if = money::sum(
        lines
            .iter()
            .map(|l| l.what_if_usd.get())
            .chain(not_priced.iter().map(|n| n.actual_usd.get()))
            .chain(std::iter::once(usd)),
    )?;
    let what_if_credits = money::sum(
        lines
            .iter()
            .map(|l| l.what_if_credits.get())
            .chain(not_priced.iter().map(|n| n.actual_credits.get()))
            .chain(std::iter::once(credits)),
    )?;
    let mut total = Total::new(all_calls, actual, what_if)?;
    total.credits = Some(TotalCredits {
        actual_credits: Credits::new(actual_credits),
        what_if_credits: Credits::new(what_if_credits),
        saving_credits: Credits::new(money::sub(actual_credits, what_if_credits)?),
    });
    Ok(Swaps {
        swaps: lines,
        unchanged,
        total,
        not_priced,
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::testing::{d, group};
    use super::*;

    fn cat() -> Catalog {
        Catalog::new(crate::rates::all_built_in().unwrap(), true).unwrap()
    }

    #[test]
    fn october_on_core_and_conservative() {
        let cat = cat();
        let groups = [
            group(&cat, "ultra", "2026-10-01", 1000),
            group(&cat, "upscale-creative", "2026-10-02", 500),
        ];
        let n = |s: &str| cat.service(s.as_bytes()).unwrap();
        let s = swaps(
            &cat,
            &groups,
            &[
                (n("ultra"), n("core")),
                (n("creative-upscale"), n("upscale-conservative")),
            ],
        )
        .unwrap();
        // 1,000 × (8 − 3) = 5,000 credits, $50.00 of Ultra's $80.00: 62.50%.
        let ultra = &s.swaps[0];
        assert_eq!(ultra.saving_credits.get(), d("5000"));
        assert_eq!(ultra.saving_usd.get(), d("50"));
        assert_eq!(ultra.saving_pct.unwrap().get(), d("62.50"));
        // 500 × (60 − 40) = 10,000 credits, $100.00.
        assert_eq!(s.swaps[1].saving_credits.get(), d("10000"));
        assert_eq!(s.swaps[1].saving_usd.get(), d("100"));
        // $380.00 → $230.00: $150.00, 150 / 380 = 39.47%.
        assert_eq!(s.total.actual_usd.get(), d("380"));
        assert_eq!(s.total.what_if_usd.get(), d("230"));
        assert_eq!(s.total.saving_pct.unwrap().get(), d("39.47"));
        assert_eq!((s.unchanged.calls, s.not_priced.len()), (0, 0));
    }

    #[test]
    fn a_service_gone_by_the_call_s_day_is_not_priced_never_zero() {
        let cat = cat();
        // SD 1.6 was sold until 2025-07-24: a call on 2025-07-28 or in 2026 cannot be
        // priced as it.
        let groups = [
            group(&cat, "ultra", "2025-07-28", 3),
            group(&cat, "ultra", "2026-10-01", 2),
            group(&cat, "core", "2026-10-01", 1),
        ];
        let n = |s: &str| cat.service(s.as_bytes()).unwrap();
        let s = swaps(&cat, &groups, &[(n("ultra"), n("sd16"))]).unwrap();
        assert_eq!(s.swaps[0].calls, 0);
        assert_eq!(s.not_priced.len(), 1);
        let np = &s.not_priced[0];
        assert_eq!(
            (np.calls, np.reason.as_str()),
            (5, "discontinued on 2025-07-24")
        );
        // 5 Ultra calls at 8 credits: $0.40, kept in the total; no saving at all.
        assert_eq!(np.actual_usd.get(), d("0.40"));
        assert_eq!(s.total.what_if_usd, s.total.actual_usd);
        assert_eq!(s.unchanged.calls, 1);
        // Flash was not on the card before 2025-08-01.
        let early = [group(&cat, "core", "2025-05-01", 1)];
        let s = swaps(&cat, &early, &[(n("core"), n("flash"))]).unwrap();
        assert_eq!(
            s.not_priced[0].reason,
            "not on the card effective 2024-12-30"
        );
    }
}

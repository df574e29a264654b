//! `[[services]]`: every service checked (its id and aliases unique and well formed,
//! its price positive and exact in dollars, its sources cited, its steps, endpoints,
//! dates and deprecation), replacements checked once every id is known.

use super::super::format::{DeprecationDraft, ServiceDraft, StepsDraft};
use super::super::model::{Category, Deprecation, Service, StepPricing};
use super::positive;
use crate::date::Date;
use crate::diagnostics::{At, Diagnostics, File};
use crate::document::W;
use crate::money;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Every service of the card, checked; those with no problem, in order.
pub(super) fn section(
    services: Vec<ServiceDraft>,
    cited: &Cited<'_>,
    card_at: At,
    diags: &mut Diagnostics,
) -> Vec<Service> {
    if services.is_empty() {
        diags.push(
            card_at,
            "the card has no services; add at least one [[services]] table with an id and credits",
        );
    }
    default_models(&services, diags);
    let mut names = Names::default();
    let mut replacements = Vec::new();
    let mut out = Vec::with_capacity(services.len());
    for sd in services {
        if let Some(s) =
            validate_service(sd, cited, &mut names, &mut replacements, out.len(), diags)
        {
            out.push(s);
        }
    }
    // A replacement must name a service that is still sold, once every id is known.
    for (owner, r) in replacements {
        let live = names
            .index
            .get(&r.v.to_ascii_lowercase())
            .and_then(|&(i, _, _)| out.get(i))
            .is_some_and(|t: &Service| t.deprecated.is_none());
        if !live {
            diags.push(
                r.at,
                format!(
                    "service '{owner}' names replacement '{}', which is not a current service on the card",
                    r.v
                ),
            );
        }
    }
    out
}

/// Ids and aliases are what users type in workflow expressions, so they keep to ASCII
/// letters, digits, `.`, `-` and `_`, and start with an ASCII letter.
fn valid_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The ids and aliases claimed so far, lower-cased: index of the owner, and whether the
/// claim was an id.
#[derive(Default)]
struct Names {
    /// Lower-cased name → the service that claimed it, whether as its id, and where.
    index: HashMap<String, (usize, bool, At)>,
    ids: Vec<String>,
}

impl Names {
    /// Claims `name` (an id or an alias of service number `owner`), or says what it
    /// collides with.
    fn claim(&mut self, name: &W<String>, is_id: bool, owner: usize, diags: &mut Diagnostics) {
        let kind = if is_id { "id" } else { "alias" };
        let text = &name.v;
        if !valid_name(text) {
            diags.push(
                name.at,
                format!("{kind} '{text}' must start with an ASCII letter (a-z, A-Z) and use only ASCII letters, digits, '.', '-' and '_'"),
            );
            return;
        }
        let key = text.to_ascii_lowercase();
        if let Some(&(other, other_is_id, other_at)) = self.index.get(&key) {
            let other_id = self.ids.get(other).map_or(text.as_str(), String::as_str);
            let this_id = self.ids.get(owner).map_or(text.as_str(), String::as_str);
            // Point at the user's own file: when the earlier claim is theirs (an
            // overlay's alias) and this one is the built-in card's, the problem is theirs.
            if other_at.file == File::Own && name.at.file == File::Base {
                let other_kind = if other_is_id { "id" } else { "alias" };
                diags.push(
                    other_at,
                    format!(
                        "{other_kind} '{text}' of service '{other_id}' collides with the {kind} of service '{this_id}' on the built-in card"
                    ),
                );
                return;
            }
            let detail = match (is_id, other_is_id) {
                (true, true) => format!("duplicate service id: '{text}' is already on the card"),
                (false, true) if other == owner => {
                    format!("alias '{text}' repeats the id of its own service '{other_id}'")
                }
                (false, true) => {
                    format!("alias '{text}' collides with the id of service '{other_id}'")
                }
                _ => format!("{kind} '{text}' collides with an alias of service '{other_id}'"),
            };
            diags.push(name.at, detail);
            return;
        }
        self.index.insert(key, (owner, is_id, name.at));
    }
}

/// What a service is checked against: the sources it may cite (the card's own, and the
/// keys of `[sources]` with the files that define them) and the card's credit price.
pub(super) struct Cited<'a> {
    pub(super) card: &'a str,
    pub(super) keys: &'a BTreeMap<String, String>,
    pub(super) files: &'a [File],
    /// Dollars per credit: every price must convert to dollars exactly.
    pub(super) credit_usd: Decimal,
}

/// A price in credits must also be exact in dollars (`credits × credit-usd` within the
/// size and the 28 decimal places a figure holds); otherwise every quote that uses it
/// fails, far from the line that wrote it. `what` names the price in the message.
fn usd_exact(w: &W<Decimal>, what: &str, credit_usd: Decimal, diags: &mut Diagnostics) {
    let Err(e) = money::mul(w.v, credit_usd) else {
        return;
    };
    let (why, fix) = match e {
        money::Overflow::TooPrecise => (
            "needs more than the 28 decimal places stabcost holds exactly",
            "write it with fewer decimal places",
        ),
        money::Overflow::TooLarge => (
            "is too large for stabcost to hold exactly",
            "write a smaller price",
        ),
    };
    diags.push(
        w.at,
        format!(
            "{what} in dollars ({} credits at ${} a credit) {why}; {fix}",
            money::decimal_plain(w.v),
            money::decimal_plain(credit_usd)
        ),
    );
}

/// A path has at most one default model: the service a logged call that names no model
/// is priced as.
fn default_models(services: &[ServiceDraft], diags: &mut Diagnostics) {
    let mut defaults: HashMap<&str, &str> = HashMap::new();
    for sd in services {
        let (Some(flag), Some(id)) = (&sd.default_model, &sd.id) else {
            continue;
        };
        if !flag.v {
            continue;
        }
        for p in sd.endpoint.iter().flatten() {
            if let Some(other) = defaults.insert(&p.v, &id.v) {
                diags.push(
                    flag.at,
                    format!(
                        "services '{other}' and '{}' are both the default model on {}; keep `default-model` on one of them",
                        id.v, p.v
                    ),
                );
            }
        }
    }
}

/// Checks one service; `position` is the index it will have on the card.
fn validate_service(
    sd: ServiceDraft,
    cited: &Cited<'_>,
    names: &mut Names,
    replacements: &mut Vec<(String, W<String>)>,
    position: usize,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let Some(id) = sd.id else {
        diags.push(
            sd.at,
            "a [[services]] table has no `id`; every service needs an id and credits",
        );
        return None;
    };
    names.ids.push(id.v.clone());
    names.claim(&id, true, position, diags);
    let aliases = sd.aliases.unwrap_or_default();
    for alias in &aliases {
        names.claim(alias, false, position, diags);
    }

    let source = match sd.source {
        // A `source` must be a key of [sources] when the file that wrote it has them.
        Some(w) if cited.files.contains(&w.at.file) && !cited.keys.contains_key(&w.v) => {
            diags.push(
                w.at,
                format!(
                    "service '{}' cites source '{}', which [sources] does not define (it has: {}); add it to [sources], or drop `source` to use the card's own",
                    id.v,
                    w.v,
                    cited.keys.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            w.v
        }
        Some(w) => w.v,
        None => sd
            .default_source
            .clone()
            .unwrap_or_else(|| cited.card.to_owned()),
    };

    let credits = match (&sd.credits, &sd.deprecated) {
        (Some(c), _) => {
            let what = format!("the price of '{}'", id.v);
            let credits = positive(c, &what, diags);
            if credits > Decimal::ZERO {
                usd_exact(c, &what, cited.credit_usd, diags);
            }
            Some(credits)
        }
        (None, Some(_)) => None,
        (None, None) if sd.written.contains(&"credits") => None,
        (None, None) => {
            diags.push(
                id.at,
                format!(
                    "service '{}' has no price; add credits = N (credits per call)",
                    id.v
                ),
            );
            None
        }
    };

    let steps = sd
        .steps
        .and_then(|w| step_pricing(w, &id.v, cited.credit_usd, diags));
    let deprecated = sd
        .deprecated
        .and_then(|w| deprecation(w, &id.v, replacements, diags));
    let available_from = sd.available_from.and_then(|w| {
        let day = Date::parse(&w.v).map_err(|e| diags.push(w.at, e)).ok()?;
        if let Some(d) = deprecated.as_ref().filter(|d| d.date <= day) {
            diags.push(
                w.at,
                format!(
                    "service '{}' is available from {day} but discontinued on {}, before it; one of the dates is wrong",
                    id.v, d.date
                ),
            );
        }
        Some(day)
    });

    Some(Service {
        name: sd.name.map_or_else(|| id.v.clone(), |w| w.v),
        category: sd.category.map_or(Category::Other, |w| w.v),
        credits,
        aliases: aliases.into_iter().map(|w| w.v).collect(),
        endpoints: sd
            .endpoint
            .unwrap_or_default()
            .into_iter()
            .filter_map(|w| checked_path(w, diags))
            .collect(),
        per_sample: sd.per_sample.is_some_and(|w| w.v),
        default_model: sd.default_model.as_ref().is_some_and(|w| w.v),
        source,
        note: sd.note.map(|w| w.v),
        steps,
        deprecated,
        available_from,
        id: id.v,
    })
}

/// An API path as the card wrote it, if it is one; a diagnostic otherwise.
pub(super) fn checked_path(w: W<String>, diags: &mut Diagnostics) -> Option<String> {
    match super::super::path::check(&w.v) {
        Ok(()) => Some(w.v),
        Err(message) => {
            diags.push(w.at, message);
            None
        }
    }
}

/// A service's step-scaled pricing, every field present and in order. `included` may be
/// left out when `per-step` is given: the formula then prices every step count
/// (`credits + per-step × steps`).
fn step_pricing(
    w: W<StepsDraft>,
    id: &str,
    credit_usd: Decimal,
    diags: &mut Diagnostics,
) -> Option<StepPricing> {
    let s = w.v;
    let need = |f: Option<W<u32>>, key: &str, diags: &mut Diagnostics| {
        if f.is_none() && !s.written.contains(&key) {
            diags.push(w.at, format!("the steps of '{id}' need `{key}`"));
        }
        f.map(|f| f.v)
    };
    let per_step = s.per_step.map(|p| {
        let what = format!("the price per step of '{id}'");
        let v = positive(&p, &what, diags);
        if v > Decimal::ZERO {
            usd_exact(&p, &what, credit_usd, diags);
        }
        v
    });
    let included = match (s.included, per_step) {
        (Some(f), _) => Some(f.v),
        (None, Some(_)) => Some(0),
        (None, None) => {
            if !s.written.contains(&"included") {
                diags.push(
                    w.at,
                    format!(
                        "the steps of '{id}' need `included` (the steps its credits cover), or a `per-step` price"
                    ),
                );
            }
            None
        }
    };
    let (default, min, max) = (
        need(s.default, "default", diags),
        need(s.min, "min", diags),
        need(s.max, "max", diags),
    );
    let (included, default, min, max) = (included?, default?, min?, max?);
    if per_step.is_none() && included == 0 {
        diags.push(
            w.at,
            format!(
                "steps of '{id}' need included ≥ 1 (the price per step is credits / included), or a `per-step` price"
            ),
        );
    }
    if !(min >= 1 && min <= default && default <= max) {
        diags.push(
            w.at,
            format!("steps of '{id}' need 1 ≤ min ≤ default ≤ max"),
        );
    }
    Some(StepPricing {
        included,
        default,
        min,
        max,
        per_step,
    })
}

/// A service's discontinuation; its replacements are checked once every id is known.
fn deprecation(
    w: W<DeprecationDraft>,
    id: &str,
    replacements: &mut Vec<(String, W<String>)>,
    diags: &mut Diagnostics,
) -> Option<Deprecation> {
    let d = w.v;
    let Some(date) = d.date else {
        diags.push(
            w.at,
            format!("the deprecation of '{id}' needs the `date` it was discontinued"),
        );
        return None;
    };
    let day = Date::parse(&date.v)
        .map_err(|e| diags.push(date.at, e))
        .ok()?;
    let names: Vec<String> = d.replacements.iter().map(|r| r.v.clone()).collect();
    // The service re-routed to is one of the replacements, so it is checked with them.
    let rerouted_to = d.rerouted_to.map(|r| {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&r.v)) {
            diags.push(
                r.at,
                format!(
                    "'{id}' is re-routed to '{}', which is not among its replacements; add it to `replacements`",
                    r.v
                ),
            );
        }
        r.v
    });
    replacements.extend(d.replacements.into_iter().map(|r| (id.to_owned(), r)));
    Some(Deprecation {
        date: day,
        replacements: names,
        rerouted_to,
    })
}

//! The table's rows: for each card, each service it prices, and each way a logged call
//! can name that service. A call is matched as `stabcost usage` matches it
//! (`src/usage/catalog.rs`): the services, their names and their API paths are gathered
//! across all the cards, newest first, and each card prices the services it sells. So a
//! row exists for every (card, service, path) and, on a path several services share, for
//! every name of the service a call's `model` may give; and for every (card, service,
//! name) a call's `service` field may give, with no path.

use super::super::model::{RateCard, StepPricing};
use super::super::path;
use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::money;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub(super) service: String,
    /// The API path a call is made to; `None` on a row that matches calls by the name in
    /// their `service` field.
    pub(super) endpoint: Option<String>,
    /// Lower-case: on a shared path, the call's `model`; with no path, its `service`.
    pub(super) name: Option<String>,
    pub(super) credits: Decimal,
    /// Step-scaled: credits per step, above `steps.included`.
    pub(super) step_credits: Option<Decimal>,
    pub(super) steps: Option<StepPricing>,
    pub(super) per_sample: bool,
    pub(super) credit_usd: Decimal,
    pub(super) from: Option<Date>,
    pub(super) until: Option<Date>,
    pub(super) sold_until: Option<Date>,
    /// The day a call without a time is priced as made on.
    pub(super) undated_day: Date,
}

/// The day after every card's: an undated call made "then" is priced by the newest card,
/// and a service discontinued by then is not sold, as `usage` prices it.
fn after_every_card() -> Date {
    Date::from_ymd(9999, 12, 31).unwrap_or_else(|| Date::from_days(2_932_896))
}

/// What a call can name, across the cards: as `usage`'s catalog numbers it.
struct Names {
    /// Service number → its id (the newest card's spelling).
    ids: Vec<String>,
    /// Lower-cased id → service number.
    number: HashMap<String, usize>,
    /// Lower-cased id or alias → service number, first claim (newest card) first.
    claims: Vec<(String, usize)>,
    /// API path → the services that bill it, in the order the cards list them.
    paths: Vec<(String, Vec<usize>)>,
}

impl Names {
    fn new(cards: &[RateCard]) -> Names {
        let mut n = Names {
            ids: Vec::new(),
            number: HashMap::new(),
            claims: Vec::new(),
            paths: Vec::new(),
        };
        for card in cards.iter().rev() {
            for s in card.services() {
                let key = s.id.to_ascii_lowercase();
                if !n.number.contains_key(&key) {
                    n.number.insert(key, n.ids.len());
                    n.ids.push(s.id.clone());
                }
            }
        }
        let mut claimed: HashMap<String, usize> = HashMap::new();
        for card in cards.iter().rev() {
            for s in card.services() {
                let Some(&svc) = n.number.get(&s.id.to_ascii_lowercase()) else {
                    continue;
                };
                for name in std::iter::once(&s.id).chain(&s.aliases) {
                    let name = name.to_ascii_lowercase();
                    if !claimed.contains_key(&name) {
                        claimed.insert(name.clone(), svc);
                        n.claims.push((name, svc));
                    }
                }
                for p in &s.endpoints {
                    match n.paths.iter_mut().find(|(q, _)| q == p) {
                        Some((_, svcs)) if !svcs.contains(&svc) => svcs.push(svc),
                        Some(_) => {}
                        None => n.paths.push((p.clone(), vec![svc])),
                    }
                }
            }
        }
        n
    }

    /// The names that pick service `svc`.
    fn of(&self, svc: usize) -> impl Iterator<Item = &str> {
        self.claims
            .iter()
            .filter(move |(_, s)| *s == svc)
            .map(|(name, _)| name.as_str())
    }
}

/// The rows for `cards`, oldest first.
pub(super) fn rows(cards: &[RateCard]) -> UserResult<Vec<Row>> {
    let names = Names::new(cards);
    let by_day = cards.len() > 1;
    let mut rows = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        let (from, until) = if by_day {
            (
                card.effective_from,
                cards
                    .get(i + 1)
                    .and_then(|next| next.effective_from)
                    .map(Date::pred),
            )
        } else {
            (None, None)
        };
        let undated_day = if by_day {
            after_every_card()
        } else {
            card.as_of.unwrap_or_else(after_every_card)
        };
        for s in card.services() {
            let Some(credits) = s.credits else { continue };
            let Some(&svc) = names.number.get(&s.id.to_ascii_lowercase()) else {
                continue;
            };
            let step_credits = match s.steps {
                Some(st) => Some(
                    st.per_step_credits(credits).ok_or_else(|| {
                        UserError::new(format!(
                            "the price per step of '{}' ({} / {}) is not an exact decimal, so SQL cannot hold it",
                            s.id,
                            money::decimal_plain(credits),
                            st.included
                        ))
                    })?,
                ),
                None => None,
            };
            let row = |endpoint: Option<&str>, name: Option<&str>| Row {
                service: names.ids.get(svc).cloned().unwrap_or_else(|| s.id.clone()),
                endpoint: endpoint.map(str::to_owned),
                name: name.map(str::to_owned),
                credits,
                step_credits,
                steps: s.steps,
                per_sample: s.per_sample,
                credit_usd: card.billing.credit_usd,
                from,
                until,
                sold_until: s.deprecated.as_ref().map(|d| d.date.pred()),
                undated_day,
            };
            for (p, svcs) in names.paths.iter().filter(|(_, svcs)| svcs.contains(&svc)) {
                if path::is_pattern(p) {
                    return Err(UserError::new(format!(
                        "'{}' bills '{p}', a path with a {{…}} segment: the SQL matches whole paths only",
                        s.id
                    ))
                    .hint("write the paths the service is called on, one by one, in the card's `endpoint`"));
                }
                if let [_] = svcs.as_slice() {
                    rows.push(row(Some(p), None));
                } else {
                    rows.extend(names.of(svc).map(|name| row(Some(p), Some(name))));
                }
            }
            rows.extend(names.of(svc).map(|name| row(None, Some(name))));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(text: &str) -> RateCard {
        RateCard::parse(text, "test").unwrap()
    }

    fn keys(rows: &[Row], from: &str) -> Vec<(String, Option<String>, Option<String>)> {
        rows.iter()
            .filter(|r| r.from.map(|d| d.to_string()).as_deref() == Some(from))
            .map(|r| (r.service.clone(), r.endpoint.clone(), r.name.clone()))
            .collect()
    }

    #[test]
    fn names_and_paths_are_gathered_across_the_cards_as_usage_gathers_them() {
        // The older card calls Ultra `u1` and bills it alone on /a; the newer one drops
        // the alias, and adds Core on /a beside it. As in `usage`, /a is shared on either
        // day (a call needs a model), and `u1` still names Ultra on the newer card's days.
        let old = card(
            "[card]\nname = \"old\"\neffective = \"2025-01-01\"\n\n[[services]]\nid = \"ultra\"\ncredits = 8\naliases = [\"u1\"]\nendpoint = \"/a\"\n",
        );
        let new = card(
            "[card]\nname = \"new\"\neffective = \"2025-08-01\"\n\n[[services]]\nid = \"ultra\"\ncredits = 9\nendpoint = \"/a\"\n\n[[services]]\nid = \"core\"\ncredits = 3\nendpoint = \"/a\"\n",
        );
        let rows = rows(&[old, new]).unwrap();
        let key = |s: &str, e: Option<&str>, n: &str| {
            (s.to_owned(), e.map(str::to_owned), Some(n.to_owned()))
        };
        assert_eq!(
            keys(&rows, "2025-01-01"),
            [
                key("ultra", Some("/a"), "ultra"),
                key("ultra", Some("/a"), "u1"),
                key("ultra", None, "ultra"),
                key("ultra", None, "u1"),
            ]
        );
        assert_eq!(
            keys(&rows, "2025-08-01"),
            [
                key("ultra", Some("/a"), "ultra"),
                key("ultra", Some("/a"), "u1"),
                key("ultra", None, "ultra"),
                key("ultra", None, "u1"),
                key("core", Some("/a"), "core"),
                key("core", None, "core"),
            ]
        );
        let until = |from: &str| {
            rows.iter()
                .find(|r| r.from.map(|d| d.to_string()).as_deref() == Some(from))
                .and_then(|r| r.until)
                .map(|d| d.to_string())
        };
        assert_eq!(until("2025-01-01").as_deref(), Some("2025-07-31"));
        assert_eq!(until("2025-08-01"), None);
        assert!(
            rows.iter()
                .all(|r| r.undated_day.to_string() == "9999-12-31")
        );
    }

    #[test]
    fn one_card_prices_any_day_and_an_as_of_card_dates_undated_calls() {
        let mut one = card(
            "[card]\nname = \"one\"\n\n[[services]]\nid = \"sd16\"\ncredits = 1\nendpoint = \"/b\"\ndeprecated = { date = \"2025-07-24\", replacements = [] }\n",
        );
        let rows1 = rows(std::slice::from_ref(&one)).unwrap();
        assert!(rows1.iter().all(|r| r.from.is_none() && r.until.is_none()));
        assert_eq!(
            rows1[0].sold_until.map(|d| d.to_string()).as_deref(),
            Some("2025-07-23")
        );
        assert_eq!(rows1[0].undated_day.to_string(), "9999-12-31");
        one.as_of = Date::parse("2025-07-01").ok();
        let rows2 = rows(&[one]).unwrap();
        assert!(
            rows2
                .iter()
                .all(|r| r.undated_day.to_string() == "2025-07-01")
        );
    }
}

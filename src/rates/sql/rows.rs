//! The table's rows: for each card, each service it prices, and each way a logged call
//! can name that service. A call is matched as `stabcost usage` matches it
//! (`src/usage/catalog.rs`): the services, their names and their API paths are gathered
//! across all the cards, newest first, and each card prices the services it sells. So a
//! row exists for every (card, service, path) and, on a path several services share, for
//! every name of the service a call's `model` may give; and for every (card, service,
//! name) a call's `service` field may give, with no path.

use super::super::model::{RateCard, Service, StepPricing};
use super::super::path;
use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::money;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    /// The card's number, oldest first: one `INSERT` per card.
    pub(super) card: usize,
    /// The service a matching call is priced and counted as: the one it names, or the
    /// one the API re-routes it to.
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
    /// API path → the services that bill it, in the order the cards list them, and on
    /// a shared path the service of a call that names no model (the newest card's
    /// `default-model` there).
    paths: Vec<Billed>,
}

struct Billed {
    path: String,
    services: Vec<usize>,
    default: Option<usize>,
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
                    let default = s.default_model.then_some(svc);
                    match n.paths.iter_mut().find(|q| &q.path == p) {
                        Some(q) => {
                            if !q.services.contains(&svc) {
                                q.services.push(svc);
                            }
                            q.default = q.default.or(default);
                        }
                        None => n.paths.push(Billed {
                            path: p.clone(),
                            services: vec![svc],
                            default,
                        }),
                    }
                }
            }
        }
        n
    }

    /// The id of the service `id` names, as the newest card spells it.
    fn id_of(&self, id: &str) -> Option<&str> {
        let n = *self.number.get(&id.to_ascii_lowercase())?;
        self.ids.get(n).map(String::as_str)
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
            let Some(&svc) = names.number.get(&s.id.to_ascii_lowercase()) else {
                continue;
            };
            // What a call of `s` is priced as, and from which day: `s` itself while it is
            // sold, and, when the API re-routes its calls after its end (SD 3.0 to 3.5),
            // the service on this card they run as from that day.
            let mut pricings: Vec<(&Service, Option<Date>)> = Vec::new();
            if s.credits.is_some() {
                pricings.push((s, s.available_from));
            }
            if let Some(dep) = &s.deprecated {
                let to = dep.rerouted_to.as_deref().and_then(|to| card.find(to));
                if let Some(to) = to.filter(|t| t.credits.is_some()) {
                    pricings.push((to, Some(dep.date).max(to.available_from)));
                }
            }
            for (priced, starts) in pricings {
                let keys = Keys {
                    names: &names,
                    svc,
                    called: &s.id,
                };
                let id = names.id_of(&priced.id).unwrap_or(&priced.id);
                let row = priced_row(card, i, priced, id, from.max(starts), until, undated_day)?;
                keys.rows(&row, &mut rows)?;
            }
        }
    }
    Ok(rows)
}

/// A row's price: `priced` (reported as `id`, the newest card's spelling) on card number
/// `index`, from `first` (the card's first day, or
/// the service's when later) to `until`.
fn priced_row(
    card: &RateCard,
    index: usize,
    priced: &Service,
    id: &str,
    first: Option<Date>,
    until: Option<Date>,
    undated_day: Date,
) -> UserResult<Row> {
    let credits = priced.credits.unwrap_or_default();
    let step_credits = match priced.steps {
        Some(st) => Some(st.per_step_credits(credits).ok_or_else(|| {
            UserError::new(format!(
                "the price per step of '{}' ({} / {}) is not an exact decimal, so SQL cannot hold it",
                priced.id,
                money::decimal_plain(credits),
                st.included
            ))
        })?),
        None => None,
    };
    Ok(Row {
        card: index,
        service: id.to_owned(),
        endpoint: None,
        name: None,
        credits,
        step_credits,
        steps: priced.steps,
        per_sample: priced.per_sample,
        credit_usd: card.billing.credit_usd,
        from: first,
        until,
        sold_until: priced.deprecated.as_ref().map(|d| d.date.pred()),
        undated_day,
    })
}

/// The ways a call names service number `svc` (whose id on this card is `called`).
struct Keys<'n> {
    names: &'n Names,
    svc: usize,
    called: &'n str,
}

impl Keys<'_> {
    /// A copy of `row` for each: each path of the service (on a shared path, each of its
    /// names a call's `model` may give, and '' when it is the path's default), and each
    /// of its names a call's `service` may give.
    fn rows(&self, row: &Row, out: &mut Vec<Row>) -> UserResult<()> {
        let keyed = |endpoint: Option<&str>, name: Option<&str>| Row {
            endpoint: endpoint.map(str::to_owned),
            name: name.map(str::to_owned),
            ..row.clone()
        };
        let names = || self.names.of(self.svc);
        for p in self
            .names
            .paths
            .iter()
            .filter(|p| p.services.contains(&self.svc))
        {
            if path::is_pattern(&p.path) {
                return Err(UserError::new(format!(
                    "'{}' bills '{}', a path with a {{…}} segment: the SQL matches whole paths only",
                    self.called, p.path
                ))
                .hint("write the paths the service is called on, one by one, in the card's `endpoint`"));
            }
            if let [_] = p.services.as_slice() {
                out.push(keyed(Some(&p.path), None));
            } else {
                out.extend(names().map(|name| keyed(Some(&p.path), Some(name))));
                if p.default == Some(self.svc) {
                    out.push(keyed(Some(&p.path), Some("")));
                }
            }
        }
        out.extend(names().map(|name| keyed(None, Some(name))));
        Ok(())
    }
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

#[cfg(test)]
mod forms {
    use super::*;

    #[test]
    fn a_default_model_a_first_day_and_a_re_routing_have_their_rows() {
        // a3 appears on 2026-05-20; on the shared path /a, a2 is the default model; b0 is
        // re-routed to a2 from its end on 2025-04-17, at a2's price.
        let card = RateCard::parse(
            "[card]\nname = \"forms\"\n\n\
             [[services]]\nid = \"a2\"\ncredits = 17\nendpoint = \"/a\"\ndefault-model = true\n\
             steps = { included = 0, default = 50, min = 30, max = 100, per-step = 0.06 }\n\n\
             [[services]]\nid = \"a3\"\ncredits = 26\nendpoint = \"/a\"\navailable-from = \"2026-05-20\"\n\n\
             [[services]]\nid = \"b0\"\ncredits = 5\nendpoint = \"/b\"\n\
             deprecated = { date = \"2025-04-17\", replacements = [\"a2\"], rerouted-to = \"a2\" }\n",
            "test",
        )
        .unwrap();
        let rows = rows(&[card]).unwrap();
        let find = |endpoint: Option<&str>, name: Option<&str>, service: &str| {
            rows.iter()
                .find(|r| {
                    r.endpoint.as_deref() == endpoint
                        && r.name.as_deref() == name
                        && r.service == service
                })
                .unwrap_or_else(|| panic!("no row {endpoint:?} {name:?} {service}"))
        };
        let day = |s: &str| Date::parse(s).ok();
        // A call to /a that names no model is a2's; a2's steps above 0 cost 0.06 each.
        let a2 = find(Some("/a"), Some(""), "a2");
        assert_eq!(a2.step_credits, Some(Decimal::new(6, 2)));
        assert_eq!(a2.steps.map(|s| s.included), Some(0));
        assert!(
            rows.iter()
                .all(|r| r.name.as_deref() != Some("") || r.service == "a2")
        );
        // a3 is priced from its first day only.
        assert_eq!(find(Some("/a"), Some("a3"), "a3").from, day("2026-05-20"));
        assert_eq!(find(None, Some("a3"), "a3").from, day("2026-05-20"));
        // b0 is priced as itself until 2025-04-16, and as a2 from 2025-04-17.
        let own = find(Some("/b"), None, "b0");
        assert_eq!((own.from, own.sold_until), (None, day("2025-04-16")));
        let rerouted = find(Some("/b"), None, "a2");
        assert_eq!(
            (rerouted.from, rerouted.sold_until),
            (day("2025-04-17"), None)
        );
        assert_eq!(rerouted.credits, Decimal::from(17));
        assert_eq!(find(None, Some("b0"), "a2").from, day("2025-04-17"));
    }
}

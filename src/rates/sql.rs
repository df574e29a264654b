//! `stabcost rates --format sql`: the cards as one SQL table, for teams whose logs live
//! in a warehouse. Every price is an exact `DECIMAL` literal; each row says which days its
//! card was in force, so one join prices every call by the card of its day, as
//! `stabcost usage` does. The README shows the query (`DuckDB`, with notes for
//! `PostgreSQL`, `BigQuery` and Spark SQL), and `tests/sql/check.py` runs it against
//! `stabcost usage` on the same log.
//!
//! One row per card, service, API path and (on a path several services share, such as
//! the sd3 endpoint) each model name that selects the service; the path's default model
//! (`default-model`) has a row for a call that names none, model `''`. The SQL is standard:
//! `CREATE TABLE`, then one `INSERT` per card.

use super::model::{RateCard, Service};
use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::money;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The table's name.
pub const TABLE: &str = "stabcost_prices";

/// A SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn date(d: Option<Date>) -> String {
    d.map_or_else(|| "NULL".to_owned(), |d| format!("DATE '{d}'"))
}

fn decimal(d: Option<Decimal>) -> String {
    d.map_or_else(|| "NULL".to_owned(), money::decimal_plain)
}

/// One row of the table.
struct Row {
    /// The card's index: one `INSERT` per card.
    card: usize,
    service: String,
    endpoint: String,
    model: Option<String>,
    credits: Decimal,
    step_credits: Option<Decimal>,
    steps: Option<crate::rates::StepPricing>,
    per_sample: bool,
    credit_usd: Decimal,
    from: Option<Date>,
    until: Option<Date>,
    sold_until: Option<Date>,
}

/// The digits a `DECIMAL(p, s)` column needs to hold every value exactly.
fn precision(values: impl Iterator<Item = Decimal>) -> UserResult<(u32, u32)> {
    let (mut int, mut scale) = (1u32, 2u32);
    for v in values {
        let v = v.normalize();
        scale = scale.max(v.scale());
        let digits = v.trunc().abs().to_string().len();
        int = int.max(u32::try_from(digits).unwrap_or(u32::MAX));
    }
    let p = (int + scale).max(18);
    if p > 38 {
        return Err(UserError::new(
            "a price has more digits than a SQL DECIMAL holds (38)",
        ));
    }
    Ok((p, scale))
}

/// The SQL for `cards`, oldest first. With several cards, each is in force from its
/// effective date to the day before the next's; a single card (`--rates`, `--as-of`)
/// prices every call, whatever its date, as `usage` with that card does.
pub fn write(cards: &[RateCard]) -> UserResult<String> {
    let by_day = cards.len() > 1;
    let (rows, skipped) = rows(cards)?;
    render(cards, by_day, &rows, &skipped)
}

/// The table's rows, and the services no row can match (they have no path).
fn rows(cards: &[RateCard]) -> UserResult<(Vec<Row>, Vec<String>)> {
    let by_day = cards.len() > 1;
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
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
        let mut sharing: HashMap<&str, usize> = HashMap::new();
        for s in card.services.iter().filter(|s| s.credits.is_some()) {
            for p in &s.endpoints {
                *sharing.entry(p.as_str()).or_default() += 1;
            }
        }
        for s in &card.services {
            if s.credits.is_some() && s.endpoints.is_empty() {
                skipped.push(s.id.clone());
            }
            // What a logged call of `s` is priced as, and from which day: `s` itself, and,
            // when the API re-routes its calls after its end, the service they run as
            // from that day (SD 3.0 as SD 3.5).
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
            let names: Vec<String> = std::iter::once(&s.id)
                .chain(&s.aliases)
                .map(|n| n.to_ascii_lowercase())
                .collect();
            for (priced, starts) in pricings {
                let Some(credits) = priced.credits else {
                    continue;
                };
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
                // A service that appeared after its card took effect (or a re-routing) is
                // priced from its own first day (with a single card, from that day on).
                let first = match (from, starts) {
                    (Some(f), Some(a)) => Some(f.max(a)),
                    (f, a) => f.or(a),
                };
                // The last day on sale of the service the call is priced as (a
                // discontinued one's own row ends the day before its end date).
                let sold_until = priced.deprecated.as_ref().map(|d| d.date.pred());
                for p in &s.endpoints {
                    let models: Vec<Option<String>> = if sharing.get(p.as_str()) > Some(&1) {
                        // The default model also prices a call that names none ('').
                        let none = s.default_model.then(String::new);
                        names.iter().cloned().chain(none).map(Some).collect()
                    } else {
                        vec![None]
                    };
                    for model in models {
                        rows.push(Row {
                            card: i,
                            service: priced.id.clone(),
                            endpoint: p.clone(),
                            model,
                            credits,
                            step_credits,
                            steps: priced.steps,
                            per_sample: priced.per_sample,
                            credit_usd: card.billing.credit_usd,
                            from: first,
                            until,
                            sold_until,
                        });
                    }
                }
            }
        }
    }
    Ok((rows, skipped))
}

/// The SQL text: comments, `CREATE TABLE`, one `INSERT` per card.
fn render(
    cards: &[RateCard],
    by_day: bool,
    rows: &[Row],
    skipped: &[String],
) -> UserResult<String> {
    let (p, scale) = precision(
        rows.iter()
            .flat_map(|r| [Some(r.credits), r.step_credits, Some(r.credit_usd)])
            .flatten(),
    )?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- stabcost {}: `stabcost rates --format sql`",
        env!("CARGO_PKG_VERSION")
    );
    for c in cards {
        let _ = writeln!(
            out,
            "-- card: {} (effective {}, {})",
            c.provenance.name, c.provenance.effective, c.provenance.origin
        );
    }
    if !by_day {
        let _ = writeln!(
            out,
            "-- One card: it prices every call, whatever its date (effective_from and effective_until are NULL)."
        );
    }
    for id in skipped {
        let _ = writeln!(
            out,
            "-- '{id}' has no API path on the card: no row can match a logged call."
        );
    }
    let dec = format!("DECIMAL({p},{scale})");
    let dec_null = format!("{dec},");
    let _ = write!(
        out,
        "\
-- Prices are in credits, exact. A call costs `credits`, or, for a step-scaled service
-- above `steps_included` steps, `credits + step_credits * (steps - steps_included)`;
-- times the call's `samples` when `per_sample`. In dollars: credits * credit_usd.
-- Only 2xx calls are charged.
CREATE TABLE {TABLE} (
    service         VARCHAR(64)    NOT NULL, -- stabcost's service id
    endpoint        VARCHAR(200)   NOT NULL, -- the API path a call is made to
    model           VARCHAR(64),             -- on a path several services share: a model name, lower-case ('': none named)
    credits         {dec:<14} NOT NULL, -- credits per call (per image when per_sample)
    step_credits    {dec_null:<24} -- step-scaled: credits per step above steps_included
    steps_included  INTEGER,                 -- step-scaled: steps `credits` covers (0: none)
    steps_default   INTEGER,                 -- step-scaled: the steps of a call that gives none
    steps_min       INTEGER,                 -- step-scaled: fewest steps the API takes
    steps_max       INTEGER,                 -- step-scaled: most steps the API takes
    per_sample      BOOLEAN        NOT NULL, -- the price is per image: times the call's samples
    credit_usd      {dec:<14} NOT NULL, -- dollars per credit
    effective_from  DATE,                    -- first day of the row's price: the card's, or the service's when later (NULL: any day)
    effective_until DATE,                    -- last day of the card's prices (NULL: still in force)
    sold_until      DATE                     -- a discontinued service's last day on sale
);
"
    );
    for chunk in rows.chunk_by(|a, b| a.card == b.card) {
        let _ = writeln!(out, "INSERT INTO {TABLE} VALUES");
        let n = chunk.len();
        for (i, r) in chunk.iter().enumerate() {
            let st = r.steps;
            let _ = writeln!(
                out,
                "  ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}){}",
                text(&r.service),
                text(&r.endpoint),
                r.model.as_deref().map_or_else(|| "NULL".to_owned(), text),
                decimal(Some(r.credits)),
                decimal(r.step_credits),
                st.map_or_else(|| "NULL".to_owned(), |s| s.included.to_string()),
                st.map_or_else(|| "NULL".to_owned(), |s| s.default.to_string()),
                st.map_or_else(|| "NULL".to_owned(), |s| s.min.to_string()),
                st.map_or_else(|| "NULL".to_owned(), |s| s.max.to_string()),
                if r.per_sample { "TRUE" } else { "FALSE" },
                decimal(Some(r.credit_usd)),
                date(r.from),
                date(r.until),
                date(r.sold_until),
                if i + 1 == n { ";" } else { "," }
            );
        }
    }
    Ok(out)
}

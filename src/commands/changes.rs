//! `stabcost rates --changes`: every price that changed between consecutive built-in
//! cards, or between the card in use and another (`--against CARD_OR_DATE`).

use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::money::{self, Credits, Percent};
use crate::rates::changes::{self, ChangeKind};
use crate::rates::{Provenance, RateCard};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use serde::Serialize;
use std::path::Path;

/// The changes: JSON `compared` (the cards, earliest first) and `changes`.
#[derive(Debug, Serialize)]
pub(super) struct Changes {
    /// The latest card compared, which the envelope names.
    #[serde(skip)]
    latest: Provenance,
    compared: Vec<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<Date>,
    #[serde(rename = "changes")]
    lines: Vec<Line>,
    /// Billing facts that differ (the price of a credit changes every dollar figure).
    #[serde(rename = "billing_changes")]
    billing: Vec<BillingLine>,
}

/// One billing fact that differs.
#[derive(Debug, Serialize)]
struct BillingLine {
    date: Option<Date>,
    field: &'static str,
    before: String,
    after: String,
}

/// One service's change.
#[derive(Debug, Serialize)]
struct Line {
    date: Option<Date>,
    service: String,
    name: String,
    kind: ChangeKind,
    before_credits: Option<Credits>,
    after_credits: Option<Credits>,
    change_credits: Option<Credits>,
    change_percent: Option<Percent>,
}

/// Which cards to compare.
pub(super) enum Between {
    /// Each built-in card against the one before it.
    BuiltIn,
    /// `later` (the card in use) against `earlier`.
    Two {
        earlier: Box<RateCard>,
        later: Box<RateCard>,
    },
}

/// The earlier card of `--against`: a date picks the built-in card in force then,
/// anything else is a card file. Errors say what `--against` takes.
pub(super) fn against(text: &str) -> UserResult<RateCard> {
    let hint = "--against takes a date (YYYY-MM-DD) for a built-in card, or a card file";
    let retold = |e: UserError| {
        let mut e = UserError::new(e.message);
        e.hints = vec![hint.to_owned()];
        e
    };
    match Date::parse(text) {
        Ok(day) => RateCard::built_in_as_of(day).map_err(retold),
        Err(_) => RateCard::load(Path::new(text)).map_err(retold),
    }
}

pub(super) fn run(between: Between, since: Option<Date>) -> UserResult<Changes> {
    let pairs: Vec<(RateCard, RateCard)> = match between {
        Between::BuiltIn => {
            let cards = crate::rates::all_built_in()?;
            cards
                .windows(2)
                .filter_map(|w| Some((w.first()?.clone(), w.get(1)?.clone())))
                .collect()
        }
        Between::Two { earlier, later } => vec![(*earlier, *later)],
    };
    let mut compared: Vec<Provenance> = Vec::new();
    let mut lines = Vec::new();
    let mut billing_changes = Vec::new();
    for (earlier, later) in &pairs {
        if since.is_none_or(|s| later.effective_from.is_none_or(|d| d >= s)) {
            billing_changes.extend(
                changes::billing_between(earlier, later)
                    .into_iter()
                    .map(|b| BillingLine {
                        date: later.effective_from,
                        field: b.field,
                        before: b.before,
                        after: b.after,
                    }),
            );
        }
        for p in [&earlier.provenance, &later.provenance] {
            if !compared.contains(p) {
                compared.push(p.clone());
            }
        }
        for c in changes::between(earlier, later) {
            // An undated change cannot be placed before --since: it is kept.
            if since.is_some_and(|s| c.date.is_some_and(|d| d < s)) {
                continue;
            }
            let change = match (c.before, c.after) {
                (Some(b), Some(a)) => money::sub(a, b).ok().map(Credits::new),
                _ => None,
            };
            lines.push(Line {
                date: c.date,
                service: c.service.id.clone(),
                name: c.service.name.clone(),
                kind: c.kind,
                before_credits: c.before.map(Credits::new),
                after_credits: c.after.map(Credits::new),
                change_credits: change,
                change_percent: match (c.kind, c.before, c.after) {
                    (ChangeKind::Price, Some(b), Some(a)) => Percent::change(b, a),
                    _ => None,
                },
            });
        }
    }
    lines.sort_by_key(|l| l.date);
    let latest = match compared.last() {
        Some(p) => p.clone(),
        // A single built-in card: nothing to compare it with.
        None => RateCard::built_in()?.provenance,
    };
    Ok(Changes {
        latest,
        compared,
        since,
        lines,
        billing: billing_changes,
    })
}

impl Report for Changes {
    fn command(&self) -> &'static str {
        "rates"
    }

    fn rate_card(&self) -> &Provenance {
        &self.latest
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Date", "date"),
            Column::text("Service", "service"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("Before", "before_credits"),
            Column::number("After", "after_credits"),
            Column::number("Change", "change_credits"),
            // At narrow widths what happened wraps, then goes; the figures stay.
            Column::number("%", "change_percent"),
            Column::text("What", "kind").shrink(Shrink::Wrap { rank: 2, min: 8 }),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        let credits = |c: Option<Credits>| c.map_or(Cell::Empty, Cell::Credits);
        let change = |c: Option<Credits>| c.map_or(Cell::Empty, Cell::CreditsChange);
        Box::new(self.lines.iter().map(move |l| {
            vec![
                Cell::Text(
                    l.date
                        .map_or_else(|| "undated".to_owned(), |d| d.to_string()),
                ),
                Cell::Text(l.service.clone()),
                Cell::Text(l.name.clone()),
                credits(l.before_credits),
                credits(l.after_credits),
                change(l.change_credits),
                l.change_percent.map_or(Cell::Empty, Cell::PercentChange),
                Cell::Text(l.kind.as_str().to_owned()),
            ]
        }))
    }

    fn summary(&self) -> Vec<String> {
        let cards: Vec<String> = self.compared.iter().map(Provenance::label).collect();
        let count = self
            .lines
            .iter()
            .filter(|l| l.kind == ChangeKind::Price)
            .count();
        let mut lines = vec![format!(
            "{} between {}{}.",
            money::count_of(count as u64, "price change"),
            cards.join(" and "),
            self.since
                .map(|d| format!(", from {d} on"))
                .unwrap_or_default()
        )];
        for b in &self.billing {
            lines.push(format!(
                "billing {}: {} → {}{}",
                b.field,
                b.before,
                b.after,
                if b.field == "credit-usd" {
                    "; every dollar figure changes with it"
                } else {
                    ""
                }
            ));
        }
        if self.lines.iter().any(|l| l.kind == ChangeKind::New) {
            lines.push(
                "\"no earlier price\": the earlier card has no price for the service (for the built-in cards: no source from that period was found)."
                    .into(),
            );
        }
        lines
    }
}

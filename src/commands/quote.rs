//! `stabcost quote SERVICE`: N calls of one service.

use super::footer::{self, Purchase};
use super::request;
use crate::engine::{self, Line, Step, Workload};
use crate::error::{UserError, UserResult};
use crate::money::Amount;
use crate::rates::{Provenance, RateCard, Service};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use crate::text::echo;
use rust_decimal::Decimal;
use serde::Serialize;

/// A priced quote: JSON `count`, `lines`, `total`, then the purchase.
#[derive(Debug, Serialize)]
pub(super) struct Quote<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    count: u64,
    lines: Vec<Line<'c>>,
    total: Amount,
    #[serde(flatten)]
    purchase: Purchase,
    notes: Vec<String>,
}

pub(super) fn run<'c>(card: &'c RateCard, args: &request::Quote) -> UserResult<Quote<'c>> {
    let service = resolve(card, args)?;
    let priced = engine::price(
        &card.billing,
        &Workload {
            steps: vec![Step::once(service, args.steps)],
            count: args.count,
        },
    )?;
    Ok(Quote {
        purchase: Purchase::new(&card.billing, priced.total.credits, args.free)?,
        notes: footer::volume_note(&card.billing, Decimal::from(args.count))
            .into_iter()
            .collect(),
        card,
        count: priced.count,
        lines: priced.lines,
        total: priced.total,
    })
}

/// The service asked for. Spaces and a newline around the name are ignored, as in
/// workflow expressions; a pipeline or a step count written in the name is pointed at
/// the command or option that takes it.
fn resolve<'c>(card: &'c RateCard, args: &request::Quote) -> UserResult<&'c Service> {
    let name = args.service.trim();
    let written = |e: UserError| -> UserError {
        let count = if args.count == 1 {
            String::new()
        } else {
            format!(" --count {}", args.count)
        };
        let hint = if name.contains(['+', '*']) {
            format!(
                "quote prices one service; price a pipeline with `stabcost workflow {}{count}`",
                shell_word(name)
            )
        } else if let Some((svc, steps)) = name
            .split_once('@')
            .filter(|(svc, _)| card.find(svc.trim()).is_some())
        {
            format!(
                "give the step count as an option: `stabcost quote {} --steps {}{count}`",
                shell_word(svc.trim()),
                shell_word(steps.trim())
            )
        } else {
            return e;
        };
        UserError {
            message: e.message,
            hints: vec![hint],
        }
    };
    card.resolve(name).map_err(written)
}

/// `word` as a shell would need it typed: as is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '@' | '.' | '-' | '_' | ','));
    if plain && !word.is_empty() {
        echo(word)
    } else {
        format!("'{}'", echo(word).replace('\'', "'\\''"))
    }
}

impl Report for Quote<'_> {
    fn command(&self) -> &'static str {
        "quote"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Service", "service"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("Credits each", "credits_each"),
            Column::number("USD each", "usd_each"),
            Column::number("Count", "count"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.lines.iter().map(|line| {
            vec![
                Cell::Text(line.label()),
                Cell::Text(line.service.name.clone()),
                Cell::Credits(line.each.credits),
                Cell::Usd(line.each.usd),
                Cell::count(self.count),
                Cell::Credits(line.total.credits),
                Cell::Usd(line.total.usd),
            ]
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        Some(vec![
            Cell::Total,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::count(self.count),
            Cell::Credits(self.total.credits),
            Cell::Usd(self.total.usd),
        ])
    }

    fn summary(&self) -> Vec<String> {
        self.purchase.lines()
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

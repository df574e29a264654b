//! `stabcost quote SERVICE`: N calls of one service.

use super::footer::Purchase;
use crate::cli::QuoteArgs;
use crate::engine::{self, Line, Step, Workload};
use crate::error::UserResult;
use crate::money::Amount;
use crate::rates::{Provenance, RateCard};
use crate::report::{Cell, Column, Report, Rows};
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
}

pub(super) fn run<'c>(card: &'c RateCard, args: &QuoteArgs) -> UserResult<Quote<'c>> {
    let service = card.resolve(&args.service)?;
    let priced = engine::price(
        &card.billing,
        &Workload {
            steps: vec![Step::once(service, args.steps)],
            count: args.count,
        },
    )?;
    Ok(Quote {
        purchase: Purchase::new(&card.billing, priced.total.credits, args.free.get())?,
        card,
        count: priced.count,
        lines: priced.lines,
        total: priced.total,
    })
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
            Column::text("Name", "name"),
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
                Cell::Count(self.count),
                Cell::Credits(line.total.credits),
                Cell::Usd(line.total.usd),
            ]
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        Some(vec![
            Cell::Text("total".into()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Count(self.count),
            Cell::Credits(self.total.credits),
            Cell::Usd(self.total.usd),
        ])
    }

    fn summary(&self) -> Vec<String> {
        self.purchase.lines()
    }
}

//! `stabcost rates --history`: the built-in cards, and the days each was in force.

use crate::date::Date;
use crate::error::UserResult;
use crate::rates::{BUILT_IN_CARDS, Provenance, RateCard};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use serde::Serialize;

/// Every built-in card, oldest first: JSON `cards`.
#[derive(Debug, Serialize)]
pub(super) struct History {
    /// The current card, which the envelope names.
    #[serde(skip)]
    current: Provenance,
    cards: Vec<Period>,
}

/// One built-in card and its period.
#[derive(Debug, Serialize)]
struct Period {
    effective_from: Date,
    /// The day before the next card's; `None` for the card in force today.
    effective_until: Option<Date>,
    name: String,
    source: String,
    /// Services it prices (discontinued ones it still lists without a price excluded).
    services: usize,
    file: &'static str,
}

pub(super) fn run() -> UserResult<History> {
    let mut cards = Vec::with_capacity(BUILT_IN_CARDS.len());
    let mut current = None;
    for (i, c) in BUILT_IN_CARDS.iter().enumerate() {
        let card: RateCard = c.load()?;
        cards.push(Period {
            effective_from: c.effective_from(),
            effective_until: BUILT_IN_CARDS
                .get(i + 1)
                .map(|next| next.effective_from().pred()),
            services: card
                .services()
                .iter()
                .filter(|s| s.credits.is_some())
                .count(),
            name: card.provenance.name.clone(),
            source: card.provenance.source.clone(),
            file: c.file,
        });
        // The last card loaded is the current one: no need to read it again.
        current = Some(card.provenance);
    }
    Ok(History {
        current: match current {
            Some(p) => p,
            None => RateCard::built_in()?.provenance,
        },
        cards,
    })
}

impl Report for History {
    fn command(&self) -> &'static str {
        "rates"
    }

    fn rate_card(&self) -> &Provenance {
        &self.current
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("From", "effective_from"),
            Column::text("Until", "effective_until"),
            Column::number("Services", "services"),
            Column::text("File", "file").shrink(Shrink::Drop { rank: 1 }),
            Column::text("Source", "source").shrink(Shrink::Wrap { rank: 2, min: 20 }),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.cards.iter().map(|p| {
            vec![
                Cell::Text(p.effective_from.to_string()),
                p.effective_until
                    .map_or_else(|| Cell::word("today"), |d| Cell::Text(d.to_string())),
                Cell::count(p.services as u64),
                Cell::Text(p.file.to_owned()),
                Cell::Text(p.source.clone()),
            ]
        }))
    }

    fn summary(&self) -> Vec<String> {
        vec![
            "--as-of DATE prices with the card in force on DATE; `stabcost rates --changes` lists what changed.".into(),
        ]
    }
}

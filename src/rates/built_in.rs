//! The cards compiled into the binary, one per period of Stability's list prices, and
//! which one is in force on a day: data and a date choice. Each is parsed on demand by
//! the same loader `--rates` uses (`load.rs`, [`BuiltInCard::load`]).
//!
//! A card is in force from its effective date until the day before the next card's.
//! Adding one is adding its file under `rates/` and a line to [`BUILT_IN_CARDS`]; a test
//! checks that the line's date is the card's own.

use super::model::RateCard;
use crate::date::Date;
use crate::error::{UserError, UserResult};

/// One built-in card: where its text comes from, and the day its prices took effect.
#[derive(Debug, Clone, Copy)]
pub struct BuiltInCard {
    /// Its path in the repository, for messages about it.
    pub file: &'static str,
    /// `[card] effective`, repeated here so choosing a card by date parses only that card.
    pub effective: &'static str,
    pub text: &'static str,
}

/// Every built-in card, oldest first.
pub const BUILT_IN_CARDS: &[BuiltInCard] = &[
    BuiltInCard {
        file: "rates/stability-2024-12-30.toml",
        effective: "2024-12-30",
        text: include_str!("../../rates/stability-2024-12-30.toml"),
    },
    BuiltInCard {
        file: "rates/stability.toml",
        effective: "2025-08-01",
        text: include_str!("../../rates/stability.toml"),
    },
];

/// The card in force today: the newest.
pub(super) fn current() -> &'static BuiltInCard {
    // The list is a non-empty constant.
    #[allow(
        clippy::indexing_slicing,
        reason = "BUILT_IN_CARDS is a non-empty constant"
    )]
    &BUILT_IN_CARDS[BUILT_IN_CARDS.len() - 1]
}

/// Every built-in card, parsed and validated, oldest first.
pub fn all_built_in() -> UserResult<Vec<RateCard>> {
    BUILT_IN_CARDS.iter().map(BuiltInCard::load).collect()
}

impl BuiltInCard {
    /// The day this card took effect.
    pub fn effective_from(&self) -> Date {
        // Checked by a test for every card in the list.
        Date::parse(self.effective).unwrap_or(Date::from_days(0))
    }
}

impl RateCard {
    /// The built-in card in force today.
    pub fn built_in() -> UserResult<RateCard> {
        current().load()
    }

    /// The built-in card in force on `day` (`--as-of`), marked as priced for that day,
    /// so a service discontinued later can still be quoted.
    pub fn built_in_as_of(day: Date) -> UserResult<RateCard> {
        let Some(card) = BUILT_IN_CARDS
            .iter()
            .rev()
            .find(|c| c.effective_from() <= day)
        else {
            let oldest = BUILT_IN_CARDS.first().map_or("", |c| c.effective);
            return Err(UserError::new(format!(
                "no built-in card covers {day}: the oldest takes effect on {oldest}"
            ))
            .hint(format!(
                "give --as-of {oldest} or later; `stabcost rates --history` lists the cards"
            )));
        };
        let mut card = card.load()?;
        card.as_of = Some(day);
        Ok(card)
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn every_built_in_card_loads_and_its_date_is_its_own() {
        let mut previous = None;
        for c in BUILT_IN_CARDS {
            let card = c.load().unwrap();
            assert_eq!(card.provenance.effective, c.effective, "{}", c.file);
            assert_eq!(card.effective_from, Some(c.effective_from()), "{}", c.file);
            assert_eq!(card.provenance.origin, super::super::model::Origin::BuiltIn);
            assert!(
                previous < Some(c.effective_from()),
                "{} is out of order",
                c.file
            );
            previous = Some(c.effective_from());
        }
    }

    #[test]
    fn the_current_card() {
        let card = RateCard::built_in().unwrap();
        assert_eq!(card.services.len(), 31);
        assert_eq!(card.resolve("RMBG").unwrap().id, "remove-background");
        assert_eq!(card.closest("ultar"), Some("ultra"));
    }

    #[test]
    fn the_version_names_the_current_cards_date() {
        // build.rs reads the date from the same file for `--version`.
        assert_eq!(env!("STABCOST_CARD_EFFECTIVE"), current().effective);
    }

    #[test]
    fn a_day_picks_the_card_in_force() {
        let day = |s: &str| Date::parse(s).unwrap();
        let on = |s: &str| {
            RateCard::built_in_as_of(day(s))
                .unwrap()
                .provenance
                .effective
        };
        assert_eq!(on("2024-12-30"), "2024-12-30");
        assert_eq!(on("2025-07-31"), "2024-12-30");
        assert_eq!(on("2025-08-01"), "2025-08-01");
        assert_eq!(on("2030-01-01"), "2025-08-01");
        let err = RateCard::built_in_as_of(day("2024-12-29")).unwrap_err();
        assert!(err.message.contains("2024-12-30"), "{}", err.message);
    }
}

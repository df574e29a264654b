//! The card compiled into the binary: its TOML text, parsed on demand by the same loader
//! `--rates` uses, so the built-in card and a user's card can never be read differently.
//!
//! The parse costs about 60 µs, well inside the start-up budget (SPEC section 11), and
//! only commands that price anything pay it.

use super::model::RateCard;
use crate::error::UserResult;

/// The built-in card's TOML text.
pub const BUILT_IN: &str = include_str!("../../rates/stability.toml");

impl RateCard {
    /// The card compiled into the binary.
    pub fn built_in() -> UserResult<RateCard> {
        RateCard::parse(BUILT_IN, "built-in")
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn built_in_card_loads() {
        let card = RateCard::built_in().unwrap();
        assert_eq!(card.services.len(), 28);
        assert_eq!(card.provenance.origin, "built-in");
        assert_eq!(card.resolve("RMBG").unwrap().id, "remove-background");
        assert_eq!(card.closest("ultar"), Some("ultra"));
    }

    #[test]
    fn the_version_names_the_built_in_cards_date() {
        // build.rs reads the date from the same file for `--version`.
        let card = RateCard::built_in().unwrap();
        assert_eq!(env!("STABCOST_CARD_EFFECTIVE"), card.provenance.effective);
    }
}

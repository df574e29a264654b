//! The rate card: what every Stability service costs, and the billing facts around it.
//!
//! One job per file:
//! - [`model`]: what a loaded card holds, as plain data;
//! - `format`: the card's TOML read into a draft that keeps every value's position
//!   (through `crate::document`, the reader plan files use too);
//! - `validate`: from a draft to a checked [`RateCard`], defaults filled in;
//! - `overlay`: a card that `extends = "built-in"`, laid over the built-in one;
//! - `load`: reading a file and choosing how to validate it;
//! - `built_in`: the cards compiled into the binary, one per period of prices;
//! - `lookup`: finding a service by what a user typed;
//! - [`path`]: the API paths services bill, and a logged endpoint reduced to one.
//!
//! Prices are read from the digits written in the file, never through a float, so `0.1`
//! is exactly one tenth.

mod built_in;
pub mod changes;
mod format;
mod load;
mod lookup;
pub mod model;
mod overlay;
pub mod path;
pub mod sql;
mod validate;

pub use built_in::{BUILT_IN_CARDS, BuiltInCard, all_built_in};
pub use model::{
    Billing, Category, Deprecation, Origin, Provenance, RateCard, Removed, SelfHost, Service,
    StepPriceError, StepPricing, UserPays,
};

use crate::date::Date;
use crate::error::UserResult;
use std::path::Path;

/// The card to price with: the file at `path`, else the built-in card in force on
/// `as_of`, else the current built-in card.
pub fn select(path: Option<&Path>, as_of: Option<Date>) -> UserResult<RateCard> {
    match (path, as_of) {
        (Some(path), _) => RateCard::load(path),
        (None, Some(day)) => RateCard::built_in_as_of(day),
        (None, None) => RateCard::built_in(),
    }
}

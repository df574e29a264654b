//! The rate card: what every Stability service costs, and the billing facts around it.
//!
//! One job per file:
//! - [`model`]: what a loaded card holds, as plain data;
//! - `format`: the TOML tables as serde reads them (the only place TOML is read);
//! - `validate`: from TOML text to a checked [`RateCard`], with file, line and column;
//! - `lookup`: finding a service by what a user typed;
//! - `built_in`: the cards compiled into the binary.
//!
//! Prices are read from the digits written in the file, never through a float, so `0.1`
//! is exactly one tenth.

mod built_in;
mod format;
mod lookup;
pub mod model;
mod validate;

pub use built_in::BUILT_IN;
pub use model::{
    Billing, Category, Deprecation, Provenance, RateCard, SelfHost, Service, StepPricing, UserPays,
};

use crate::error::UserResult;
use std::path::Path;

/// The card to price with: the file at `path`, or the built-in card without one.
pub fn select(path: Option<&Path>) -> UserResult<RateCard> {
    match path {
        Some(path) => RateCard::load(path),
        None => RateCard::built_in(),
    }
}

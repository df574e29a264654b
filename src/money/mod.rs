//! Exact decimal arithmetic, the amounts stabcost prices in, and their display rules.
//!
//! `rust_decimal` rounds silently when a product or sum needs more than 28 digits; a
//! cost calculator must not. [`mul`] and [`add`] therefore work on exact integer
//! mantissas in `i128` and return [`Overflow`] whenever the exact result does not fit a
//! `Decimal`, so every figure stabcost prints is either exact or an error. [`Credits`]
//! and [`Usd`] carry that checked arithmetic and serialize as decimal strings; [`Ratio`],
//! [`Percent`] and [`Approx`] are the figures that are rounded, once, and say so. No
//! `f64` anywhere. One job per file: `exact` (the arithmetic), `amount` (credits,
//! dollars), `rounded` (the rounded figures), `display` (how figures are written).
//! Reading numbers as people write them is `crate::number`'s job.

mod amount;
mod display;
mod exact;
mod rounded;

pub use amount::{Amount, Credits, Usd};
pub use display::{
    count_display, count_of, decimal_display, decimal_fixed, decimal_plain, serialize_decimal,
    usd_display, usd_plain,
};
pub use exact::{
    MAX_SCALE, add, ceil_div, div_exact, div_rounded, floor_div, mul, round_significant, sub, sum,
};
pub use rounded::{Approx, Percent, Ratio};

use std::fmt;

/// A figure that cannot be held exactly: too large, or with more decimal places than
/// a `Decimal` holds (28). The two are told apart so a message can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// The whole part does not fit.
    TooLarge,
    /// The whole part fits, but not every decimal place.
    TooPrecise,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Overflow::TooLarge => "the figure is too large to compute exactly",
            Overflow::TooPrecise => {
                "the figure has more decimal places than stabcost can hold exactly (28)"
            }
        })
    }
}

impl std::error::Error for Overflow {}

//! stabcost: exact costs for the Stability AI image API.
//!
//! A [`RateCard`] (TOML, built in or loaded with `--rates`) says what every service
//! costs in credits. A step expression such as `core+rmbg+upscale-conservative` is
//! parsed ([`workflow`]) and resolved against the card ([`pipeline`]) into steps; the
//! [`engine`] prices them for a number of assets with exact decimal arithmetic
//! ([`money`]: no float anywhere), and every figure is an [`Amount`] in credits and
//! dollars:
//!
//! ```
//! use stabcost::{RateCard, Workload};
//!
//! let card = RateCard::built_in()?;
//! let pipeline = stabcost::pipeline::compile(&card, "core+rmbg+upscale-conservative")?;
//! let bill = stabcost::price(&card.billing, &Workload { steps: pipeline.steps, count: 100 })?;
//! // 3 + 5 + 40 = 48 credits an asset; 100 assets are 4,800 credits, $48.00.
//! assert_eq!(bill.per_asset.credits.to_string(), "48");
//! assert_eq!(bill.total.usd.to_string(), "$48.00");
//! # Ok::<(), stabcost::UserError>(())
//! ```
//!
//! Each subcommand in [`commands`] turns its request ([`commands::request`], made from
//! the [`cli`]'s arguments) into a typed result that serializes as JSON and implements
//! [`report::Report`] for the other formats; one renderer per format writes it to a
//! sink, and the command's [`report::Outcome`] sets the exit code. [`plan`] and
//! [`usage`] are the plan-file and log subsystems. `main.rs` only hands over standard
//! output and prints errors.

pub mod cli;
pub mod commands;
pub mod date;
mod diagnostics;
mod document;
pub mod engine;
pub mod error;
pub mod input;
pub mod money;
pub mod number;
pub mod pipeline;
pub mod plan;
pub mod rates;
pub mod report;
pub mod selfhost;
#[cfg(feature = "serve")]
pub mod serve;
pub mod text;
pub mod usage;
pub mod workflow;

/// Internals the fuzz targets in `fuzz/` check, with the `fuzzing` feature; not part of
/// the library's API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::usage::fuzzing::{Keys, differential};
}

pub use engine::{Priced, Workload, price};
pub use error::{UserError, UserResult};
pub use money::{Amount, Credits, Usd};
pub use rates::RateCard;

use std::fmt::Write as _;
/// Exit code for a mistake in the user's input.
pub const EXIT_USER: u8 = 2;
/// Exit code for anything else that failed (an I/O error).
pub const EXIT_FAILURE: u8 = 1;

/// The text to print on standard error for `err`, and the exit code it earns:
/// `error: …` with the whole cause chain, then any `hint: …` lines.
pub fn describe_error(err: &anyhow::Error) -> (String, u8) {
    let mut text = format!("error: {err:#}\n");
    let user = err.chain().find_map(|e| e.downcast_ref::<UserError>());
    for hint in user.iter().flat_map(|u| &u.hints) {
        let _ = writeln!(text, "hint: {hint}");
    }
    (
        text,
        if user.is_some() {
            EXIT_USER
        } else {
            EXIT_FAILURE
        },
    )
}

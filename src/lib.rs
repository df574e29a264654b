//! stabcost: exact costs for the Stability AI image API.
//!
//! A [`rates::RateCard`] (TOML, built in or loaded with `--rates`) says what every
//! service costs in credits. The [`engine`] prices a [`engine::Workload`] (a pipeline of
//! steps applied to a number of assets) with exact decimal arithmetic ([`money`]). Each
//! subcommand in [`commands`] turns its arguments ([`cli`]; step expressions through
//! [`workflow`]) into a typed result that serializes as JSON and implements
//! [`report::Report`] for the table, CSV and Markdown views; one renderer per format
//! writes it to a sink, and the command's [`report::Outcome`] sets the exit code.
//! `main.rs` only hands over standard output and prints errors.

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

use error::UserError;
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

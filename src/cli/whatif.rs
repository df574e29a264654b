//! `usage --what-if`, `--what-if-rates`, `--levers` and the reuse flags (README, "What
//! would it have cost?"), flattened into `UsageArgs`.

use super::values::Number;
use crate::number;
use clap::Args;
use rust_decimal::Decimal;

const HEADING: &str = "What would it have cost?";

/// `--what-if FROM=TO`: a service's calls, priced as another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    pub from: String,
    pub to: String,
}

/// `FROM=TO`, each side an id or alias.
fn parse_swap(s: &str) -> Result<Swap, String> {
    let expected = "it takes FROM=TO, two services (ids or aliases), as in ultra=core";
    let Some((from, to)) = s.split_once('=') else {
        return Err(format!("no '=': {expected}"));
    };
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() || to.is_empty() || to.contains('=') {
        return Err(expected.to_owned());
    }
    Ok(Swap {
        from: from.to_owned(),
        to: to.to_owned(),
    })
}

/// What the calls of the log would have cost: on other services, under another card,
/// reusing repeated prompts, and the guide's levers.
#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// Price every charged call of FROM as TO (ids or aliases, the same kind of
    /// service), by the card in force on its day; repeatable
    #[arg(long = "what-if", value_name = "FROM=TO", value_parser = parse_swap,
          conflicts_with_all = ["plan", "what_if_rates", "levers"], help_heading = HEADING)]
    pub what_if: Vec<Swap>,

    /// The whole log under another card: a card file (an overlay such as
    /// examples/negotiated.toml), or a day (YYYY-MM-DD) for the built-in card then
    #[arg(long, value_name = "CARD", conflicts_with_all = ["plan", "levers"],
          help_heading = HEADING)]
    pub what_if_rates: Option<String>,

    /// The pricing guide's cost levers measured on the log: the cheapest model, Fast
    /// and Conservative upscales, reuse, bulk pricing, self-hosting
    #[arg(long, conflicts_with = "plan", help_heading = HEADING)]
    pub levers: bool,

    /// The field that holds a call's prompt (or its hash) for the reuse figure, instead
    /// of prompt_hash and prompt
    #[allow(
        clippy::doc_markdown,
        reason = "clap prints this comment as the flag's help, where backticks would show"
    )]
    #[arg(long, value_name = "NAME", help_heading = HEADING)]
    pub prompt_field: Option<String>,

    /// Days from a paid call within which the same service and prompt repeat it (1:
    /// the same day) [default: 30]
    #[arg(long, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=3650), help_heading = HEADING)]
    pub reuse_window: Option<u32>,

    /// A dedicated GPU's price for a month (30 days) in USD: --levers' self-hosting row
    #[arg(long, value_name = "USD", allow_negative_numbers = true,
          requires_all = ["levers", "seconds_per_image"],
          value_parser = Number::new(number::parse_usd_positive, "a price greater than zero, such as 1800"),
          help_heading = HEADING)]
    pub gpu_monthly: Option<Decimal>,

    /// The entries the reuse figure keeps (default 917,504): a test's way to reach the cap
    #[arg(long, value_name = "N", hide = true,
          value_parser = clap::value_parser!(u32).range(1..=917_504))]
    pub reuse_limit: Option<u32>,

    /// GPU seconds per image, for --gpu-monthly
    #[arg(long, value_name = "S", allow_negative_numbers = true, requires = "gpu_monthly",
          value_parser = Number::new(number::parse_positive, "a number of seconds greater than zero, such as 4"),
          help_heading = HEADING)]
    pub seconds_per_image: Option<Decimal>,
}

impl WhatIfArgs {
    /// Whether any of the what-if reports is asked for.
    pub fn asked(&self) -> bool {
        !self.what_if.is_empty() || self.what_if_rates.is_some() || self.levers
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn a_swap_is_from_equals_to() {
        let s = parse_swap(" ultra = core ").unwrap();
        assert_eq!((s.from.as_str(), s.to.as_str()), ("ultra", "core"));
        for bad in ["ultra", "=core", "ultra=", "a=b=c", " = "] {
            assert!(parse_swap(bad).is_err(), "{bad}");
        }
    }
}

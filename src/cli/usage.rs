//! `stabcost usage`'s arguments (README, "Usage: what real calls cost"): the logs, how
//! to read and group them, and the reports besides the plain one, each group of flags
//! in a file of its own and flattened in (`actual.rs`).

use super::values::parse_date;
use super::{ActualArgs, WhatIfArgs};
use crate::date::Date;
use crate::usage::{GroupKey, Kind};
use clap::{Args, ValueEnum};

/// `stabcost usage --help`'s text after the flags.
pub(super) const AFTER_HELP: &str = "\
Each record is one call. Fields (JSON keys or CSV header names):
  ts|timestamp|time|created_at   RFC 3339 or Unix seconds
  endpoint|path|url, or service  what was called
  model                          for the shared sd3 endpoint
  status                         2xx is charged; none counts as charged
  steps, samples                 step-scaled prices (SDXL, Stable Audio 2), images a call
  tag|feature|user               for --group-by tag and --plan (or --tag-field)
  prompt_hash|prompt             a what-if's reuse figure (or --prompt-field)
Each call is priced by the built-in card in force on its day, unless --rates
or --as-of fixes one card. Every record is accounted for: charged, not
charged (non-2xx), not billable, unpriced, malformed, or outside
--since/--until.

--plan sets a month of calls against a plan (docs/formats.md): each workload
against the calls tagged with its name or its tags, the month-end forecast
from the last --window days, the runway of a --balance, and the spikes.

--what-if FROM=TO prices every charged call of FROM as TO by the card of its
day; --what-if-rates CARD prices the whole log under another card; --levers
measures the pricing guide's cost levers on the log. Each also counts the calls
that repeat a prompt within --reuse-window days. Figures only: what the same
calls would cost, never whether the results would serve as well.

Examples:
  stabcost usage calls.jsonl                     $0.175, by service
  stabcost usage calls.csv.gz --group-by month,service
  stabcost usage access.log --sd3-model medium  $0.145, sd3 calls as Medium
  kubectl logs api | stabcost usage - --group-by day --strict
  stabcost usage october.jsonl.gz --plan storefront.toml   $243.00 of $213.00 planned
  stabcost usage october.jsonl.gz --plan storefront.toml --balance 3000 --format markdown
  stabcost usage october.jsonl.gz --plan storefront.toml --budget 240 --fail-if-over  exits 3
  stabcost usage ultra.jsonl.gz --what-if ultra=core            $380.00 → $330.00
  stabcost usage ultra.jsonl.gz --what-if ultra=core --what-if upscale-creative=upscale-fast
  stabcost usage ultra.jsonl.gz --what-if-rates negotiated.toml  $380.00 → $360.00
  stabcost usage ultra.jsonl.gz --levers --gpu-monthly 1800 --seconds-per-image 4
  stabcost usage prompts.jsonl --levers --reuse-window 7         $2.97 of repeats";

/// `stabcost usage`.
#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Logs to read (.gz too); '-' or none reads standard input
    #[arg(value_name = "LOG")]
    pub logs: Vec<String>,

    /// What the logs hold, instead of what their names say (.jsonl, .csv, .log);
    /// standard input is read as jsonl
    #[arg(long, value_enum, value_name = "KIND")]
    pub input: Option<InputArg>,

    /// Rows for each value of these keys, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "service",
        value_name = "KEY[,KEY...]",
        hide_possible_values = false
    )]
    pub group_by: Vec<GroupByArg>,

    /// The field that labels a call for --group-by tag, instead of tag, feature or user
    #[arg(long, value_name = "NAME")]
    pub tag_field: Option<String>,

    /// Count only calls on or after this day (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,

    /// Count only calls on or before this day (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,

    /// The model of sd3 calls that name none, as in proxy (CLF) logs: sd3.5-large,
    /// sd3.5-large-turbo, sd3.5-medium, sd3.5-flash
    #[arg(long, value_name = "ID")]
    pub sd3_model: Option<String>,

    /// Exit 2 after the report when any record is unpriced or malformed
    #[arg(long)]
    pub strict: bool,

    /// Worker threads (default: the cores, at most 4)
    #[arg(long, value_name = "N", hide = true, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,

    /// `--plan` and what goes with it.
    #[command(flatten)]
    pub actual: ActualArgs,

    /// `--what-if`, `--what-if-rates`, `--levers` and what goes with them.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `--input` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputArg {
    /// One JSON object per line
    Jsonl,
    /// A header row naming the columns, then one row per call
    Csv,
    /// Common or Combined Log Format lines of a proxy
    Clf,
}

impl InputArg {
    /// The reader's kind.
    pub fn kind(self) -> Kind {
        match self {
            InputArg::Jsonl => Kind::Jsonl,
            InputArg::Csv => Kind::Csv,
            InputArg::Clf => Kind::Clf,
        }
    }
}

/// `--group-by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    /// The call's UTC day
    Day,
    /// Its ISO week (2026-W40)
    Week,
    /// Its month (2026-10)
    Month,
    /// The service priced
    Service,
    /// The API path matched
    Endpoint,
    /// The tag, feature or user field (or --tag-field)
    Tag,
    /// The HTTP status
    Status,
}

impl GroupByArg {
    /// The report's key.
    pub fn key(self) -> GroupKey {
        match self {
            GroupByArg::Day => GroupKey::Day,
            GroupByArg::Week => GroupKey::Week,
            GroupByArg::Month => GroupKey::Month,
            GroupByArg::Service => GroupKey::Service,
            GroupByArg::Endpoint => GroupKey::Endpoint,
            GroupByArg::Tag => GroupKey::Tag,
            GroupByArg::Status => GroupKey::Status,
        }
    }
}

//! The command line, as clap derive types. Only this module and `commands/` know clap.
//!
//! These are the "low" arguments, as typed; `commands/` turns them into engine types once.

mod actual;
mod argv;
pub mod exit;
pub mod serve;
mod usage;
mod values;
mod whatif;

use crate::date::Date;
use crate::engine::FreeCredits;
use crate::number;
use crate::plan::diff::Limit;
use crate::rates::Category;
use crate::rates::sql::Dialect;
pub use actual::ActualArgs;
use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::PathBuf;
pub use usage::{GroupByArg, InputArg, UsageArgs};
use values::{Number, parse_date, parse_limit, quantity, steps};
pub use whatif::{Swap, WhatIfArgs};

const ABOUT: &str = "Exact costs for the Stability AI image API, from a TOML rate card";

const LONG_ABOUT: &str = "\
Exact costs for the Stability AI image API, from a TOML rate card.

Stability bills per call in credits (1 credit = $0.01). stabcost prices single calls,
whole per-asset pipelines, model comparisons, monthly plans and budgets, decimal-exact:
no figure is rounded away, and every total equals the sum of its rows. The built-in
cards hold Stability's list prices in force since 2025-08-01 and before (--as-of DATE
picks one); --rates FILE (or STABCOST_RATES) uses another card.";

/// `0.1.0 (built-in rate card effective 2025-08-01)`: the version names the prices it holds.
/// build.rs sets the date from the card it compiles in.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (built-in rate card effective ",
    env!("STABCOST_CARD_EFFECTIVE"),
    ")"
);

const EXAMPLES: &str = "\
Examples:
  stabcost quote ultra --count 2000
  stabcost workflow core+rmbg+upscale-conservative --count 100
  stabcost compare --images 15000 --format markdown
  stabcost plan examples/plan.toml --months 12
  stabcost usage calls.jsonl --group-by month,service
  stabcost usage october.jsonl.gz --plan storefront.toml
  stabcost rates --category upscale";

/// stabcost's command line.
#[derive(Debug, Parser)]
#[command(
    name = "stabcost",
    version = VERSION,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 100,
    // A flag given twice means the last one, before or after the subcommand, as in
    // ripgrep and fd, so shell aliases can be overridden.
    args_override_self = true
)]
pub struct Cli {
    /// The `--rates` card; `commands` falls back to `STABCOST_RATES`, then the built-in one.
    #[arg(
        long,
        global = true,
        display_order = 90,
        value_name = "FILE",
        help = "Rate card to price with, instead of the built-in one [env: STABCOST_RATES]"
    )]
    pub rates: Option<PathBuf>,

    /// Price with the built-in card in force on this day (YYYY-MM-DD)
    #[arg(long, global = true, display_order = 91, value_name = "DATE",
          value_parser = parse_date)]
    pub as_of: Option<Date>,

    /// Output format
    #[arg(long, global = true, display_order = 92, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Price N calls of one service, with the top-up packs to buy
    #[command(after_help = "\
Examples:
  stabcost quote ultra --count 2000              16,000 credits, $160.00
  stabcost quote sdxl --steps 50                 1.5 credits, $0.015
  stabcost quote core --count 8 --free-credits   24 credits, inside the sign-up bonus")]
    Quote(QuoteArgs),

    /// Price a per-asset pipeline such as core+rmbg+upscale-conservative
    #[command(after_help = "\
Expression: steps joined by '+', each SERVICE[@STEPS][*MULT] or MULT*SERVICE.
  core*6 + rmbg + upscale-conservative   six drafts, one cleanup, one upscale per asset
  sdxl@50                                SDXL at 50 diffusion steps
  ultra*0.25                             a quarter of the assets redone on Ultra
--steps S prices every step-scaled step written without @S at S steps.
Use '-' to read the expression from standard input.

Examples:
  stabcost workflow core+rmbg+upscale-conservative        48 credits, $0.48 per asset
  stabcost workflow 'core*6 + rmbg + upscale-conservative' --count 100
  generate-pipeline | stabcost workflow - --count 500")]
    Workflow(WorkflowArgs),

    /// Compare every generation model at a volume or a budget, with self-hosting (and its
    /// break-even volume) and user-pays routes
    #[command(after_help = "\
Examples:
  stabcost compare --images 15000
  stabcost compare --users 500 --per-user 30 --with rmbg+upscale-conservative
  stabcost compare --images 15000 --gpu-hourly 2.50 --seconds-per-image 4
  stabcost compare --images 15000 --gpu-monthly 1800 --seconds-per-image 4
  stabcost compare --budget 100 --with rmbg")]
    Compare(CompareArgs),

    /// Price a monthly plan of several workloads against a budget, with a forecast
    #[command(after_help = "\
A plan file (TOML, see docs/formats.md) names each workload's pipeline and volume:
  name = \"Storefront app\"
  budget-usd = \"250\"
  [[workloads]]
  name = \"catalog\"
  pipeline = \"core\"
  per-month = 2000

Examples:
  stabcost plan examples/plan.toml                        $213.00 a month
  stabcost plan examples/plan.toml --months 12            a forecast with growth
  stabcost plan examples/plan.toml --budget 200 --fail-if-over   exits 3 when over
  git show main:plan.toml | stabcost plan -")]
    Plan(PlanArgs),

    /// What a change to a plan, or to the prices, does to the monthly bill
    #[command(after_help = "\
Examples:
  stabcost diff old-plan.toml plan.toml                   workload by workload
  git show main:plan.toml | stabcost diff - plan.toml --format markdown
  stabcost diff plan.toml --base-as-of 2025-07-01         the 2025-08-01 price change
  stabcost diff plan.toml --base-rates list.toml --rates negotiated.toml
  stabcost diff main.toml plan.toml --max-increase 10%    exits 3 above 10% more")]
    Diff(DiffArgs),

    /// Price a log of real API calls: JSONL, CSV or Common Log Format, gzipped or not
    #[command(after_help = usage::AFTER_HELP)]
    Usage(Box<UsageArgs>),

    /// Show the rate card: provenance, billing facts and every service
    #[command(after_help = "\
Examples:
  stabcost rates
  stabcost rates --category upscale
  stabcost rates --history
  stabcost rates --changes --since 2025-01-01
  stabcost rates --changes --rates negotiated.toml --against 2025-08-01
  stabcost rates --format json --rates my-card.toml
  stabcost rates --format sql > prices.sql               every built-in card, for DuckDB
  stabcost rates --format sql --dialect postgres --table billing.prices
  stabcost rates --format sql --query --dialect spark > price-calls.sql")]
    Rates(RatesArgs),
    Serve(serve::ServeArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "\
Examples:
  stabcost completions bash > ~/.local/share/bash-completion/completions/stabcost
  stabcost completions zsh > ~/.zfunc/_stabcost
  stabcost completions fish > ~/.config/fish/completions/stabcost.fish")]
    Completions(CompletionsArgs),

    /// Print the man page (roff)
    #[command(after_help = "\
Examples:
  stabcost man | man -l -
  stabcost man > ~/.local/share/man/man1/stabcost.1")]
    Man,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned table for terminals
    Table,
    /// One JSON object; money values are decimal strings
    Json,
    /// Comma-separated values for spreadsheets
    Csv,
    /// A GitHub table for pull requests and job summaries
    Markdown,
    /// A self-contained HTML page with charts, for people who read pages
    Html,
    /// SQL for a warehouse (rates only): the prices as a table, or with --query the query
    Sql,
}

/// Free credits to spend before buying top-ups.
#[derive(Debug, Args)]
pub struct FreeCreditsArg {
    /// Spend N free credits first (fractions too); without N, the card's sign-up bonus (25)
    #[arg(long, value_name = "N", num_args = 0..=1, allow_negative_numbers = true,
          value_parser = Number::new(number::parse_non_negative, "a number of credits of 0 or more, such as 25 or 0.9"))]
    #[allow(
        clippy::option_option,
        reason = "clap's idiom for a flag whose value is optional"
    )]
    pub free_credits: Option<Option<Decimal>>,
}

impl FreeCreditsArg {
    /// The flag as the engine's type.
    pub fn get(&self) -> FreeCredits {
        match self.free_credits {
            None => FreeCredits::None,
            Some(None) => FreeCredits::SignupBonus,
            Some(Some(n)) => FreeCredits::Exactly(n),
        }
    }
}

/// `stabcost quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// Service id or alias, any case (`stabcost rates` lists them)
    pub service: String,

    /// Number of calls; digits may be grouped, as in 15,000
    #[arg(short = 'n', long, value_name = "N", default_value = "1",
          value_parser = quantity(), allow_negative_numbers = true)]
    pub count: u64,

    /// Diffusion steps, for step-scaled services such as sdxl
    #[arg(long, value_name = "S", value_parser = steps(), allow_negative_numbers = true)]
    pub steps: Option<u32>,

    #[command(flatten)]
    pub free: FreeCreditsArg,
}

/// `stabcost workflow`.
#[derive(Debug, Args)]
pub struct WorkflowArgs {
    /// Steps joined by '+', each SERVICE[@STEPS][*MULT]; '-' reads standard input
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,

    /// Number of finished assets
    #[arg(short = 'n', long, value_name = "N", default_value = "1",
          value_parser = quantity(), allow_negative_numbers = true)]
    pub count: u64,

    /// Diffusion steps for step-scaled steps written without @S (such as sdxl)
    #[arg(long, value_name = "S", value_parser = steps(), allow_negative_numbers = true)]
    pub steps: Option<u32>,

    #[command(flatten)]
    pub free: FreeCreditsArg,
}

/// `stabcost compare`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("volume").required(true).args(["images", "users", "budget"]))]
#[command(group = clap::ArgGroup::new("gpu").multiple(true).args(["gpu_hourly", "gpu_monthly"]))]
pub struct CompareArgs {
    /// Images to generate
    #[arg(long, value_name = "N", value_parser = quantity(), allow_negative_numbers = true)]
    pub images: Option<u64>,

    /// Users, each generating --per-user images
    #[arg(long, value_name = "U", value_parser = quantity(),
          allow_negative_numbers = true, requires = "per_user")]
    pub users: Option<u64>,

    /// Images per user
    #[arg(long, value_name = "K", value_parser = quantity(),
          allow_negative_numbers = true, requires = "users", conflicts_with = "images")]
    pub per_user: Option<u64>,

    /// Instead of a volume: how many images this many dollars buy on each model
    #[arg(long, value_name = "USD", allow_negative_numbers = true,
          conflicts_with_all = ["images", "users", "per_user", "gpu_hourly", "gpu_monthly"],
          value_parser = Number::new(number::parse_usd_positive, "a budget greater than zero, such as 100"))]
    pub budget: Option<Decimal>,

    /// Steps after each generation, e.g. rmbg+upscale-conservative; '-' reads standard input
    #[arg(long = "with", value_name = "EXPR", allow_hyphen_values = true)]
    pub with: Option<String>,

    /// Diffusion steps for step-scaled models such as sdxl
    #[arg(long, value_name = "S", value_parser = steps(), allow_negative_numbers = true)]
    pub steps: Option<u32>,

    /// GPU price per hour in USD, for the self-hosting estimate
    #[arg(long, value_name = "USD", allow_negative_numbers = true, requires = "seconds_per_image",
          value_parser = Number::new(number::parse_usd_positive, "a price greater than zero, such as 2.50"))]
    pub gpu_hourly: Option<Decimal>,

    /// A dedicated GPU's price for a month (30 days) in USD: GPUs needed, their cost, and
    /// each model's break-even volume
    #[arg(long, value_name = "USD", allow_negative_numbers = true, requires = "seconds_per_image",
          value_parser = Number::new(number::parse_usd_positive, "a price greater than zero, such as 1800"))]
    pub gpu_monthly: Option<Decimal>,

    /// GPU seconds per image, for self-hosting (--gpu-hourly or --gpu-monthly)
    #[arg(long, value_name = "S", allow_negative_numbers = true, requires = "gpu",
          value_parser = Number::new(number::parse_positive, "a number of seconds greater than zero, such as 4"))]
    pub seconds_per_image: Option<Decimal>,
}

/// `stabcost plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The plan file (TOML); '-' reads standard input
    #[arg(value_name = "FILE", allow_hyphen_values = true)]
    pub file: String,

    /// Forecast this many months (1 to 120), each workload's volume grown by its growth
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: Option<u32>,

    /// Monthly budget in dollars, instead of the plan's budget-usd
    #[arg(long, value_name = "USD", allow_negative_numbers = true,
          value_parser = Number::new(number::parse_usd_positive, "a budget greater than zero, such as 250"))]
    pub budget: Option<Decimal>,

    /// Exit 3 after the report when the month's total (or any forecast month's) is over
    /// the budget
    #[arg(long)]
    pub fail_if_over: bool,
}

/// `stabcost diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The plan before the change; '-' reads standard input
    #[arg(value_name = "BASE", allow_hyphen_values = true)]
    pub base: String,

    /// The plan after it; without it, BASE is priced under two cards (--base-as-of or
    /// --base-rates for the base, --rates, --as-of or the built-in card for the head)
    #[arg(value_name = "HEAD", allow_hyphen_values = true)]
    pub head: Option<String>,

    /// Price the base with the built-in card in force on this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "base_rates")]
    pub base_as_of: Option<Date>,

    /// Price the base with this rate card
    #[arg(long, value_name = "CARD")]
    pub base_rates: Option<PathBuf>,

    /// Exit 3 after the report when the monthly total grows by more than this: dollars
    /// (100) or a percentage (40%)
    #[arg(long, value_name = "USD|PCT%", value_parser = parse_limit, allow_negative_numbers = true)]
    pub max_increase: Option<Limit>,
}

/// `stabcost completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `stabcost rates`.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Show only this category (any case)
    #[arg(long, value_name = "C", ignore_case = true,
          value_parser = PossibleValuesParser::new(Category::NAMES))]
    pub category: Option<String>,

    /// List the built-in cards and the days each was in force
    #[arg(long, conflicts_with_all = ["category", "changes"])]
    pub history: bool,

    /// List every price that changed between consecutive built-in cards
    #[arg(long, conflicts_with = "category")]
    pub changes: bool,

    /// With --changes: only the changes from this day on
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "changes")]
    pub since: Option<Date>,

    /// With --changes: compare the card in use (--rates, or the built-in one) against
    /// this card file, or the built-in card in force on this date
    #[arg(long, value_name = "CARD_OR_DATE", requires = "changes")]
    pub against: Option<String>,

    /// With --format sql: the engine to write for [default: duckdb]
    #[arg(long, value_name = "ENGINE", value_enum)]
    pub dialect: Option<DialectArg>,

    #[arg(
        long,
        value_name = "NAME",
        help = "With --format sql: the table's name, qualified if need be [default: stabcost_prices]"
    )]
    pub table: Option<String>,

    /// With --format sql: write the query that prices a view `calls` with the table
    #[arg(long)]
    pub query: bool,
}

/// `--dialect` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    #[value(help = "DuckDB")]
    Duckdb,
    #[value(help = "PostgreSQL")]
    Postgres,
    #[value(help = "Spark SQL (a data source table, no Hive)")]
    Spark,
    #[value(help = "BigQuery (GoogleSQL)")]
    Bigquery,
}

impl DialectArg {
    /// The engine's dialect.
    pub fn dialect(self) -> Dialect {
        match self {
            DialectArg::Duckdb => Dialect::DuckDb,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Spark => Dialect::Spark,
            DialectArg::Bigquery => Dialect::BigQuery,
        }
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_flag_given_twice_means_the_last_one() {
        let cli = Cli::parse_args([
            "stabcost", "--format", "json", "quote", "core", "--format", "csv", "--count", "2",
            "--count", "3",
        ])
        .unwrap();
        assert_eq!(cli.format, FormatArg::Csv);
        let Command::Quote(q) = cli.command else {
            panic!("not a quote")
        };
        assert_eq!(q.count, 3);
    }
}

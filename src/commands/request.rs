//! The "high" arguments (ripgrep's split): what each command was asked, as engine types,
//! made once from clap's "low" ones at the edge. A front end other than the command
//! line (the web calculator) builds the same requests.

use crate::cli::{
    Cli, CompareArgs, DialectArg, FormatArg, PlanArgs, QuoteArgs, RatesArgs, WhatIfArgs,
    WorkflowArgs,
};
use crate::date::Date;
use crate::engine::FreeCredits;
use crate::error::{UserError, UserResult};
use crate::plan::Plan;
use crate::rates::sql::Dialect;
use crate::rates::{Category, RateCard};
use crate::report::Format;
use crate::usage::Pricing;
use crate::usage::whatif::{self, GpuMonth, Levers};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// Where the prices come from: `--rates` (or `STABCOST_RATES`), `--as-of`, or the
/// built-in card in force today. Decided once, for every command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardSource {
    /// The built-in card in force today (the newest); `usage` prices each call by the
    /// built-in card in force on its day instead.
    BuiltIn,
    /// The built-in card in force on this day (`--as-of`).
    AsOf(Date),
    /// A card file: `--rates`, or `STABCOST_RATES` (`from_env`).
    File { path: PathBuf, from_env: bool },
    /// A card's TOML text, named `name` in messages: a card uploaded with a request to
    /// the web calculator, which reads no file a request names.
    Text { name: String, text: String },
}

impl CardSource {
    /// The source the command line and `STABCOST_RATES` name (an empty variable counts
    /// as unset, as users expect of environment variables). A card file and `--as-of`
    /// together are a mistake: `--as-of` picks among the built-in cards.
    pub fn of(
        rates: Option<PathBuf>,
        env: Option<PathBuf>,
        as_of: Option<Date>,
    ) -> UserResult<Self> {
        let file = match (rates, env.filter(|p| !p.as_os_str().is_empty())) {
            (Some(path), _) => Some((path, false)),
            (None, Some(path)) => Some((path, true)),
            (None, None) => None,
        };
        match (file, as_of) {
            (Some((path, from_env)), Some(_)) => {
                let (named_by, hint) = if from_env {
                    (
                        "STABCOST_RATES",
                        "unset STABCOST_RATES to price as of a date, or drop --as-of",
                    )
                } else {
                    (
                        "--rates",
                        "drop --rates to price as of a date, or drop --as-of",
                    )
                };
                Err(UserError::new(format!(
                    "--as-of prices with the built-in cards, but {named_by} names the card '{}'",
                    path.display()
                ))
                .hint(hint))
            }
            (Some((path, from_env)), None) => Ok(CardSource::File { path, from_env }),
            (None, Some(day)) => Ok(CardSource::AsOf(day)),
            (None, None) => Ok(CardSource::BuiltIn),
        }
    }

    /// The source of a command line.
    pub fn from_cli(cli: &Cli) -> UserResult<Self> {
        let env = std::env::var_os("STABCOST_RATES").map(PathBuf::from);
        CardSource::of(cli.rates.clone(), env, cli.as_of)
    }

    /// The card to price with.
    pub fn load(&self) -> UserResult<RateCard> {
        match self {
            CardSource::BuiltIn => RateCard::built_in(),
            CardSource::AsOf(day) => RateCard::built_in_as_of(*day),
            CardSource::File { path, .. } => RateCard::load(path),
            CardSource::Text { name, text } => RateCard::parse(text, name),
        }
    }

    /// The card a plan is priced with: `--rates` or `--as-of`, else the plan's own
    /// `rates`, else `STABCOST_RATES`, else the built-in card.
    pub fn for_plan(&self, plan: &Plan) -> UserResult<RateCard> {
        match (self, &plan.rates) {
            (CardSource::BuiltIn | CardSource::File { from_env: true, .. }, Some(own)) => {
                RateCard::load(own)
            }
            _ => self.load(),
        }
    }

    /// The cards that price a log: each call by the built-in card in force on its day,
    /// unless a card file or `--as-of` fixes one for every call.
    pub fn pricing(&self) -> UserResult<Pricing> {
        Ok(match self {
            CardSource::BuiltIn => Pricing::ByDay(crate::rates::all_built_in()?),
            fixed => Pricing::Fixed(Box::new(fixed.load()?)),
        })
    }

    /// Whether a card file was named (`--rates` or `STABCOST_RATES`) or given as text.
    pub fn is_file(&self) -> bool {
        matches!(self, CardSource::File { .. } | CardSource::Text { .. })
    }
}

/// `--format` for a report: every value but `sql`, which only `rates` writes (a table
/// for a warehouse, not a report).
pub fn report_format(format: FormatArg) -> UserResult<Format> {
    Ok(match format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Sql => {
            return Err(UserError::new("--format sql is only for `stabcost rates`")
                .hint("`stabcost rates --format sql` writes the prices as a SQL table; this command writes table, json, csv, markdown or html"));
        }
    })
}

/// What `stabcost rates` is asked for: a report in a format, or the prices as SQL for a
/// warehouse (`--format sql`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rates {
    Report(RatesReport, Format),
    Sql(Sql),
}

/// `rates --format sql`: the table of prices, or with `--query` the query that prices a
/// log with it, for one engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sql {
    pub dialect: Dialect,
    /// The table's name, as given (default `stabcost_prices`).
    pub table: String,
    pub query: bool,
}

/// The reports of `stabcost rates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatesReport {
    /// The card, or one category of it.
    Card { category: Option<Category> },
    /// The built-in cards and the days each was in force.
    History,
    /// The prices that changed: between consecutive built-in cards, or the card in use
    /// against another (`--against`, a card file or a day).
    Changes {
        since: Option<Date>,
        against: Option<String>,
    },
}

impl Rates {
    /// The mode `rates`' flags ask for; clap keeps `--history`, `--changes` and
    /// `--category` apart, and SQL takes none of them.
    pub fn of(args: &RatesArgs, format: FormatArg, source: &CardSource) -> UserResult<Rates> {
        if format == FormatArg::Sql {
            if args.history || args.changes || args.category.is_some() {
                return Err(UserError::new(
                    "--format sql writes every service of every card, so it takes no --history, --changes or --category",
                ));
            }
            return Ok(Rates::Sql(Sql {
                dialect: args.dialect.map(DialectArg::dialect).unwrap_or_default(),
                table: args
                    .table
                    .clone()
                    .unwrap_or_else(|| crate::rates::sql::TABLE.to_owned()),
                query: args.query,
            }));
        }
        if let Some(flag) = [
            (args.query, "--query"),
            (args.dialect.is_some(), "--dialect"),
            (args.table.is_some(), "--table"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
        {
            return Err(UserError::new(format!("{flag} is for the SQL of `rates --format sql`"))
                .hint("add --format sql, as in `stabcost rates --format sql --query --dialect postgres`"));
        }
        if (args.history || args.changes) && matches!(source, CardSource::AsOf(_)) {
            return Err(UserError::new(if args.history {
                "--as-of picks one card; rates --history lists them all"
            } else {
                "--as-of picks one card; rates --changes compares two"
            })
            .hint("rates --changes --against DATE compares the card in use with the one in force then"));
        }
        let report = if args.history {
            RatesReport::History
        } else if args.changes {
            RatesReport::Changes {
                since: args.since,
                against: args.against.clone(),
            }
        } else {
            RatesReport::Card {
                category: args
                    .category
                    .as_deref()
                    .map(str::parse::<Category>)
                    .transpose()?,
            }
        };
        Ok(Rates::Report(report, report_format(format)?))
    }
}

/// `stabcost quote`: calls of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The service's id or alias, as typed.
    pub service: String,
    pub count: u64,
    pub steps: Option<u32>,
    pub free: FreeCredits,
}

impl From<&QuoteArgs> for Quote {
    fn from(a: &QuoteArgs) -> Quote {
        Quote {
            service: a.service.clone(),
            count: a.count,
            steps: a.steps,
            free: a.free.get(),
        }
    }
}

/// `stabcost workflow`: a per-asset pipeline for a number of assets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// The expression as written (`-`: standard input).
    pub expr: String,
    pub count: u64,
    /// Diffusion steps for the step-scaled steps written without `@S`.
    pub steps: Option<u32>,
    pub free: FreeCredits,
}

impl From<&WorkflowArgs> for Workflow {
    fn from(a: &WorkflowArgs) -> Workflow {
        Workflow {
            expr: a.expr.clone(),
            count: a.count,
            steps: a.steps,
            free: a.free.get(),
        }
    }
}

/// `stabcost plan`'s options for a plan already read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    /// A forecast of this many months.
    pub months: Option<u32>,
    /// The monthly budget, instead of the plan's `budget-usd`.
    pub budget: Option<Decimal>,
    /// Exit 3 when over the budget.
    pub fail_if_over: bool,
}

impl From<&PlanArgs> for PlanOptions {
    fn from(a: &PlanArgs) -> PlanOptions {
        PlanOptions {
            months: a.months,
            budget: a.budget,
            fail_if_over: a.fail_if_over,
        }
    }
}

/// `stabcost compare`: the volume or budget, the steps after each generation, the
/// diffusion steps of step-scaled models, and GPUs to self-host on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub volume: Volume,
    /// The `--with` expression as written (`-`: standard input).
    pub with: Option<String>,
    pub steps: Option<u32>,
    /// Self-hosting on GPUs (never with a budget).
    pub gpu: Option<Gpu>,
}

/// How many images `compare` prices, or what it spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volume {
    Images(u64),
    /// `users × per_user` images.
    Users {
        users: u64,
        per_user: u64,
    },
    /// How many images this many dollars buy on each model.
    Budget(Decimal),
}

/// GPUs to self-host on: an image every `seconds_per_image`, at an hourly price (an
/// estimate of GPU time), a monthly one (dedicated GPUs and break-even volumes), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gpu {
    pub seconds_per_image: Decimal,
    pub hourly_usd: Option<Decimal>,
    pub monthly_usd: Option<Decimal>,
}

impl From<&CompareArgs> for Compare {
    /// clap's groups guarantee one volume, `--users` with `--per-user`, and
    /// `--seconds-per-image` with a GPU price.
    fn from(args: &CompareArgs) -> Compare {
        let volume = match (args.budget, args.images, args.users, args.per_user) {
            (Some(usd), ..) => Volume::Budget(usd),
            (None, Some(n), ..) => Volume::Images(n),
            (None, None, Some(users), Some(per_user)) => Volume::Users { users, per_user },
            // clap requires a volume; none is no images.
            _ => Volume::Images(0),
        };
        let gpu = args.seconds_per_image.map(|seconds_per_image| Gpu {
            seconds_per_image,
            hourly_usd: args.gpu_hourly,
            monthly_usd: args.gpu_monthly,
        });
        Compare {
            volume,
            with: args.with.clone(),
            steps: args.steps,
            gpu,
        }
    }
}

/// Which what-if report `usage` writes: one table each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhatIfMode {
    /// `--what-if FROM=TO`: the swaps, and the whole log with all of them.
    Swaps,
    /// `--what-if-rates CARD`: the whole log under another card, by service.
    Rates,
    /// `--levers`: the guide's levers.
    Levers,
}

/// `usage`'s what-if reports: which one, and what to work out while reading.
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub mode: WhatIfMode,
    pub ask: whatif::Ask,
}

/// The card `--what-if-rates` names: a day for the built-in card in force then, or a
/// card file (an overlay with `extends = "built-in"` too).
pub fn what_if_card(text: &str) -> UserResult<RateCard> {
    let retold = |e: UserError| {
        let mut e = UserError::new(e.message);
        e.hints = vec![
            "--what-if-rates takes a card file (such as examples/negotiated.toml), or a day (YYYY-MM-DD) for the built-in card in force then".to_owned(),
        ];
        e
    };
    match Date::parse(text) {
        Ok(day) => RateCard::built_in_as_of(day).map_err(retold),
        // The loader's hints name --rates, the flag it usually reads for.
        Err(_) => RateCard::load(Path::new(text)).map_err(|mut e| {
            if e.hints.iter().any(|h| h.contains("--rates")) {
                e.hints = vec![
                    "check the path given to --what-if-rates (a card file such as examples/negotiated.toml, or a day YYYY-MM-DD)".to_owned(),
                ];
            }
            e
        }),
    }
}

impl WhatIf {
    /// The what-if report the flags ask for, if any (clap keeps the three apart and
    /// the GPU flags with `--levers`); the reuse flags need one of them.
    pub fn of(args: &WhatIfArgs) -> UserResult<Option<WhatIf>> {
        if !args.asked() {
            if let Some(flag) = [
                (args.prompt_field.is_some(), "--prompt-field"),
                (args.reuse_window.is_some(), "--reuse-window"),
            ]
            .into_iter()
            .find_map(|(given, flag)| given.then_some(flag))
            {
                return Err(UserError::new(format!(
                    "{flag} is for the reuse figure of a what-if report"
                ))
                .hint("add --levers (or --what-if FROM=TO, or --what-if-rates CARD): each counts the calls that repeat a prompt"));
            }
            return Ok(None);
        }
        let mode = if !args.what_if.is_empty() {
            WhatIfMode::Swaps
        } else if args.what_if_rates.is_some() {
            WhatIfMode::Rates
        } else {
            WhatIfMode::Levers
        };
        let gpu = match (args.gpu_monthly, args.seconds_per_image) {
            (Some(monthly_usd), Some(seconds_per_image)) => Some(GpuMonth {
                monthly_usd,
                seconds_per_image,
            }),
            _ => None,
        };
        let ask = whatif::Ask {
            swaps: args
                .what_if
                .iter()
                .map(|s| (s.from.clone(), s.to.clone()))
                .collect(),
            rates: args
                .what_if_rates
                .as_deref()
                .map(what_if_card)
                .transpose()?
                .map(Box::new),
            levers: args.levers.then_some(Levers { gpu }),
            prompt_field: args.prompt_field.clone(),
            reuse_window: args.reuse_window.unwrap_or(whatif::REUSE_WINDOW),
            reuse_limit: args.reuse_limit.map_or(whatif::REUSE_LIMIT, |n| {
                usize::try_from(n).unwrap_or(whatif::REUSE_LIMIT)
            }),
        };
        Ok(Some(WhatIf { mode, ask }))
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn the_card_source_is_the_flag_then_the_variable_then_the_built_in_card() {
        let p = |s: &str| Some(PathBuf::from(s));
        let day = Date::parse("2025-07-01").ok();
        assert_eq!(
            CardSource::of(None, None, None).unwrap(),
            CardSource::BuiltIn
        );
        // An empty STABCOST_RATES counts as unset.
        assert_eq!(
            CardSource::of(None, p(""), None).unwrap(),
            CardSource::BuiltIn
        );
        assert_eq!(
            CardSource::of(p("a.toml"), p("b.toml"), None).unwrap(),
            CardSource::File {
                path: PathBuf::from("a.toml"),
                from_env: false
            }
        );
        assert_eq!(
            CardSource::of(None, p("b.toml"), None).unwrap(),
            CardSource::File {
                path: PathBuf::from("b.toml"),
                from_env: true
            }
        );
        assert_eq!(
            CardSource::of(None, None, day).unwrap(),
            CardSource::AsOf(day.unwrap())
        );
        // A file and --as-of name two cards: the message says which named the file.
        let flag = CardSource::of(p("a.toml"), None, day).unwrap_err();
        assert!(
            flag.message.contains("--rates names the card 'a.toml'"),
            "{}",
            flag.message
        );
        let env = CardSource::of(None, p("b.toml"), day).unwrap_err();
        assert!(
            env.message.contains("STABCOST_RATES names"),
            "{}",
            env.message
        );
    }
}

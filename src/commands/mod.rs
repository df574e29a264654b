//! One module per subcommand, each turning its clap arguments into a typed result that
//! implements [`Report`]. This module picks the rate card, hands the result to the
//! renderer for `--format`, and returns the [`Outcome`] that sets the exit code.

mod changes;
mod compare;
mod diff;
mod footer;
mod history;
mod meta;
mod plan;
mod quote;
mod rates;
pub mod request;
mod usage;
mod workflow;

use crate::cli::{Cli, Command};
use crate::error::{UserError, UserResult};
use crate::rates::RateCard;
use crate::report::{self, Format, Outcome, Report};
use anyhow::Context as _;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// Runs the command line at full width, writing its report to `out` and warnings
/// to `err`.
pub fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    run_with_width(cli, None, out, err)
}

/// Runs the command line, writing its report to `out` and warnings to `err`; a
/// terminal table fits `width` columns when one is given (see
/// [`report::terminal_width`]).
pub fn run_with_width(
    cli: &Cli,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let Some(format) = cli.format.report() else {
        return sql(cli, out);
    };
    match &cli.command {
        Command::Quote(args) => emit(&quote::run(&card(cli)?, args)?, format, width, out),
        Command::Workflow(args) => emit(&workflow::run(&card(cli)?, args)?, format, width, out),
        Command::Compare(args) => {
            let card = card(cli)?;
            match compare::run(&card, &request::Compare::from(args))? {
                compare::Answer::Volume(c) => emit(&*c, format, width, out),
                compare::Answer::Budget(b) => emit(&b, format, width, out),
            }
        }
        Command::Plan(args) => {
            let plan = crate::plan::Plan::read(&args.file)?;
            let card = plan::card_for(cli, &plan)?;
            emit(&plan::run(&card, &plan, args)?, format, width, out)
        }
        Command::Diff(args) => emit(&diff::run(cli, args)?, format, width, out),
        Command::Rates(args) if (args.history || args.changes) && cli.as_of.is_some() => {
            Err(UserError::new(if args.history {
                "--as-of picks one card; rates --history lists them all"
            } else {
                "--as-of picks one card; rates --changes compares two"
            })
            .hint("rates --changes --against DATE compares the card in use with the one in force then")
            .into())
        }
        Command::Rates(args) if args.history => emit(&history::run()?, format, width, out),
        Command::Rates(args) if args.changes => {
            let between = match (&args.against, card_path(cli)) {
                (Some(against), _) => changes::Between::Two {
                    earlier: Box::new(changes::against(against)?),
                    later: Box::new(card(cli)?),
                },
                (None, Some(_)) => changes::Between::Two {
                    earlier: Box::new(RateCard::built_in()?),
                    later: Box::new(card(cli)?),
                },
                (None, None) => changes::Between::BuiltIn,
            };
            emit(&changes::run(between, args.since)?, format, width, out)
        }
        Command::Rates(args) => emit(&rates::run(&card(cli)?, args)?, format, width, out),
        Command::Usage(args) => {
            let report = usage::run(cli, args)?;
            let outcome = emit(&report, format, width, out)?;
            warn(&report, err);
            Ok(outcome)
        }
        Command::Completions(args) => write_text(&meta::completions(args.shell)?, out),
        Command::Man => write_text(&meta::man()?, out),
    }
}

/// Writes `report` in `format` and returns the outcome it earned.
fn emit<R: Report + Serialize>(
    report: &R,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    report::render_fitted(report, format, width, out)
        .and_then(|()| out.flush())
        .context("cannot write the report")?;
    Ok(report.outcome())
}

/// Writes the report's warnings to `err`, once the report is out.
fn warn(report: &dyn Report, err: &mut dyn Write) {
    for w in report.warnings() {
        // The report is written; a closed standard error must not undo that.
        let _ = writeln!(err, "warning: {w}");
    }
}

/// `--format sql`: the prices as SQL, which only `rates` writes.
fn sql(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let Command::Rates(args) = &cli.command else {
        return Err(UserError::new("--format sql is only for `stabcost rates`")
            .hint("`stabcost rates --format sql` writes the prices as a SQL table; this command writes table, json, csv, markdown or html")
            .into());
    };
    if args.history || args.changes || args.category.is_some() {
        return Err(UserError::new(
            "--format sql writes every service of every card, so it takes no --history, --changes or --category",
        )
        .into());
    }
    let cards = match (card_path(cli), cli.as_of) {
        (None, None) => crate::rates::all_built_in()?,
        _ => vec![card(cli)?],
    };
    let text = crate::rates::sql::write(&cards)?;
    write_text(&text, out)
}

/// Writes generated text (a completion script, a man page).
fn write_text(text: &str, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the output")?;
    Ok(Outcome::Success)
}

/// The card file to price with: `--rates`, else `STABCOST_RATES` (an empty value counts
/// as unset, as users expect of environment variables).
fn card_path(cli: &Cli) -> Option<PathBuf> {
    let from_env = || {
        std::env::var_os("STABCOST_RATES")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    cli.rates.clone().or_else(from_env)
}

/// The rate card to price with: the card file, else the built-in card in force on
/// `--as-of`, else the current built-in card.
fn card(cli: &Cli) -> UserResult<RateCard> {
    let path = card_path(cli);
    if let (Some(path), Some(_)) = (&path, cli.as_of) {
        let (named_by, hint) = if cli.rates.is_some() {
            (
                "--rates",
                "drop --rates to price as of a date, or drop --as-of",
            )
        } else {
            (
                "STABCOST_RATES",
                "unset STABCOST_RATES to price as of a date, or drop --as-of",
            )
        };
        return Err(UserError::new(format!(
            "--as-of prices with the built-in cards, but {named_by} names the card '{}'",
            path.display()
        ))
        .hint(hint));
    }
    crate::rates::select(path.as_deref(), cli.as_of)
}

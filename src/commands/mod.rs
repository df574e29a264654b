//! One module per subcommand, each turning its request into a typed result that
//! implements [`Report`]. This module makes the command line into requests once
//! ([`request`]: the card source, the output, each command's own), hands the result to
//! the renderer for `--format`, and returns the [`Outcome`] that sets the exit code.

mod actual;
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
mod sql;
mod usage;
mod workflow;

use crate::cli::{Cli, Command};
use crate::rates::RateCard;
use crate::report::{self, Format, Outcome, Report};
use anyhow::Context as _;
use request::{CardSource, Rates, RatesReport};
use serde::Serialize;
use std::io::Write;

/// Runs the command line at full width, writing its report to `out` and warnings
/// to `err`.
pub fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    run_with_width(cli, None, out, err)
}

/// Runs the command line, writing its report to `out` and warnings to `err`; a
/// terminal table fits `width` columns when one is given (see
/// [`report::terminal_width`]). The command line becomes requests here, once: where
/// the prices come from ([`CardSource`]), the output, and each command's own.
pub fn run_with_width(
    cli: &Cli,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match &cli.command {
        Command::Completions(args) => return write_text(&meta::completions(args.shell)?, out),
        Command::Man => return write_text(&meta::man()?, out),
        _ => {}
    }
    let source = CardSource::from_cli(cli)?;
    if let Command::Rates(args) = &cli.command {
        return match Rates::of(args, cli.format, &source)? {
            Rates::Report(report, format) => rates_report(report, &source, format, width, out),
            Rates::Sql(request) => sql::run(&source, &request, out),
        };
    }
    let format = request::report_format(cli.format)?;
    match &cli.command {
        Command::Quote(args) => {
            let card = source.load()?;
            emit(
                &quote::run(&card, &request::Quote::from(args))?,
                format,
                width,
                out,
            )
        }
        Command::Workflow(args) => {
            let card = source.load()?;
            let priced = workflow::run(&card, &request::Workflow::from(args))?;
            emit(&priced, format, width, out)
        }
        Command::Compare(args) => {
            let card = source.load()?;
            match compare::run(&card, &request::Compare::from(args))? {
                compare::Answer::Volume(c) => emit(&*c, format, width, out),
                compare::Answer::Budget(b) => emit(&b, format, width, out),
            }
        }
        Command::Plan(args) => {
            let plan = crate::plan::Plan::read(&args.file)?;
            let card = source.for_plan(&plan)?;
            let report = plan::run(&card, &plan, &request::PlanOptions::from(args))?;
            emit(&report, format, width, out)
        }
        Command::Diff(args) => emit(&diff::run(&source, args)?, format, width, out),
        Command::Usage(args) => match &args.actual.plan {
            // With --plan, the plan set against the log.
            Some(plan) => {
                let report = actual::run(&source, args, plan)?;
                emit_warned(&report, format, width, out, err)
            }
            None => emit_warned(&usage::run(&source, args)?, format, width, out, err),
        },
        // Answered above.
        Command::Rates(_) | Command::Completions(_) | Command::Man => Ok(Outcome::Success),
    }
}

/// `stabcost rates`' reports: the card, its history, or what changed.
fn rates_report(
    report: RatesReport,
    source: &CardSource,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match report {
        RatesReport::History => emit(&history::run()?, format, width, out),
        RatesReport::Changes { since, against } => {
            let between = match (against, source.is_file()) {
                (Some(against), _) => changes::Between::Two {
                    earlier: Box::new(changes::against(&against)?),
                    later: Box::new(source.load()?),
                },
                (None, true) => changes::Between::Two {
                    earlier: Box::new(RateCard::built_in()?),
                    later: Box::new(source.load()?),
                },
                (None, false) => changes::Between::BuiltIn,
            };
            emit(&changes::run(between, since)?, format, width, out)
        }
        RatesReport::Card { category } => {
            emit(&rates::run(&source.load()?, category)?, format, width, out)
        }
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

/// Writes `report` like [`emit`], then its warnings to `err`.
fn emit_warned<R: Report + Serialize>(
    report: &R,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let outcome = emit(report, format, width, out)?;
    warn(report, err);
    Ok(outcome)
}

/// Writes the report's warnings to `err`, once the report is out.
fn warn(report: &dyn Report, err: &mut dyn Write) {
    for w in report.warnings() {
        // The report is written; a closed standard error must not undo that.
        let _ = writeln!(err, "warning: {w}");
    }
}

/// Writes generated text (a completion script, a man page).
fn write_text(text: &str, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the output")?;
    Ok(Outcome::Success)
}

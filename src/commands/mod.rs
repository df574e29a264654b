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
mod whatif;
mod workflow;

use crate::cli::{Cli, Command, DiffArgs, FormatArg, UsageArgs};
use crate::rates::RateCard;
use crate::report::{self, Format, Outcome, Report};
use anyhow::Context as _;
pub use diff::Plans;
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
        // The `stabcost` binary runs `stabcost-serve` for it (src/main.rs), so that no
        // other command links the web server; a library caller calls `serve::run`.
        Command::Serve(_) => {
            return Err(crate::error::UserError::new(
                "serve is a server, not a report: `stabcost serve` runs stabcost-serve",
            )
            .into());
        }
        _ => {}
    }
    let source = CardSource::from_cli(cli)?;
    let format = match &cli.command {
        Command::Rates(args) => match Rates::of(args, cli.format, &source)? {
            Rates::Report(_, format) => format,
            Rates::Sql(request) => return sql::run(&source, &request, out),
        },
        _ => request::report_format(cli.format)?,
    };
    let mut outcome = Outcome::Success;
    dispatch(cli, &source, &mut |report| {
        report
            .render(format, width, out)
            .and_then(|()| out.flush())
            .context("cannot write the report")?;
        for w in report.report().warnings() {
            // The report is written; a closed standard error must not undo that.
            let _ = writeln!(err, "warning: {w}");
        }
        outcome = report.report().outcome();
        Ok(())
    })?;
    Ok(outcome)
}

/// A command's result, for a front end to render in any format, as often as it likes
/// (the web calculator writes a page and links to the same answer as CSV or JSON).
pub trait Rendered {
    /// The result as the table-shaped formats see it.
    fn report(&self) -> &dyn Report;
    /// Writes the result in `format`; a terminal table fits `width` columns when given.
    fn render(
        &self,
        format: Format,
        width: Option<usize>,
        out: &mut dyn Write,
    ) -> std::io::Result<()>;
    /// Writes the result as an HTML page with `page`'s additions around it.
    fn page(&self, page: &report::html::Page<'_>, out: &mut dyn Write) -> std::io::Result<()>;
}

impl<R: Report + Serialize> Rendered for R {
    fn report(&self) -> &dyn Report {
        self
    }
    fn render(
        &self,
        format: Format,
        width: Option<usize>,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        report::render_fitted(self, format, width, out)
    }
    fn page(&self, page: &report::html::Page<'_>, out: &mut dyn Write) -> std::io::Result<()> {
        report::html::write_page(self, page, out)
    }
}

/// What a front end does with a command's result.
pub type Sink<'s> = dyn FnMut(&dyn Rendered) -> anyhow::Result<()> + 's;

/// Runs the report command of `cli` (every subcommand but `completions`, `man`, `serve`
/// and `rates --format sql`) with the prices of `source`, and hands its result to `sink`.
/// The command line's own `--format` is the sink's business.
pub fn dispatch(cli: &Cli, source: &CardSource, sink: &mut Sink<'_>) -> anyhow::Result<()> {
    match &cli.command {
        Command::Quote(args) => {
            let card = source.load()?;
            sink(&quote::run(&card, &request::Quote::from(args))?)
        }
        Command::Workflow(args) => {
            let card = source.load()?;
            sink(&workflow::run(&card, &request::Workflow::from(args))?)
        }
        Command::Compare(args) => {
            let card = source.load()?;
            match compare::run(&card, &request::Compare::from(args))? {
                compare::Answer::Volume(c) => sink(&*c),
                compare::Answer::Budget(b) => sink(&b),
            }
        }
        Command::Plan(args) => {
            let plan = crate::plan::Plan::read(&args.file)?;
            plan_report(source, &plan, &request::PlanOptions::from(args), sink)
        }
        Command::Diff(args) => sink(&diff::run(source, args)?),
        Command::Usage(args) => match &args.actual.plan {
            // With --plan, the plan set against the log.
            Some(plan) => sink(&actual::run(source, args, plan)?),
            None => priced_log(source, args, usage::Logs::Named, sink),
        },
        Command::Rates(args) => match Rates::of(args, FormatArg::Table, source)? {
            Rates::Report(report, _) => rates_report(report, source, sink),
            Rates::Sql(_) => Ok(()),
        },
        Command::Completions(_) | Command::Man | Command::Serve(_) => Ok(()),
    }
}

/// `stabcost plan` on a plan already read (from a file, or an upload).
pub fn plan_report(
    source: &CardSource,
    plan: &crate::plan::Plan,
    options: &request::PlanOptions,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    let card = source.for_plan(plan)?;
    sink(&plan::run(&card, plan, options)?)
}

/// `stabcost diff` on plans already read: `head` is `None` to price the base under two
/// cards, `base_card` the base's own card (an upload; else `--base-as-of` or `source`).
pub fn diff_report(
    source: &CardSource,
    plans: diff::Plans,
    args: &DiffArgs,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    sink(&diff::run_plans(source, plans, args)?)
}

/// `stabcost usage` on logs handed over one at a time by `next` (uploads streamed from
/// a request), with `args`' options (`args.logs` and `--plan` are not read); with
/// `plan`, `usage --plan` on a plan already read.
pub fn usage_report(
    source: &CardSource,
    args: &UsageArgs,
    plan: Option<&crate::plan::Plan>,
    next: &mut dyn FnMut() -> anyhow::Result<Option<crate::usage::Input>>,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    let logs = usage::Logs::Each(next);
    match plan {
        Some(plan) => sink(&actual::run_plan(source, args, plan, logs)?),
        None => priced_log(source, args, logs, sink),
    }
}

/// `stabcost usage` without `--plan`: the priced log, or what its calls would have cost
/// (`--what-if`, `--what-if-rates`, `--levers`).
fn priced_log(
    source: &CardSource,
    args: &UsageArgs,
    logs: usage::Logs<'_>,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    match request::WhatIf::of(&args.what_if)? {
        Some(what_if) => sink(&whatif::run(source, args, what_if, logs)?),
        None => sink(&usage::run(source, args, logs)?),
    }
}

/// `stabcost rates`' reports: the card, its history, or what changed.
fn rates_report(
    report: RatesReport,
    source: &CardSource,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    match report {
        RatesReport::History => sink(&history::run()?),
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
            sink(&changes::run(between, since)?)
        }
        RatesReport::Card { category } => sink(&rates::run(&source.load()?, category)?),
    }
}

/// Writes generated text (a completion script, a man page).
fn write_text(text: &str, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the output")?;
    Ok(Outcome::Success)
}

//! `stabcost usage`: what the calls in a log cost, and what became of every record.

use super::request::CardSource;
use crate::cli::{GroupByArg, UsageArgs};
use crate::error::UserError;
use crate::money::{self, Credits, Usd};
use crate::rates::{Origin, Provenance};
use crate::report::figure::{Columns, Figure, Unit};
use crate::report::{Cell, Column, Outcome, Report, Rows};
use crate::usage::actual::{self, Spike};
use crate::usage::{self, GroupKey, Pricing, Row, Usage};
use std::io::IsTerminal;

/// Unpriced values the table and Markdown list (JSON lists them all).
const UNPRICED_SHOWN: usize = 10;

/// The report: the domain's [`Usage`] (JSON `group_by`, `lines`, `total`, `records`,
/// `unpriced`, `malformed`, `cards`; with `--group-by day`, `spikes`), and the card the
/// report names.
#[derive(Debug, serde::Serialize)]
pub(super) struct UsageReport {
    #[serde(skip)]
    pub(super) card: Provenance,
    #[serde(flatten)]
    pub(super) usage: Usage,
    /// With `--group-by day`: the days far above the days before them.
    #[serde(skip_serializing_if = "Option::is_none")]
    spikes: Option<Vec<Spike>>,
    #[serde(skip)]
    strict: bool,
}

/// The priced log (`usage` without `--plan`; `commands::actual` answers with one).
pub(super) fn run(
    source: &CardSource,
    args: &UsageArgs,
    logs: Logs<'_>,
) -> anyhow::Result<UsageReport> {
    let by_day = args.group_by.contains(&GroupByArg::Day);
    if args.actual.spike_factor.is_some() && !by_day {
        return Err(UserError::new(
            "--spike-factor says what a spike is, but nothing here looks for spikes",
        )
        .hint("spikes are found day by day: add --group-by day, or --plan PLAN")
        .into());
    }
    let mut report = read(args, source.pricing()?, by_day, logs)?;
    if by_day {
        let daily = &report.usage.daily;
        let days = actual::Days::of(daily).map_err(UserError::from)?;
        let factor = args.actual.spike_factor.unwrap_or(actual::SPIKE_FACTOR);
        report.spikes = Some(actual::spikes(daily, &days, factor, None).map_err(UserError::from)?);
    }
    Ok(report)
}

/// Reads and prices the logs `args` names with `pricing`; `daily` also counts the
/// calls per day, tag and service (for a plan, and for spikes).
pub(super) fn read(
    args: &UsageArgs,
    pricing: Pricing,
    daily: bool,
    logs: Logs<'_>,
) -> anyhow::Result<UsageReport> {
    read_asking(args, pricing, daily, logs, None)
}

/// [`read`], working out what the calls would have cost too, as `what_if` asks
/// ([`Usage::what_if`]).
pub(super) fn read_asking(
    args: &UsageArgs,
    pricing: Pricing,
    daily: bool,
    logs: Logs<'_>,
    what_if: Option<crate::usage::whatif::Ask>,
) -> anyhow::Result<UsageReport> {
    let named = matches!(logs, Logs::Named);
    if named && args.logs.is_empty() && std::io::stdin().is_terminal() {
        return Err(UserError::new("no log to read")
            .hint(
                "name log files (stabcost usage calls.jsonl), or pipe one in: … | stabcost usage -",
            )
            .into());
    }
    let newest = match &pricing {
        Pricing::ByDay(cards) => cards.last().map(|c| c.provenance.clone()),
        Pricing::Fixed(card) => Some(card.provenance.clone()),
    };
    let opts = usage::Options {
        logs: match (named, args.logs.is_empty()) {
            (false, _) => Vec::new(),
            (true, true) => vec!["-".to_owned()],
            (true, false) => args.logs.clone(),
        },
        input: args.input.map(crate::cli::InputArg::kind),
        group_by: dedup(args.group_by.iter().map(|g| g.key())),
        tag_field: args.tag_field.clone(),
        since: args.since,
        until: args.until,
        sd3_model: args.sd3_model.clone(),
        threads: args.threads.map(usize::from),
        progress: std::io::stderr().is_terminal(),
        buffer: None,
        daily,
        what_if,
    };
    let usage = match logs {
        Logs::Named => usage::run(pricing, &opts)?,
        Logs::Each(next) => usage::run_each(pricing, &opts, next)?,
    };
    Ok(UsageReport::new(usage, newest, args.strict))
}

/// Where a usage report's logs come from.
pub(super) enum Logs<'a> {
    /// The files the command line names, or standard input.
    Named,
    /// A front end's logs (uploads in one request), handed over one at a time until
    /// `None`; the command line's are not read.
    Each(&'a mut dyn FnMut() -> anyhow::Result<Option<usage::Input>>),
}

/// The keys in the order given, each once.
fn dedup(keys: impl Iterator<Item = GroupKey>) -> Vec<GroupKey> {
    let mut out: Vec<GroupKey> = Vec::new();
    for k in keys {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// The provenance the report names: the one card that priced the calls, or, when
/// several did (each call by its day), the newest card's name with every date.
fn provenance(cards: &[(Provenance, u64)], newest: Option<Provenance>) -> Provenance {
    match cards {
        [(one, _)] => one.clone(),
        [] => newest.unwrap_or_else(|| Provenance {
            name: String::new(),
            effective: "undated".to_owned(),
            currency: "USD".to_owned(),
            source: String::new(),
            origin: Origin::BuiltIn,
            effective_by_day: None,
        }),
        [.., (last, _)] => Provenance {
            effective_by_day: Some(format!(
                "{}, each call by its date",
                cards
                    .iter()
                    .map(|(p, _)| p.effective.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
            ..last.clone()
        },
    }
}

impl UsageReport {
    fn new(usage: Usage, newest: Option<Provenance>, strict: bool) -> UsageReport {
        UsageReport {
            card: provenance(&usage.cards.used, newest),
            usage,
            spikes: None,
            strict,
        }
    }

    /// `line 7`, `lines 7 and 9`, `lines 3, 7 and 9 of a.jsonl`: where the first
    /// malformed records are.
    fn malformed_at(&self) -> String {
        let first = &self.usage.malformed_lines;
        let one_file = first
            .windows(2)
            .all(|w| w.first().map(|a| &a.0) == w.get(1).map(|b| &b.0));
        let lines: Vec<String> = first
            .iter()
            .map(|(file, line)| {
                if one_file {
                    line.to_string()
                } else {
                    format!("{file}:{line}")
                }
            })
            .collect();
        let list = match lines.as_slice() {
            [] => return String::new(),
            [one] => format!("line {one}"),
            [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        };
        let file = match first.first() {
            Some((file, _)) if one_file && file != "-" => format!(" of {file}"),
            _ => String::new(),
        };
        let more = if self.usage.accounting().malformed > first.len() as u64 {
            " and more"
        } else {
            ""
        };
        format!("{list}{file}{more}")
    }
}

impl Report for UsageReport {
    fn command(&self) -> &'static str {
        "usage"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card
    }

    fn columns(&self) -> Vec<Column> {
        let mut cols: Vec<Column> = self
            .usage
            .group_by
            .iter()
            .map(|g| Column::text(g.header(), g.name()))
            .collect();
        cols.extend([
            Column::number("Calls", "calls"),
            Column::number("Not charged", "not_charged"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
        ]);
        cols
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.usage.rows.iter().map(|r| {
            let mut cells: Vec<Cell> = r.keys.iter().map(|v| Cell::Text(v.clone())).collect();
            cells.extend(figures(r));
            cells
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        let mut cells = vec![Cell::Total];
        cells.extend((1..self.usage.group_by.len()).map(|_| Cell::Empty));
        cells.extend(figures(&self.usage.total));
        Some(cells)
    }

    fn figure(&self) -> Option<Figure> {
        // Spend over time when grouped by a period, stacked by the other keys.
        let group_by = &self.usage.group_by;
        let at = group_by
            .iter()
            .position(|g| matches!(g, GroupKey::Day | GroupKey::Week | GroupKey::Month))?;
        let axis = group_by.get(at)?.name();
        let rows = &self.usage.rows;
        let names: Vec<String> = rows
            .iter()
            .map(|r| {
                let others: Vec<&str> = r
                    .keys
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != at)
                    .map(|(_, v)| v.as_str())
                    .collect();
                if others.is_empty() {
                    "spend".to_owned()
                } else {
                    others.join(" · ")
                }
            })
            .collect();
        let points = rows.iter().zip(&names).filter_map(|(r, name)| {
            let period = r.keys.get(at)?.as_str();
            Some((period, name.as_str(), r.usd))
        });
        let mut columns = Columns::from_points(
            format!("Dollars by {axis}"),
            Unit::Usd,
            axis.to_owned(),
            points,
        )?;
        // Periods in time order ("undated" after every date).
        columns.columns.sort_by(|a, b| a.label.cmp(&b.label));
        Some(Figure::Columns(columns))
    }

    fn summary(&self) -> Vec<String> {
        let r = &self.usage.accounting();
        let mut parts = vec![format!("{} charged", money::count_display(r.charged))];
        let mut add = |n: u64, what: &str| {
            if n > 0 {
                parts.push(format!("{} {what}", money::count_display(n)));
            }
        };
        add(r.not_charged, "not charged (non-2xx)");
        add(r.not_billable, "not billable");
        add(r.unpriced, "unpriced");
        add(r.malformed, "malformed");
        add(r.outside_range, "outside --since/--until");
        let mut lines = vec![format!(
            "{} read: {}",
            money::count_of(r.read, "record"),
            parts.join(", ")
        )];
        let unpriced = &self.usage.unpriced;
        for (value, calls) in unpriced.iter().take(UNPRICED_SHOWN) {
            lines.push(format!(
                "unpriced: {value} ({})",
                money::count_of(*calls, "call")
            ));
        }
        if unpriced.len() > UNPRICED_SHOWN {
            lines.push(format!(
                "unpriced: {} more values (--format json lists them all)",
                unpriced.len() - UNPRICED_SHOWN
            ));
        }
        if r.malformed > 0 {
            lines.push(format!("malformed: {}", self.malformed_at()));
        }
        for spike in self.spikes.iter().flatten() {
            lines.push(spike.line());
        }
        lines
    }

    fn notes(&self) -> Vec<String> {
        let r = &self.usage.accounting();
        let mut notes = Vec::new();
        if self.usage.no_model > 0 {
            notes.push(format!(
                "{} to the shared sd3 endpoint named no model: --sd3-model ID prices them",
                money::count_of(self.usage.no_model, "call")
            ));
        }
        if r.no_status > 0 {
            notes.push(format!(
                "{} had no status and {} counted as charged",
                money::count_of(r.no_status, "record"),
                if r.no_status == 1 { "is" } else { "are" }
            ));
        }
        if r.undated > 0 {
            notes.push(format!(
                "{} had no time: priced with the card effective {}",
                money::count_of(r.undated, "record"),
                self.usage
                    .cards
                    .used
                    .last()
                    .map_or(self.card.effective.as_str(), |c| c.0.effective.as_str())
            ));
        }
        notes
    }

    fn warnings(&self) -> Vec<String> {
        let r = &self.usage.accounting();
        let unpriced = &self.usage.unpriced;
        let mut out = Vec::new();
        if r.unpriced > 0 {
            let first = unpriced.first().map_or(String::new(), |u| u.0.clone());
            let more = if unpriced.len() > 1 {
                format!(" and {} more", unpriced.len() - 1)
            } else {
                String::new()
            };
            out.push(format!(
                "{} unpriced ({first}{more}): not in the totals",
                money::count_of(r.unpriced, "call")
            ));
        }
        if r.malformed > 0 {
            out.push(format!(
                "{} malformed ({}): not counted",
                money::count_of(r.malformed, "record"),
                self.malformed_at()
            ));
        }
        if self.strict && !out.is_empty() {
            out.push("--strict: exiting with 2, the log has unpriced or malformed records".into());
        }
        out
    }

    fn outcome(&self) -> Outcome {
        let r = self.usage.accounting();
        if self.strict && (r.unpriced > 0 || r.malformed > 0) {
            Outcome::Incomplete
        } else {
            Outcome::Success
        }
    }
}

/// A row's figures as cells: calls, not charged, credits, dollars.
fn figures(r: &Row) -> [Cell; 4] {
    [
        Cell::count(r.charged),
        Cell::count(r.not_charged),
        Cell::Credits(Credits::new(r.credits)),
        Cell::Usd(Usd::new(r.usd)),
    ]
}

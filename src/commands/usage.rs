//! `stabcost usage`: what the calls in a log cost, and what became of every record.

use crate::cli::{Cli, UsageArgs};
use crate::money::{self, Credits, Usd};
use crate::rates::{Origin, Provenance};
use crate::report::{Cell, Column, Outcome, Report, Rows};
use crate::usage::{self, Accounting, GroupKey, Pricing, Row, Usage};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::io::IsTerminal;

/// Unpriced values the table and Markdown list (JSON lists them all).
const UNPRICED_SHOWN: usize = 10;

/// The report: JSON `group_by`, `lines`, `total`, `records`, `unpriced`, `malformed`,
/// `cards`.
#[derive(Debug, serde::Serialize)]
pub(super) struct UsageReport {
    #[serde(skip)]
    card: Provenance,
    group_by: Vec<&'static str>,
    lines: Vec<Line>,
    total: Total,
    records: Records,
    unpriced: Vec<Unpriced>,
    malformed: Malformed,
    cards: Vec<CardUse>,
    #[serde(skip)]
    strict: bool,
    #[serde(skip)]
    no_model: u64,
}

/// A row: its keys by name, then its figures.
#[derive(Debug)]
struct Line {
    keys: Vec<(&'static str, String)>,
    calls: u64,
    not_charged: u64,
    credits: Credits,
    usd: Usd,
}

impl Serialize for Line {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.keys.len() + 4))?;
        for (k, v) in &self.keys {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("calls", &self.calls)?;
        m.serialize_entry("not_charged", &self.not_charged)?;
        m.serialize_entry("credits", &self.credits)?;
        m.serialize_entry("usd", &self.usd)?;
        m.end()
    }
}

#[derive(Debug, serde::Serialize)]
struct Total {
    calls: u64,
    not_charged: u64,
    credits: Credits,
    usd: Usd,
}

/// What became of every record: `read` is the sum of the six counts after it.
#[derive(Debug, serde::Serialize)]
struct Records {
    read: u64,
    charged: u64,
    not_charged: u64,
    not_billable: u64,
    unpriced: u64,
    malformed: u64,
    outside_range: u64,
    undated: u64,
    no_status: u64,
    blank_lines: u64,
}

#[derive(Debug, serde::Serialize)]
struct Unpriced {
    value: String,
    calls: u64,
}

#[derive(Debug, serde::Serialize)]
struct Malformed {
    records: u64,
    first: Vec<At>,
}

#[derive(Debug, serde::Serialize)]
struct At {
    file: String,
    line: u64,
}

/// A card that priced charged calls.
#[derive(Debug, serde::Serialize)]
struct CardUse {
    name: String,
    effective: String,
    origin: Origin,
    calls: u64,
}

/// The cards that price the calls: `--rates` or `--as-of` fix one, else each call is
/// priced by the built-in card in force on its day.
fn pricing(cli: &Cli) -> anyhow::Result<Pricing> {
    if super::card_path(cli).is_some() || cli.as_of.is_some() {
        return Ok(Pricing::Fixed(Box::new(super::card(cli)?)));
    }
    Ok(Pricing::ByDay(crate::rates::all_built_in()?))
}

pub(super) fn run(cli: &Cli, args: &UsageArgs) -> anyhow::Result<UsageReport> {
    if args.logs.is_empty() && std::io::stdin().is_terminal() {
        return Err(crate::error::UserError::new("no log to read")
            .hint(
                "name log files (stabcost usage calls.jsonl), or pipe one in: … | stabcost usage -",
            )
            .into());
    }
    let pricing = pricing(cli)?;
    let newest = match &pricing {
        Pricing::ByDay(cards) => cards.last().map(|c| c.provenance.clone()),
        Pricing::Fixed(card) => Some(card.provenance.clone()),
    };
    let opts = usage::Options {
        logs: if args.logs.is_empty() {
            vec!["-".to_owned()]
        } else {
            args.logs.clone()
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
    };
    let usage = usage::run(pricing, &opts)?;
    Ok(UsageReport::new(&usage, newest, args.strict))
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
        }),
        [.., (last, _)] => Provenance {
            effective: format!(
                "{}, each call by its date",
                cards
                    .iter()
                    .map(|(p, _)| p.effective.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            ..last.clone()
        },
    }
}

impl UsageReport {
    fn new(u: &Usage, newest: Option<Provenance>, strict: bool) -> UsageReport {
        let names: Vec<&'static str> = u.group_by.iter().map(|g| g.name()).collect();
        let line = |r: &Row| Line {
            keys: names.iter().copied().zip(r.keys.iter().cloned()).collect(),
            calls: r.charged,
            not_charged: r.not_charged,
            credits: Credits::new(r.credits),
            usd: Usd::new(r.usd),
        };
        let a: Accounting = u.accounting();
        UsageReport {
            card: provenance(&u.cards.used, newest),
            lines: u.rows.iter().map(line).collect(),
            total: Total {
                calls: u.total.charged,
                not_charged: u.total.not_charged,
                credits: Credits::new(u.total.credits),
                usd: Usd::new(u.total.usd),
            },
            records: Records {
                read: a.read,
                charged: a.charged,
                not_charged: a.not_charged,
                not_billable: a.not_billable,
                unpriced: a.unpriced,
                malformed: a.malformed,
                outside_range: a.outside_range,
                undated: a.undated,
                no_status: a.no_status,
                blank_lines: a.blank_lines,
            },
            unpriced: u
                .unpriced
                .iter()
                .map(|(value, calls)| Unpriced {
                    value: value.clone(),
                    calls: *calls,
                })
                .collect(),
            malformed: Malformed {
                records: a.malformed,
                first: u
                    .malformed_lines
                    .iter()
                    .map(|(file, line)| At {
                        file: file.clone(),
                        line: *line,
                    })
                    .collect(),
            },
            cards: u
                .cards
                .used
                .iter()
                .map(|(p, calls)| CardUse {
                    name: p.name.clone(),
                    effective: p.effective.clone(),
                    origin: p.origin.clone(),
                    calls: *calls,
                })
                .collect(),
            group_by: names,
            strict,
            no_model: u.no_model,
        }
    }

    /// `line 7`, `lines 7 and 9`, `lines 3, 7 and 9 of a.jsonl`: where the first
    /// malformed records are.
    fn malformed_at(&self) -> String {
        let first = &self.malformed.first;
        let one_file = first
            .windows(2)
            .all(|w| w.first().map(|a| &a.file) == w.get(1).map(|b| &b.file));
        let lines: Vec<String> = first
            .iter()
            .map(|at| {
                if one_file {
                    at.line.to_string()
                } else {
                    format!("{}:{}", at.file, at.line)
                }
            })
            .collect();
        let list = match lines.as_slice() {
            [] => return String::new(),
            [one] => format!("line {one}"),
            [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        };
        let file = match first.first() {
            Some(at) if one_file && at.file != "-" => format!(" of {}", at.file),
            _ => String::new(),
        };
        let more = if self.malformed.records > first.len() as u64 {
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
            .group_by
            .iter()
            .map(|&g| {
                let header = match g {
                    "day" => "Day",
                    "week" => "Week",
                    "month" => "Month",
                    "endpoint" => "Endpoint",
                    "tag" => "Tag",
                    "status" => "Status",
                    _ => "Service",
                };
                Column::text(header, g)
            })
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
        Box::new(self.lines.iter().map(|l| {
            let mut cells: Vec<Cell> = l.keys.iter().map(|(_, v)| Cell::Text(v.clone())).collect();
            cells.extend([
                Cell::count(l.calls),
                Cell::count(l.not_charged),
                Cell::Credits(l.credits),
                Cell::Usd(l.usd),
            ]);
            cells
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        let mut cells = vec![Cell::Total];
        cells.extend((1..self.group_by.len()).map(|_| Cell::Empty));
        cells.extend([
            Cell::count(self.total.calls),
            Cell::count(self.total.not_charged),
            Cell::Credits(self.total.credits),
            Cell::Usd(self.total.usd),
        ]);
        Some(cells)
    }

    fn summary(&self) -> Vec<String> {
        let r = &self.records;
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
        for u in self.unpriced.iter().take(UNPRICED_SHOWN) {
            lines.push(format!(
                "unpriced: {} ({})",
                u.value,
                money::count_of(u.calls, "call")
            ));
        }
        if self.unpriced.len() > UNPRICED_SHOWN {
            lines.push(format!(
                "unpriced: {} more values (--format json lists them all)",
                self.unpriced.len() - UNPRICED_SHOWN
            ));
        }
        if r.malformed > 0 {
            lines.push(format!("malformed: {}", self.malformed_at()));
        }
        lines
    }

    fn notes(&self) -> Vec<String> {
        let r = &self.records;
        let mut notes = Vec::new();
        if self.no_model > 0 {
            notes.push(format!(
                "{} to the shared sd3 endpoint named no model: --sd3-model ID prices them",
                money::count_of(self.no_model, "call")
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
                self.cards
                    .last()
                    .map_or(self.card.effective.as_str(), |c| c.effective.as_str())
            ));
        }
        notes
    }

    fn warnings(&self) -> Vec<String> {
        let r = &self.records;
        let mut out = Vec::new();
        if r.unpriced > 0 {
            let first = self
                .unpriced
                .first()
                .map_or(String::new(), |u| u.value.clone());
            let more = if self.unpriced.len() > 1 {
                format!(" and {} more", self.unpriced.len() - 1)
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
        if self.strict && (self.records.unpriced > 0 || self.records.malformed > 0) {
            Outcome::Incomplete
        } else {
            Outcome::Success
        }
    }
}

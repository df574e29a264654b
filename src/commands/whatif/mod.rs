//! `stabcost usage LOG… --what-if FROM=TO | --what-if-rates CARD | --levers`: what the
//! calls would have cost (README, "What would it have cost?"). The figures are the
//! domain's (`usage::whatif`); this file reads the log through `usage` with them asked
//! for, and puts them in words; `rows` lays them out as each report's table and CSV
//! records, `figure` as the HTML page's bars.

mod figure;
mod records;
mod rows;

use super::request::{CardSource, WhatIf, WhatIfMode};
use super::usage::{self as plain, UsageReport};
use crate::cli::UsageArgs;
use crate::money::{self, Credits};
use crate::rates::Provenance;
use crate::report::{self, Cell, Column, Outcome, Report, Rows};
use crate::usage::whatif::{Lever, LeverKind, Rates, Reuse, Swaps};
use serde::Serialize;

/// The report: the priced log as `usage` reports it (JSON `group_by`, `lines`, `total`,
/// `records`, …), then `what_if`, `what_if_rates`, `reuse` and `levers`, each `null`
/// unless asked for (`reuse`: unless some charged call carried a prompt identity).
#[derive(Debug, Serialize)]
pub(super) struct WhatIfReport {
    #[serde(flatten)]
    usage: UsageReport,
    what_if: Option<Swaps>,
    what_if_rates: Option<RatesOut>,
    reuse: Option<Reuse>,
    levers: Option<Vec<Lever>>,
    #[serde(skip)]
    mode: WhatIfMode,
    /// The prompt's field, as the notes name it.
    #[serde(skip)]
    prompt_field: Option<String>,
}

/// `what_if_rates`: both cards, and the log under the other one.
#[derive(Debug, Serialize)]
struct RatesOut {
    /// The card(s) that priced the actual figures (the report's `rate_card`).
    actual_card: Provenance,
    #[serde(flatten)]
    rates: Rates,
}

pub(super) fn run(
    source: &CardSource,
    args: &UsageArgs,
    what_if: WhatIf,
    logs: plain::Logs<'_>,
) -> anyhow::Result<WhatIfReport> {
    let prompt_field = what_if.ask.prompt_field.clone();
    let mut usage = plain::read_asking(args, source.pricing()?, false, logs, Some(what_if.ask))?;
    let found = usage.usage.what_if.take();
    let (swaps, rates, reuse, levers) = match found {
        Some(w) => (w.swaps, w.rates, w.reuse, w.levers),
        None => (None, None, None, None),
    };
    let what_if_rates = rates.map(|rates| RatesOut {
        actual_card: usage.card.clone(),
        rates,
    });
    Ok(WhatIfReport {
        usage,
        what_if: swaps,
        what_if_rates,
        reuse,
        levers,
        mode: what_if.mode,
        prompt_field,
    })
}

/// `297 credits` and its plural.
fn credits(c: Credits) -> String {
    if c.get() == rust_decimal::Decimal::ONE {
        format!("{c} credit")
    } else {
        format!("{c} credits")
    }
}

impl WhatIfReport {
    /// The reuse figure in words: `reuse: 99 of 100 calls with a prompt repeat …`.
    fn reuse_line(&self) -> Option<String> {
        let r = self.reuse.as_ref()?;
        let bound = if r.capped { "at least " } else { "" };
        Some(format!(
            "reuse: {bound}{} of {} with a prompt repeat an earlier call of the same service and prompt within {}: reusing the first results would have saved {bound}{}, {}",
            money::count_display(r.repeated_calls),
            money::count_of(r.prompted_calls, "call"),
            money::count_of(u64::from(r.window_days), "day"),
            credits(r.saving_credits),
            r.saving_usd
        ))
    }

    /// The notes on the reuse figure: a lower bound, calls without a time, or none to
    /// measure (with `--levers`, which always looks).
    fn reuse_notes(&self) -> Vec<String> {
        let Some(r) = &self.reuse else {
            if self.mode != WhatIfMode::Levers {
                return Vec::new();
            }
            let fields = self.prompt_field.as_ref().map_or_else(
                || "prompt_hash or prompt (--prompt-field NAME reads another)".to_owned(),
                |f| format!("'{f}'"),
            );
            return vec![format!(
                "reuse: no charged call carries {fields}, so repeated prompts cannot be counted"
            )];
        };
        let mut notes = Vec::new();
        if r.capped {
            notes.push(format!(
                "reuse: a lower bound: the figure keeps {} entries (a service, prompt and day each), and {} past them were left out",
                money::count_display(r.limit as u64),
                money::count_of(r.left_out_calls, "call")
            ));
        }
        if r.undated_calls > 0 {
            notes.push(format!(
                "reuse: {} with a prompt had no time, and cannot repeat another",
                money::count_of(r.undated_calls, "call")
            ));
        }
        notes
    }
}

impl Report for WhatIfReport {
    fn command(&self) -> &'static str {
        "usage"
    }

    fn rate_card(&self) -> &Provenance {
        &self.usage.card
    }

    fn title(&self) -> Option<String> {
        Some(self.headline())
    }

    fn figure(&self) -> Option<crate::report::figure::Figure> {
        self.bars()
    }

    fn columns(&self) -> Vec<Column> {
        self.table_columns()
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.table_rows().into_iter())
    }

    fn total(&self) -> Option<Vec<Cell>> {
        self.total_row()
    }

    fn records(&self) -> Option<(Vec<Column>, Rows<'_>)> {
        Some(self.csv_records())
    }

    fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match self.mode {
            WhatIfMode::Swaps => {
                for n in self.what_if.iter().flat_map(|s| &s.not_priced) {
                    lines.push(format!(
                        "not priced: {} of {} as {} ({}): kept at what they cost, {}",
                        money::count_of(n.calls, "call"),
                        n.from,
                        n.to,
                        n.reason,
                        n.actual_usd
                    ));
                }
            }
            WhatIfMode::Rates => {
                if let Some(r) = &self.what_if_rates {
                    for n in &r.rates.not_priced {
                        lines.push(format!(
                            "not priced: {} of {} on the what-if card ({}): kept at what they cost, {}",
                            money::count_of(n.calls, "call"),
                            n.service,
                            n.reason,
                            n.actual_usd
                        ));
                    }
                    lines.push(report::prices_line(&r.rates.what_if_card).replacen(
                        "prices:",
                        "what-if prices:",
                        1,
                    ));
                }
            }
            WhatIfMode::Levers => lines.extend(self.lever_lines()),
        }
        if self.mode != WhatIfMode::Levers {
            lines.extend(self.reuse_line());
        }
        lines.extend(self.usage.summary());
        lines
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        match self.mode {
            WhatIfMode::Swaps => {
                notes.push("figures only: what the same calls would have cost on another service, not whether its results would serve as well".to_owned());
                if self
                    .what_if
                    .as_ref()
                    .is_some_and(|s| !s.not_priced.is_empty())
                {
                    notes.push("a call the other service could not have made on its day is listed as not priced, and counted at what it cost, never at $0".to_owned());
                }
            }
            WhatIfMode::Rates => {
                notes.push("each call priced by the service of the same id on the what-if card, with its steps and samples, as if that card had been in force on its day".to_owned());
            }
            WhatIfMode::Levers => notes.extend(self.lever_notes()),
        }
        notes.extend(self.reuse_notes());
        notes.extend(self.usage.notes());
        notes
    }

    fn warnings(&self) -> Vec<String> {
        self.usage.warnings()
    }

    fn outcome(&self) -> Outcome {
        self.usage.outcome()
    }
}

/// The levers of kind `kind`.
fn of_kind(levers: &[Lever], kind: LeverKind) -> impl Iterator<Item = &Lever> {
    levers.iter().filter(move |l| l.lever == kind)
}

//! The what-if reports laid out: the headline, each report's table (a row per swap,
//! per service or per lever) and its CSV records, where every figure has a column of
//! its own and the first column, `kind`, says what a row is (docs/formats.md).

use super::{WhatIfReport, of_kind};
use crate::commands::request::WhatIfMode;
use crate::money::{self, Percent, Usd};
use crate::report::{Cell, Column, Shrink};
use crate::usage::whatif::{Lever, LeverKind, SwapLine, Swaps, Total};
use rust_decimal::Decimal;

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub(super) fn percent(p: Option<Percent>) -> Cell {
    p.map_or(Cell::Missing, Cell::Percent)
}

pub(super) fn usd(u: Option<Usd>) -> Cell {
    u.map_or(Cell::Missing, Cell::Usd)
}

pub(super) fn count(n: Option<u64>) -> Cell {
    n.map_or(Cell::Missing, Cell::count)
}

pub(super) fn yes_no(b: bool) -> Cell {
    text(if b { "true" } else { "false" })
}

/// `saving $150.00 (39.47%)`, or `$5.00 more (+1.32%)` when the what-if costs more.
fn change(t: &Total) -> String {
    if t.saving_usd.get() < Decimal::ZERO {
        let rise = Percent::change(t.actual_usd.get(), t.what_if_usd.get())
            .map_or_else(String::new, |p| format!(" ({})", p.signed()));
        format!("{} more{rise}", Usd::new(-t.saving_usd.get()))
    } else {
        let pct = t.saving_pct.map_or_else(String::new, |p| format!(" ({p})"));
        format!("saving {}{pct}", t.saving_usd)
    }
}

/// The figures of a total row: calls, actual, what-if, saving, percent.
pub(super) fn total_cells(t: &Total) -> [Cell; 5] {
    [
        Cell::count(t.calls),
        Cell::Usd(t.actual_usd),
        Cell::Usd(t.what_if_usd),
        Cell::Usd(t.saving_usd),
        percent(t.saving_pct),
    ]
}

/// The swaps with a row of their own: a swap whose every call was not priced shows in
/// those rows alone.
pub(super) fn shown_swaps(s: &Swaps) -> impl Iterator<Item = &SwapLine> {
    s.swaps.iter().filter(|l| {
        l.calls > 0
            || !s
                .not_priced
                .iter()
                .any(|n| (&n.from, &n.to) == (&l.from, &l.to))
    })
}

/// A lever's row label, as the table shows it.
pub(super) fn lever_label(l: &Lever) -> String {
    let (from, to) = (
        l.from.as_deref().unwrap_or_default(),
        l.to.as_deref().unwrap_or_default(),
    );
    let month = l.month.map_or_else(String::new, |m| m.to_string());
    match l.lever {
        LeverKind::Model => format!("cheapest model: {from} → {to}"),
        LeverKind::Upscale => format!("upscale mode: {from} → {to}"),
        LeverKind::Reuse => {
            let days = money::count_of(u64::from(l.window_days.unwrap_or_default()), "day");
            if l.lower_bound {
                format!("reuse: repeats within {days} (at least)")
            } else {
                format!("reuse: repeats within {days}")
            }
        }
        LeverKind::Volume => format!(
            "bulk pricing: images in {month}, of {} a month",
            money::count_display(l.threshold_images.unwrap_or_default())
        ),
        LeverKind::SelfHost => match l.gpus {
            Some(g) => format!(
                "self-hosting: images in {month}, on {}",
                money::count_of(g, "GPU")
            ),
            None => format!("self-hosting: images in {month}"),
        },
    }
}

impl WhatIfReport {
    /// The report's first line: the bill, and what it would be.
    pub(super) fn headline(&self) -> String {
        match self.mode {
            WhatIfMode::Swaps => self.what_if.as_ref().map_or_else(String::new, |s| {
                let t = &s.total;
                format!(
                    "What if: {} → {}, {}",
                    t.actual_usd,
                    t.what_if_usd,
                    change(t)
                )
            }),
            WhatIfMode::Rates => self.what_if_rates.as_ref().map_or_else(String::new, |r| {
                let t = &r.rates.total;
                format!(
                    "Under {}: {} → {}, {}",
                    r.rates.what_if_card.label(),
                    t.actual_usd,
                    t.what_if_usd,
                    change(t)
                )
            }),
            WhatIfMode::Levers => {
                let total = &self.usage.usage.total;
                format!(
                    "The guide's levers on {} ({}): what the same calls would cost",
                    money::count_of(total.charged, "charged call"),
                    Usd::new(total.usd)
                )
            }
        }
    }

    pub(super) fn table_columns(&self) -> Vec<Column> {
        let wrap = Shrink::Name { min: 12 };
        match self.mode {
            WhatIfMode::Swaps => vec![
                Column::text("Swap", "swap").shrink(wrap),
                Column::number("Calls", "calls"),
                Column::number("Actual", "actual_usd"),
                Column::number("What-if", "what_if_usd"),
                Column::number("Saving", "saving_usd"),
                Column::number("Saving %", "saving_pct"),
            ],
            WhatIfMode::Rates => vec![
                Column::text("Service", "service").shrink(wrap),
                Column::number("Calls", "calls"),
                Column::number("Actual", "actual_usd"),
                Column::number("What-if", "what_if_usd"),
                Column::number("Saving", "saving_usd"),
                Column::number("Saving %", "saving_pct"),
            ],
            WhatIfMode::Levers => vec![
                Column::text("Lever", "lever").shrink(wrap),
                Column::number("Calls", "calls"),
                Column::number("Actual", "actual_usd"),
                Column::number("Would cost", "would_cost_usd"),
                Column::number("Saving", "saving_usd"),
                Column::number("Of the bill", "saving_pct_of_bill"),
            ],
        }
    }

    /// The table's rows: each swap, the calls it could not price, the calls no swap
    /// names; or each service under the other card, and those it could not price; or
    /// each lever.
    pub(super) fn table_rows(&self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        match self.mode {
            WhatIfMode::Swaps => {
                let Some(s) = &self.what_if else {
                    return rows;
                };
                for l in shown_swaps(s) {
                    rows.push(vec![
                        text(format!("{} → {}", l.from, l.to)),
                        Cell::count(l.calls),
                        Cell::Usd(l.actual_usd),
                        Cell::Usd(l.what_if_usd),
                        Cell::Usd(l.saving_usd),
                        percent(l.saving_pct),
                    ]);
                }
                for n in &s.not_priced {
                    rows.push(vec![
                        text(format!("{} → {}, not priced: {}", n.from, n.to, n.reason)),
                        Cell::count(n.calls),
                        Cell::Usd(n.actual_usd),
                        Cell::Usd(n.actual_usd),
                        Cell::Usd(Usd::ZERO),
                        Cell::Missing,
                    ]);
                }
                if s.unchanged.calls > 0 {
                    rows.push(vec![
                        text("every other call, as it was"),
                        Cell::count(s.unchanged.calls),
                        Cell::Usd(s.unchanged.usd),
                        Cell::Usd(s.unchanged.usd),
                        Cell::Usd(Usd::ZERO),
                        Cell::Missing,
                    ]);
                }
            }
            WhatIfMode::Rates => {
                let Some(r) = &self.what_if_rates else {
                    return rows;
                };
                for l in &r.rates.lines {
                    rows.push(vec![
                        text(l.service.clone()),
                        Cell::count(l.calls),
                        Cell::Usd(l.actual_usd),
                        Cell::Usd(l.what_if_usd),
                        Cell::Usd(l.saving_usd),
                        percent(l.saving_pct),
                    ]);
                }
                for n in &r.rates.not_priced {
                    rows.push(vec![
                        text(format!("{}, not priced: {}", n.service, n.reason)),
                        Cell::count(n.calls),
                        Cell::Usd(n.actual_usd),
                        Cell::Usd(n.actual_usd),
                        Cell::Usd(Usd::ZERO),
                        Cell::Missing,
                    ]);
                }
            }
            WhatIfMode::Levers => {
                for l in self.levers.iter().flatten() {
                    rows.push(vec![
                        text(lever_label(l)),
                        count(l.calls.or(l.images)),
                        usd(l.actual_usd),
                        usd(l.would_cost_usd),
                        usd(l.saving_usd),
                        percent(l.saving_pct_of_bill),
                    ]);
                }
            }
        }
        rows
    }

    /// The whole log's row: with every swap, or under the other card; the levers
    /// overlap, and have none.
    pub(super) fn total_row(&self) -> Option<Vec<Cell>> {
        let t = match self.mode {
            WhatIfMode::Swaps => &self.what_if.as_ref()?.total,
            WhatIfMode::Rates => &self.what_if_rates.as_ref()?.rates.total,
            WhatIfMode::Levers => return None,
        };
        let mut cells = vec![Cell::Total];
        cells.extend(total_cells(t));
        Some(cells)
    }

    /// The levers in words, under the table: the reuse figure, the busiest month
    /// against the volume threshold, self-hosting's break-even, and the calls a row
    /// could not price.
    pub(super) fn lever_lines(&self) -> Vec<String> {
        let levers = self.levers.as_deref().unwrap_or_default();
        let mut lines: Vec<String> = self.reuse_line().into_iter().collect();
        for l in of_kind(levers, LeverKind::Volume) {
            let (images, threshold) = (
                l.images.unwrap_or_default(),
                l.threshold_images.unwrap_or_default(),
            );
            lines.push(format!(
                "bulk pricing: {} in {} (the busiest month): {} of the {} a month above which Stability sells bulk pricing",
                money::count_of(images, "generation image"),
                l.month.map_or_else(String::new, |m| m.to_string()),
                l.threshold_pct.map_or_else(String::new, |p| p.to_string()),
                money::count_display(threshold),
            ));
        }
        for l in of_kind(levers, LeverKind::SelfHost) {
            lines.push(self_host_line(l));
        }
        for l in levers.iter().filter(|l| l.not_priced_calls > 0) {
            lines.push(format!(
                "not priced: {} of {} as {} (it was not sold on their day): left out of its row",
                money::count_of(l.not_priced_calls, "call"),
                l.from.as_deref().unwrap_or_default(),
                l.to.as_deref().unwrap_or_default()
            ));
        }
        lines
    }

    pub(super) fn lever_notes(&self) -> Vec<String> {
        let levers = self.levers.as_deref().unwrap_or_default();
        let mut notes = vec![
            "figures only: what the same calls would cost with each lever, not whether the results would serve as well".to_owned(),
            "the levers overlap (a call can be in several rows): their savings do not add up".to_owned(),
        ];
        if let Some(to) = of_kind(levers, LeverKind::Model).find_map(|l| l.to.as_deref()) {
            notes.push(format!(
                "cheapest model: {to} costs the least a call of the generation services on the newest card, at its default steps"
            ));
        }
        if of_kind(levers, LeverKind::SelfHost).next().is_some() {
            notes.push("self-hosting: GPU compute only, dedicated GPUs rented by the month (30 days), the generation images of the month made from the open weights (`stabcost compare` names them and their licence)".to_owned());
        }
        notes
    }
}

/// The self-hosting row in words.
fn self_host_line(l: &Lever) -> String {
    let month = l.month.map_or_else(String::new, |m| m.to_string());
    let images = money::count_of(l.images.unwrap_or_default(), "generation image");
    let api = l.actual_usd.map_or_else(String::new, |u| u.to_string());
    let (Some(gpus), Some(capacity), Some(cost)) =
        (l.gpus, l.gpu_capacity_images, l.would_cost_usd)
    else {
        return format!(
            "self-hosting: one GPU makes no image in a month at that speed; {images} in {month} cost {api} on the API"
        );
    };
    let even = match (l.break_even_images, l.break_even_beyond_capacity) {
        (Some(n), _) => format!(
            "at this log's mix one GPU costs less from {} a month",
            money::count_of(n, "image")
        ),
        (None, Some(true)) => {
            "at this log's mix one GPU never costs less within its capacity".to_owned()
        }
        _ => "the API images cost nothing, so no volume breaks even".to_owned(),
    };
    format!(
        "self-hosting: {images} in {month} need {} ({} a month each), {cost} a month against {api} on the API; {even}",
        money::count_of(gpus, "GPU"),
        money::count_of(capacity, "image")
    )
}

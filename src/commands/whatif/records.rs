//! The what-if reports' CSV records: every figure has a column of its own and the first
//! column, `kind`, says what a record is (docs/formats.md); the rows of the table, less
//! the lines under it, as records.

use super::WhatIfReport;
use super::rows::{count, percent, shown_swaps, text, total_cells, usd, yes_no};
use crate::commands::request::WhatIfMode;
use crate::money::{Credits, Usd};
use crate::report::{Cell, Column, Rows};
use crate::usage::whatif::{Lever, LeverKind, Total};

/// The swaps' CSV columns, and whether each holds a number.
const SWAPS: [(&str, bool); 12] = [
    ("kind", false),
    ("from", false),
    ("to", false),
    ("reason", false),
    ("calls", true),
    ("actual_usd", true),
    ("what_if_usd", true),
    ("saving_usd", true),
    ("saving_pct", true),
    ("actual_credits", true),
    ("what_if_credits", true),
    ("saving_credits", true),
];

/// The other card's CSV columns.
const RATES: [(&str, bool); 8] = [
    ("kind", false),
    ("service", false),
    ("reason", false),
    ("calls", true),
    ("actual_usd", true),
    ("what_if_usd", true),
    ("saving_usd", true),
    ("saving_pct", true),
];

/// The levers' CSV columns: `kind` is the lever, then the JSON keys of `levers[]`.
const LEVERS: [(&str, bool); 20] = [
    ("kind", false),
    ("from", false),
    ("to", false),
    ("month", false),
    ("calls", true),
    ("images", true),
    ("actual_usd", true),
    ("would_cost_usd", true),
    ("saving_usd", true),
    ("saving_pct_of_bill", true),
    ("not_priced_calls", true),
    ("window_days", true),
    ("lower_bound", false),
    ("threshold_images", true),
    ("threshold_pct", true),
    ("gpus", true),
    ("gpu_monthly_usd", true),
    ("gpu_capacity_images", true),
    ("break_even_images", true),
    ("break_even_beyond_capacity", false),
];

/// A record of `layout`'s columns with the cells `cells` names, every other empty.
fn record(layout: &[(&str, bool)], cells: Vec<(&str, Cell)>) -> Vec<Cell> {
    let mut row = vec![Cell::Empty; layout.len()];
    for (key, cell) in cells {
        if let Some(slot) = layout
            .iter()
            .position(|(k, _)| *k == key)
            .and_then(|i| row.get_mut(i))
        {
            *slot = cell;
        }
    }
    row
}

fn columns_of(layout: &[(&'static str, bool)]) -> Vec<Column> {
    layout
        .iter()
        .map(|&(k, numeric)| {
            if numeric {
                Column::number(k, k)
            } else {
                Column::text(k, k)
            }
        })
        .collect()
}

impl WhatIfReport {
    /// The reuse figure as a CSV record of `layout`.
    fn reuse_record(&self, layout: &[(&str, bool)]) -> Option<Vec<Cell>> {
        let r = self.reuse.as_ref()?;
        Some(record(
            layout,
            vec![
                ("kind", text("reuse")),
                ("calls", Cell::count(r.repeated_calls)),
                ("actual_usd", Cell::Usd(r.saving_usd)),
                ("what_if_usd", Cell::Usd(Usd::ZERO)),
                ("saving_usd", Cell::Usd(r.saving_usd)),
                ("saving_credits", Cell::Credits(r.saving_credits)),
            ],
        ))
    }

    /// The CSV: every figure in a column of its own, `kind` first.
    pub(super) fn csv_records(&self) -> (Vec<Column>, Rows<'_>) {
        match self.mode {
            WhatIfMode::Swaps => (
                columns_of(&SWAPS),
                Box::new(self.swap_records().into_iter()),
            ),
            WhatIfMode::Rates => (
                columns_of(&RATES),
                Box::new(self.rates_records().into_iter()),
            ),
            WhatIfMode::Levers => (
                columns_of(&LEVERS),
                Box::new(self.levers.iter().flatten().map(lever_record)),
            ),
        }
    }

    fn swap_records(&self) -> Vec<Vec<Cell>> {
        let Some(s) = &self.what_if else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for l in shown_swaps(s) {
            out.push(record(
                &SWAPS,
                vec![
                    ("kind", text("swap")),
                    ("from", text(l.from.clone())),
                    ("to", text(l.to.clone())),
                    ("calls", Cell::count(l.calls)),
                    ("actual_usd", Cell::Usd(l.actual_usd)),
                    ("what_if_usd", Cell::Usd(l.what_if_usd)),
                    ("saving_usd", Cell::Usd(l.saving_usd)),
                    ("saving_pct", percent(l.saving_pct)),
                    ("actual_credits", Cell::Credits(l.actual_credits)),
                    ("what_if_credits", Cell::Credits(l.what_if_credits)),
                    ("saving_credits", Cell::Credits(l.saving_credits)),
                ],
            ));
        }
        for n in &s.not_priced {
            out.push(record(
                &SWAPS,
                vec![
                    ("kind", text("not_priced")),
                    ("from", text(n.from.clone())),
                    ("to", text(n.to.clone())),
                    ("reason", text(n.reason.clone())),
                ]
                .into_iter()
                .chain(kept(n.calls, n.actual_usd, Some(n.actual_credits)))
                .collect(),
            ));
        }
        // As in the table: the calls no swap names, when there are any.
        if s.unchanged.calls > 0 {
            out.push(record(
                &SWAPS,
                std::iter::once(("kind", text("unchanged")))
                    .chain(kept(
                        s.unchanged.calls,
                        s.unchanged.usd,
                        Some(s.unchanged.credits),
                    ))
                    .collect(),
            ));
        }
        out.push(total_record(&SWAPS, &s.total));
        out.extend(self.reuse_record(&SWAPS));
        out
    }

    fn rates_records(&self) -> Vec<Vec<Cell>> {
        let Some(r) = &self.what_if_rates else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for l in &r.rates.lines {
            out.push(record(
                &RATES,
                vec![
                    ("kind", text("service")),
                    ("service", text(l.service.clone())),
                    ("calls", Cell::count(l.calls)),
                    ("actual_usd", Cell::Usd(l.actual_usd)),
                    ("what_if_usd", Cell::Usd(l.what_if_usd)),
                    ("saving_usd", Cell::Usd(l.saving_usd)),
                    ("saving_pct", percent(l.saving_pct)),
                ],
            ));
        }
        for n in &r.rates.not_priced {
            out.push(record(
                &RATES,
                vec![
                    ("kind", text("not_priced")),
                    ("service", text(n.service.clone())),
                    ("reason", text(n.reason.clone())),
                ]
                .into_iter()
                .chain(kept(n.calls, n.actual_usd, None))
                .collect(),
            ));
        }
        out.push(total_record(&RATES, &r.rates.total));
        out.extend(self.reuse_record(&RATES));
        out
    }
}

/// A total as a CSV record (its `kind` empty: the total row).
/// The figures of calls kept at what they cost (not priced, or named by no swap): the
/// same actual and what-if, no saving; in credits too where the record has them.
fn kept(calls: u64, usd: Usd, credits: Option<Credits>) -> Vec<(&'static str, Cell)> {
    let mut figures = vec![
        ("calls", Cell::count(calls)),
        ("actual_usd", Cell::Usd(usd)),
        ("what_if_usd", Cell::Usd(usd)),
        ("saving_usd", Cell::Usd(Usd::ZERO)),
    ];
    if let Some(c) = credits {
        figures.extend([
            ("actual_credits", Cell::Credits(c)),
            ("what_if_credits", Cell::Credits(c)),
            ("saving_credits", Cell::Credits(Credits::ZERO)),
        ]);
    }
    figures
}

fn total_record(layout: &[(&str, bool)], t: &Total) -> Vec<Cell> {
    let [calls, actual, what_if, saving, pct] = total_cells(t);
    let mut record_cells = vec![
        ("calls", calls),
        ("actual_usd", actual),
        ("what_if_usd", what_if),
        ("saving_usd", saving),
        ("saving_pct", pct),
    ];
    if let Some(c) = &t.credits {
        record_cells.extend([
            ("actual_credits", Cell::Credits(c.actual_credits)),
            ("what_if_credits", Cell::Credits(c.what_if_credits)),
            ("saving_credits", Cell::Credits(c.saving_credits)),
        ]);
    }
    record(layout, record_cells)
}

/// A lever as a CSV record.
fn lever_record(l: &Lever) -> Vec<Cell> {
    let kind = match l.lever {
        LeverKind::Model => "model",
        LeverKind::Upscale => "upscale",
        LeverKind::Reuse => "reuse",
        LeverKind::Volume => "volume",
        LeverKind::SelfHost => "self_host",
    };
    let opt_text = |s: &Option<String>| s.clone().map_or(Cell::Empty, Cell::Text);
    let opt = |c: Cell| if c == Cell::Missing { Cell::Empty } else { c };
    record(
        &LEVERS,
        vec![
            ("kind", text(kind)),
            ("from", opt_text(&l.from)),
            ("to", opt_text(&l.to)),
            (
                "month",
                l.month.map_or(Cell::Empty, |m| text(m.to_string())),
            ),
            ("calls", opt(count(l.calls))),
            ("images", opt(count(l.images))),
            ("actual_usd", opt(usd(l.actual_usd))),
            ("would_cost_usd", opt(usd(l.would_cost_usd))),
            ("saving_usd", opt(usd(l.saving_usd))),
            ("saving_pct_of_bill", opt(percent(l.saving_pct_of_bill))),
            ("not_priced_calls", Cell::count(l.not_priced_calls)),
            ("window_days", opt(count(l.window_days.map(u64::from)))),
            ("lower_bound", yes_no(l.lower_bound)),
            ("threshold_images", opt(count(l.threshold_images))),
            ("threshold_pct", opt(percent(l.threshold_pct))),
            ("gpus", opt(count(l.gpus))),
            ("gpu_monthly_usd", opt(usd(l.gpu_monthly_usd))),
            ("gpu_capacity_images", opt(count(l.gpu_capacity_images))),
            ("break_even_images", opt(count(l.break_even_images))),
            (
                "break_even_beyond_capacity",
                l.break_even_beyond_capacity.map_or(Cell::Empty, yes_no),
            ),
        ],
    )
}

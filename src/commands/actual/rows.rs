//! The plan against actual laid out: the headline, the table's rows (a workload each,
//! the unplanned calls, the total), the notes, and the CSV's records, where the
//! forecast, the runway and each spike are rows of their own (docs/formats.md).

use super::{ActualReport, TAGS_SHOWN};
use crate::money::{self, Credits};
use crate::report::{Cell, Column, Rows};
use crate::usage::actual::{Line, MonthEnd};

/// The CSV's columns: `kind` (`workload`, `unplanned`, `forecast`, `runway`, `spike`;
/// empty on the total row), then every figure a row of some kind has.
const RECORDS: [(&str, bool); 29] = [
    ("kind", false),
    ("month", false),
    ("workload", false),
    ("tags", false),
    ("planned_usd", true),
    ("pro_rata_usd", true),
    ("actual_usd", true),
    ("variance_usd", true),
    ("variance_pct", true),
    ("planned_assets", true),
    ("actual_calls", true),
    ("day", false),
    ("window_days", true),
    ("days_with_calls", true),
    ("usd_per_day", true),
    ("days_left", true),
    ("month_end_usd", true),
    ("budget_usd", true),
    ("over", false),
    ("balance_credits", true),
    ("credits_per_day", true),
    ("runway_days", true),
    ("runs_out_on", false),
    ("packs_to_month_end", true),
    ("packs_usd", true),
    ("median_usd", true),
    ("factor", true),
    ("top_service", false),
    ("top_tag", false),
];

/// A record with the cells `cells` names, every other one empty.
fn record(cells: Vec<(&str, Cell)>) -> Vec<Cell> {
    let mut row = vec![Cell::Empty; RECORDS.len()];
    for (key, cell) in cells {
        if let Some(slot) = RECORDS
            .iter()
            .position(|(k, _)| *k == key)
            .and_then(|i| row.get_mut(i))
        {
            *slot = cell;
        }
    }
    row
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn percent(p: Option<money::Percent>) -> Cell {
    p.map_or(Cell::Missing, Cell::PercentChange)
}

fn yes_no(b: Option<bool>) -> Cell {
    b.map_or(Cell::Empty, |b| text(if b { "true" } else { "false" }))
}

impl ActualReport {
    /// The report's first line: what was spent against the plan.
    pub(super) fn headline(&self) -> String {
        let p = self.pva();
        let t = &p.total;
        let month = p.month.name();
        let change = match t.variance_pct {
            Some(pct) => format!("{}, {}", t.variance_usd.signed(), pct.signed()),
            None => t.variance_usd.signed(),
        };
        match t.pro_rata_usd {
            Some(to_date) if p.partial => format!(
                "{}, {month} to {}: {} spent, {to_date} planned to date ({change}); {} for the month",
                self.plan.name, self.forecast.as_of, t.actual_usd, t.planned_usd
            ),
            _ => format!(
                "{}, {month}: {} spent, {} planned ({change})",
                self.plan.name, t.actual_usd, t.planned_usd
            ),
        }
    }

    /// A workload's cells, as the table shows them.
    fn line_cells(&self, l: &Line) -> Vec<Cell> {
        let mut cells = vec![
            text(l.workload.clone()),
            text(l.tags.join(", ")),
            Cell::Usd(l.planned_usd),
        ];
        if self.pva().partial {
            cells.push(l.pro_rata_usd.map_or(Cell::Missing, Cell::Approx));
        }
        cells.extend([
            Cell::Usd(l.actual_usd),
            Cell::UsdChange(l.variance_usd),
            percent(l.variance_pct),
            Cell::count(l.planned_assets),
            Cell::count(l.actual_calls),
        ]);
        cells
    }

    /// The table's rows: each workload, then the unplanned calls when there are any.
    pub(super) fn table_rows(&self) -> impl Iterator<Item = Vec<Cell>> + '_ {
        let p = self.pva();
        let unplanned = (p.unplanned.actual_calls > 0).then(|| {
            let mut cells = vec![
                text("unplanned"),
                text(self.unplanned_tags()),
                Cell::Missing,
            ];
            if p.partial {
                cells.push(Cell::Missing);
            }
            cells.extend([
                Cell::Usd(p.unplanned.actual_usd),
                Cell::UsdChange(p.unplanned.actual_usd),
                Cell::Missing,
                Cell::Missing,
                Cell::count(p.unplanned.actual_calls),
            ]);
            cells
        });
        p.lines.iter().map(|l| self.line_cells(l)).chain(unplanned)
    }

    pub(super) fn total_row(&self) -> Vec<Cell> {
        let p = self.pva();
        let t = &p.total;
        let mut cells = vec![Cell::Total, Cell::Empty, Cell::Usd(t.planned_usd)];
        if p.partial {
            cells.push(t.pro_rata_usd.map_or(Cell::Missing, Cell::Approx));
        }
        cells.extend([
            Cell::Usd(t.actual_usd),
            Cell::UsdChange(t.variance_usd),
            percent(t.variance_pct),
            Cell::count(t.planned_assets),
            Cell::count(t.actual_calls),
        ]);
        cells
    }

    /// Caveats: a month only partly in the log, the plan's month for growth, calls set
    /// against no month, and `usage`'s own.
    pub(super) fn note_lines(&self) -> Vec<String> {
        let p = self.pva();
        let month = p.month.name();
        let mut notes = Vec::new();
        if p.partial {
            notes.push(format!(
                "{month} is in the log to {} ({} of {} days): planned to date is each workload's month × {}/{}, rounded once, half-to-even, to cents, and the variances are against it",
                self.forecast.as_of, p.days_covered, p.days_in_month, p.days_covered, p.days_in_month
            ));
        }
        match self.start {
            Some(start) if self.grows => notes.push(format!(
                "{month} is month {} of the plan (start = \"{start}\"): each volume grown by its growth, rounded once to whole assets",
                self.plan_month
            )),
            None if self.grows => notes.push(format!(
                "the plan has no start = \"YYYY-MM\": {month} is its month 1, before any growth"
            )),
            _ => {}
        }
        if p.outside_month > 0 {
            notes.push(format!(
                "{} on other days than {month}'s are not set against the plan (--month YYYY-MM picks another)",
                money::count_of(p.outside_month, "call")
            ));
        }
        if p.undated > 0 {
            notes.push(format!(
                "{} without a time are in no month: not set against the plan",
                money::count_of(p.undated, "call")
            ));
        }
        if p.unplanned.tags.len() > TAGS_SHOWN {
            notes.push(format!(
                "{} tags are unplanned in all (--format json lists them)",
                p.unplanned.tags.len()
            ));
        }
        notes.extend(crate::report::Report::notes(&self.usage));
        notes
    }

    /// Every figure for machines: a record per workload, the unplanned calls, the
    /// total (its `kind` empty), the forecast, the runway and each spike.
    pub(super) fn csv_records(&self) -> (Vec<Column>, Rows<'_>) {
        let columns = RECORDS
            .iter()
            .map(|&(key, numeric)| {
                if numeric {
                    Column::number(key, key)
                } else {
                    Column::text(key, key)
                }
            })
            .collect();
        let mut rows = self.plan_records();
        rows.push(self.forecast_record());
        rows.extend(self.runway_record());
        rows.extend(self.spikes.iter().map(|spike| {
            record(vec![
                ("kind", text("spike")),
                ("month", self.month_cell()),
                ("actual_usd", Cell::Usd(spike.usd)),
                ("day", text(spike.day.to_string())),
                ("median_usd", Cell::Usd(spike.median_usd)),
                ("factor", spike.factor.map_or(Cell::Empty, Cell::Ratio)),
                ("top_service", text(spike.top_service.clone())),
                ("top_tag", spike.top_tag.clone().map_or(Cell::Empty, text)),
            ])
        }));
        (columns, Box::new(rows.into_iter()))
    }

    fn month_cell(&self) -> Cell {
        text(self.pva().month.to_string())
    }

    /// A record per workload, the unplanned calls and the total.
    fn plan_records(&self) -> Vec<Vec<Cell>> {
        let pva = self.pva();
        let mut rows: Vec<Vec<Cell>> = pva
            .lines
            .iter()
            .map(|l| {
                record(vec![
                    ("kind", text("workload")),
                    ("month", self.month_cell()),
                    ("workload", text(l.workload.clone())),
                    ("tags", text(l.tags.join(", "))),
                    ("planned_usd", Cell::Usd(l.planned_usd)),
                    (
                        "pro_rata_usd",
                        l.pro_rata_usd.map_or(Cell::Empty, Cell::Approx),
                    ),
                    ("actual_usd", Cell::Usd(l.actual_usd)),
                    ("variance_usd", Cell::UsdChange(l.variance_usd)),
                    ("variance_pct", percent(l.variance_pct)),
                    ("planned_assets", Cell::count(l.planned_assets)),
                    ("actual_calls", Cell::count(l.actual_calls)),
                ])
            })
            .collect();
        let unplanned = &pva.unplanned;
        rows.push(record(vec![
            ("kind", text("unplanned")),
            ("month", self.month_cell()),
            ("tags", text(unplanned.tags.join(", "))),
            ("actual_usd", Cell::Usd(unplanned.actual_usd)),
            ("variance_usd", Cell::UsdChange(unplanned.actual_usd)),
            ("actual_calls", Cell::count(unplanned.actual_calls)),
        ]));
        let total = &pva.total;
        rows.push(record(vec![
            ("kind", Cell::Total),
            ("month", self.month_cell()),
            ("planned_usd", Cell::Usd(total.planned_usd)),
            (
                "pro_rata_usd",
                total.pro_rata_usd.map_or(Cell::Empty, Cell::Approx),
            ),
            ("actual_usd", Cell::Usd(total.actual_usd)),
            ("variance_usd", Cell::UsdChange(total.variance_usd)),
            ("variance_pct", percent(total.variance_pct)),
            ("planned_assets", Cell::count(total.planned_assets)),
            ("actual_calls", Cell::count(total.actual_calls)),
        ]));
        rows
    }

    fn forecast_record(&self) -> Vec<Cell> {
        let f = &self.forecast;
        record(vec![
            ("kind", text("forecast")),
            ("month", self.month_cell()),
            ("actual_usd", Cell::Usd(f.to_date_usd)),
            ("day", text(f.as_of.to_string())),
            ("window_days", Cell::count(f.window_days)),
            ("days_with_calls", Cell::count(f.days_with_calls)),
            (
                "usd_per_day",
                f.usd_per_day.map_or(Cell::Empty, Cell::Approx),
            ),
            ("days_left", Cell::count(f.days_left)),
            (
                "month_end_usd",
                match f.month_end_usd {
                    Some(MonthEnd::Exact(u)) => Cell::Usd(u),
                    Some(MonthEnd::Estimate(a)) => Cell::Approx(a),
                    None => Cell::Empty,
                },
            ),
            ("budget_usd", f.budget_usd.map_or(Cell::Empty, Cell::Usd)),
            ("over", yes_no(f.over)),
        ])
    }

    fn runway_record(&self) -> Option<Vec<Cell>> {
        let r = self.runway.as_ref()?;
        Some(record(vec![
            ("kind", text("runway")),
            ("month", self.month_cell()),
            ("day", text(self.forecast.as_of.to_string())),
            ("balance_credits", Cell::Credits(r.balance_credits)),
            (
                "credits_per_day",
                r.credits_per_day
                    .map_or(Cell::Empty, |c| Cell::Credits(Credits::new(c.0))),
            ),
            ("runway_days", r.days.map_or(Cell::Empty, Cell::count)),
            (
                "runs_out_on",
                r.runs_out_on.map_or(Cell::Empty, |d| text(d.to_string())),
            ),
            (
                "packs_to_month_end",
                r.packs_to_month_end.map_or(Cell::Empty, Cell::count),
            ),
            ("packs_usd", r.packs_usd.map_or(Cell::Empty, Cell::Usd)),
        ]))
    }
}

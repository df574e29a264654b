//! The figures a report can be drawn as: typed series of exact values, which each
//! renderer draws its own way (the HTML page as inline SVG, see `svg/`). A command
//! returns one from [`super::Report::figure`]; nothing here knows how it is drawn.
//!
//! Values are exact decimals, the same ones the table shows; a drawing may round the
//! coordinates it computes from them, never the figures it labels.

use super::chart::Chart;
use crate::money::{self, Usd};
use rust_decimal::Decimal;

/// What a figure's values measure, so that a renderer labels them as the table does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Dollars: `$160.00`.
    Usd,
    /// Whole counts: `11,111`.
    Count,
}

impl Unit {
    /// `value` for people, exact: `$0.065`, `2,000`.
    pub fn display(self, value: Decimal) -> String {
        match self {
            Unit::Usd => Usd::new(value).to_string(),
            Unit::Count => money::decimal_display(value),
        }
    }
}

/// A report drawn as a picture.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Monthly cost against monthly volume (`compare`): a straight line per model, the
    /// dedicated GPUs' staircase when given, and the volume asked for marked.
    Cost { chart: Chart, volume: u64 },
    /// Horizontal bars, a group of them per label, one bar per series (`compare
    /// --budget`: the images a budget buys on each model; `diff`: base and head).
    Bars(Bars),
    /// Columns in order (months, days), each stacked by series, with an optional limit
    /// drawn across them (`plan --months`: spend by workload and the budget; `usage`:
    /// spend per period).
    Columns(Columns),
}

impl Figure {
    /// Whether there is nothing to draw: no series, no group, no column (a log with
    /// no charged call).
    pub fn is_empty(&self) -> bool {
        match self {
            Figure::Cost { chart, .. } => chart.series.is_empty(),
            Figure::Bars(b) => b.groups.is_empty(),
            Figure::Columns(c) => c.columns.is_empty(),
        }
    }
}

/// Bars, grouped by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bars {
    pub title: String,
    pub unit: Unit,
    /// The name of each bar in a group: `base`, `head`; one name for plain bars.
    pub series: Vec<String>,
    /// One group per label, each with one value per series.
    pub groups: Vec<Group>,
}

/// A labelled set of values, one per series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub label: String,
    pub values: Vec<Decimal>,
}

impl Group {
    /// The values added up, exactly; `None` if the sum does not fit a decimal.
    pub fn total(&self) -> Option<Decimal> {
        money::sum(self.values.iter().copied()).ok()
    }
}

/// Stacked columns, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub title: String,
    pub unit: Unit,
    /// What the columns are: `month`, `day`.
    pub axis: String,
    /// The name of each part of a column, bottom first.
    pub series: Vec<String>,
    /// One per column, each with one value per series.
    pub columns: Vec<Group>,
    /// A line across the columns: a budget.
    pub limit: Option<Limit>,
}

/// A value drawn as a line across a figure, with its name: `budget`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub label: String,
    pub value: Decimal,
}

impl Columns {
    /// Columns from `(column, series, value)` points, in the order the columns and
    /// series first appear; values that share a column and a series are added up.
    /// `None` if a sum does not fit a decimal.
    pub fn from_points<'a>(
        title: String,
        unit: Unit,
        axis: String,
        points: impl IntoIterator<Item = (&'a str, &'a str, Decimal)>,
    ) -> Option<Columns> {
        let mut series: Vec<String> = Vec::new();
        let mut columns: Vec<Group> = Vec::new();
        for (column, name, value) in points {
            let s = index_or_push(&mut series, |n| n == name, || name.to_owned());
            let c = index_or_push(
                &mut columns,
                |c| c.label == column,
                || Group {
                    label: column.to_owned(),
                    values: Vec::new(),
                },
            );
            let group = columns.get_mut(c)?;
            if group.values.len() <= s {
                group.values.resize(s + 1, Decimal::ZERO);
            }
            let slot = group.values.get_mut(s)?;
            *slot = money::add(*slot, value).ok()?;
        }
        for c in &mut columns {
            c.values.resize(series.len(), Decimal::ZERO);
        }
        Some(Columns {
            title,
            unit,
            axis,
            series,
            columns,
            limit: None,
        })
    }

    /// The same columns with at most `most` series: the largest `most - 1` in all
    /// (ties in their first order) and the rest added up as `other`, so a drawing
    /// keeps a colour a series. `None` if a sum does not fit a decimal.
    pub fn folded(&self, most: usize) -> Option<Columns> {
        if self.series.len() <= most || most < 2 {
            return Some(self.clone());
        }
        let totals: Vec<Decimal> = (0..self.series.len())
            .map(|s| money::sum(self.columns.iter().filter_map(|c| c.values.get(s).copied())))
            .collect::<Result<_, _>>()
            .ok()?;
        let mut order: Vec<usize> = (0..self.series.len()).collect();
        order.sort_by(|&a, &b| {
            let (ta, tb) = (totals.get(a), totals.get(b));
            tb.cmp(&ta).then(a.cmp(&b))
        });
        let mut kept: Vec<usize> = order.into_iter().take(most - 1).collect();
        kept.sort_unstable();
        let mut series: Vec<String> = kept
            .iter()
            .filter_map(|&s| self.series.get(s).cloned())
            .collect();
        series.push("other".to_owned());
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let mut values: Vec<Decimal> = kept
                    .iter()
                    .map(|&s| c.values.get(s).copied().unwrap_or_default())
                    .collect();
                let rest = money::sum(
                    c.values
                        .iter()
                        .enumerate()
                        .filter(|(s, _)| !kept.contains(s))
                        .map(|(_, v)| *v),
                )
                .ok()?;
                values.push(rest);
                Some(Group {
                    label: c.label.clone(),
                    values,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Columns {
            series,
            columns,
            ..self.clone()
        })
    }
}

/// The index of the first item of `items` that `matches`, pushing `make()` when none
/// does.
fn index_or_push<T>(
    items: &mut Vec<T>,
    matches: impl Fn(&T) -> bool,
    make: impl FnOnce() -> T,
) -> usize {
    items.iter().position(matches).unwrap_or_else(|| {
        items.push(make());
        items.len() - 1
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn points_become_columns_in_first_order_and_shared_points_add_up() {
        let c = Columns::from_points(
            "spend".into(),
            Unit::Usd,
            "day".into(),
            [
                ("2026-10-01", "core", d("0.03")),
                ("2026-10-01", "ultra", d("0.08")),
                ("2026-10-02", "ultra", d("0.08")),
                ("2026-10-02", "ultra", d("0.16")),
            ],
        )
        .unwrap();
        assert_eq!(c.series, ["core", "ultra"]);
        assert_eq!(c.columns.len(), 2);
        assert_eq!(c.columns[0].values, [d("0.03"), d("0.08")]);
        // A column without a series' point holds zero for it.
        assert_eq!(c.columns[1].values, [d("0"), d("0.24")]);
        assert_eq!(c.columns[1].total(), Some(d("0.24")));
    }

    #[test]
    fn past_the_colours_the_smallest_series_become_other() {
        let points = [
            ("1", "a", d("1")),
            ("1", "b", d("5")),
            ("1", "c", d("2")),
            ("2", "d", d("0.5")),
            ("2", "b", d("1")),
        ];
        let c = Columns::from_points("t".into(), Unit::Usd, "month".into(), points).unwrap();
        let f = c.folded(3).unwrap();
        // b (6) and c (2) are the largest; a (1) and d (0.5) add up as other.
        assert_eq!(f.series, ["b", "c", "other"]);
        assert_eq!(f.columns[0].values, [d("5"), d("2"), d("1")]);
        assert_eq!(f.columns[1].values, [d("1"), d("0"), d("0.5")]);
        // Each column's total is what it was.
        for (before, after) in c.columns.iter().zip(&f.columns) {
            assert_eq!(before.total(), after.total());
        }
        assert_eq!(c.folded(4).unwrap(), c);
    }

    #[test]
    fn a_figure_without_points_is_empty() {
        let none: [(&str, &str, Decimal); 0] = [];
        let c = Columns::from_points("t".into(), Unit::Usd, "day".into(), none).unwrap();
        assert!(Figure::Columns(c).is_empty());
        let one = Columns::from_points("t".into(), Unit::Usd, "day".into(), [("1", "a", d("0"))]);
        assert!(!Figure::Columns(one.unwrap()).is_empty());
    }

    #[test]
    fn units_label_exactly() {
        assert_eq!(Unit::Usd.display(d("0.065")), "$0.065");
        assert_eq!(Unit::Usd.display(d("1200")), "$1,200.00");
        assert_eq!(Unit::Count.display(d("11111")), "11,111");
    }
}

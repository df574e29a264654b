//! The `--format html` page's figure for `usage --plan`: what the month has spent, day
//! by day and added up, continued to the month's end at the forecast's rate, under the
//! plan's month as a line across. The table beside it sets each workload against the
//! plan; this is the month as a whole.

use super::ActualReport;
use crate::date::Date;
use crate::money;
use crate::report::figure::{Columns, Figure, Group, Limit, Unit};
use crate::usage::actual::{self, Days};
use rust_decimal::Decimal;

/// The series of the figure, bottom first.
const SPENT: &str = "spent";
const AHEAD: &str = "forecast (≈)";

impl ActualReport {
    /// One column a day of the month, to the log's last day in it and, with a
    /// forecast, on to the month's end: the spend to that day (exact), and from the
    /// day after the log the forecast above it (to date + the window's rate × the days
    /// since, rounded once to cents, as the month-end forecast is).
    pub(super) fn spend_figure(&self, days: &Days) -> Option<Figure> {
        let month = self.pva().month;
        let f = &self.forecast;
        // A month with nothing ahead to draw (complete, or too little history) has one
        // series: a legend entry with no column above it would say there was a forecast.
        let ahead_too = f.usd_per_day.is_some() && f.days_left > 0;
        let mut columns = Vec::new();
        let mut spent = Decimal::ZERO;
        let mut day = month.first_day();
        while day <= f.as_of {
            spent = money::add(spent, days.get(day).usd).ok()?;
            columns.push(Group {
                label: day.to_string(),
                values: if ahead_too {
                    vec![spent, Decimal::ZERO]
                } else {
                    vec![spent]
                },
            });
            day = Date::from_days(day.days() + 1);
        }
        if ahead_too {
            let to_date = f.to_date_usd.get();
            let wd = Decimal::from(self.window.days);
            for k in 1..=f.days_left {
                let ahead = money::mul(self.window.usd, Decimal::from(k)).ok()?;
                let whole = money::add(money::mul(to_date, wd).ok()?, ahead).ok()?;
                let by_then = actual::quotient(whole, wd, 2)?;
                columns.push(Group {
                    label: Date::from_days(f.as_of.days() + i64::from(k)).to_string(),
                    values: vec![to_date, money::sub(by_then, to_date).ok()?],
                });
            }
        }
        Some(Figure::Columns(Columns {
            title: format!("Spent in {}, added up day by day", month.name()),
            unit: Unit::Usd,
            axis: "day".into(),
            series: if ahead_too {
                vec![SPENT.into(), AHEAD.into()]
            } else {
                vec![SPENT.into()]
            },
            columns,
            limit: Some(Limit {
                label: "planned".into(),
                value: self.pva().total.planned_usd.get(),
            }),
        }))
    }
}

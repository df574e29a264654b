//! The `--format html` page's figure for the what-if reports: each row's actual cost
//! beside what it would cost, as bars (a swap, a service under the other card, a lever
//! with a price), so the saving shows as the gap between them.

use super::WhatIfReport;
use crate::commands::request::WhatIfMode;
use crate::report::figure::{Bars, Figure, Group, Unit};
use crate::usage::whatif::{LeverKind, Total};
use rust_decimal::Decimal;

fn group(label: String, actual: Decimal, other: Decimal) -> Group {
    Group {
        label,
        values: vec![actual, other],
    }
}

/// The last bars: the whole log, as it cost and what if.
fn whole_log(t: &Total) -> Group {
    group(
        "the whole log".into(),
        t.actual_usd.get(),
        t.what_if_usd.get(),
    )
}

impl WhatIfReport {
    pub(super) fn bars(&self) -> Option<Figure> {
        let (title, second, groups) = match self.mode {
            WhatIfMode::Swaps => {
                let s = self.what_if.as_ref()?;
                let mut groups: Vec<Group> = s
                    .swaps
                    .iter()
                    .map(|l| {
                        group(
                            format!("{} → {}", l.from, l.to),
                            l.actual_usd.get(),
                            l.what_if_usd.get(),
                        )
                    })
                    .collect();
                groups.push(whole_log(&s.total));
                (
                    "Each swap's calls, as they cost and what if",
                    "what-if",
                    groups,
                )
            }
            WhatIfMode::Rates => {
                let r = &self.what_if_rates.as_ref()?.rates;
                let mut groups: Vec<Group> = r
                    .lines
                    .iter()
                    .map(|l| group(l.service.clone(), l.actual_usd.get(), l.what_if_usd.get()))
                    .collect();
                groups.push(whole_log(&r.total));
                (
                    "Each service's calls under the two cards",
                    "what-if card",
                    groups,
                )
            }
            WhatIfMode::Levers => {
                let groups = self
                    .levers
                    .iter()
                    .flatten()
                    .filter(|l| l.lever != LeverKind::Volume)
                    .filter_map(|l| {
                        Some(group(
                            super::rows::lever_label(l),
                            l.actual_usd?.get(),
                            l.would_cost_usd?.get(),
                        ))
                    })
                    .collect();
                (
                    "What the calls cost, and would cost with each lever",
                    "would cost",
                    groups,
                )
            }
        };
        Some(Figure::Bars(Bars {
            title: title.into(),
            unit: Unit::Usd,
            series: vec!["actual".into(), second.into()],
            groups,
        }))
    }
}

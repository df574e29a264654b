//! `stabcost diff`: what a change does to the monthly bill. Two plans (workloads matched
//! by name), or one plan under two cards (a price change, a negotiated card); a total
//! that grows by more than `--max-increase` exits 3 after the report.

use super::request::CardSource;
use crate::cli::DiffArgs;
use crate::error::{UserError, UserResult};
use crate::money::{self, Percent};
use crate::plan::diff::{self, Limit, PlanDiff, Status};
use crate::plan::price;
use crate::plan::{Plan, PlanInfo};
use crate::rates::{Provenance, RateCard};
use crate::report::figure::{Bars, Figure, Group, Unit};
use crate::report::{Cell, Column, Outcome, Report, Rows};
use serde::Serialize;

/// The comparison: JSON `base` and `head` (plan and card of each side), `lines` (one
/// per workload), `total`, `services` (one per service), and the `max_increase` gate.
#[derive(Debug, Serialize)]
pub(super) struct DiffReport {
    base: Side,
    head: Side,
    #[serde(flatten)]
    diff: PlanDiff,
    max_increase: Option<Gate>,
    /// One plan under two cards (no HEAD plan given).
    #[serde(skip)]
    same_plan: bool,
    #[serde(skip)]
    notes: Vec<String>,
    #[serde(skip)]
    outcome: Outcome,
}

/// One side of the comparison.
#[derive(Debug, Serialize)]
struct Side {
    plan: PlanInfo,
    rate_card: Provenance,
}

#[derive(Debug, Serialize)]
struct Gate {
    limit: String,
    exceeded: bool,
}

/// A plan and the card it is priced with.
struct Priced {
    plan: Plan,
    card: RateCard,
}

pub(super) fn run(source: &CardSource, args: &DiffArgs) -> UserResult<DiffReport> {
    if args.head.as_deref() == Some("-") && args.base == "-" {
        return Err(UserError::new("BASE and HEAD cannot both be read from standard input")
            .hint("pipe one plan and name the other: git show main:plan.toml | stabcost diff - plan.toml"));
    }
    let base_card_given = args.base_as_of.is_some() || args.base_rates.is_some();
    if args.head.is_none() && !base_card_given {
        return Err(UserError::new("diff needs a HEAD plan, or a card to price the base with")
            .hint("stabcost diff BASE HEAD, or stabcost diff PLAN --base-as-of 2025-07-01 (or --base-rates CARD)"));
    }
    let base = Plan::read(&args.base)?;
    let head = args.head.as_deref().map(Plan::read).transpose()?;
    let base_card = args.base_rates.as_deref().map(RateCard::load).transpose()?;
    run_plans(
        source,
        Plans {
            base,
            head,
            base_card,
        },
        args,
    )
}

/// The plans of a diff, already read (from files, or a front end's uploads).
#[derive(Debug)]
pub struct Plans {
    pub base: Plan,
    /// `None`: the base is priced under two cards.
    pub head: Option<Plan>,
    /// The base's card, instead of `--base-as-of` or the one `source` gives.
    pub base_card: Option<RateCard>,
}

/// The diff of plans already read; `args` gives the options (`--base-as-of`,
/// `--max-increase`), not the files.
pub(super) fn run_plans(
    source: &CardSource,
    plans: Plans,
    args: &DiffArgs,
) -> UserResult<DiffReport> {
    let same_plan = plans.head.is_none();
    if same_plan && plans.base_card.is_none() && args.base_as_of.is_none() {
        return Err(UserError::new("diff needs a HEAD plan, or a card to price the base with")
            .hint("stabcost diff BASE HEAD, or stabcost diff PLAN --base-as-of 2025-07-01 (or --base-rates CARD)"));
    }
    let base_plan = plans.base;
    let head_plan = plans.head.unwrap_or_else(|| base_plan.clone());
    let base_card = match (plans.base_card, args.base_as_of) {
        (Some(card), _) => card,
        (None, Some(day)) => RateCard::built_in_as_of(day)?,
        (None, None) => source.for_plan(&base_plan)?,
    };
    let head_card = source.for_plan(&head_plan)?;
    let base = Priced {
        plan: base_plan,
        card: base_card,
    };
    let head = Priced {
        plan: head_plan,
        card: head_card,
    };

    let base_steps = base.plan.compile(&base.card)?;
    let head_steps = head.plan.compile(&head.card)?;
    let base_priced = price::price(&base.plan, &base.card, &base_steps, 1)?;
    let head_priced = price::price(&head.plan, &head.card, &head_steps, 1)?;
    let d = diff::compare(&base_priced, &head_priced)?;

    let gate = args
        .max_increase
        .map(|limit| -> UserResult<Gate> {
            Ok(Gate {
                limit: limit.to_string(),
                exceeded: limit.exceeded(&d)?,
            })
        })
        .transpose()?;
    let notes = notes(&d, &base, &head, args.max_increase, gate.as_ref());
    let outcome = if gate.as_ref().is_some_and(|g| g.exceeded) {
        Outcome::GateTripped
    } else {
        Outcome::Success
    };
    Ok(DiffReport {
        base: side(&base),
        head: side(&head),
        diff: d,
        max_increase: gate,
        same_plan,
        notes,
        outcome,
    })
}

fn side(p: &Priced) -> Side {
    Side {
        plan: p.plan.info(),
        rate_card: p.card.provenance.clone(),
    }
}

/// What changed, in words: each changed workload, the cards, the gate.
fn notes(
    d: &PlanDiff,
    base: &Priced,
    head: &Priced,
    limit: Option<Limit>,
    gate: Option<&Gate>,
) -> Vec<String> {
    let mut notes = Vec::new();
    for w in &d.workloads {
        if !w.what.is_empty() {
            notes.push(format!("{}: {}", w.name, w.what.join("; ")));
        }
    }
    if base.card.provenance != head.card.provenance {
        notes.push(format!(
            "prices: base on {}, head on {}",
            base.card.provenance.label(),
            head.card.provenance.label()
        ));
    }
    if let (Some(limit), Some(g)) = (limit, gate) {
        notes.push(if g.exceeded {
            format!(
                "the monthly total grows by {} ({}), more than the {limit} allowed",
                d.change.usd,
                d.percent.map_or_else(|| "new".to_owned(), Percent::signed),
            )
        } else {
            format!("the monthly total grows by no more than the {limit} allowed")
        });
    }
    notes
}

impl Report for DiffReport {
    fn command(&self) -> &'static str {
        "diff"
    }

    fn rate_card(&self) -> &Provenance {
        &self.head.rate_card
    }

    fn title(&self) -> Option<String> {
        let d = &self.diff;
        Some(format!(
            "Monthly cost: {} → {} ({}, {})",
            d.base.usd,
            d.head.usd,
            d.change.usd.signed(),
            d.percent.map_or_else(|| "new".to_owned(), Percent::signed)
        ))
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Workload", "workload"),
            Column::text("Status", "status"),
            Column::number("Base a month", "base_usd"),
            Column::number("Head a month", "head_usd"),
            Column::number("Change", "change_usd"),
            Column::number("Change %", "change_percent"),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.diff.workloads.iter().map(|w| {
            vec![
                Cell::Text(w.name.clone()),
                Cell::Text(w.status.as_str().to_owned()),
                Cell::Usd(w.base.usd),
                Cell::Usd(w.head.usd),
                Cell::UsdChange(w.change.usd),
                w.percent
                    .map_or_else(|| Cell::word("new"), Cell::PercentChange),
            ]
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        let d = &self.diff;
        Some(vec![
            Cell::Total,
            Cell::Empty,
            Cell::Usd(d.base.usd),
            Cell::Usd(d.head.usd),
            Cell::UsdChange(d.change.usd),
            d.percent
                .map_or_else(|| Cell::word("new"), Cell::PercentChange),
        ])
    }

    fn figure(&self) -> Option<Figure> {
        Some(Figure::Bars(Bars {
            title: "Each workload's monthly cost, base against head".into(),
            unit: Unit::Usd,
            series: vec!["base".into(), "head".into()],
            groups: self
                .diff
                .workloads
                .iter()
                .map(|w| Group {
                    label: w.name.clone(),
                    values: vec![w.base.usd.get(), w.head.usd.get()],
                })
                .collect(),
        }))
    }

    fn summary(&self) -> Vec<String> {
        if self.same_plan {
            return vec![format!("{} under two cards", self.head.plan.file)];
        }
        let workloads = &self.diff.workloads;
        let changed = workloads
            .iter()
            .filter(|w| !matches!(w.status, Status::Unchanged | Status::Repriced))
            .count();
        vec![format!(
            "{} → {}: {} of {} written differently",
            self.base.plan.file,
            self.head.plan.file,
            changed,
            money::count_of(workloads.len() as u64, "workload")
        )]
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    fn outcome(&self) -> Outcome {
        self.outcome
    }
}

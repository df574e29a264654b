//! What a change does to a plan's monthly bill: two priced plans (or one plan under two
//! cards) compared workload by workload, and service by service.

use super::Volume;
use super::price::{PricedPlan, PricedWorkload};
use crate::money::{self, Amount, Overflow, Percent};
use crate::number;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use std::collections::HashMap;

/// What happened to a workload between the base plan and the head plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    /// Its pipeline, volume or growth changed.
    Changed,
    /// Written the same, at the same cost.
    Unchanged,
    /// Written the same, at another cost: the prices changed (two cards).
    Repriced,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Repriced => "repriced",
        }
    }
}

/// One workload's monthly cost on each side.
#[derive(Debug, Clone)]
pub struct WorkloadChange {
    pub name: String,
    pub status: Status,
    /// What changed in its definition: `pipeline core → ultra`.
    pub what: Vec<String>,
    pub base: Amount,
    pub head: Amount,
    /// `head - base`.
    pub change: Amount,
    /// The change in percent of the base; `None` when the base is zero ("new").
    pub percent: Option<Percent>,
}

/// One service's monthly cost on each side: JSON `services`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceChange {
    pub service: String,
    pub name: String,
    pub base: Amount,
    pub head: Amount,
    pub change: Amount,
}

/// The whole comparison: JSON `lines` (one per workload), `total` and `services`.
#[derive(Debug, Clone)]
pub struct PlanDiff {
    pub workloads: Vec<WorkloadChange>,
    pub services: Vec<ServiceChange>,
    pub base: Amount,
    pub head: Amount,
    pub change: Amount,
    pub percent: Option<Percent>,
}

/// A workload's line in JSON: its figures side by side (`base_usd`, `head_usd`, …).
impl Serialize for WorkloadChange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("WorkloadChange", 9)?;
        m.serialize_field("workload", &self.name)?;
        m.serialize_field("status", &self.status)?;
        m.serialize_field("changes", &self.what)?;
        m.serialize_field("base_credits", &self.base.credits)?;
        m.serialize_field("head_credits", &self.head.credits)?;
        m.serialize_field("base_usd", &self.base.usd)?;
        m.serialize_field("head_usd", &self.head.usd)?;
        m.serialize_field("change_usd", &self.change.usd)?;
        m.serialize_field("change_percent", &self.percent)?;
        m.end()
    }
}

impl Serialize for PlanDiff {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("PlanDiff", 3)?;
        m.serialize_field("lines", &self.workloads)?;
        m.serialize_field("total", &Total(self))?;
        m.serialize_field("services", &self.services)?;
        m.end()
    }
}

/// The totals in JSON: `base_credits`, `head_credits`, `change_credits`, the same in
/// dollars, and `change_percent`.
struct Total<'d>(&'d PlanDiff);

impl Serialize for Total<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_struct("Total", 7)?;
        m.serialize_field("base_credits", &d.base.credits)?;
        m.serialize_field("head_credits", &d.head.credits)?;
        m.serialize_field("change_credits", &d.change.credits)?;
        m.serialize_field("base_usd", &d.base.usd)?;
        m.serialize_field("head_usd", &d.head.usd)?;
        m.serialize_field("change_usd", &d.change.usd)?;
        m.serialize_field("change_percent", &d.percent)?;
        m.end()
    }
}

/// How much the total may grow before a gate trips (`--max-increase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Usd(Decimal),
    Percent(Decimal),
}

impl Limit {
    /// Parses `100` (dollars) or `40%`.
    pub fn parse(text: &str) -> Result<Limit, String> {
        let t = text.trim();
        let (number, percent) = match t.strip_suffix('%') {
            Some(n) => (n.into(), true),
            None => (number::without_dollar(t), false),
        };
        let d = number::parse_decimal(&number)?;
        if d < Decimal::ZERO {
            return Err(format!(
                "'{t}' is negative; give the most the total may grow, such as 100 or 40%"
            ));
        }
        Ok(if percent {
            Limit::Percent(d)
        } else {
            Limit::Usd(d)
        })
    }

    /// Whether `diff`'s total grew by more than this limit.
    pub fn exceeded(self, diff: &PlanDiff) -> Result<bool, Overflow> {
        let change = diff.change.usd.get();
        Ok(match self {
            Limit::Usd(limit) => change > limit,
            // change / base > p / 100, without dividing: change × 100 > base × p.
            Limit::Percent(p) => {
                money::mul(change, Decimal::ONE_HUNDRED)? > money::mul(diff.base.usd.get(), p)?
            }
        })
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Usd(d) => write!(f, "{}", money::Usd::new(*d)),
            Limit::Percent(p) => write!(f, "{}%", money::decimal_plain(*p)),
        }
    }
}

/// A pipeline as priced: each step's service id, step count and multiplier. Two
/// pipelines that price the same steps (`6*CORE+rmbg` and `core*6 + remove-background`)
/// are the same pipeline.
fn steps_key<'a>(w: &'a PricedWorkload<'_, '_>) -> Vec<(&'a str, Option<u32>, Decimal)> {
    w.priced
        .lines
        .iter()
        .map(|l| (l.service.id.as_str(), l.steps, l.multiplier.normalize()))
        .collect()
}

/// What differs in how a workload is written: pipeline, volume, growth.
fn definition_changes(base: &PricedWorkload<'_, '_>, head: &PricedWorkload<'_, '_>) -> Vec<String> {
    let mut what = Vec::new();
    if steps_key(base) != steps_key(head) {
        what.push(format!(
            "pipeline {} → {}",
            base.workload.pipeline, head.workload.pipeline
        ));
    }
    let (base, head) = (base.workload, head.workload);
    if base.volume != head.volume {
        what.push(format!(
            "volume {} → {}",
            volume_text(base.volume),
            volume_text(head.volume)
        ));
    }
    if base.growth != head.growth {
        let g = |r: Option<Decimal>| {
            r.map_or_else(
                || "none".to_owned(),
                |r| format!("{}%", super::growth_percent(r)),
            )
        };
        what.push(format!("growth {} → {}", g(base.growth), g(head.growth)));
    }
    what
}

fn volume_text(v: Volume) -> String {
    match v {
        Volume::PerMonth(n) => format!("{} a month", money::count_display(n)),
        Volume::Users { users, per_user } => format!(
            "{} users × {}",
            money::count_display(users),
            money::count_display(per_user)
        ),
    }
}

/// Compares `base` with `head`: workloads matched by name (head's order, then those
/// only the base has), services by id.
pub fn compare(base: &PricedPlan<'_, '_>, head: &PricedPlan<'_, '_>) -> Result<PlanDiff, Overflow> {
    let by_name = |plan: &PricedPlan<'_, '_>| -> HashMap<String, usize> {
        plan.workloads
            .iter()
            .enumerate()
            .map(|(i, w)| (w.workload.name.to_lowercase(), i))
            .collect()
    };
    let (base_names, head_names) = (by_name(base), by_name(head));
    let mut workloads = Vec::new();
    for h in &head.workloads {
        let b = base_names
            .get(&h.workload.name.to_lowercase())
            .and_then(|&i| base.workloads.get(i));
        let (status, what, base_cost) = match b {
            None => (Status::Added, Vec::new(), Amount::ZERO),
            Some(b) => {
                let what = definition_changes(b, h);
                let status = match (what.is_empty(), b.priced.total == h.priced.total) {
                    (false, _) => Status::Changed,
                    (true, true) => Status::Unchanged,
                    (true, false) => Status::Repriced,
                };
                (status, what, b.priced.total)
            }
        };
        workloads.push(change(
            h.workload.name.clone(),
            status,
            what,
            base_cost,
            h.priced.total,
        )?);
    }
    for b in &base.workloads {
        if !head_names.contains_key(&b.workload.name.to_lowercase()) {
            workloads.push(change(
                b.workload.name.clone(),
                Status::Removed,
                Vec::new(),
                b.priced.total,
                Amount::ZERO,
            )?);
        }
    }

    let mut services: Vec<ServiceChange> = Vec::new();
    for (side, plan) in [(0, base), (1, head)] {
        for w in &plan.workloads {
            for line in &w.priced.lines {
                let i = if let Some(i) = services.iter().position(|s| s.service == line.service.id)
                {
                    i
                } else {
                    services.push(ServiceChange {
                        service: line.service.id.clone(),
                        name: line.service.name.clone(),
                        base: Amount::ZERO,
                        head: Amount::ZERO,
                        change: Amount::ZERO,
                    });
                    services.len() - 1
                };
                if let Some(s) = services.get_mut(i) {
                    if side == 0 {
                        s.base = s.base.checked_add(line.total)?;
                    } else {
                        s.head = s.head.checked_add(line.total)?;
                    }
                }
            }
        }
    }
    for s in &mut services {
        s.change = s.head.checked_sub(s.base)?;
    }

    let change_total = head.total.checked_sub(base.total)?;
    Ok(PlanDiff {
        workloads,
        services,
        base: base.total,
        head: head.total,
        change: change_total,
        percent: percent(base.total, head.total),
    })
}

fn change(
    name: String,
    status: Status,
    what: Vec<String>,
    base: Amount,
    head: Amount,
) -> Result<WorkloadChange, Overflow> {
    Ok(WorkloadChange {
        name,
        status,
        what,
        base,
        head,
        change: head.checked_sub(base)?,
        percent: percent(base, head),
    })
}

/// The change in percent of the base: 0.00% when both are zero; `None` ("new") only
/// when spending starts from nothing.
fn percent(base: Amount, head: Amount) -> Option<Percent> {
    if base.usd.is_zero() && head.usd.is_zero() {
        return Some(Percent::ZERO);
    }
    Percent::change(base.usd.get(), head.usd.get())
}

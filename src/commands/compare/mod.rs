//! `stabcost compare`: every current generation model priced side by side, at a volume
//! (`volume`: with self-hosting, break-even volumes and the user-pays route) or for a
//! budget (`budget`: the whole images it buys). What both show is here, written once:
//! the `--with` steps, the models priced with them, the bars, the user-pays line and the
//! notes.

mod budget;
mod volume;

use super::request::{self, Volume};
use crate::engine::{self, Priced, Step, Workload};
use crate::error::{UserError, UserResult};
use crate::input;
use crate::money::{self, Overflow, Ratio, Usd};
use crate::rates::{Billing, Category, RateCard, Service};
use crate::text::echo;
use crate::workflow;
use rust_decimal::Decimal;
use serde::Serialize;

pub(super) use budget::BudgetComparison;
pub(super) use volume::Comparison;

/// Widest bar, in blocks.
const BAR_WIDTH: u32 = 24;

/// The comparison a request asks for.
pub(super) enum Answer<'c> {
    Volume(Box<Comparison<'c>>),
    Budget(BudgetComparison<'c>),
}

/// Prices `req` against `card`.
pub(super) fn run<'c>(card: &'c RateCard, req: &request::Compare) -> UserResult<Answer<'c>> {
    let with = with_arg(card, req.with.as_deref())?;
    Ok(match req.volume {
        Volume::Budget(usd) => Answer::Budget(budget::run(card, &with, req.steps, usd)?),
        Volume::Images(images) => {
            Answer::Volume(Box::new(volume::run(card, &with, req, images, None)?))
        }
        Volume::Users { users, per_user } => {
            let images = users.checked_mul(per_user).ok_or_else(|| {
                UserError::new(format!(
                    "{} users × {} images each is more images than stabcost can count",
                    money::count_display(users),
                    money::count_display(per_user)
                ))
            })?;
            let users = Some((users, per_user));
            Answer::Volume(Box::new(volume::run(card, &with, req, images, users)?))
        }
    })
}

/// One `--with` step.
#[derive(Debug, Serialize)]
pub(super) struct WithStep<'c> {
    pub(super) service: &'c str,
    pub(super) steps: Option<u32>,
    #[serde(serialize_with = "money::serialize_decimal")]
    pub(super) multiplier: Decimal,
    #[serde(skip)]
    pub(super) label: String,
}

/// The `--with` steps (the expression, or standard input for `-`), checked against
/// `card`; none without `--with`.
fn with_arg<'c>(card: &'c RateCard, with: Option<&str>) -> UserResult<Vec<Step<'c>>> {
    let Some(arg) = with else {
        return Ok(Vec::new());
    };
    let expr = input::text_or_stdin(arg, "the --with steps")?;
    with_steps(card, &expr)
}

/// The `--with` steps as the JSON `with` lists them.
fn with_lines<'c>(steps: &[Step<'c>]) -> Vec<WithStep<'c>> {
    steps
        .iter()
        .map(|s| WithStep {
            service: &s.service.id,
            steps: s.steps,
            multiplier: s.multiplier,
            label: engine::step_label(s.service, s.steps),
        })
        .collect()
}

/// The `--with` steps: parsed, resolved, and free of generation services.
fn with_steps<'c>(card: &'c RateCard, expr: &str) -> UserResult<Vec<Step<'c>>> {
    let pipeline = crate::pipeline::compile(card, expr)?;
    if let Some((_, written)) = pipeline
        .steps
        .iter()
        .zip(&pipeline.workflow.steps)
        .find(|(s, _)| s.service.category == Category::Generate)
    {
        let err = workflow::ParseError {
            message: format!(
                "'{}' is a generation model; compare already prices every one of them",
                echo(&written.name)
            ),
            span: written.name_span.clone(),
            hints: vec![
                "--with takes the steps after generation, such as rmbg+upscale-conservative".into(),
                "to price one pipeline, use `stabcost workflow`".into(),
            ],
        };
        return Err(err.into_user_error(expr));
    }
    Ok(pipeline.steps)
}

/// What the `--with` steps cost for `count` images.
fn with_usd(billing: &Billing, with: &[Step<'_>], count: u64) -> UserResult<Usd> {
    Ok(engine::price(
        billing,
        &Workload {
            steps: with.to_vec(),
            count,
        },
    )?
    .total
    .usd)
}

/// Every current generation model followed by the `--with` steps, cheapest first.
pub(super) fn price_models<'c>(
    card: &'c RateCard,
    with: &[Step<'c>],
    steps: Option<u32>,
    images: u64,
) -> UserResult<Vec<(&'c Service, Priced<'c>)>> {
    let models: Vec<_> = card.generation_services().collect();
    if models.is_empty() {
        return Err(UserError::new(
            "the rate card has no current generation service to compare",
        )
        .hint("compare lists the services with category = \"generate\" (a card's own services are \"other\" unless it says so)"));
    }
    if steps.is_some() && !models.iter().any(|m| m.steps.is_some()) {
        return Err(UserError::new(
            "--steps applies to step-scaled models, and this card has none",
        )
        .hint("drop --steps; the other models cost the same at any step count"));
    }
    let mut rows = Vec::with_capacity(models.len());
    for model in models {
        let model_steps = if model.steps.is_some() { steps } else { None };
        let mut pipeline = vec![Step::once(model, model_steps)];
        pipeline.extend_from_slice(with);
        let priced = engine::price(
            &card.billing,
            &Workload {
                steps: pipeline,
                count: images,
            },
        )?;
        rows.push((model, priced));
    }
    rows.sort_by(|a, b| {
        a.1.per_asset
            .credits
            .cmp(&b.1.per_asset.credits)
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    Ok(rows)
}

/// A model's row, as both comparisons show it: its id (with its step count), name, and
/// price per image against the cheapest's.
#[derive(Debug, Clone)]
struct Model<'c> {
    service: &'c str,
    name: &'c str,
    steps: Option<u32>,
    vs_cheapest: Ratio,
    label: String,
}

/// Each priced model's row, cheapest first (as `price_models` sorts them).
fn models<'c>(rows: &[(&'c Service, Priced<'c>)]) -> UserResult<Vec<Model<'c>>> {
    let cheapest = rows
        .first()
        .map_or(Decimal::ONE, |r| r.1.per_asset.credits.get());
    rows.iter()
        .map(|(model, p)| {
            let steps = p.lines.first().and_then(|l| l.steps);
            Ok(Model {
                service: &model.id,
                name: &model.name,
                steps,
                vs_cheapest: Ratio::of(p.per_asset.credits.get(), cheapest)
                    .ok_or(Overflow::TooLarge)?,
                label: engine::step_label(model, steps),
            })
        })
        .collect()
}

/// A bar for each value, in blocks: the largest [`BAR_WIDTH`] long, the others in
/// proportion, rounded once, half-to-even; a value above zero gets at least one block.
fn bars(values: &[Decimal]) -> Vec<usize> {
    let most = values.iter().copied().max().unwrap_or(Decimal::ONE);
    values
        .iter()
        .map(|&v| {
            let blocks = money::mul(v, Decimal::from(BAR_WIDTH))
                .ok()
                .and_then(|scaled| money::div_rounded(scaled, most, 0))
                .and_then(|d| usize::try_from(d.mantissa()).ok())
                .unwrap_or(1);
            blocks.max(usize::from(v > Decimal::ZERO))
        })
        .collect()
}

/// The user-pays line of either comparison: `user-pays via NAME: WHAT; NOTE; serves
/// only MODELS`.
fn user_pays_line(name: &str, what: &str, note: Option<&str>, models: &[String]) -> String {
    let note = note.map(|n| format!("; {n}")).unwrap_or_default();
    format!(
        "user-pays via {name}: {what}{note}; serves only {}",
        models.join(" and ")
    )
}

/// The notes under either comparison: the self-hosting license (with GPU figures), the
/// volume-pricing note at `images` a month, and that failed generations are free.
fn notes(card: &RateCard, images: Decimal, self_hosting: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if let (true, Some(sh)) = (self_hosting, &card.self_host) {
        notes.push(format!(
            "self-hosting needs the {} (free below {} annual revenue; an {} above)",
            sh.license,
            Usd::new(sh.license_free_below_annual_revenue_usd),
            sh.license_above
        ));
    }
    notes.extend(super::footer::volume_note(&card.billing, images));
    if !card.billing.failed_generations_charged {
        notes.push("failed generations are not charged".into());
    }
    notes
}

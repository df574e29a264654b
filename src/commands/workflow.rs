//! `stabcost workflow EXPR`: a per-asset pipeline, priced step by step.

use super::footer::{self, Purchase};
use super::request;
use crate::engine::{self, Line, Workload};
use crate::error::{UserError, UserResult};
use crate::input;
use crate::money::{self, Amount};
use crate::pipeline;
use crate::rates::{Category, Provenance, RateCard};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use rust_decimal::Decimal;
use serde::Serialize;

/// A priced pipeline: JSON `expression`, `count`, `lines`, `per_asset`, `total`, then
/// the purchase. Generated pipelines run to 100,000 steps and more, so the lines are
/// kept once, as the engine priced them, and each view reads them as it renders.
#[derive(Debug, Serialize)]
pub(super) struct Priced<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    expression: String,
    count: u64,
    lines: Vec<Line<'c>>,
    /// The expression as the summary line names it (abbreviated when long).
    #[serde(skip)]
    summary_expression: String,
    per_asset: Amount,
    total: Amount,
    #[serde(flatten)]
    purchase: Purchase,
    notes: Vec<String>,
}

pub(super) fn run<'c>(card: &'c RateCard, args: &request::Workflow) -> UserResult<Priced<'c>> {
    let expr = input::text_or_stdin(&args.expr, "the workflow expression")?;
    let mut pipeline = pipeline::compile(card, &expr)?;
    if let Some(n) = args.steps {
        with_step_count(&mut pipeline, n)?;
    }
    let priced = engine::price(
        &card.billing,
        &Workload {
            steps: pipeline.steps,
            count: args.count,
        },
    )?;
    Ok(Priced {
        purchase: Purchase::new(&card.billing, priced.total.credits, args.free)?,
        notes: footer::volume_note(&card.billing, images(&priced)?)
            .into_iter()
            .collect(),
        card,
        expression: pipeline.workflow.to_string(),
        summary_expression: pipeline.workflow.abbreviated(),
        count: priced.count,
        lines: priced.lines,
        per_asset: priced.per_asset,
        total: priced.total,
    })
}

/// The images a month a pipeline makes, for the volume note: the finished assets, or
/// the generation calls when there are more (six Core drafts per asset are six images).
fn images(priced: &engine::Priced<'_>) -> UserResult<Decimal> {
    let assets = Decimal::from(priced.count);
    let per_asset = money::sum(
        priced
            .lines
            .iter()
            .filter(|l| l.service.category == Category::Generate)
            .map(|l| l.multiplier),
    )?;
    Ok(assets.max(money::mul(per_asset, assets)?))
}

/// `--steps N`: the step count of every step-scaled step written without `@S`, so
/// `workflow sdxl+rmbg --steps 50` is `sdxl@50+rmbg`, as `quote sdxl --steps 50` is.
fn with_step_count(pipeline: &mut pipeline::Pipeline<'_>, n: u32) -> UserResult<()> {
    let mut scaled = 0;
    for (step, written) in pipeline.steps.iter_mut().zip(&mut pipeline.workflow.steps) {
        if step.service.steps.is_some() {
            scaled += 1;
            if step.steps.is_none() {
                step.steps = Some(n);
                written.steps = Some(n);
            }
        }
    }
    if scaled == 0 {
        return Err(UserError::new(
            "--steps applies to step-scaled steps (such as sdxl), and this expression has none",
        )
        .hint("drop --steps; the other services cost the same at any step count"));
    }
    Ok(())
}

impl Report for Priced<'_> {
    fn command(&self) -> &'static str {
        "workflow"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Step", "service"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("Credits each", "credits_each"),
            Column::number("×", "multiplier"),
            Column::number("Credits per asset", "per_asset_credits"),
            Column::number("USD per asset", "per_asset_usd"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.lines.iter().map(|line| {
            vec![
                Cell::Text(line.label()),
                Cell::Text(line.service.name.clone()),
                Cell::Credits(line.each.credits),
                Cell::Decimal(line.multiplier),
                Cell::Credits(line.per_asset.credits),
                Cell::Usd(line.per_asset.usd),
                Cell::Credits(line.total.credits),
                Cell::Usd(line.total.usd),
            ]
        }))
    }

    fn total(&self) -> Option<Vec<Cell>> {
        Some(vec![
            Cell::Total,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Credits(self.per_asset.credits),
            Cell::Usd(self.per_asset.usd),
            Cell::Credits(self.total.credits),
            Cell::Usd(self.total.usd),
        ])
    }

    fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} per asset: {} credits = {}; {}: {} credits = {}",
            self.summary_expression,
            self.per_asset.credits,
            self.per_asset.usd,
            money::count_of(self.count, "asset"),
            self.total.credits,
            self.total.usd,
        )];
        lines.extend(self.purchase.lines());
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

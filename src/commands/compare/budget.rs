//! `stabcost compare --budget USD`: what a budget buys on each generation model, in whole
//! images (each followed by the `--with` steps), and the dollars left over.

use super::{WithStep, bars, models, notes, price_models, user_pays_line, with_lines, with_usd};
use crate::engine::Step;
use crate::error::{UserError, UserResult};
use crate::money::{self, Credits, Ratio, Usd};
use crate::rates::{Provenance, RateCard};
use crate::report::figure::{Bars, Figure, Group, Unit};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use rust_decimal::Decimal;
use serde::Serialize;

/// The budget spent on each model: JSON `budget_usd`, the `--with` steps, one line per
/// model (most images first), the user-pays route, and the notes.
#[derive(Debug, Serialize)]
pub(crate) struct BudgetComparison<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    budget_usd: Usd,
    with: Vec<WithStep<'c>>,
    lines: Vec<BudgetLine<'c>>,
    user_pays: Option<UserPaysBudget<'c>>,
    notes: Vec<String>,
}

/// One model: its price per image, the whole images the budget buys, what is left.
#[derive(Debug, Serialize)]
struct BudgetLine<'c> {
    service: &'c str,
    name: &'c str,
    steps: Option<u32>,
    /// Per image, the `--with` steps included.
    credits_each: Credits,
    usd_each: Usd,
    images: u64,
    /// What the images cost: `images × usd_each`.
    credits: Credits,
    usd: Usd,
    left_usd: Usd,
    vs_cheapest: Ratio,
    #[serde(skip)]
    bar: usize,
    #[serde(skip)]
    label: String,
}

/// The user-pays route: generation costs the developer the card's figure (nothing for
/// Puter), but the `--with` steps stay on the API, so they still limit the images.
#[derive(Debug, Serialize)]
struct UserPaysBudget<'c> {
    name: &'c str,
    generation_usd_each: Usd,
    /// The `--with` steps for one image, on the API.
    api_steps_usd_each: Usd,
    /// Images the budget buys on this route; `None` when it costs the developer nothing.
    images: Option<u64>,
    models: &'c [String],
    note: Option<&'c str>,
}

/// What `budget` dollars buy on each model, each image followed by the `with` steps.
pub(super) fn run<'c>(
    card: &'c RateCard,
    with: &[Step<'c>],
    steps: Option<u32>,
    budget: Decimal,
) -> UserResult<BudgetComparison<'c>> {
    // Each model priced for one image: what one more image costs.
    let rows = price_models(card, with, steps, 1)?;
    let mut lines = Vec::with_capacity(rows.len());
    let too_many = |_| too_many_images(budget);
    for (m, model) in rows.iter().zip(models(&rows)?) {
        let each = m.1.per_asset;
        let images = money::floor_div(budget, each.usd.get()).map_err(too_many)?;
        let spent = each.times(images).map_err(too_many)?;
        lines.push(BudgetLine {
            service: model.service,
            name: model.name,
            steps: model.steps,
            credits_each: each.credits,
            usd_each: each.usd,
            images: u64::try_from(images).map_err(|_| too_many(money::Overflow::TooLarge))?,
            credits: spent.credits,
            usd: spent.usd,
            left_usd: Usd::new(money::sub(budget, spent.usd.get())?),
            vs_cheapest: model.vs_cheapest,
            bar: 0,
            label: model.label,
        });
    }
    let images: Vec<Decimal> = lines.iter().map(|l| Decimal::from(l.images)).collect();
    for (l, bar) in lines.iter_mut().zip(bars(&images)) {
        l.bar = bar;
    }
    let user_pays = user_pays(card, budget, with_usd(&card.billing, with, 1)?)?;
    let most_images = images.iter().copied().max().unwrap_or(Decimal::ZERO);
    Ok(BudgetComparison {
        card,
        budget_usd: Usd::new(budget),
        with: with_lines(with),
        lines,
        user_pays,
        notes: notes(card, most_images, false),
    })
}

/// The user-pays route on a budget: generation costs the developer the card's figure,
/// the `--with` steps (`with_each` an image) stay on the API.
fn user_pays(
    card: &RateCard,
    budget: Decimal,
    with_each: Usd,
) -> UserResult<Option<UserPaysBudget<'_>>> {
    let too_many = |_| too_many_images(budget);
    card.user_pays
        .as_ref()
        .map(|up| -> UserResult<UserPaysBudget<'_>> {
            let each = money::add(up.developer_usd, with_each.get())?;
            let images = if each.is_zero() {
                None
            } else {
                let n = money::floor_div(budget, each).map_err(too_many)?;
                Some(u64::try_from(n).map_err(|_| too_many(money::Overflow::TooLarge))?)
            };
            Ok(UserPaysBudget {
                name: &up.name,
                generation_usd_each: Usd::new(up.developer_usd),
                api_steps_usd_each: with_each,
                images,
                models: &up.models,
                note: up.note.as_deref(),
            })
        })
        .transpose()
}

/// The error for a budget that buys more images than a count holds.
fn too_many_images(budget: Decimal) -> UserError {
    UserError::new(format!(
        "{} buys more images than stabcost can count",
        Usd::new(budget)
    ))
    .hint("give a smaller budget")
}

impl Report for BudgetComparison<'_> {
    fn command(&self) -> &'static str {
        "compare"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Model", "service"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("USD per image", "usd_each"),
            Column::number("Images", "images"),
            Column::number("Credits", "credits"),
            Column::number("Spent", "usd"),
            Column::number("Left", "left_usd"),
            Column::table_only("", "bar").shrink(Shrink::Scale { rank: 2, min: 4 }),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.lines.iter().map(|l| {
            vec![
                Cell::Text(l.label.clone()),
                Cell::Text(l.name.to_owned()),
                Cell::Usd(l.usd_each),
                Cell::count(l.images),
                Cell::Credits(l.credits),
                Cell::Usd(l.usd),
                Cell::Usd(l.left_usd),
                Cell::Bar(l.bar),
            ]
        }))
    }

    fn figure(&self) -> Option<Figure> {
        Some(Figure::Bars(Bars {
            title: format!("What {} buys: images on each model", self.budget_usd),
            unit: Unit::Count,
            series: vec!["images".into()],
            groups: self
                .lines
                .iter()
                .map(|l| Group {
                    label: l.label.clone(),
                    values: vec![Decimal::from(l.images)],
                })
                .collect(),
        }))
    }

    fn summary(&self) -> Vec<String> {
        let with_note = if self.with.is_empty() {
            String::new()
        } else {
            let names: Vec<_> = self.with.iter().map(|s| s.label.as_str()).collect();
            format!(", each image followed by {}", names.join(" + "))
        };
        let mut lines = vec![format!(
            "What {} buys on each model{with_note}, most images first.",
            self.budget_usd
        )];
        if let Some(up) = &self.user_pays {
            let what = match up.images {
                None => format!(
                    "generation costs the developer {} an image, so the budget is never spent",
                    up.generation_usd_each
                ),
                Some(n) if up.api_steps_usd_each.is_zero() => format!(
                    "{} an image to the developer: {} images",
                    up.generation_usd_each,
                    money::count_display(n)
                ),
                Some(n) => format!(
                    "{} an image for generation + {} for the --with steps, which stay on the API: {} images",
                    up.generation_usd_each,
                    up.api_steps_usd_each,
                    money::count_display(n)
                ),
            };
            lines.push(user_pays_line(up.name, &what, up.note, up.models));
        }
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

//! `stabcost compare`: every current generation model priced for the same volume, with
//! the self-hosting and user-pays routes from the rate card.

use super::footer;
use crate::cli::CompareArgs;
use crate::engine::{self, Priced, Step, Workload};
use crate::error::{UserError, UserResult, echo};
use crate::input;
use crate::money::{self, Approx, Credits, Overflow, Ratio, Usd};
use crate::rates::{Category, Provenance, RateCard, Service};
use crate::report::chart::{self, Chart, Cost, Series};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use crate::selfhost::{self, BreakEven};
use crate::workflow;
use rust_decimal::Decimal;
use serde::Serialize;

/// Widest bar, in blocks.
const BAR_WIDTH: u32 = 24;
const SECONDS_PER_HOUR: u32 = 3600;

/// The comparison: JSON `images`, the `--with` steps, one line per model cheapest
/// first, then the two routes that avoid per-call prices, and the notes.
#[derive(Debug, Serialize)]
pub(super) struct Comparison<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    images: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    users: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_user: Option<u64>,
    with: Vec<WithStep<'c>>,
    lines: Vec<ModelLine<'c>>,
    self_host: Option<SelfHostEstimate<'c>>,
    /// Dedicated GPUs rented by the month (`--gpu-monthly`).
    #[serde(skip_serializing_if = "Option::is_none")]
    dedicated_gpu: Option<DedicatedGpu<'c>>,
    user_pays: Option<UserPaysRoute<'c>>,
    notes: Vec<String>,
    /// The summary line for self-hosting when the GPU figures are missing.
    #[serde(skip)]
    self_host_hint: Option<String>,
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

/// One model, with its whole pipeline (the model, then the `--with` steps) priced.
#[derive(Debug, Serialize)]
pub(super) struct ModelLine<'c> {
    pub(super) service: &'c str,
    pub(super) name: &'c str,
    pub(super) steps: Option<u32>,
    /// Per image, the `--with` steps included.
    pub(super) credits_each: Credits,
    pub(super) usd_each: Usd,
    pub(super) credits: Credits,
    pub(super) usd: Usd,
    pub(super) vs_cheapest: Ratio,
    /// With `--gpu-monthly`: the images a month from which one dedicated GPU costs less
    /// than this model's generation on the API; `null` beyond one GPU's capacity.
    #[serde(
        rename = "break_even_images",
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_break_even"
    )]
    pub(super) break_even: Option<BreakEven>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) break_even_beyond_capacity: Option<bool>,
    /// The model's own price per image, without the `--with` steps.
    #[serde(skip)]
    pub(super) generation_usd: Usd,
    /// The row's bar in the terminal table, in blocks.
    #[serde(skip)]
    pub(super) bar: usize,
    #[serde(skip)]
    pub(super) label: String,
}

/// A break-even volume in JSON: the number of images, or `null` beyond one GPU.
#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with hands over a reference to the field"
)]
fn serialize_break_even<S: serde::Serializer>(
    at: &Option<BreakEven>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(BreakEven::Images(n)) => s.serialize_u64(*n),
        _ => s.serialize_none(),
    }
}

/// Self-hosting on GPUs rented by the month: how many the volume needs, what they cost.
#[derive(Debug, Serialize)]
struct DedicatedGpu<'c> {
    name: &'c str,
    models: &'c [String],
    gpu_monthly_usd: Usd,
    #[serde(serialize_with = "money::serialize_decimal")]
    seconds_per_image: Decimal,
    /// Images one GPU makes in 30 days: `floor(2,592,000 / seconds_per_image)`.
    capacity_images_per_gpu: u64,
    gpus: u64,
    /// `gpus × gpu_monthly_usd`.
    gpus_usd: Usd,
    /// The `--with` steps, which stay on the API.
    api_steps_usd: Usd,
    usd: Usd,
    license: &'c str,
    license_free_below_annual_revenue_usd: Usd,
    license_above: &'c str,
}

/// Self-hosting the open weights for the same images: GPU time, an estimate.
#[derive(Debug, Serialize)]
struct SelfHostEstimate<'c> {
    name: &'c str,
    models: &'c [String],
    gpu_hourly_usd: Usd,
    #[serde(serialize_with = "money::serialize_decimal")]
    seconds_per_image: Decimal,
    /// Exact when `images × seconds / 3600` is a finite decimal, else rounded once,
    /// half-to-even (`gpu_hours_exact` says which).
    gpu_hours: String,
    gpu_hours_exact: bool,
    compute_usd: Approx,
    /// The `--with` steps, which stay on the API.
    api_steps_usd: Usd,
    usd: Usd,
    estimate: bool,
    license: &'c str,
    license_free_below_annual_revenue_usd: Usd,
    license_above: &'c str,
    note: Option<&'c str>,
}

/// The user-pays route: each end user pays for their own generations. The host serves
/// generation only, so the `--with` steps stay on the developer's API bill.
#[derive(Debug, Serialize)]
struct UserPaysRoute<'c> {
    name: &'c str,
    /// What the developer pays in all: generation plus the `--with` steps.
    developer_usd: Usd,
    /// The developer's part of generation (the card's figure: nothing, for Puter).
    generation_usd: Usd,
    /// The `--with` steps, on the API.
    api_steps_usd: Usd,
    models: &'c [String],
    note: Option<&'c str>,
}

/// The `--with` steps of `args` (the expression, or standard input for `-`), checked
/// against `card`; none without `--with`.
pub(super) fn with_arg<'c>(card: &'c RateCard, args: &CompareArgs) -> UserResult<Vec<Step<'c>>> {
    let Some(arg) = args.with.as_deref() else {
        return Ok(Vec::new());
    };
    let expr = input::text_or_stdin(arg, "the --with steps")?;
    with_steps(card, &expr)
}

/// The `--with` steps as the JSON `with` lists them.
pub(super) fn with_lines<'c>(steps: &[Step<'c>]) -> Vec<WithStep<'c>> {
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

/// The number of images: `--images`, or `--users × --per-user`.
fn images(args: &CompareArgs) -> UserResult<u64> {
    match (args.images, args.users, args.per_user) {
        (Some(n), _, _) => Ok(n),
        (None, Some(u), Some(k)) => u.checked_mul(k).ok_or_else(|| {
            UserError::new(format!(
                "{} users × {} images each is more images than stabcost can count",
                money::count_display(u),
                money::count_display(k)
            ))
        }),
        _ => Err(UserError::new(
            "give --images N, or --users U with --per-user K",
        )),
    }
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

/// The lines for the priced models, with their ratio to the cheapest and their bar.
pub(super) fn model_lines<'c>(
    rows: &[(&'c Service, Priced<'c>)],
) -> UserResult<Vec<ModelLine<'c>>> {
    let per_image = |p: &Priced<'_>| p.per_asset.credits.get();
    let cheapest = rows.first().map_or(Decimal::ONE, |r| per_image(&r.1));
    let dearest = rows.last().map_or(Decimal::ONE, |r| per_image(&r.1));
    let mut lines = Vec::with_capacity(rows.len());
    for (model, p) in rows {
        let vs_cheapest = Ratio::of(per_image(p), cheapest).ok_or(Overflow::TooLarge)?;
        let bar = money::div_rounded(
            money::mul(per_image(p), Decimal::from(BAR_WIDTH))?,
            dearest,
            0,
        )
        .and_then(|d| usize::try_from(d.mantissa()).ok())
        .unwrap_or(1)
        .max(usize::from(!p.total.credits.is_zero()));
        let steps = p.lines.first().and_then(|l| l.steps);
        lines.push(ModelLine {
            service: &model.id,
            name: &model.name,
            steps,
            credits_each: p.per_asset.credits,
            usd_each: p.per_asset.usd,
            credits: p.total.credits,
            usd: p.total.usd,
            vs_cheapest,
            break_even: None,
            break_even_beyond_capacity: None,
            generation_usd: p.lines.first().map_or(Usd::ZERO, |l| l.each.usd),
            bar,
            label: engine::step_label(model, steps),
        });
    }
    Ok(lines)
}

/// The self-hosting estimate, when both GPU figures are given. The `--with` steps stay
/// on the API whichever route generates the image.
fn self_host<'c>(
    card: &'c RateCard,
    args: &CompareArgs,
    images: u64,
    with_usd: Usd,
) -> UserResult<Option<SelfHostEstimate<'c>>> {
    let (Some(sh), Some(hourly), Some(seconds)) =
        (&card.self_host, args.gpu_hourly, args.seconds_per_image)
    else {
        return Ok(None);
    };
    let per_hour = Decimal::from(SECONDS_PER_HOUR);
    let gpu_seconds = money::mul(Decimal::from(images), seconds)?;
    let (hours, gpu_hours_exact) = match money::div_exact(gpu_seconds, per_hour) {
        Some(exact) => (money::decimal_plain(exact), true),
        None => (
            money::decimal_plain(money::round_significant(
                gpu_seconds
                    .checked_div(per_hour)
                    .ok_or(Overflow::TooLarge)?,
                2,
                2,
            )),
            false,
        ),
    };
    let compute = Approx::cents(
        money::mul(gpu_seconds, hourly)?
            .checked_div(per_hour)
            .ok_or(Overflow::TooLarge)?,
    );
    Ok(Some(SelfHostEstimate {
        name: &sh.name,
        models: &sh.models,
        gpu_hourly_usd: Usd::new(hourly),
        seconds_per_image: seconds,
        gpu_hours: hours,
        gpu_hours_exact,
        compute_usd: compute,
        api_steps_usd: with_usd,
        usd: compute.usd().checked_add(with_usd)?,
        estimate: true,
        license: &sh.license,
        license_free_below_annual_revenue_usd: Usd::new(sh.license_free_below_annual_revenue_usd),
        license_above: &sh.license_above,
        note: sh.note.as_deref(),
    }))
}

/// Dedicated GPUs for the volume, and each model's break-even volume, when both
/// `--gpu-monthly` and `--seconds-per-image` are given.
fn dedicated_gpu<'c>(
    card: &'c RateCard,
    args: &CompareArgs,
    images: u64,
    with_usd: Usd,
    lines: &mut [ModelLine<'c>],
) -> UserResult<Option<DedicatedGpu<'c>>> {
    let (Some(sh), Some(monthly), Some(seconds)) =
        (&card.self_host, args.gpu_monthly, args.seconds_per_image)
    else {
        return Ok(None);
    };
    let Some(capacity) = selfhost::capacity(seconds)? else {
        return Err(UserError::new(format!(
            "at {} seconds an image, a GPU makes no image in a month (2,592,000 seconds)",
            money::decimal_display(seconds)
        )));
    };
    for line in lines.iter_mut() {
        let at = selfhost::break_even(monthly, line.generation_usd.get(), capacity)?;
        line.break_even = Some(at);
        line.break_even_beyond_capacity = Some(at == BreakEven::BeyondCapacity);
    }
    let gpus = selfhost::gpus_needed(images, capacity);
    let gpus_usd = Usd::new(money::mul(monthly, Decimal::from(gpus))?);
    Ok(Some(DedicatedGpu {
        name: &sh.name,
        models: &sh.models,
        gpu_monthly_usd: Usd::new(monthly),
        seconds_per_image: seconds,
        capacity_images_per_gpu: capacity,
        gpus,
        gpus_usd,
        api_steps_usd: with_usd,
        usd: gpus_usd.checked_add(with_usd)?,
        license: &sh.license,
        license_free_below_annual_revenue_usd: Usd::new(sh.license_free_below_annual_revenue_usd),
        license_above: &sh.license_above,
    }))
}

pub(super) fn run<'c>(card: &'c RateCard, args: &CompareArgs) -> UserResult<Comparison<'c>> {
    let images = images(args)?;
    let with = with_arg(card, args)?;
    let rows = price_models(card, &with, args.steps, images)?;
    let b = &card.billing;

    let with_usd = engine::price(
        b,
        &Workload {
            steps: with.clone(),
            count: images,
        },
    )?
    .total
    .usd;
    let self_host = self_host(card, args, images, with_usd)?;
    let mut lines = model_lines(&rows)?;
    let dedicated_gpu = dedicated_gpu(card, args, images, with_usd, &mut lines)?;
    let self_host_hint = match (&card.self_host, &self_host, &dedicated_gpu) {
        (Some(sh), None, None) => Some(format!(
            "self-hosting {}: add --gpu-monthly USD (or --gpu-hourly USD) and --seconds-per-image S to price GPUs",
            sh.models.join(", ")
        )),
        _ => None,
    };

    let mut notes = Vec::new();
    let license = self_host
        .as_ref()
        .map(|sh| {
            (
                sh.license,
                sh.license_free_below_annual_revenue_usd,
                sh.license_above,
            )
        })
        .or_else(|| {
            dedicated_gpu.as_ref().map(|d| {
                (
                    d.license,
                    d.license_free_below_annual_revenue_usd,
                    d.license_above,
                )
            })
        });
    if let Some((license, below, above)) = license {
        notes.push(format!(
            "self-hosting needs the {license} (free below {below} annual revenue; an {above} above)"
        ));
    }
    notes.extend(footer::volume_note(b, Decimal::from(images)));
    if !b.failed_generations_charged {
        notes.push("failed generations are not charged".into());
    }

    let (users, per_user) = match (args.users, args.per_user) {
        (Some(u), Some(k)) => (Some(u), Some(k)),
        _ => (None, None),
    };
    Ok(Comparison {
        card,
        images,
        users,
        per_user,
        with: with_lines(&with),
        lines,
        self_host,
        dedicated_gpu,
        user_pays: card
            .user_pays
            .as_ref()
            .map(|up| -> UserResult<UserPaysRoute<'_>> {
                let generation = Usd::new(up.developer_usd);
                Ok(UserPaysRoute {
                    name: &up.name,
                    developer_usd: generation.checked_add(with_usd)?,
                    generation_usd: generation,
                    api_steps_usd: with_usd,
                    models: &up.models,
                    note: up.note.as_deref(),
                })
            })
            .transpose()?,
        notes,
        self_host_hint,
    })
}

impl Report for Comparison<'_> {
    fn command(&self) -> &'static str {
        "compare"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        let mut columns = vec![
            Column::text("Model", "service"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 1 }),
            Column::number("Credits per image", "credits_each"),
            Column::number("USD per image", "usd_each"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
            Column::number("vs cheapest", "vs_cheapest"),
        ];
        if self.dedicated_gpu.is_some() {
            columns.push(Column::number("Break even", "break_even_images"));
        }
        columns.push(Column::table_only("", "bar").shrink(Shrink::Scale { rank: 2, min: 4 }));
        columns
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.lines.iter().map(|l| {
            let mut row = vec![
                Cell::Text(l.label.clone()),
                Cell::Text(l.name.to_owned()),
                Cell::Credits(l.credits_each),
                Cell::Usd(l.usd_each),
                Cell::Credits(l.credits),
                Cell::Usd(l.usd),
                Cell::Ratio(l.vs_cheapest),
            ];
            match l.break_even {
                Some(BreakEven::Images(n)) => row.push(Cell::count(n)),
                Some(BreakEven::BeyondCapacity) => row.push(Cell::word("beyond 1 GPU")),
                None => {}
            }
            row.push(Cell::Bar(l.bar));
            row
        }))
    }

    fn chart(&self) -> Option<Chart> {
        let gpu = self.dedicated_gpu.as_ref()?;
        // Wide enough to show every crossing one GPU can reach, and the volume asked for.
        let furthest = self
            .lines
            .iter()
            .filter_map(|l| match l.break_even {
                Some(BreakEven::Images(n)) => Some(n),
                _ => None,
            })
            .chain([self.images])
            .max()
            .unwrap_or(gpu.capacity_images_per_gpu);
        let x_max = chart::round_up(Decimal::from(furthest));
        let x_max = u64::try_from(x_max).ok()?;
        let gpu_cost = Cost::Steps {
            usd: gpu.gpu_monthly_usd.get(),
            every: gpu.capacity_images_per_gpu,
        };
        let top = money::mul(gpu.gpu_monthly_usd.get(), Decimal::TWO).ok()?;
        let mut series = vec![Series {
            symbol: '=',
            label: format!("GPUs at {} a month", gpu.gpu_monthly_usd),
            cost: gpu_cost,
        }];
        for (l, symbol) in self.lines.iter().zip(('1'..='9').chain('a'..='z')) {
            series.push(Series {
                symbol,
                label: l.label.clone(),
                cost: Cost::PerImage(l.generation_usd.get()),
            });
        }
        Some(Chart {
            title: "Dollars a month against images a month: generation on the API, or GPUs".into(),
            x_max,
            y_max: chart::round_up(top),
            series,
        })
    }

    fn summary(&self) -> Vec<String> {
        let with_note = if self.with.is_empty() {
            String::new()
        } else {
            let names: Vec<_> = self.with.iter().map(|s| s.label.as_str()).collect();
            format!(", each followed by {}", names.join(" + "))
        };
        let mut lines = vec![format!(
            "{} images{with_note}, cheapest first.",
            money::count_display(self.images)
        )];
        lines.extend(self.self_host_hint.clone());
        if let Some(sh) = &self.self_host {
            let plus = if sh.api_steps_usd.is_zero() {
                String::new()
            } else {
                format!(" + {} for the --with steps on the API", sh.api_steps_usd)
            };
            let about = if sh.gpu_hours_exact { "" } else { "≈ " };
            lines.push(format!(
                "self-hosting {}: {} GPU compute ({about}{} GPU-hours at {}/hour){plus}, an estimate",
                sh.models.join(", "),
                sh.compute_usd,
                sh.gpu_hours,
                sh.gpu_hourly_usd,
            ));
        }
        if let Some(g) = &self.dedicated_gpu {
            let plus = if g.api_steps_usd.is_zero() {
                String::new()
            } else {
                format!(" + {} for the --with steps on the API", g.api_steps_usd)
            };
            lines.push(format!(
                "dedicated GPUs for {}: {} × {} a month = {}{plus} (each makes {} images a month at {} s an image)",
                g.models.join(", "),
                money::count_display(g.gpus),
                g.gpu_monthly_usd,
                g.gpus_usd,
                money::count_display(g.capacity_images_per_gpu),
                money::decimal_display(g.seconds_per_image),
            ));
            lines.push(
                "break even: the images a month from which one dedicated GPU costs less than the model's generation on the API (\"beyond 1 GPU\": never, on one GPU)"
                    .into(),
            );
        }
        if let Some(up) = &self.user_pays {
            let note = up.note.map(|n| format!("; {n}")).unwrap_or_default();
            let cost = if up.api_steps_usd.is_zero() {
                format!("{} to the developer at any volume", up.developer_usd)
            } else {
                format!(
                    "{} to the developer ({} for generation + {} for the --with steps, which stay on the API)",
                    up.developer_usd, up.generation_usd, up.api_steps_usd
                )
            };
            lines.push(format!(
                "user-pays via {}: {cost}{note}; serves only {}",
                up.name,
                up.models.join(" and "),
            ));
        }
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

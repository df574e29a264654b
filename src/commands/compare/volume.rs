//! `stabcost compare`: every current generation model priced for the same volume, with
//! the self-hosting and user-pays routes from the rate card.

use super::{WithStep, bars, models, notes, price_models, user_pays_line, with_lines, with_usd};
use crate::commands::request::{self, Gpu};
use crate::engine::{Priced, Step};
use crate::error::{UserError, UserResult};
use crate::money::{self, Approx, Credits, Ratio, Usd};
use crate::rates::{Provenance, RateCard, Service};
use crate::report::chart::{self, Chart, Cost, Series};
use crate::report::figure::Figure;
use crate::report::{Cell, Column, Report, Rows, Shrink};
use crate::selfhost::{self, BreakEven};
use rust_decimal::Decimal;
use serde::Serialize;

/// The comparison: JSON `images`, the `--with` steps, one line per model cheapest
/// first, then the two routes that avoid per-call prices, and the notes.
#[derive(Debug, Serialize)]
pub(crate) struct Comparison<'c> {
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

/// One model, with its whole pipeline (the model, then the `--with` steps) priced.
#[derive(Debug, Serialize)]
struct ModelLine<'c> {
    service: &'c str,
    name: &'c str,
    steps: Option<u32>,
    /// Per image, the `--with` steps included.
    credits_each: Credits,
    usd_each: Usd,
    credits: Credits,
    usd: Usd,
    vs_cheapest: Ratio,
    /// With `--gpu-monthly`: the images a month from which one dedicated GPU costs less
    /// than this model's generation on the API; `null` beyond one GPU's capacity.
    #[serde(
        rename = "break_even_images",
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_break_even"
    )]
    break_even: Option<BreakEven>,
    #[serde(skip_serializing_if = "Option::is_none")]
    break_even_beyond_capacity: Option<bool>,
    /// The model's own price per image, without the `--with` steps.
    #[serde(skip)]
    generation_usd: Usd,
    /// The row's bar in the terminal table, in blocks.
    #[serde(skip)]
    bar: usize,
    #[serde(skip)]
    label: String,
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

/// The lines for the priced models, with their ratio to the cheapest and their bar.
fn model_lines<'c>(rows: &[(&'c Service, Priced<'c>)]) -> UserResult<Vec<ModelLine<'c>>> {
    let per_image: Vec<Decimal> = rows.iter().map(|r| r.1.per_asset.credits.get()).collect();
    let lines = models(rows)?
        .into_iter()
        .zip(rows)
        .zip(bars(&per_image))
        .map(|((m, (_, p)), bar)| ModelLine {
            service: m.service,
            name: m.name,
            steps: m.steps,
            credits_each: p.per_asset.credits,
            usd_each: p.per_asset.usd,
            credits: p.total.credits,
            usd: p.total.usd,
            vs_cheapest: m.vs_cheapest,
            break_even: None,
            break_even_beyond_capacity: None,
            generation_usd: p.lines.first().map_or(Usd::ZERO, |l| l.each.usd),
            bar,
            label: m.label,
        })
        .collect();
    Ok(lines)
}

/// The self-hosting estimate at an hourly GPU price. The `--with` steps stay on the API
/// whichever route generates the image.
fn self_host<'c>(
    card: &'c RateCard,
    gpu: &Gpu,
    images: u64,
    with_usd: Usd,
) -> UserResult<Option<SelfHostEstimate<'c>>> {
    let (Some(sh), Some(hourly)) = (&card.self_host, gpu.hourly_usd) else {
        return Ok(None);
    };
    let time = selfhost::gpu_time(images, gpu.seconds_per_image, hourly)?;
    let compute = Approx::cents(time.compute_usd);
    Ok(Some(SelfHostEstimate {
        name: &sh.name,
        models: &sh.models,
        gpu_hourly_usd: Usd::new(hourly),
        seconds_per_image: gpu.seconds_per_image,
        gpu_hours: money::decimal_plain(time.hours),
        gpu_hours_exact: time.exact,
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

/// Dedicated GPUs for the volume at a monthly GPU price, and each model's break-even
/// volume.
fn dedicated_gpu<'c>(
    card: &'c RateCard,
    gpu: &Gpu,
    images: u64,
    with_usd: Usd,
    lines: &mut [ModelLine<'c>],
) -> UserResult<Option<DedicatedGpu<'c>>> {
    let (Some(sh), Some(monthly)) = (&card.self_host, gpu.monthly_usd) else {
        return Ok(None);
    };
    let seconds = gpu.seconds_per_image;
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

/// `req` priced for `images` (`users × per_user` of them, when asked so), each followed
/// by the `with` steps.
pub(super) fn run<'c>(
    card: &'c RateCard,
    with: &[Step<'c>],
    req: &request::Compare,
    images: u64,
    users: Option<(u64, u64)>,
) -> UserResult<Comparison<'c>> {
    let rows = price_models(card, with, req.steps, images)?;
    let with_usd = with_usd(&card.billing, with, images)?;
    let mut lines = model_lines(&rows)?;
    let (self_host, dedicated_gpu) = match &req.gpu {
        Some(gpu) => (
            self_host(card, gpu, images, with_usd)?,
            dedicated_gpu(card, gpu, images, with_usd, &mut lines)?,
        ),
        None => (None, None),
    };
    let self_host_hint = match (&card.self_host, &req.gpu) {
        (Some(sh), None) => Some(format!(
            "self-hosting {}: add --gpu-monthly USD (or --gpu-hourly USD) and --seconds-per-image S to price GPUs",
            sh.models.join(", ")
        )),
        _ => None,
    };
    let notes = notes(card, Decimal::from(images), req.gpu.is_some());
    Ok(Comparison {
        card,
        images,
        users: users.map(|u| u.0),
        per_user: users.map(|u| u.1),
        with: with_lines(with),
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

    fn figure(&self) -> Option<Figure> {
        // With GPUs, the terminal's chart; without, each model's whole pipeline (the
        // table's USD) over half as many images again as asked for.
        let chart = self.chart().or_else(|| {
            let wider = money::mul(Decimal::from(self.images), Decimal::new(15, 1)).ok()?;
            let x_max = u64::try_from(chart::round_up(wider)).unwrap_or(self.images);
            let dearest = self.lines.iter().map(|l| l.usd_each.get()).max()?;
            let top = money::mul(dearest, Decimal::from(x_max)).ok()?;
            Some(Chart {
                title: if self.with.is_empty() {
                    "Dollars a month against images a month, on each model".into()
                } else {
                    "Dollars a month against images a month, each model followed by the --with steps".into()
                },
                x_max,
                y_max: chart::round_up(top),
                series: self
                    .lines
                    .iter()
                    .map(|l| Series {
                        symbol: '*',
                        label: l.label.clone(),
                        cost: Cost::PerImage(l.usd_each.get()),
                    })
                    .collect(),
            })
        })?;
        Some(Figure::Cost {
            chart,
            volume: self.images,
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
            let cost = if up.api_steps_usd.is_zero() {
                format!("{} to the developer at any volume", up.developer_usd)
            } else {
                format!(
                    "{} to the developer ({} for generation + {} for the --with steps, which stay on the API)",
                    up.developer_usd, up.generation_usd, up.api_steps_usd
                )
            };
            lines.push(user_pays_line(up.name, &cost, up.note, up.models));
        }
        lines
    }

    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

//! `stabcost compare`: every current generation model priced for the same volume, with
//! the self-hosting and user-pays routes from the rate card.

use super::provenance_line;
use crate::cli::CompareArgs;
use crate::engine::{self, Priced, Step, Workload};
use crate::error::{UserError, UserResult};
use crate::money::{self, Overflow};
use crate::rates::{Category, RateCard, Service};
use crate::report::{Cell, Column, Report, json_credits, json_header, json_usd};
use crate::workflow;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Widest bar, in blocks.
const BAR_WIDTH: u32 = 24;
const SECONDS_PER_HOUR: u32 = 3600;

/// One model's row: the model, the step count priced, and its whole pipeline priced.
struct ModelCost<'c> {
    model: &'c Service,
    steps: Option<u32>,
    priced: Priced<'c>,
}

/// The `--with` steps: parsed, resolved, and free of generation services.
fn with_steps<'c>(card: &'c RateCard, expr: &str) -> UserResult<Vec<Step<'c>>> {
    let parsed = workflow::parse(expr).map_err(|e| e.into_user_error(expr))?;
    let steps = workflow::resolve(card, &parsed).map_err(|e| e.into_user_error(expr))?;
    if let Some((_, written)) = steps
        .iter()
        .zip(&parsed.steps)
        .find(|(s, _)| s.service.category == Category::Generate)
    {
        let err = workflow::ParseError {
            message: format!(
                "'{}' is a generation model; compare already prices every one of them",
                written.name
            ),
            span: written.name_span.clone(),
            hints: vec![
                "--with takes the steps after generation, such as rmbg+upscale-conservative".into(),
                "to price one pipeline, use `stabcost workflow`".into(),
            ],
        };
        return Err(err.into_user_error(expr));
    }
    Ok(steps)
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
fn price_models<'c>(
    card: &'c RateCard,
    with: &[Step<'c>],
    steps: Option<u32>,
    images: u64,
) -> UserResult<Vec<ModelCost<'c>>> {
    let models: Vec<_> = card.generation_services().collect();
    if models.is_empty() {
        return Err(UserError::new(
            "the rate card has no current generation service to compare",
        ));
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
        let priced = engine::price(&Workload {
            steps: pipeline,
            count: images,
        })?;
        let steps = priced.lines.first().and_then(|l| l.steps);
        rows.push(ModelCost {
            model,
            steps,
            priced,
        });
    }
    rows.sort_by(|a, b| {
        a.priced
            .per_asset
            .cmp(&b.priced.per_asset)
            .then_with(|| a.model.id.cmp(&b.model.id))
    });
    Ok(rows)
}

/// The table rows and JSON lines for the priced models.
fn model_rows(
    card: &RateCard,
    rows: &[ModelCost<'_>],
    report: &mut Report,
) -> UserResult<Vec<Value>> {
    let b = &card.billing;
    let cheapest = rows.first().map_or(Decimal::ONE, |r| r.priced.per_asset);
    let dearest = rows.last().map_or(Decimal::ONE, |r| r.priced.per_asset);
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let p = &r.priced;
        let ratio = money::div_rounded(p.per_asset, cheapest, 2).ok_or(Overflow)?;
        let bar = money::div_rounded(
            money::mul(p.per_asset, Decimal::from(BAR_WIDTH))?,
            dearest,
            0,
        )
        .and_then(|d| usize::try_from(d.mantissa()).ok())
        .unwrap_or(1)
        .max(1);
        let (usd_each, usd) = (b.usd(p.per_asset)?, b.usd(p.credits)?);
        report.rows.push(vec![
            Cell::Text(super::step_label(&r.model.id, r.steps)),
            Cell::Text(r.model.name.clone()),
            Cell::Credits(p.per_asset),
            Cell::Usd(usd_each),
            Cell::Credits(p.credits),
            Cell::Usd(usd),
            Cell::Ratio(ratio),
            Cell::Bar(bar),
        ]);
        lines.push(json!({
            "service": r.model.id,
            "name": r.model.name,
            "steps": r.steps,
            "credits_each": json_credits(p.per_asset),
            "usd_each": json_usd(usd_each),
            "credits": json_credits(p.credits),
            "usd": json_usd(usd),
            "vs_cheapest": money::usd_plain(ratio),
        }));
    }
    Ok(lines)
}

/// The self-hosting estimate, when the card describes it and both GPU figures are given.
/// The `--with` steps stay on the API whichever route generates the image.
fn self_host(
    card: &RateCard,
    args: &CompareArgs,
    images: u64,
    with_usd: Decimal,
    report: &mut Report,
) -> UserResult<Value> {
    let Some(sh) = &card.self_host else {
        return Ok(Value::Null);
    };
    let (Some(hourly), Some(seconds)) = (args.gpu_hourly, args.seconds_per_image) else {
        report.summary.push(format!(
            "self-hosting {}: add --gpu-hourly USD --seconds-per-image S to estimate the GPU cost",
            sh.models.join(", ")
        ));
        return Ok(Value::Null);
    };
    let per_hour = Decimal::from(SECONDS_PER_HOUR);
    let gpu_seconds = money::mul(Decimal::from(images), seconds)?;
    let hours = money::div_rounded(gpu_seconds, per_hour, 2).ok_or(Overflow)?;
    let compute =
        money::div_rounded(money::mul(gpu_seconds, hourly)?, per_hour, 2).ok_or(Overflow)?;
    let plus = if with_usd.is_zero() {
        String::new()
    } else {
        format!(
            " + {} for the --with steps on the API",
            money::usd_display(with_usd)
        )
    };
    report.summary.push(format!(
        "self-hosting {}: ≈ {} GPU compute ({} GPU-hours at {}/hour){plus}, an estimate",
        sh.models.join(", "),
        money::usd_display(compute),
        money::usd_plain(hours),
        money::usd_display(hourly),
    ));
    report.notes.push(format!(
        "self-hosting needs the {} (free below {} annual revenue; an {} above)",
        sh.license,
        money::usd_display(sh.license_free_below_annual_revenue_usd),
        sh.license_above
    ));
    Ok(json!({
        "name": sh.name,
        "models": sh.models,
        "gpu_hourly_usd": json_usd(hourly),
        "seconds_per_image": money::credits_plain(seconds),
        "gpu_hours": money::usd_plain(hours),
        "compute_usd": json_usd(compute),
        "api_steps_usd": json_usd(with_usd),
        "usd": json_usd(money::add(compute, with_usd)?),
        "estimate": true,
        "license": sh.license,
        "license_free_below_annual_revenue_usd": json_usd(sh.license_free_below_annual_revenue_usd),
        "license_above": sh.license_above,
        "note": sh.note,
    }))
}

/// The user-pays route, when the card describes one.
fn user_pays(card: &RateCard, report: &mut Report) -> Value {
    let Some(up) = &card.user_pays else {
        return Value::Null;
    };
    let note = up
        .note
        .as_deref()
        .map(|n| format!("; {n}"))
        .unwrap_or_default();
    report.summary.push(format!(
        "user-pays via {}: {} to the developer at any volume{note}; serves only {}",
        up.name,
        money::usd_display(up.developer_usd),
        up.models.join(" and "),
    ));
    json!({
        "name": up.name,
        "developer_usd": json_usd(up.developer_usd),
        "models": up.models,
        "note": up.note,
    })
}

pub(super) fn run(card: &RateCard, args: &CompareArgs) -> UserResult<Report> {
    let images = images(args)?;
    let with = args
        .with
        .as_deref()
        .map(|e| with_steps(card, e))
        .transpose()?
        .unwrap_or_default();
    let rows = price_models(card, &with, args.steps, images)?;
    let b = &card.billing;

    let mut report = Report {
        columns: vec![
            Column::text("Model", "service"),
            Column::text("Name", "name"),
            Column::number("Credits per image", "credits_each"),
            Column::number("USD per image", "usd_each"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
            Column::number("vs cheapest", "vs_cheapest"),
            Column::table_only("", "bar"),
        ],
        ..Report::default()
    };
    let lines = model_rows(card, &rows, &mut report)?;

    let with_note = if with.is_empty() {
        String::new()
    } else {
        let names: Vec<_> = with
            .iter()
            .map(|s| super::step_label(&s.service.id, s.steps))
            .collect();
        format!(", each followed by {}", names.join(" + "))
    };
    report.summary.push(format!(
        "{} images{with_note}, cheapest first.",
        money::count_display(images)
    ));

    let with_credits = engine::price(&Workload {
        steps: with.clone(),
        count: images,
    })?
    .credits;
    let self_host = self_host(card, args, images, b.usd(with_credits)?, &mut report)?;
    let user_pays = user_pays(card, &mut report);
    if let Some(threshold) = b.volume_threshold_images_per_month {
        if images >= threshold {
            report.notes.push(format!(
                "at {} images a month or more, Stability sells volume pricing through its sales team; these are list prices",
                money::count_display(threshold)
            ));
        }
    }
    if !b.failed_generations_charged {
        report
            .notes
            .push("failed generations are not charged".into());
    }
    report.summary.push(provenance_line(card));

    let mut json = json_header("compare", card);
    json.insert("images".into(), json!(images));
    if let (Some(u), Some(k)) = (args.users, args.per_user) {
        json.insert("users".into(), json!(u));
        json.insert("per_user".into(), json!(k));
    }
    let with_json: Vec<_> = with
        .iter()
        .map(|s| json!({ "service": s.service.id, "steps": s.steps, "multiplier": json_credits(s.multiplier) }))
        .collect();
    json.insert("with".into(), Value::Array(with_json));
    json.insert("lines".into(), Value::Array(lines));
    json.insert("self_host".into(), self_host);
    json.insert("user_pays".into(), user_pays);
    json.insert("notes".into(), json!(report.notes));
    report.json = Value::Object(json);
    Ok(report)
}

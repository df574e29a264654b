//! `stabcost rates`: the rate card itself.

use super::provenance_line;
use crate::cli::RatesArgs;
use crate::error::UserResult;
use crate::money;
use crate::rates::{Billing, Category, RateCard, Service};
use crate::report::{Cell, Column, Format, Report, json_credits, json_header, json_usd};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// What the notes column says of a service.
fn notes(s: &Service) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &s.deprecated {
        let instead = if d.replacements.is_empty() {
            "no replacement".to_owned()
        } else {
            format!("use {}", d.replacements.join(" or "))
        };
        parts.push(format!("discontinued {}; {instead}", d.date));
    }
    if let Some(st) = s.steps {
        parts.push(format!(
            "× steps/{0} above {0} steps; {1}–{2} steps",
            st.included, st.min, st.max
        ));
    }
    parts.join("; ")
}

/// The billing facts in one line.
fn billing_line(b: &Billing) -> String {
    let mut billing = format!(
        "billing: 1 credit = {}; top-up {} credits for {} (the minimum purchase); sign-up bonus {} credits",
        money::usd_display(b.credit_usd),
        money::credits_display(b.topup_credits),
        money::usd_display(b.topup_usd),
        money::credits_display(b.signup_bonus_credits),
    );
    if let Some(terms) = &b.signup_bonus_terms {
        let _ = write!(billing, " ({terms})");
    }
    billing.push_str(if b.failed_generations_charged {
        "; failed generations are charged"
    } else {
        "; failed generations are not charged"
    });
    if let Some(n) = b.volume_threshold_images_per_month {
        let _ = write!(
            billing,
            "; volume pricing from about {} images a month",
            money::count_display(n)
        );
    }
    billing
}

/// `format` is known up front because a card's service count is unbounded: only the
/// view that will be printed is built.
pub(super) fn run(card: &RateCard, args: &RatesArgs, format: Format) -> UserResult<Report> {
    let category = args
        .category
        .as_deref()
        .map(str::parse::<Category>)
        .transpose()?;
    let b = &card.billing;
    let p = &card.provenance;

    let mut report = Report {
        columns: vec![
            Column::text("Id", "id"),
            Column::text("Name", "name"),
            Column::text("Category", "category"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
            Column::text("Aliases", "aliases"),
            Column::text("Source", "source"),
            Column::text("Notes", "notes"),
        ],
        ..Report::default()
    };
    report.preface.push(format!(
        "{} (effective {}, currency {})",
        p.name, p.effective, p.currency
    ));
    report.preface.push(format!("source: {}", p.source));
    report.preface.push(billing_line(b));

    let mut services = Vec::new();
    for s in card
        .services
        .iter()
        .filter(|s| category.is_none_or(|c| s.category == c))
    {
        let usd = s.credits.map(|c| b.usd(c)).transpose()?;
        if format != Format::Json {
            report.rows.push(vec![
                Cell::Text(s.id.clone()),
                Cell::Text(s.name.clone()),
                Cell::Text(s.category.to_string()),
                s.credits.map_or(Cell::Text("—".into()), Cell::Credits),
                usd.map_or(Cell::Text("—".into()), Cell::Usd),
                Cell::Text(s.aliases.join(", ")),
                Cell::Text(s.source.clone()),
                Cell::Text(notes(s)),
            ]);
            continue;
        }
        services.push(json!({
            "id": s.id,
            "name": s.name,
            "category": s.category.as_str(),
            "credits": s.credits.map(json_credits),
            "usd": usd.map(json_usd),
            "aliases": s.aliases,
            "endpoint": s.endpoint,
            "source": s.source,
            "note": s.note,
            "steps": s.steps.map(|st| json!({
                "included": st.included, "default": st.default, "min": st.min, "max": st.max,
            })),
            "deprecated": s.deprecated.as_ref().map(|d| json!({
                "date": d.date, "replacements": d.replacements,
            })),
        }));
    }
    for (key, text) in &card.sources {
        report.summary.push(format!("source {key}: {text}"));
    }
    report.summary.push(provenance_line(card));

    let mut json = json_header("rates", card);
    json.insert(
        "billing".into(),
        json!({
            "credit_usd": json_usd(b.credit_usd),
            "topup_credits": json_credits(b.topup_credits),
            "topup_usd": json_usd(b.topup_usd),
            "signup_bonus_credits": json_credits(b.signup_bonus_credits),
            "signup_bonus_terms": b.signup_bonus_terms,
            "volume_threshold_images_per_month": b.volume_threshold_images_per_month,
            "failed_generations_charged": b.failed_generations_charged,
        }),
    );
    json.insert("sources".into(), json!(card.sources));
    json.insert("lines".into(), Value::Array(services.clone()));
    json.insert("services".into(), Value::Array(services));
    report.json = Value::Object(json);
    Ok(report)
}

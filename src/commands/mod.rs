//! One module per subcommand, each turning its clap arguments into a [`Report`].
//! This module loads the rate card once and hands the report to the renderer.

mod compare;
mod meta;
mod quote;
mod rates;
mod workflow;

use crate::cli::{Cli, Command};
use crate::engine::{self, FreeCredits, Priced, Topups};
use crate::error::UserResult;
use crate::money;
use crate::rates::RateCard;
use crate::report::{self, JsonLine, Report, json_credits, json_usd};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// Runs the command line and returns what to print on standard output.
pub fn run(cli: &Cli) -> anyhow::Result<String> {
    let format = cli.format.into();
    match &cli.command {
        Command::Quote(args) => report::render(&quote::run(&load(cli)?, args)?, format),
        Command::Workflow(args) => {
            report::render(&workflow::run(&load(cli)?, args, format)?, format)
        }
        Command::Compare(args) => report::render(&compare::run(&load(cli)?, args)?, format),
        Command::Rates(args) => report::render(&rates::run(&load(cli)?, args, format)?, format),
        Command::Completions(args) => meta::completions(args.shell),
        Command::Man => meta::man(),
    }
}

/// The rate card to price with: `--rates`, else `STABCOST_RATES` (an empty value counts
/// as unset, as users expect of environment variables), else the built-in one.
fn load(cli: &Cli) -> UserResult<RateCard> {
    let from_env = || {
        std::env::var_os("STABCOST_RATES")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    match cli.rates.clone().or_else(from_env) {
        Some(path) => RateCard::load(&path),
        None => RateCard::built_in(),
    }
}

/// `service` with its step count when one was priced: `sdxl@50`.
fn step_label(id: &str, steps: Option<u32>) -> String {
    match steps {
        Some(n) => format!("{id}@{n}"),
        None => id.to_owned(),
    }
}

/// The line every report ends with: which prices it used.
fn provenance_line(card: &RateCard) -> String {
    let p = &card.provenance;
    let origin = if p.origin == "built-in" {
        "built-in card".to_owned()
    } else {
        format!("card {}", p.origin)
    };
    format!("prices: {}, effective {} ({origin})", p.name, p.effective)
}

/// Free credits and top-up packs for a bill: summary lines and the JSON fields.
fn topup_section(
    card: &RateCard,
    credits: Decimal,
    free: FreeCredits,
    summary: &mut Vec<String>,
    json: &mut Map<String, Value>,
) -> UserResult<()> {
    let b = &card.billing;
    let free_credits = free.credits(card);
    let t: Topups = engine::topups(b, credits, free_credits)?;
    if free != FreeCredits::None {
        let terms = match (free, &b.signup_bonus_terms) {
            (FreeCredits::SignupBonus, Some(terms)) => format!(" (sign-up bonus: {terms})"),
            (FreeCredits::SignupBonus, None) => " (sign-up bonus)".to_owned(),
            _ => String::new(),
        };
        summary.push(format!(
            "free credits: {} of {} applied{terms}; {} credits to buy",
            money::credits_display(t.free_credits),
            money::credits_display(free_credits),
            money::credits_display(t.to_buy),
        ));
        json.insert(
            "free_credits".into(),
            json!({
                "available": json_credits(free_credits),
                "applied": json_credits(t.free_credits),
                "usd": json_usd(b.usd(t.free_credits)?),
            }),
        );
    }
    let pack = money::credits_display(b.topup_credits);
    summary.push(format!(
        "top-ups: {} × {pack}-credit pack at {} = {}",
        money::credits_display(t.packs),
        money::usd_display(b.topup_usd),
        money::usd_display(t.usd),
    ));
    json.insert(
        "topups".into(),
        json!({
            "packs": json_credits(t.packs),
            "credits_per_pack": json_credits(b.topup_credits),
            "usd_per_pack": json_usd(b.topup_usd),
            "credits_to_buy": json_credits(t.to_buy),
            "usd": json_usd(t.usd),
        }),
    );
    Ok(())
}

/// The JSON line shared by `quote` and `workflow`.
fn json_line(card: &RateCard, line: &engine::Line<'_>) -> UserResult<JsonLine> {
    let b = &card.billing;
    Ok(JsonLine {
        service: line.service.id.clone(),
        name: line.service.name.clone(),
        category: line.service.category.as_str(),
        steps: line.steps,
        multiplier: money::credits_plain(line.multiplier),
        credits_each: money::credits_plain(line.credits_each),
        usd_each: money::usd_plain(b.usd(line.credits_each)?),
        per_asset_credits: money::credits_plain(line.per_asset),
        per_asset_usd: money::usd_plain(b.usd(line.per_asset)?),
        credits: money::credits_plain(line.credits),
        usd: money::usd_plain(b.usd(line.credits)?),
    })
}

/// The `{credits, usd}` pair of a total.
fn json_amount(card: &RateCard, credits: Decimal) -> UserResult<Value> {
    Ok(json!({ "credits": json_credits(credits), "usd": json_usd(card.billing.usd(credits)?) }))
}

/// Puts a priced workload's lines into the report's JSON: a `lines` key holds their
/// place in the envelope, and the typed lines are serialized there when rendered.
fn json_lines(
    card: &RateCard,
    priced: &Priced<'_>,
    report: &mut Report,
    json: &mut Map<String, Value>,
) -> UserResult<()> {
    json.insert("lines".into(), Value::Null);
    report.json_lines = Some(
        priced
            .lines
            .iter()
            .map(|l| json_line(card, l))
            .collect::<UserResult<_>>()?,
    );
    Ok(())
}

/// The report's footer shared by quote and workflow: top-ups and provenance.
fn finish(
    card: &RateCard,
    report: &mut Report,
    json: &mut Map<String, Value>,
    priced: &Priced<'_>,
    free: FreeCredits,
) -> UserResult<()> {
    json.insert("total".into(), json_amount(card, priced.credits)?);
    topup_section(card, priced.credits, free, &mut report.summary, json)?;
    report.summary.push(provenance_line(card));
    Ok(())
}

//! `stabcost workflow EXPR`: a per-asset pipeline, priced step by step.

use super::{finish, json_amount, json_lines, step_label};
use crate::cli::WorkflowArgs;
use crate::engine::{self, Workload};
use crate::error::{UserError, UserResult};
use crate::money;
use crate::rates::RateCard;
use crate::report::{Cell, Column, Format, Report, json_header};
use crate::workflow;
use serde_json::{Value, json};
use std::io::Read;

/// The expression text: the argument, or standard input for `-`.
fn expression(arg: &str) -> UserResult<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
        UserError::new(format!(
            "cannot read the workflow expression from standard input: {e}"
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        UserError::new(format!(
            "the workflow expression on standard input is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// `format` is known up front because a workflow's line count is unbounded (generated
/// pipelines run to 100,000 steps): only the view that will be printed is built.
pub(super) fn run(card: &RateCard, args: &WorkflowArgs, format: Format) -> UserResult<Report> {
    let expr = expression(&args.expr)?;
    let parsed = workflow::parse(&expr).map_err(|e| e.into_user_error(&expr))?;
    let steps = workflow::resolve(card, &parsed).map_err(|e| e.into_user_error(&expr))?;
    let priced = engine::price(&Workload {
        steps,
        count: args.count,
    })?;
    let b = &card.billing;

    let mut report = Report {
        columns: vec![
            Column::text("Step", "service"),
            Column::text("Name", "name"),
            Column::number("Credits each", "credits_each"),
            Column::number("×", "multiplier"),
            Column::number("Credits per asset", "per_asset_credits"),
            Column::number("USD per asset", "per_asset_usd"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
        ],
        ..Report::default()
    };
    let lines = if format == Format::Json {
        &[][..]
    } else {
        &priced.lines[..]
    };
    for line in lines {
        report.rows.push(vec![
            Cell::Text(step_label(&line.service.id, line.steps)),
            Cell::Text(line.service.name.clone()),
            Cell::Credits(line.credits_each),
            Cell::Number(line.multiplier),
            Cell::Credits(line.per_asset),
            Cell::Usd(b.usd(line.per_asset)?),
            Cell::Credits(line.credits),
            Cell::Usd(b.usd(line.credits)?),
        ]);
    }
    let per_asset_usd = b.usd(priced.per_asset)?;
    let total_usd = b.usd(priced.credits)?;
    report.total = Some(vec![
        Cell::Text("total".into()),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Credits(priced.per_asset),
        Cell::Usd(per_asset_usd),
        Cell::Credits(priced.credits),
        Cell::Usd(total_usd),
    ]);
    report.summary.push(format!(
        "{} per asset: {} credits = {}; {}: {} credits = {}",
        parsed,
        money::credits_display(priced.per_asset),
        money::usd_display(per_asset_usd),
        money::count_of(priced.count, "asset"),
        money::credits_display(priced.credits),
        money::usd_display(total_usd),
    ));

    let mut json = json_header("workflow", card);
    json.insert("expression".into(), json!(parsed.to_string()));
    json.insert("count".into(), json!(priced.count));
    if format == Format::Json {
        json_lines(card, &priced, &mut report, &mut json)?;
    }
    json.insert("per_asset".into(), json_amount(card, priced.per_asset)?);
    finish(card, &mut report, &mut json, &priced, args.free.get())?;
    report.json = Value::Object(json);
    Ok(report)
}

//! `stabcost quote SERVICE`: N calls of one service.

use super::{finish, json_lines, step_label};
use crate::cli::QuoteArgs;
use crate::engine::{self, Step, Workload};
use crate::error::UserResult;
use crate::rates::RateCard;
use crate::report::{Cell, Column, Report, json_header};
use serde_json::{Value, json};

pub(super) fn run(card: &RateCard, args: &QuoteArgs) -> UserResult<Report> {
    let service = card.resolve(&args.service)?;
    let workload = Workload {
        steps: vec![Step::once(service, args.steps)],
        count: args.count,
    };
    let priced = engine::price(&workload)?;
    let b = &card.billing;

    let mut report = Report {
        columns: vec![
            Column::text("Service", "service"),
            Column::text("Name", "name"),
            Column::number("Credits each", "credits_each"),
            Column::number("USD each", "usd_each"),
            Column::number("Count", "count"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
        ],
        ..Report::default()
    };
    for line in &priced.lines {
        report.rows.push(vec![
            Cell::Text(step_label(&line.service.id, line.steps)),
            Cell::Text(line.service.name.clone()),
            Cell::Credits(line.credits_each),
            Cell::Usd(b.usd(line.credits_each)?),
            Cell::Count(priced.count),
            Cell::Credits(line.credits),
            Cell::Usd(b.usd(line.credits)?),
        ]);
    }
    report.total = Some(vec![
        Cell::Text("total".into()),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Count(priced.count),
        Cell::Credits(priced.credits),
        Cell::Usd(b.usd(priced.credits)?),
    ]);

    let mut json = json_header("quote", card);
    json.insert("count".into(), json!(priced.count));
    json_lines(card, &priced, &mut report, &mut json)?;
    finish(card, &mut report, &mut json, &priced, args.free.get())?;
    report.json = Value::Object(json);
    Ok(report)
}

//! The posted pages: plan, diff and usage, whose files come in a `multipart/form-data`
//! body. A plan or a card is read as text (bounded); logs are streamed through the
//! usage reader straight from the body, one after another, never held. The form's
//! other fields come first (browsers send them in the form's order), so the options are
//! known before the first log is read.

use super::app::{Answer, App, Head, Response, answer_of};
use super::args::{self, Kind, Problem, Route};
use super::multipart::{self, Multipart, Part};
use super::page::OtherFormats;
use crate::cli::Command;
use crate::commands::{self, Plans, request::CardSource};
use crate::error::UserError;
use crate::plan::Plan;
use crate::rates::RateCard;
use crate::usage::{Input, Kind as LogKind};
use std::io::{self, Read};
use std::sync::{Arc, Mutex, MutexGuard};

/// The longest plan or card.
const MAX_TEXT: usize = 8 << 20;
/// The longest value of another field.
const MAX_VALUE: usize = 64 << 10;

type Shared = Arc<Mutex<Multipart<Box<dyn Read + Send>>>>;

fn lock(m: &Shared) -> io::Result<MutexGuard<'_, Multipart<Box<dyn Read + Send>>>> {
    m.lock()
        .map_err(|_| io::Error::other("a reader of the upload failed"))
}

/// One log's content: the current part of the shared body.
struct PartReader(Shared);

impl Read for PartReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        lock(&self.0)?.read_content(buf)
    }
}

/// A file field's text, and the name messages give it.
struct Text {
    field: String,
    name: String,
    content: String,
}

/// The fields read before the logs (or the end): values, file texts, and the first
/// log's part when there is one.
struct Fields {
    params: Vec<(String, String)>,
    texts: Vec<Text>,
    first_log: Option<Part>,
}

impl Fields {
    fn text(&self, field: &str) -> Option<&Text> {
        self.texts.iter().find(|t| t.field == field)
    }

    /// The texts as the form fills them in again.
    fn refill(&self) -> Vec<(String, String)> {
        self.texts
            .iter()
            .map(|t| (t.field.clone(), t.content.clone()))
            .collect()
    }
}

/// A POST to `route`.
pub(crate) fn post(
    app: &App,
    route: Route,
    head: &Head,
    query: Vec<(String, String)>,
    body: Box<dyn Read + Send>,
) -> Response {
    let Some(boundary) = head.content_type.as_deref().and_then(multipart::boundary) else {
        let mut r = app.problem(
            route,
            Answer::Page,
            &query,
            &[],
            "error: the form must be sent as multipart/form-data\nhint: curl -F plan=@plan.toml sends one",
        );
        r.status = 415;
        return r;
    };
    let shared: Shared = Arc::new(Mutex::new(Multipart::new(body, &boundary)));
    let fields = match read_fields(route, &shared, query) {
        Ok(f) => f,
        Err(e) => return app.problem(route, Answer::Page, &[], &[], &format!("error: {e}")),
    };
    let answer = match answer_of(&fields.params) {
        Ok(a) => a,
        Err(p) => return app.problem(route, Answer::Page, &fields.params, &fields.refill(), &p.0),
    };
    let posted = Posted {
        app,
        route,
        answer,
        refill: fields.refill(),
        source: match fields.text("rates") {
            Some(t) => CardSource::Text {
                name: t.name.clone(),
                text: t.content.clone(),
            },
            None => app.source.clone(),
        },
        fields,
    };
    let asked = posted.fields.first_log.is_some()
        || !posted.fields.texts.is_empty()
        || posted
            .fields
            .params
            .iter()
            .any(|(k, v)| k != "format" && !v.trim().is_empty());
    if !asked {
        return posted.fail(&Problem(nothing(route)));
    }
    let line = args::argv(route, &posted.fields.params).map(|mut words| {
        if route == Route::Usage && posted.fields.text("plan").is_some() {
            // usage --plan: the plan is the upload; the name stands in for its file.
            words.push("--plan=plan".into());
        }
        words
    });
    let cli = match line.and_then(|words| args::parse(&words)) {
        Ok(cli) => cli,
        Err(p) => return posted.fail(&p),
    };
    match (&cli.command, route) {
        (Command::Plan(args), Route::Plan) => plan(&posted, args),
        (Command::Diff(args), Route::Diff) => diff(&posted, args),
        (Command::Usage(args), Route::Usage) => usage(&posted, args, &shared),
        _ => posted.fail(&Problem(format!(
            "error: /{} takes no such request",
            route.name()
        ))),
    }
}

/// A posted form, read up to its logs, and the card it asks to price with.
struct Posted<'a> {
    app: &'a App,
    route: Route,
    answer: Answer,
    fields: Fields,
    refill: Vec<(String, String)>,
    source: CardSource,
}

impl Posted<'_> {
    fn fail(&self, p: &Problem) -> Response {
        self.app.problem(
            self.route,
            self.answer,
            &self.fields.params,
            &self.refill,
            &p.0,
        )
    }

    fn run(
        &self,
        command: &mut dyn FnMut(&mut commands::Sink<'_>) -> anyhow::Result<()>,
    ) -> Response {
        self.app.run(
            self.route,
            self.answer,
            &self.fields.params,
            &self.refill,
            &OtherFormats::Inline,
            command,
        )
    }
}

fn plan(p: &Posted<'_>, args: &crate::cli::PlanArgs) -> Response {
    let Some(text) = p.fields.text("plan") else {
        return p.fail(&Problem(nothing(p.route)));
    };
    let plan = match read_plan(text) {
        Ok(plan) => plan,
        Err(e) => return p.fail(&e),
    };
    let options = commands::request::PlanOptions::from(args);
    p.run(&mut |sink| commands::plan_report(&p.source, &plan, &options, sink))
}

fn diff(p: &Posted<'_>, args: &crate::cli::DiffArgs) -> Response {
    let mut plans = match diff_plans(&p.fields) {
        Ok(plans) => Some(plans),
        Err(e) => return p.fail(&e),
    };
    p.run(&mut |sink| {
        let plans = plans
            .take()
            .ok_or_else(|| anyhow::anyhow!("the plans were priced already"))?;
        commands::diff_report(&p.source, plans, args, sink)
    })
}

/// The logs, streamed from the body one after another.
fn usage(p: &Posted<'_>, args: &crate::cli::UsageArgs, shared: &Shared) -> Response {
    let plan = match p.fields.text("plan").map(read_plan).transpose() {
        Ok(plan) => plan,
        Err(e) => return p.fail(&e),
    };
    let mut first = p.fields.first_log.clone();
    let mut logs = 0u32;
    let kind = args.input.map(crate::cli::InputArg::kind);
    let response = p.run(&mut |sink| {
        let mut next = || -> anyhow::Result<Option<Input>> {
            let input = next_log(shared, &mut first, kind)?;
            logs += u32::from(input.is_some());
            Ok(input)
        };
        commands::usage_report(&p.source, args, plan.as_ref(), &mut next, sink)
    });
    if logs == 0 && response.status == 200 {
        return p.fail(&Problem(nothing(p.route)));
    }
    response
}

/// A diff's plans, and the base's own card when one was uploaded.
fn diff_plans(fields: &Fields) -> Result<Plans, Problem> {
    let Some(base) = fields.text("base") else {
        return Err(Problem(
            "error: no base plan\nhint: upload the plan before the change, or paste it".into(),
        ));
    };
    Ok(Plans {
        base: read_plan(base)?,
        head: fields.text("head").map(read_plan).transpose()?,
        base_card: fields
            .text("base-rates")
            .map(|t| RateCard::parse(&t.content, &t.name))
            .transpose()
            .map_err(|e| Problem(crate::describe_error(&e.into()).0.trim_end().to_owned()))?,
    })
}

/// What to say when a form came with nothing to price.
fn nothing(route: Route) -> String {
    match route {
        Route::Plan => "error: no plan\nhint: upload a plan file (TOML, as examples/plan.toml) or paste its text".into(),
        Route::Usage => "error: no log\nhint: choose one or more log files (.jsonl, .csv or .log, .gz too)".into(),
        _ => "error: nothing to compare\nhint: upload or paste the base plan".into(),
    }
}

/// A plan's text, read as `stabcost plan` reads a file. A plan that names its own card
/// (`rates = "…"`) would have the server read that file: it is refused.
fn read_plan(t: &Text) -> Result<Plan, Problem> {
    let plan = Plan::read_text(&t.content, &t.name);
    if let Some(path) = &plan.rates {
        return Err(Problem(format!(
            "error: the plan '{}' names the rate card file '{}', and the server reads no file a request names\nhint: take `rates` out of the plan and upload the card in the form's rate card field",
            crate::text::echo(&t.name),
            crate::text::echo(&path.display().to_string())
        )));
    }
    Ok(plan)
}

/// The fields before the first log (or all of them).
fn read_fields(
    route: Route,
    shared: &Shared,
    mut params: Vec<(String, String)>,
) -> io::Result<Fields> {
    let mut texts: Vec<Text> = Vec::new();
    let mut m = lock(shared)?;
    while let Some(part) = m.next_part()? {
        let kind = route.field(&part.name).map(|f| f.kind);
        match kind {
            Some(Kind::Logs) => {
                if part.filename.as_deref() == Some("") {
                    // A file input left empty.
                    continue;
                }
                return Ok(Fields {
                    params,
                    texts,
                    first_log: Some(part),
                });
            }
            Some(Kind::Text) => {
                let Some(bytes) = m.read_text(MAX_TEXT)? else {
                    return Err(invalid(format!(
                        "the {} is larger than {} MiB",
                        part.name,
                        MAX_TEXT >> 20
                    )));
                };
                let text = String::from_utf8(bytes).map_err(|e| {
                    invalid(format!(
                        "the {} is not UTF-8 text (invalid byte at offset {})",
                        part.name,
                        e.utf8_error().valid_up_to()
                    ))
                })?;
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
                if text.trim().is_empty() {
                    continue;
                }
                if texts.iter().any(|t| t.field == part.name) {
                    return Err(invalid(format!(
                        "two {0}s: a file and a pasted text; give one {0}",
                        part.name
                    )));
                }
                let name = match part.filename.as_deref() {
                    Some(f) if !f.is_empty() => f.to_owned(),
                    _ => format!("pasted {}", part.name),
                };
                texts.push(Text {
                    field: part.name,
                    name,
                    content: text,
                });
            }
            _ => {
                let Some(bytes) = m.read_text(MAX_VALUE)? else {
                    return Err(invalid(format!("the field '{}' is too long", part.name)));
                };
                params.push((part.name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    Ok(Fields {
        params,
        texts,
        first_log: None,
    })
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// The next log of the body: `first`, then each `log` part after it. A field after the
/// logs comes too late to change the answer: it is a mistake unless empty.
fn next_log(
    shared: &Shared,
    first: &mut Option<Part>,
    kind: Option<LogKind>,
) -> anyhow::Result<Option<Input>> {
    loop {
        let part = match first.take() {
            Some(p) => p,
            None => match lock(shared)?.next_part()? {
                Some(p) => p,
                None => return Ok(None),
            },
        };
        if part.name != "log" {
            let value = lock(shared)?.read_text(MAX_VALUE)?;
            if value.is_some_and(|v| v.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            return Err(UserError::new(format!(
                "the field '{}' comes after the logs; the form's fields must come before them",
                crate::text::echo(&part.name)
            ))
            .hint("with curl, give -F log=@FILE last")
            .into());
        }
        let name = match part.filename.as_deref() {
            Some("") => continue,
            Some(f) => f.to_owned(),
            None => "pasted log".to_owned(),
        };
        let kind = match (kind, &part.filename) {
            (Some(k), _) => k,
            (None, None) => LogKind::Jsonl,
            (None, Some(f)) => LogKind::of_name(f).ok_or_else(|| {
                UserError::new(format!(
                    "cannot tell what kind of log '{}' is from its name",
                    crate::text::echo(f)
                ))
                .hint(
                    "name it .jsonl, .csv or .log (each maybe .gz), or choose its kind in the form",
                )
            })?,
        };
        return Ok(Some(Input::from_reader(
            &name,
            kind,
            Box::new(PartReader(Arc::clone(shared))),
        )));
    }
}

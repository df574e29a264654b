//! A plan: what a product does with the API each month, as named workloads (a pipeline
//! and a volume each) under an optional budget. Read from a TOML file (documented in
//! `docs/formats.md`), priced against a card by [`price`], compared with another plan or
//! card by [`diff`], grown month by month by [`growth`].
//!
//! Reading checks everything that does not depend on prices (fields, volumes, growth,
//! the syntax of each pipeline) and reports every problem at once as
//! `FILE:LINE:COL: message`; [`Plan::compile`] then resolves the pipelines against a
//! card, pointing at the bad step inside the file.

pub mod diff;
pub mod growth;
mod labels;
pub mod price;

use crate::date::Month;
use crate::diagnostics::{At, Diagnostics, File, Files, line_col};
use crate::document::{self, Reader, W};
use crate::engine::Step;
use crate::error::UserResult;
use crate::money::{self, Overflow};
use crate::number;
use crate::rates::RateCard;
use crate::workflow::{self, ParseError, Workflow};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

/// A plan, read and checked.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    /// The file as named on the command line (`<stdin>` for standard input).
    pub file: String,
    /// The monthly budget in dollars.
    pub budget_usd: Option<Decimal>,
    /// The plan's own rate card, resolved relative to the plan file.
    pub rates: Option<PathBuf>,
    /// The month the plan starts (its month 1, for growth), when it says.
    pub start: Option<Month>,
    pub workloads: Vec<Workload>,
    /// The file's text, for messages that point into it.
    text: String,
    /// What reading found wrong; reported with what compiling finds, in one run.
    problems: Diagnostics,
}

/// A plan as reports name it: JSON `plan` {`name`, `file`}.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanInfo {
    pub name: String,
    pub file: String,
}

/// One named workload: a pipeline applied to a volume of assets a month.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub pipeline: Workflow,
    /// The pipeline as written, and where.
    pub expression: String,
    expression_at: At,
    /// The byte offset of the expression's first character in the file, when the TOML
    /// string holds it verbatim (no escapes), so errors can point at the bad step.
    expression_offset: Option<usize>,
    pub volume: Volume,
    /// Where the volume is written (`per-month`, or `users`).
    volume_at: At,
    /// Month-over-month growth of the volume, as a fraction (`0.1` for `"10%"`).
    pub growth: Option<Decimal>,
    growth_at: Option<At>,
    /// The labels of the calls it answers for besides its name (`tags`).
    tags: Vec<W<String>>,
}

/// How many assets a workload makes a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volume {
    PerMonth(u64),
    Users { users: u64, per_user: u64 },
}

impl Volume {
    /// Assets a month.
    pub fn assets(self) -> Result<u64, Overflow> {
        match self {
            Volume::PerMonth(n) => Ok(n),
            Volume::Users { users, per_user } => {
                users.checked_mul(per_user).ok_or(Overflow::TooLarge)
            }
        }
    }
}

/// How a plan read from standard input is named.
const STDIN: &str = "<stdin>";

/// Growth is a percentage between these, inclusive (docs/formats.md, "Plans").
const GROWTH_MIN: Decimal = Decimal::NEGATIVE_ONE;
const GROWTH_MAX: Decimal = Decimal::TEN;

impl Plan {
    /// Reads the plan at `arg`, a file or `-` for standard input (named `<stdin>` in
    /// messages; its `rates` is then relative to the working directory), keeping what
    /// is wrong with it to report with [`Plan::compile`]'s findings, in one run. Only a
    /// file that cannot be read is an error here.
    pub fn read(arg: &str) -> UserResult<Plan> {
        let text = crate::input::file_or_stdin(arg, "plan")?;
        let file = if arg == "-" { STDIN } else { arg };
        let mut problems = Diagnostics::default();
        let mut plan = read(&text, file, &mut problems);
        plan.problems = problems;
        Ok(plan)
    }

    /// Reads a plan from its text as [`Plan::read`] reads a file: what is wrong with it
    /// is reported with [`Plan::compile`]'s findings. `file` names it in messages.
    pub fn read_text(text: &str, file: &str) -> Plan {
        let mut problems = Diagnostics::default();
        let mut plan = read(text, file, &mut problems);
        plan.problems = problems;
        plan
    }

    /// Reads a plan from its text and checks everything that needs no rate card; `file`
    /// names it in messages and anchors its `rates`.
    pub fn parse(text: &str, file: &str) -> UserResult<Plan> {
        let mut diags = Diagnostics::default();
        let plan = read(text, file, &mut diags);
        if diags.is_empty() {
            Ok(plan)
        } else {
            Err(plan.error(diags))
        }
    }

    /// Resolves every workload's pipeline against `card`: the steps to price, one list
    /// per workload. Every problem of the plan is reported at once: what reading found,
    /// and every unknown or discontinued service, each pointed at in the file.
    pub fn compile<'c>(&self, card: &'c RateCard) -> UserResult<Vec<Vec<Step<'c>>>> {
        let mut diags = self.problems.clone();
        let mut out = Vec::with_capacity(self.workloads.len());
        for w in &self.workloads {
            match crate::pipeline::resolve_all(card, &w.pipeline) {
                Ok(steps) => out.push(steps),
                Err(errors) => {
                    for e in errors {
                        w.report(e, &mut diags);
                    }
                }
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(self.error(diags))
        }
    }

    /// How reports name the plan.
    pub fn info(&self) -> PlanInfo {
        PlanInfo {
            name: self.name.clone(),
            file: self.file.clone(),
        }
    }

    /// An error about a figure of workload `w` (its volume grown, its cost), at `at` in
    /// the file (the volume, or the growth), as every other plan error is.
    pub(crate) fn figure_error(
        &self,
        at: At,
        message: String,
        hints: Vec<String>,
    ) -> crate::error::UserError {
        let mut diags = Diagnostics::default();
        diags.push_detailed(at, message, Vec::new(), hints);
        self.error(diags)
    }

    /// The error listing `diags`, each at its place in the plan file.
    fn error(&self, diags: Diagnostics) -> crate::error::UserError {
        Files {
            own: (&self.file, &self.text),
            base: None,
        }
        .error("plan", diags)
    }
}

impl Workload {
    /// The labels of the calls set against this workload in a log: its name, then its
    /// `tags`, as written (matched in any case).
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.tags.iter().map(|t| t.v.as_str()))
    }

    /// A problem in the pipeline, at the bad step in the file, with the expression and a
    /// caret under it.
    fn report(&self, e: ParseError, diags: &mut Diagnostics) {
        let at = match self.expression_offset {
            Some(offset) => At::new(
                self.expression_at.file,
                offset + e.span.start..offset + e.span.end,
            ),
            None => self.expression_at,
        };
        let detail = e.caret(&self.expression);
        diags.push_detailed(
            at,
            format!("workload '{}': {}", self.name, e.message),
            detail,
            e.hints,
        );
    }
}

/// Reads and checks a plan, recording every problem.
fn read(text: &str, file: &str, diags: &mut Diagnostics) -> Plan {
    let doc = document::parse(text, File::Own, diags);
    let top = Reader::new(doc.get_ref(), File::Own, "the plan");
    let start = At::new(File::Own, 0..0);

    let name = top.string("name", diags).map_or_else(
        || {
            Path::new(file)
                .file_stem()
                .map_or_else(|| "plan".to_owned(), |s| s.to_string_lossy().into_owned())
        },
        |w| w.v,
    );
    let budget_usd = top.number("budget-usd", diags).and_then(|w| {
        if w.v <= Decimal::ZERO {
            diags.push(
                w.at,
                format!(
                    "budget-usd must be greater than zero, got {}",
                    money::decimal_plain(w.v)
                ),
            );
            return None;
        }
        Some(w.v)
    });
    let rates = top
        .string("rates", diags)
        .and_then(|w| rates_path(file, &w, diags));
    let start_month = labels::start(&top, diags);

    let tables = top.tables("workloads", diags);
    let wrong_type = top
        .get("workloads")
        .is_some_and(|v| !matches!(v.get_ref(), toml::de::DeValue::Array(_)));
    if tables.is_empty() && !wrong_type {
        diags.push(
            start,
            "the plan has no workloads; add at least one [[workloads]] table with a name, a pipeline and per-month",
        );
    }
    let mut workloads: Vec<Workload> = Vec::with_capacity(tables.len());
    // Lower-cased name → where it was first written.
    let mut names: HashMap<String, At> = HashMap::new();
    let mut with_tags = Vec::with_capacity(tables.len());
    for (t, at) in tables {
        let (name, workload) = read_workload(&top, t, at, text, diags);
        if let (Some(name), Some(w)) = (&name, &workload) {
            with_tags.push((name.clone(), w.tags.clone()));
        }
        if let Some(name) = name {
            match names.entry(name.v.to_lowercase()) {
                Entry::Occupied(first) => {
                    let (line, _) = line_col(text, first.get().start);
                    diags.push(
                        name.at,
                        format!(
                            "duplicate workload name '{}' (line {line} has it); workloads are matched by name",
                            name.v
                        ),
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert(name.at);
                }
            }
        }
        workloads.extend(workload);
    }
    let labelled: Vec<_> = with_tags.iter().map(|(n, t)| (n, t.as_slice())).collect();
    labels::check_unique(&labelled, text, diags);
    top.finish(diags);
    Plan {
        name,
        file: file.to_owned(),
        budget_usd,
        rates,
        start: start_month,
        workloads,
        text: text.to_owned(),
        problems: Diagnostics::default(),
    }
}

/// A workload's name (for the duplicate check, even when the rest is wrong) and the
/// workload, when all of it reads.
fn read_workload(
    top: &Reader<'_, '_>,
    t: &toml::de::DeTable<'_>,
    at: At,
    text: &str,
    diags: &mut Diagnostics,
) -> (Option<W<String>>, Option<Workload>) {
    let r = top.child(t, "a [[workloads]] table");
    let id = r.string("name", diags);
    let what = id.as_ref().map_or_else(
        || "a [[workloads]] table".to_owned(),
        |n| format!("workload '{}'", n.v),
    );
    let r = r.named(what);
    let Some(name) = id else {
        if !r.written().contains(&"name") {
            diags.push(
                at,
                "a [[workloads]] table has no `name`; every workload needs one",
            );
        }
        // The rest is still read, so that every problem is reported in one run.
        let _ = read_workload_body(
            &r,
            &W {
                v: String::new(),
                at,
            },
            text,
            &mut Diagnostics::default(),
        );
        r.finish(diags);
        return (None, None);
    };
    let workload = read_workload_body(&r, &name, text, diags);
    r.finish(diags);
    (Some(name), workload)
}

/// Everything of a workload but its name.
fn read_workload_body(
    r: &Reader<'_, '_>,
    name: &W<String>,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Workload> {
    let pipeline = r.string("pipeline", diags);
    if pipeline.is_none() && !r.written().contains(&"pipeline") {
        diags.push(
            name.at,
            format!(
                "workload '{}' has no pipeline; add pipeline = \"core\" (any workflow expression)",
                name.v
            ),
        );
    }
    let volume = volume(r, name, diags);
    let tags = labels::tags(r, &name.v, diags);
    let growth_at = r.get("growth").map(|v| r.at(v));
    let growth = match r.get("growth") {
        Some(v) if !v.get_ref().is_str() => {
            diags.push(
                r.at(v),
                format!(
                    "growth of workload '{}' is a percentage in quotes, such as growth = \"10%\"",
                    name.v
                ),
            );
            None
        }
        _ => r.string("growth", diags).and_then(|w| growth(&w, diags)),
    };

    let pipeline = pipeline?;
    let expression_offset = verbatim_offset(text, &pipeline);
    let mut workload = Workload {
        name: name.v.clone(),
        pipeline: Workflow { steps: Vec::new() },
        expression: pipeline.v.clone(),
        expression_at: pipeline.at,
        expression_offset,
        volume: Volume::PerMonth(0),
        volume_at: name.at,
        growth,
        growth_at,
        tags,
    };
    // The pipeline is checked even when the volume is wrong: every problem, one run.
    match workflow::parse(&pipeline.v) {
        Ok(parsed) => workload.pipeline = parsed,
        Err(e) => {
            workload.report(e, diags);
            return None;
        }
    }
    // A wrong volume is already recorded, so the plan is never priced; the workload
    // stays so that compiling checks its services too.
    if let Some((v, at)) = volume {
        workload.volume = v;
        workload.volume_at = at;
    }
    Some(workload)
}

/// `per-month`, or `users` × `per-user`: exactly one of the two, and where it is written.
fn volume(r: &Reader<'_, '_>, name: &W<String>, diags: &mut Diagnostics) -> Option<(Volume, At)> {
    let per_month = r.quantity("per-month", diags);
    let users = r.quantity("users", diags);
    let per_user = r.quantity("per-user", diags);
    let written = r.written();
    let has = |k: &str| written.contains(&k);
    match (per_month, users, per_user) {
        (Some(p), None, None) => Some((Volume::PerMonth(p.v), p.at)),
        (None, Some(u), Some(k)) if u.v.checked_mul(k.v).is_none() => {
            diags.push_detailed(
                u.at,
                format!(
                    "workload '{}': users × per-user = {} × {} is more assets a month than stabcost can count (at most {})",
                    name.v,
                    money::count_display(u.v),
                    money::count_display(k.v),
                    money::count_display(u64::MAX)
                ),
                Vec::new(),
                vec!["lower users or per-user".into()],
            );
            None
        }
        (None, Some(u), Some(k)) => Some((
            Volume::Users {
                users: u.v,
                per_user: k.v,
            },
            u.at,
        )),
        (Some(p), _, _) if has("users") || has("per-user") => {
            diags.push(
                p.at,
                format!(
                    "workload '{}' gives both per-month and users; keep one (users × per-user is a volume too)",
                    name.v
                ),
            );
            None
        }
        (None, Some(u), None) if !has("per-user") => {
            diags.push(
                u.at,
                format!(
                    "workload '{}' gives users without per-user; add per-user = K",
                    name.v
                ),
            );
            None
        }
        (None, None, Some(k)) if !has("users") => {
            diags.push(
                k.at,
                format!(
                    "workload '{}' gives per-user without users; add users = U",
                    name.v
                ),
            );
            None
        }
        _ if !has("per-month") && !has("users") && !has("per-user") => {
            diags.push(
                name.at,
                format!(
                    "workload '{}' has no volume; add per-month = N, or users = U with per-user = K",
                    name.v
                ),
            );
            None
        }
        // A volume was written but is unreadable: it has its own diagnostic.
        _ => None,
    }
}

/// A growth fraction as the percentage a plan writes, exactly: `0.1` is `10`. Growth is
/// read between -100% and 1000%, so the product always fits.
pub fn growth_percent(rate: Decimal) -> String {
    money::decimal_plain(money::mul(rate, Decimal::ONE_HUNDRED).unwrap_or(rate))
}

/// `"10%"` as the fraction `0.1`, between -100% and +1000%.
fn growth(w: &W<String>, diags: &mut Diagnostics) -> Option<Decimal> {
    let t = w.v.trim();
    let Some(number) = t.strip_suffix('%') else {
        diags.push(
            w.at,
            format!("growth '{t}' is not a percentage; write it with a %, such as \"10%\""),
        );
        return None;
    };
    let percent = match number::parse_decimal(number) {
        Ok(p) => p,
        Err(e) => {
            diags.push(w.at, format!("growth {e}"));
            return None;
        }
    };
    let Some(rate) = percent.checked_div(Decimal::ONE_HUNDRED) else {
        diags.push(w.at, format!("growth '{t}' is far too large"));
        return None;
    };
    if rate < GROWTH_MIN || rate > GROWTH_MAX {
        diags.push(
            w.at,
            format!("growth '{t}' is outside -100% to 1000% a month"),
        );
        return None;
    }
    Some(rate.normalize())
}

/// The plan's `rates`, relative to the plan file's folder; it must exist.
fn rates_path(file: &str, w: &W<String>, diags: &mut Diagnostics) -> Option<PathBuf> {
    let base = if file == STDIN {
        Path::new(".")
    } else {
        Path::new(file).parent().unwrap_or(Path::new("."))
    };
    let path = base.join(&w.v);
    if path.is_file() {
        return Some(path);
    }
    let shown = path.display();
    let why = if path.exists() {
        "is not a file"
    } else {
        "does not exist"
    };
    diags.push(
        w.at,
        format!(
            "rate card '{}' {why} (the path is relative to the plan: {shown})",
            w.v
        ),
    );
    None
}

/// Where a string's characters start in the file, when the TOML string holds them as
/// written: `"core + ultar"` with no escapes.
fn verbatim_offset(text: &str, w: &W<String>) -> Option<usize> {
    let raw = text.get(w.at.start..w.at.end)?;
    let quote = raw.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
    (inner == w.v).then_some(w.at.start + 1)
}

//! `stabcost usage`: what real API calls cost, from their logs (README, "Usage: what
//! real calls cost").
//!
//! One concept per file:
//! - `open`: opening logs (`-`, files, gzip); `source`: the shared input, cut into
//!   chunks of whole records; `read`: its worker threads;
//! - `chunk`: the records of a chunk, read by the log's kind and handed to a tally;
//! - `lines` (a pure line splitter), `json`, `csv`, `clf`: the readers of each kind;
//! - `fields`: the names a record's fields go by; `time`: a logged time to its day;
//! - `catalog`: what a call was, by the cards in play, and which card prices a day;
//! - `tally`: accounting, one record at a time, into counts per group;
//! - `price`: the counts priced exactly, once per group, into rows;
//! - `actual`: a plan set against the priced calls, the month-end forecast, the
//!   credits' runway and the spikes, from the calls per day, tag and service;
//! - `whatif`: what the calls would have cost on other services, under another card,
//!   reusing repeated prompts, and the guide's levers;
//! - `progress`: the progress bar for large inputs.
//!
//! Every record is accounted for: the counts of [`Usage`] add up to the records read.

pub mod actual;
mod catalog;
mod chunk;
mod clf;
mod csv;
mod fields;
mod hash;
mod json;
/// What `crate::fuzzing` re-exports, with the `fuzzing` feature.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::json::Keys;
    pub use super::json::oracle::differential;
}
mod lines;
mod open;
mod price;
#[cfg(feature = "cli")]
mod progress;
/// Without the terminal (the `cli` feature), there is never a progress bar.
#[cfg(not(feature = "cli"))]
mod progress {
    pub(crate) struct Progress;

    #[allow(
        clippy::unused_self,
        reason = "the same calls as the terminal's progress bar, which does use itself"
    )]
    impl Progress {
        pub(crate) fn new(_size: Option<u64>) -> Option<Progress> {
            None
        }
        pub(crate) fn update(&mut self, _read: u64) {}
        pub(crate) fn finish(self) {}
    }
}
mod read;
mod result;
mod source;
mod tally;
mod time;
mod values;
pub mod whatif;

use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::rates::RateCard;
pub use open::{Input, Kind};
pub use result::{Accounting, Cards, Row, Spend, Usage};
pub use source::MAX_RECORD;

/// What a report's rows are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    Day,
    /// ISO 8601 week.
    Week,
    Month,
    Service,
    /// The API path a call matched.
    Endpoint,
    Tag,
    Status,
}

impl GroupKey {
    /// The column's header for people.
    pub fn header(self) -> &'static str {
        match self {
            GroupKey::Day => "Day",
            GroupKey::Week => "Week",
            GroupKey::Month => "Month",
            GroupKey::Service => "Service",
            GroupKey::Endpoint => "Endpoint",
            GroupKey::Tag => "Tag",
            GroupKey::Status => "Status",
        }
    }

    /// The name `--group-by` and the JSON keys use.
    pub fn name(self) -> &'static str {
        match self {
            GroupKey::Day => "day",
            GroupKey::Week => "week",
            GroupKey::Month => "month",
            GroupKey::Service => "service",
            GroupKey::Endpoint => "endpoint",
            GroupKey::Tag => "tag",
            GroupKey::Status => "status",
        }
    }
}

/// How to read and group the logs. `Options::default()` reads standard input as
/// JSONL, grouped by service, as plain `usage` does.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files, or `-` for standard input.
    pub logs: Vec<String>,
    /// The kind of every log, instead of each file's extension.
    pub input: Option<Kind>,
    pub group_by: Vec<GroupKey>,
    /// The grouping label's field, instead of `tag`, `feature` and `user`.
    pub tag_field: Option<String>,
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// The model of calls to a shared endpoint (sd3) that name none.
    pub sd3_model: Option<String>,
    /// Worker threads; `None`: the cores, at most 4.
    pub threads: Option<usize>,
    /// Whether a progress bar may be drawn (standard error is a terminal).
    pub progress: bool,
    /// Each worker's buffer in bytes; `None`: 1 MiB. Tests make it tiny, so that
    /// records straddle chunks.
    pub buffer: Option<usize>,
    /// Also count the calls per day, tag and service ([`Usage::daily`]), whatever
    /// `group_by` says: what a plan is set against, and what finds spikes.
    pub daily: bool,
    /// What the calls would have cost ([`Usage::what_if`]); `None`: plain `usage`.
    pub what_if: Option<whatif::Ask>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            logs: vec!["-".to_owned()],
            input: None,
            group_by: vec![GroupKey::Service],
            tag_field: None,
            since: None,
            until: None,
            sd3_model: None,
            threads: None,
            progress: false,
            buffer: None,
            daily: false,
            what_if: None,
        }
    }
}

/// The cards that price the calls.
#[derive(Debug, Clone)]
pub enum Pricing {
    /// Every built-in card, each call priced by the card in force on its day.
    ByDay(Vec<RateCard>),
    /// One card for every call (`--rates`, `--as-of`).
    Fixed(Box<RateCard>),
}

/// Reads `opts.logs` and prices every call.
pub fn run(pricing: Pricing, opts: &Options) -> anyhow::Result<Usage> {
    check(opts)?;
    // Opening every log first: a typo in the last name fails before any work.
    let inputs = opts
        .logs
        .iter()
        .map(|l| open::open(l, opts.input))
        .collect::<UserResult<Vec<_>>>()?;
    run_inputs(pricing, opts, inputs)
}

/// The options' mistakes, found before any log is opened.
fn check(opts: &Options) -> UserResult<()> {
    if let (Some(s), Some(u)) = (opts.since, opts.until) {
        if s > u {
            return Err(UserError::new(format!("--since {s} is after --until {u}"))
                .hint("--since and --until are the first and last days counted"));
        }
    }
    if let Some(name) = &opts.tag_field {
        if fields::Fields::is_reserved(name) {
            return Err(UserError::new(format!(
                "--tag-field '{name}' names a field stabcost already reads"
            ))
            .hint("--group-by takes service, endpoint and status directly"));
        }
        if !opts.group_by.contains(&GroupKey::Tag) && !opts.daily {
            return Err(UserError::new(format!(
                "--tag-field '{name}' says which field to group by, but --group-by has no 'tag'"
            ))
            .hint(format!("add it: --group-by {},tag", names(&opts.group_by))));
        }
    }
    if let Some(ask) = &opts.what_if {
        check_prompt_field(ask, opts.tag_field.as_deref())?;
        if !(1..=whatif::MAX_WINDOW).contains(&ask.reuse_window) {
            return Err(UserError::new(format!(
                "a reuse window of {} days: it takes 1 to {} days",
                ask.reuse_window,
                whatif::MAX_WINDOW
            ))
            .hint("1 counts only the calls of the same day as repeats"));
        }
    }
    Ok(())
}

/// `--prompt-field`'s mistakes: a field stabcost reads for something else.
fn check_prompt_field(ask: &whatif::Ask, tag_field: Option<&str>) -> UserResult<()> {
    let Some(name) = &ask.prompt_field else {
        if let Some(tag) = tag_field.filter(|t| fields::PROMPT_NAMES.contains(t)) {
            return Err(UserError::new(format!(
                "--tag-field '{tag}' names a field the reuse figure reads as the prompt"
            ))
            .hint("name the prompt's field with --prompt-field, or group by another field"));
        }
        return Ok(());
    };
    if fields::Fields::is_reserved(name) || fields::NAMES.contains(&name.as_str()) {
        return Err(UserError::new(format!(
            "--prompt-field '{name}' names a field stabcost already reads"
        ))
        .hint("it names the field that holds a call's prompt or its hash, such as prompt_sha256"));
    }
    if tag_field == Some(name.as_str()) {
        return Err(
            UserError::new(format!("--prompt-field and --tag-field both name '{name}'"))
                .hint("a call's label and its prompt are two fields"),
        );
    }
    Ok(())
}

/// Reads `inputs` (in order) and prices every call.
pub fn run_inputs(pricing: Pricing, opts: &Options, inputs: Vec<Input>) -> anyhow::Result<Usage> {
    let mut inputs = inputs.into_iter();
    run_each(pricing, opts, &mut || Ok(inputs.next()))
}

/// Reads the logs `next` hands over, one at a time until it returns `None`, and prices
/// every call: a log is asked for only once the one before it is read (uploads in one
/// request body, streamed).
pub fn run_each(
    pricing: Pricing,
    opts: &Options,
    next: &mut dyn FnMut() -> anyhow::Result<Option<Input>>,
) -> anyhow::Result<Usage> {
    check(opts)?;
    let (cards, by_day) = match pricing {
        Pricing::ByDay(cards) => (cards, true),
        Pricing::Fixed(card) => (vec![*card], false),
    };
    let mut cat = catalog::Catalog::new(cards, by_day)?;
    if let Some(model) = &opts.sd3_model {
        cat.set_default_model(model)?;
    }
    let resolved = opts
        .what_if
        .as_ref()
        .map(|ask| whatif::resolve(&cat, ask))
        .transpose()?;
    let day = |d: Option<Date>| d.and_then(|d| i32::try_from(d.days()).ok());
    let threads = opts
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .min(4)
        })
        .max(1);
    let prompt = match &opts.what_if {
        None => fields::Prompt::Off,
        Some(whatif::Ask {
            prompt_field: Some(name),
            ..
        }) => fields::Prompt::Field(name.as_bytes().into()),
        Some(_) => fields::Prompt::Default,
    };
    let plan = tally::Plan {
        fields: fields::Fields::new(opts.tag_field.as_deref()).with_prompt(prompt),
        // The what-if figures need each call's day: the days a service was sold, the
        // months of the levers, the reuse window.
        by_time: opts.daily
            || opts.what_if.is_some()
            || opts
                .group_by
                .iter()
                .any(|g| matches!(g, GroupKey::Day | GroupKey::Week | GroupKey::Month)),
        by_endpoint: opts.group_by.contains(&GroupKey::Endpoint),
        by_tag: opts.daily || opts.group_by.contains(&GroupKey::Tag),
        by_status: opts.group_by.contains(&GroupKey::Status),
        since: day(opts.since),
        until: day(opts.until),
        reuse: opts
            .what_if
            .as_ref()
            .map(|ask| whatif::reuse::share(threads, ask.reuse_limit)),
    };
    let mut workers: Vec<_> = (0..threads)
        .map(|_| chunk::Worker::new(tally::Tally::new(&cat, &plan)))
        .collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while let Some(input) = next()? {
        let name = input.name.clone();
        let mut found = read::read(
            input,
            i,
            &plan.fields,
            &mut workers,
            opts.progress,
            opts.buffer.unwrap_or(source::BUFFER),
        )?;
        found.sort_unstable();
        lines.extend(found.into_iter().map(|(_, line)| (name.clone(), line)));
        i += 1;
    }
    lines.truncate(tally::MALFORMED_SHOWN);
    let mut tallies: Vec<tally::Tally<'_>> = workers.into_iter().map(|w| w.tally).collect();
    let trackers: Vec<_> = tallies.iter_mut().filter_map(|t| t.reuse.take()).collect();
    let (mut usage, groups) = price::settle(
        &cat,
        &opts.group_by,
        opts.daily,
        opts.what_if.is_some(),
        tallies,
        lines,
    )?;
    if let (Some(ask), Some(resolved)) = (&opts.what_if, &resolved) {
        usage.what_if = Some(whatif::settle(&cat, ask, resolved, &groups, trackers)?);
    }
    Ok(usage)
}

/// `a,b,c`.
fn names(groups: &[GroupKey]) -> String {
    groups
        .iter()
        .map(|g| g.name())
        .collect::<Vec<_>>()
        .join(",")
}

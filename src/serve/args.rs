//! The request-to-arguments layer: a page's fields are the command's long flags and
//! arguments (`/quote?service=ultra&count=2000` is `stabcost quote ultra --count 2000`),
//! so a request becomes a command line that clap parses exactly as it parses the CLI's,
//! into the same arguments, requests and messages. Only the fields listed here pass:
//! none names a file on the server (`--rates`, `--base-rates` and plans are uploads),
//! none reads standard input (`-`).

use crate::cli::Cli;

/// A page of the calculator: a subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Quote,
    Workflow,
    Compare,
    Rates,
    Plan,
    Diff,
    Usage,
}

/// How a field becomes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The command's own argument (`quote SERVICE`, `workflow EXPR`).
    Positional,
    /// `--name=VALUE`.
    Value,
    /// `--name=DATE`; a date, where the command line also takes a file.
    Date,
    /// `--name` when ticked.
    Flag,
    /// `--name` (ticked: the card's sign-up bonus) or `--name=N`.
    Bonus,
    /// One of these values, as `--name=VALUE`.
    Choice(&'static [&'static str]),
    /// `--name=A,B`: each value given once, in order (`group-by`).
    Keys(&'static [&'static str]),
    /// A file's text: uploaded or pasted (a plan, a card), never an argument.
    Text,
    /// Logs, uploaded and streamed.
    Logs,
}

/// One field of a page's form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The long flag's name, and the query parameter's.
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) kind: Kind,
    /// A line under the input: what it takes.
    pub(crate) help: &'static str,
    /// An example value, shown in an empty input.
    pub(crate) example: &'static str,
}

const fn field(
    name: &'static str,
    label: &'static str,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Field {
    Field {
        name,
        label,
        kind,
        help,
        example,
    }
}

const AS_OF: Field = field(
    "as-of",
    "Prices as of",
    Kind::Date,
    "The built-in card in force on this day (YYYY-MM-DD); empty: today's",
    "2025-07-01",
);
const FREE: Field = field(
    "free-credits",
    "Free credits",
    Kind::Bonus,
    "Credits to spend before buying packs: a number, or 'bonus' for the sign-up bonus",
    "bonus",
);
const COUNT: Field = field(
    "count",
    "Count",
    Kind::Value,
    "How many; digits may be grouped, as in 15,000",
    "2000",
);
const STEPS: Field = field(
    "steps",
    "Diffusion steps",
    Kind::Value,
    "For step-scaled models such as sdxl",
    "50",
);
const CARD: Field = field(
    "rates",
    "Your rate card (optional)",
    Kind::Text,
    "A TOML card, such as one with extends = \"built-in\" and your negotiated prices",
    "",
);

/// What `group-by` takes.
pub(crate) const GROUP_KEYS: &[&str] = &[
    "service", "day", "week", "month", "endpoint", "tag", "status",
];

const QUOTE: &[Field] = &[
    field(
        "service",
        "Service",
        Kind::Positional,
        "An id or alias, such as ultra, core or sd35-large",
        "ultra",
    ),
    COUNT,
    STEPS,
    FREE,
    AS_OF,
];

const WORKFLOW: &[Field] = &[
    field(
        "expr",
        "Pipeline",
        Kind::Positional,
        "Steps joined by +, each SERVICE[@STEPS][*MULT], such as core*6+rmbg+upscale-conservative",
        "core+rmbg+upscale-conservative",
    ),
    field(
        "count",
        "Assets",
        Kind::Value,
        "Finished assets; digits may be grouped",
        "100",
    ),
    STEPS,
    FREE,
    AS_OF,
];

const COMPARE: &[Field] = &[
    field(
        "images",
        "Images",
        Kind::Value,
        "How many images; or users and images per user; or a budget",
        "15000",
    ),
    field(
        "users",
        "Users",
        Kind::Value,
        "Users, each making the images per user",
        "500",
    ),
    field(
        "per-user",
        "Images per user",
        Kind::Value,
        "With users",
        "30",
    ),
    field(
        "budget",
        "Budget (USD)",
        Kind::Value,
        "Instead of a volume: what this many dollars buy on each model",
        "100",
    ),
    field(
        "with",
        "After each image",
        Kind::Value,
        "Steps after each generation, such as rmbg+upscale-conservative",
        "rmbg",
    ),
    STEPS,
    field(
        "gpu-hourly",
        "GPU per hour (USD)",
        Kind::Value,
        "To self-host the open weights: a GPU's price an hour",
        "2.50",
    ),
    field(
        "gpu-monthly",
        "GPU per month (USD)",
        Kind::Value,
        "A dedicated GPU's price for 30 days: GPUs needed and break-even volumes",
        "1800",
    ),
    field(
        "seconds-per-image",
        "GPU seconds per image",
        Kind::Value,
        "With a GPU price",
        "4",
    ),
    AS_OF,
];

const RATES: &[Field] = &[
    field(
        "category",
        "Category",
        Kind::Choice(&crate::rates::Category::NAMES),
        "Only this category's services",
        "",
    ),
    field(
        "history",
        "The built-in cards",
        Kind::Flag,
        "Every built-in card and the days it was in force",
        "",
    ),
    field(
        "changes",
        "Price changes",
        Kind::Flag,
        "Every price that changed between built-in cards",
        "",
    ),
    field(
        "since",
        "Changes since",
        Kind::Date,
        "With price changes: only those from this day on",
        "2025-01-01",
    ),
    field(
        "against",
        "Against the card of",
        Kind::Date,
        "With price changes: the card in use against the built-in card in force on this day",
        "2025-07-01",
    ),
    AS_OF,
];

const PLAN: &[Field] = &[
    field(
        "plan",
        "Plan",
        Kind::Text,
        "A plan file (TOML: docs/formats.md), uploaded or pasted",
        "",
    ),
    field(
        "months",
        "Forecast months",
        Kind::Value,
        "1 to 120: each workload's volume grown by its growth",
        "12",
    ),
    field(
        "budget",
        "Monthly budget (USD)",
        Kind::Value,
        "Instead of the plan's budget-usd",
        "250",
    ),
    CARD,
];

const DIFF: &[Field] = &[
    field(
        "base",
        "Base plan",
        Kind::Text,
        "The plan before the change",
        "",
    ),
    field(
        "head",
        "Head plan",
        Kind::Text,
        "The plan after it; none: the base under two cards",
        "",
    ),
    field(
        "base-as-of",
        "Base prices as of",
        Kind::Date,
        "Price the base with the built-in card in force on this day",
        "2025-07-01",
    ),
    field(
        "max-increase",
        "Largest increase",
        Kind::Value,
        "Dollars (100) or a percentage (10%): the answer says when the total grows more",
        "10%",
    ),
    field(
        "base-rates",
        "Base rate card (optional)",
        Kind::Text,
        "The card to price the base with",
        "",
    ),
    CARD,
];

const USAGE: &[Field] = &[
    field(
        "group-by",
        "Rows by",
        Kind::Keys(GROUP_KEYS),
        "One row for each value of these keys",
        "",
    ),
    field(
        "since",
        "Since",
        Kind::Date,
        "Only calls on or after this day (UTC)",
        "2026-01-01",
    ),
    field(
        "until",
        "Until",
        Kind::Date,
        "Only calls on or before this day (UTC)",
        "2026-01-31",
    ),
    field(
        "input",
        "Log kind",
        Kind::Choice(&["jsonl", "csv", "clf"]),
        "What the logs hold, instead of what their names say",
        "",
    ),
    field(
        "tag-field",
        "Tag field",
        Kind::Value,
        "The field that labels a call for rows by tag",
        "feature",
    ),
    field(
        "sd3-model",
        "Model of sd3 calls",
        Kind::Value,
        "For calls to the shared sd3 endpoint that name none: sd3.5-large, sd3.5-medium…",
        "sd3.5-medium",
    ),
    CARD,
    field(
        "log",
        "Logs",
        Kind::Logs,
        "JSONL, CSV or Common Log Format, .gz too; streamed, never kept",
        "",
    ),
];

impl Route {
    /// Every page, in the order the index lists them.
    pub(crate) const ALL: [Route; 7] = [
        Route::Quote,
        Route::Workflow,
        Route::Compare,
        Route::Plan,
        Route::Diff,
        Route::Usage,
        Route::Rates,
    ];

    /// The subcommand, and the page's path without its `/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Route::Quote => "quote",
            Route::Workflow => "workflow",
            Route::Compare => "compare",
            Route::Rates => "rates",
            Route::Plan => "plan",
            Route::Diff => "diff",
            Route::Usage => "usage",
        }
    }

    /// The page at `path`.
    pub(crate) fn at(path: &str) -> Option<Route> {
        let name = path.strip_prefix('/')?.trim_end_matches('/');
        Route::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the page's form is posted (it uploads files).
    pub(crate) fn posts(self) -> bool {
        matches!(self, Route::Plan | Route::Diff | Route::Usage)
    }

    /// The page's fields, in the form's order.
    pub(crate) fn fields(self) -> &'static [Field] {
        match self {
            Route::Quote => QUOTE,
            Route::Workflow => WORKFLOW,
            Route::Compare => COMPARE,
            Route::Rates => RATES,
            Route::Plan => PLAN,
            Route::Diff => DIFF,
            Route::Usage => USAGE,
        }
    }

    /// The field `name`.
    pub(crate) fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// A title for people.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Route::Quote => "Quote",
            Route::Workflow => "Workflow",
            Route::Compare => "Compare",
            Route::Rates => "Rates",
            Route::Plan => "Plan",
            Route::Diff => "Diff",
            Route::Usage => "Usage",
        }
    }

    /// What the page answers, for the index.
    pub(crate) fn about(self) -> &'static str {
        match self {
            Route::Quote => "N calls of one service, with the top-up packs to buy",
            Route::Workflow => "A per-asset pipeline such as core+rmbg+upscale-conservative",
            Route::Compare => {
                "Every model at a volume or a budget, with self-hosting and user-pays routes"
            }
            Route::Rates => "The rate card, its history and its price changes",
            Route::Plan => "A monthly plan of several workloads against a budget, uploaded",
            Route::Diff => "What a change to a plan, or to the prices, does to the bill",
            Route::Usage => "What the calls in your logs cost, uploaded and streamed",
        }
    }
}

/// A request that is not a command line, for the form (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem(pub(crate) String);

/// Whether a ticked box's value means yes.
fn ticked(name: &str, value: &str) -> Result<bool, Problem> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => Ok(true),
        "0" | "off" | "no" | "false" => Ok(false),
        _ => Err(Problem(format!(
            "error: {name}={value} is neither 1 nor 0\nhint: {name}=1 (or on) asks for it"
        ))),
    }
}

/// The command line that `params` stand for on `route`: the flags of its fields, in
/// the order given (an empty value is a field left empty). Text and log fields are the
/// caller's (uploads), and `format` is the answer's: both are left out here.
pub(crate) fn argv(route: Route, params: &[(String, String)]) -> Result<Vec<String>, Problem> {
    let mut flags = Vec::new();
    let mut positional = None;
    let mut keys: Vec<String> = Vec::new();
    for (name, value) in params {
        if name == "format" {
            continue;
        }
        let Some(f) = route.field(name) else {
            let names: Vec<&str> = route.fields().iter().map(|f| f.name).collect();
            return Err(Problem(format!(
                "error: /{} has no field '{}'\nhint: its fields are {}, and format",
                route.name(),
                crate::text::echo(name),
                names.join(", ")
            )));
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match f.kind {
            Kind::Text | Kind::Logs => {}
            Kind::Positional => positional = Some(no_stdin(f, value)?),
            Kind::Flag => {
                if ticked(name, value)? {
                    flags.push(format!("--{name}"));
                }
            }
            Kind::Bonus if value.eq_ignore_ascii_case("bonus") => flags.push(format!("--{name}")),
            Kind::Date => {
                if crate::date::Date::parse(value).is_err() {
                    return Err(Problem(format!(
                        "error: {name} takes a day written YYYY-MM-DD, not '{}'\nhint: such as {}",
                        crate::text::echo(value),
                        f.example
                    )));
                }
                flags.push(format!("--{name}={value}"));
            }
            Kind::Keys(_) => keys.extend(value.split(',').map(|k| k.trim().to_owned())),
            Kind::Value if name == "with" => {
                flags.push(format!("--{name}={}", no_stdin(f, value)?));
            }
            Kind::Value | Kind::Bonus | Kind::Choice(_) => flags.push(format!("--{name}={value}")),
        }
    }
    let mut argv = vec!["stabcost".to_owned(), route.name().to_owned()];
    argv.extend(flags);
    if !keys.is_empty() {
        let mut once: Vec<String> = Vec::new();
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            if !once.contains(&k) {
                once.push(k);
            }
        }
        argv.push(format!("--group-by={}", once.join(",")));
    }
    // The files the command line would read are uploads here: a placeholder stands in.
    match route {
        Route::Plan => argv.push("--".into()),
        Route::Diff => argv.extend(["--".into(), "base".into(), "head".into()]),
        _ => {}
    }
    match (route, positional) {
        (Route::Plan, _) => argv.push("plan".into()),
        (_, Some(p)) => {
            argv.push("--".into());
            argv.push(p.to_owned());
        }
        (_, None) => {}
    }
    Ok(argv)
}

/// `value`, unless it is `-`, which reads standard input on the command line.
fn no_stdin<'v>(f: &Field, value: &'v str) -> Result<&'v str, Problem> {
    if value == "-" {
        return Err(Problem(format!(
            "error: '-' reads standard input on the command line; here, write the {} itself\nhint: such as {}",
            f.label.to_lowercase(),
            f.example
        )));
    }
    Ok(value)
}

/// The command line `argv` parsed as the CLI parses its own; clap's message (without
/// its usage line) when it fails.
pub(crate) fn parse(argv: &[String]) -> Result<Cli, Problem> {
    Cli::parse_args(argv).map_err(|e| {
        let text = e.render().to_string();
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .collect();
        Problem(lines.join("\n").trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_query_is_the_command_line() {
        let argv = argv(
            Route::Quote,
            &p(&[
                ("service", "ultra"),
                ("count", "2,000"),
                ("steps", ""),
                ("format", "csv"),
            ]),
        )
        .unwrap();
        assert_eq!(argv, ["stabcost", "quote", "--count=2,000", "--", "ultra"]);
        let argv = argv_of(
            Route::Usage,
            &[("group-by", "month"), ("group-by", "service,month")],
        );
        assert_eq!(argv, ["stabcost", "usage", "--group-by=month,service"]);
        let argv = argv_of(Route::Rates, &[("changes", "1"), ("history", "0")]);
        assert_eq!(argv, ["stabcost", "rates", "--changes"]);
        let argv = argv_of(
            Route::Workflow,
            &[("expr", "--help"), ("free-credits", "bonus")],
        );
        assert_eq!(
            argv,
            ["stabcost", "workflow", "--free-credits", "--", "--help"]
        );
    }

    fn argv_of(route: Route, pairs: &[(&str, &str)]) -> Vec<String> {
        argv(route, &p(pairs)).unwrap()
    }

    #[test]
    fn no_field_names_a_file_or_standard_input() {
        for (route, pairs) in [
            (Route::Quote, vec![("rates", "/etc/passwd")]),
            (Route::Workflow, vec![("expr", "-")]),
            (Route::Compare, vec![("images", "1"), ("with", "-")]),
            (
                Route::Rates,
                vec![("changes", "1"), ("against", "/etc/passwd")],
            ),
            (Route::Quote, vec![("service", "ultra"), ("history", "1")]),
        ] {
            let e = argv(route, &p(&pairs)).unwrap_err();
            assert!(e.0.starts_with("error: "), "{e:?}");
        }
    }
}

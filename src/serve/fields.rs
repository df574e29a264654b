//! The pages and their fields: each field is a long flag or the argument of the page's
//! command, by the same name, with a label and a line of help for its form. This list
//! is what [`super::args`] lets through to the command line, and what
//! [`super::forms`] draws.

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
    field(
        "plan",
        "Plan to set the calls against (optional)",
        Kind::Text,
        "usage --plan: each workload against the calls tagged with its name, the forecast and the spikes",
        "",
    ),
    field(
        "month",
        "Month against the plan",
        Kind::Value,
        "YYYY-MM; empty: the log's last month",
        "2026-10",
    ),
    field(
        "window",
        "Forecast window (days)",
        Kind::Value,
        "With a plan: the last days the run rate is read from",
        "7",
    ),
    field(
        "budget",
        "Budget against the plan (USD)",
        Kind::Value,
        "With a plan: instead of its budget-usd",
        "250",
    ),
    field(
        "balance",
        "Credit balance",
        Kind::Value,
        "With a plan: the account's credits now, for how long they last",
        "3000",
    ),
    field(
        "spike-factor",
        "Spike factor",
        Kind::Value,
        "A spike is a day above this many times the median of the 14 before it",
        "3",
    ),
    field(
        "what-if",
        "What if (FROM=TO)",
        Kind::Value,
        "usage --what-if: a service's calls priced as another's; several, comma-separated",
        "ultra=core",
    ),
    field(
        "levers",
        "The guide's cost levers",
        Kind::Flag,
        "usage --levers: cheapest model, upscale modes, repeated prompts, bulk, self-hosting",
        "",
    ),
    field(
        "reuse-window",
        "Reuse window (days)",
        Kind::Value,
        "With a what-if: a prompt repeated within this many days counts as a repeat",
        "30",
    ),
    field(
        "prompt-field",
        "Prompt field",
        Kind::Value,
        "With a what-if: the field that holds a prompt or its hash",
        "prompt_hash",
    ),
    field(
        "gpu-monthly",
        "GPU a month (USD)",
        Kind::Value,
        "With the levers: a dedicated GPU's monthly price, for self-hosting",
        "1800",
    ),
    field(
        "seconds-per-image",
        "GPU seconds per image",
        Kind::Value,
        "With a GPU price: the seconds one image takes",
        "4",
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

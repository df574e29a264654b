//! Each page's form, filled in with the request's values, so that an answer's URL
//! opens the same answer with the form that asked for it. Every input has a label and
//! a line of help tied to it; every value from a request is escaped.

use super::fields::{Field, GROUP_KEYS, Kind, Route};
use crate::report::html::escape;
use std::fmt::Write as _;

/// What a form shows besides its fields.
#[derive(Debug, Default)]
pub(crate) struct Filled<'a> {
    /// The request's fields, in order.
    pub(crate) values: &'a [(String, String)],
    /// The text of each file field (a plan, a card) as uploaded or pasted, to fill its
    /// text area again.
    pub(crate) texts: &'a [(String, String)],
    /// What was wrong with the request: the command line's message.
    pub(crate) problem: Option<&'a str>,
    /// The form leads the page (no report follows): its heading is the page's `<h1>`.
    pub(crate) leads: bool,
}

impl Filled<'_> {
    fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn values(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The fields folded under "More options".
const MORE: &[(Route, &str)] = &[
    (Route::Quote, "steps"),
    (Route::Quote, "free-credits"),
    (Route::Quote, "as-of"),
    (Route::Workflow, "steps"),
    (Route::Workflow, "free-credits"),
    (Route::Workflow, "as-of"),
    (Route::Compare, "steps"),
    (Route::Compare, "gpu-hourly"),
    (Route::Compare, "gpu-monthly"),
    (Route::Compare, "seconds-per-image"),
    (Route::Compare, "as-of"),
    (Route::Rates, "since"),
    (Route::Rates, "against"),
    (Route::Rates, "as-of"),
    (Route::Usage, "input"),
    (Route::Usage, "tag-field"),
    (Route::Usage, "sd3-model"),
    (Route::Usage, "plan"),
    (Route::Usage, "month"),
    (Route::Usage, "window"),
    (Route::Usage, "budget"),
    (Route::Usage, "balance"),
    (Route::Usage, "spike-factor"),
    (Route::Usage, "reuse-window"),
    (Route::Usage, "prompt-field"),
    (Route::Usage, "gpu-monthly"),
    (Route::Usage, "seconds-per-image"),
    (Route::Diff, "base-rates"),
];

/// The words on a page's button.
fn action(route: Route) -> &'static str {
    match route {
        Route::Rates => "Show the card",
        Route::Diff => "Compare the plans",
        Route::Usage => "Price the logs",
        _ => "Price it",
    }
}

/// The form of `route`; `services` are the card's ids and names, offered as the
/// service field's suggestions.
pub(crate) fn form(route: Route, filled: &Filled<'_>, services: &[(String, String)]) -> String {
    let mut h = String::new();
    let (method, enctype) = if route.posts() {
        ("post", " enctype=\"multipart/form-data\"")
    } else {
        ("get", "")
    };
    let _ = writeln!(
        h,
        "<form class=\"calc\" method=\"{method}\" action=\"/{}\"{enctype} aria-labelledby=\"form-title\">",
        route.name()
    );
    let tag = if filled.leads { "h1" } else { "h2" };
    let _ = writeln!(h, "<{tag} id=\"form-title\">{}</{tag}>", route.title());
    let _ = writeln!(h, "<p class=\"preface\">{}</p>", escape(route.about()));
    // The problem first, where a phone's screen shows it, above the fields to fix.
    if let Some(problem) = filled.problem {
        let _ = writeln!(
            h,
            "<div class=\"problem\" id=\"problem\" role=\"alert\"><h2>This cannot be priced</h2><pre>{}</pre></div>",
            escape(problem)
        );
    }
    // The fields most answers need; then the others, folded away unless one holds a
    // value; then the card; the logs last (a form's fields come before its files, so
    // the options are known before the first log is read).
    let fields = route.fields();
    let more = |f: &Field| MORE.contains(&(route, f.name));
    let _ = writeln!(h, "<div class=\"fields\">");
    for f in fields
        .iter()
        .filter(|f| !more(f) && f.name != "rates" && f.kind != Kind::Logs)
    {
        field(&mut h, route, f, filled);
    }
    let folded: Vec<&Field> = fields.iter().filter(|f| more(f)).collect();
    if !folded.is_empty() {
        let open = if folded
            .iter()
            .any(|f| !filled.value(f.name).trim().is_empty() || !filled.text(f.name).is_empty())
        {
            " open"
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<details class=\"more\"{open}><summary>More options</summary><div class=\"fields\">"
        );
        for f in folded {
            field(&mut h, route, f, filled);
        }
        let _ = writeln!(h, "</div></details>");
    }
    for f in fields.iter().filter(|f| f.name == "rates") {
        card_field(&mut h, f, filled);
    }
    for f in fields.iter().filter(|f| f.kind == Kind::Logs) {
        field(&mut h, route, f, filled);
    }
    let _ = writeln!(h, "</div>");
    let _ = writeln!(
        h,
        "<div class=\"actions\"><button type=\"submit\">{}</button></div>",
        action(route)
    );
    if route == Route::Quote || route == Route::Workflow || route == Route::Compare {
        let _ = writeln!(h, "<datalist id=\"services\">");
        for (id, name) in services {
            let _ = writeln!(
                h,
                "<option value=\"{}\">{}</option>",
                escape(id),
                escape(name)
            );
        }
        let _ = writeln!(h, "</datalist>");
    }
    let _ = writeln!(h, "</form>");
    h
}

/// The label and help line of field `f`, around `input`.
fn labelled(h: &mut String, f: &Field, class: &str, input: &str) {
    let _ = writeln!(
        h,
        "<div class=\"field{class}\"><label for=\"f-{0}\">{1}</label>{input}<small id=\"h-{0}\">{2}</small></div>",
        f.name,
        escape(f.label),
        escape(f.help)
    );
}

fn field(h: &mut String, route: Route, f: &Field, filled: &Filled<'_>) {
    let name = f.name;
    let value = escape(filled.value(name));
    let described = format!("aria-describedby=\"h-{name}\"");
    match f.kind {
        Kind::Positional | Kind::Value | Kind::Date | Kind::Bonus => {
            let wide = matches!(name, "expr" | "with");
            let list = if matches!(name, "service") {
                " list=\"services\""
            } else {
                ""
            };
            let mode = if matches!(f.kind, Kind::Date) {
                " inputmode=\"numeric\""
            } else {
                ""
            };
            let required = if f.kind == Kind::Positional {
                " required"
            } else {
                ""
            };
            let placeholder = if f.example.is_empty() {
                String::new()
            } else {
                format!(" placeholder=\"e.g. {}\"", escape(f.example))
            };
            let input = format!(
                "<input type=\"text\" id=\"f-{name}\" name=\"{name}\" value=\"{value}\"{placeholder}{list}{mode}{required} autocomplete=\"off\" spellcheck=\"false\" {described}>"
            );
            labelled(h, f, if wide { " wide" } else { "" }, &input);
        }
        Kind::Flag => {
            let checked = if matches!(
                filled.value(name).to_ascii_lowercase().as_str(),
                "1" | "on" | "yes" | "true"
            ) {
                " checked"
            } else {
                ""
            };
            let _ = writeln!(
                h,
                "<div class=\"field\"><div class=\"check\"><input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"1\"{checked} {described}><label for=\"f-{name}\">{}</label></div><small id=\"h-{name}\">{}</small></div>",
                escape(f.label),
                escape(f.help)
            );
        }
        Kind::Choice(choices) => {
            let current = filled.value(name);
            let any = if route == Route::Usage {
                "by its name"
            } else {
                "all"
            };
            let input = select(name, &described, Some(any), choices, current);
            labelled(h, f, "", &input);
        }
        Kind::Keys(keys) => {
            let chosen = filled.values(name);
            let first = chosen.first().copied().unwrap_or("service");
            let second = chosen.get(1).copied().unwrap_or("");
            let input = select(name, &described, None, keys, first);
            labelled(h, f, "", &input);
            let then = Field {
                name: "group-by-2",
                label: "Then by",
                help: "A second key, for rows by both",
                ..*f
            };
            let input = select(
                name,
                "aria-describedby=\"h-group-by-2\"",
                Some("nothing more"),
                GROUP_KEYS,
                second,
            )
            .replace("id=\"f-group-by\"", "id=\"f-group-by-2\"");
            labelled(h, &then, "", &input);
        }
        Kind::Text => {
            let text = escape(filled.text(name));
            let _ = writeln!(
                h,
                "<div class=\"field wide\"><label for=\"f-{name}\">{0}: a file</label><input type=\"file\" id=\"f-{name}\" name=\"{name}\" accept=\".toml,text/plain\" {described}><label for=\"f-{name}-text\">or its text</label><textarea id=\"f-{name}-text\" name=\"{name}\" rows=\"10\" spellcheck=\"false\" {described}>{text}</textarea><small id=\"h-{name}\">{1}</small></div>",
                escape(f.label),
                escape(f.help)
            );
        }
        Kind::Logs => {
            let input = format!(
                "<input type=\"file\" id=\"f-{name}\" name=\"{name}\" multiple accept=\".jsonl,.ndjson,.json,.csv,.log,.clf,.gz\" {described}>"
            );
            labelled(h, f, " wide", &input);
        }
    }
}

/// A `<select>` of `choices`, after a first, empty choice reading `none` if given.
fn select(
    name: &str,
    described: &str,
    none: Option<&str>,
    choices: &[&str],
    current: &str,
) -> String {
    let mut s = format!("<select id=\"f-{name}\" name=\"{name}\" {described}>");
    if let Some(none) = none {
        let _ = write!(s, "<option value=\"\">{}</option>", escape(none));
    }
    for c in choices {
        let selected = if c.eq_ignore_ascii_case(current) {
            " selected"
        } else {
            ""
        };
        let _ = write!(s, "<option value=\"{c}\"{selected}>{c}</option>");
    }
    s.push_str("</select>");
    s
}

/// The uploaded card: folded away unless one was given.
fn card_field(h: &mut String, f: &Field, filled: &Filled<'_>) {
    let open = if filled.text(f.name).is_empty() {
        ""
    } else {
        " open"
    };
    let _ = writeln!(
        h,
        "<details class=\"more\"{open}><summary>{}</summary><div class=\"fields\">",
        escape(f.label)
    );
    field(h, Route::Plan, f, filled);
    let _ = writeln!(h, "</div></details>");
}

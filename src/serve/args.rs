//! The request-to-arguments layer: a page's fields are the command's long flags and
//! arguments (`/quote?service=ultra&count=2000` is `stabcost quote ultra --count 2000`),
//! so a request becomes a command line that clap parses exactly as it parses the CLI's,
//! into the same arguments, requests and messages. Only the fields listed here pass:
//! none names a file on the server (`--rates`, `--base-rates` and plans are uploads),
//! none reads standard input (`-`).

pub(crate) use super::fields::{Field, Kind, Route};
use crate::cli::Cli;

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
            // Several swaps in one input, as --what-if is repeated on the command line.
            Kind::Value if name == "what-if" => flags.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("--{name}={v}")),
            ),
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

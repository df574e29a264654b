//! The calculator's routes: a request in, an answer out, with no network in sight (the
//! tests call it directly). A GET page's query is a command line ([`super::args`]) run
//! by the same command functions as the CLI ([`crate::commands::dispatch`]); its answer
//! is the HTML report with the form that asked for it, or the same report as CSV, JSON
//! or Markdown. A mistake is the command line's message on the form, HTTP 400.

use super::args::{self, Problem, Route};
use super::body::Failure;
use super::forms::{self, Filled};
use super::page::{self, OtherFormats};
use crate::commands::request::CardSource;
use crate::commands::{self, Rendered};
use crate::report::Format;
use crate::report::html::Page;
use std::io::Read;

/// The request's method, as far as the routes care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
    Post,
    Other,
}

/// What the routes see of a request besides its body.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The query string, still encoded.
    pub(crate) query: String,
    pub(crate) content_type: Option<String>,
    pub(crate) host: Option<String>,
}

/// An answer.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// The methods a route takes, for HTTP 405.
    pub(crate) allow: Option<&'static str>,
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

impl Response {
    fn html(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: HTML,
            body,
            allow: None,
        }
    }
}

/// How a request wants its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The report with its form and links.
    Page,
    /// The report alone, as `--format` writes it.
    Format(Format),
}

/// The `format` field: the last one given.
pub(crate) fn answer_of(params: &[(String, String)]) -> Result<Answer, Problem> {
    let Some((_, f)) = params.iter().rev().find(|(k, _)| k == "format") else {
        return Ok(Answer::Page);
    };
    Ok(match f.trim().to_ascii_lowercase().as_str() {
        "" | "page" => Answer::Page,
        "html" => Answer::Format(Format::Html),
        "csv" => Answer::Format(Format::Csv),
        "json" => Answer::Format(Format::Json),
        "markdown" | "md" => Answer::Format(Format::Markdown),
        "table" | "text" => Answer::Format(Format::Table),
        _ => {
            return Err(Problem(format!(
                "error: format={} is not a format here\nhint: csv, json, markdown, html or table; none: this page",
                crate::text::echo(f)
            )));
        }
    })
}

/// The calculator.
pub(crate) struct App {
    /// The server's card: `--rates`, `--as-of`, `STABCOST_RATES` or the built-in one.
    pub(crate) source: CardSource,
    /// The card's name, for the index.
    card: String,
    /// The card's service ids and names, suggested by the service fields.
    pub(crate) services: Vec<(String, String)>,
    /// The port, when the server listens on loopback only: a request must then name a
    /// local host (a page elsewhere that rebinds its name to 127.0.0.1 is refused).
    local_port: Option<u16>,
}

impl App {
    /// The calculator on `source`'s prices, for a server at `listen`; the card is
    /// loaded once here, so a bad `--rates` stops the server before it starts.
    pub(crate) fn new(source: CardSource, listen: std::net::SocketAddr) -> anyhow::Result<App> {
        let card = source.load()?;
        let services = card
            .services()
            .iter()
            .filter(|s| s.deprecated.is_none())
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        Ok(App {
            card: format!(
                "{}, effective {}",
                card.provenance.name, card.provenance.effective
            ),
            source,
            services,
            local_port: listen.ip().is_loopback().then_some(listen.port()),
        })
    }

    /// The answer to a request that needs no reading of its body: a host that is not
    /// this one, a page that is not there, a method it does not take, a declared body
    /// larger than `max_upload`. `None`: go on to [`App::answer`].
    pub(crate) fn refuse(
        &self,
        head: &Head,
        declared: Option<u64>,
        max_upload: u64,
    ) -> Option<Response> {
        if let Some(port) = self.local_port {
            let host = head.host.as_deref().unwrap_or("");
            let local = ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .any(|h| host == *h || host == format!("{h}:{port}"));
            if !local {
                return Some(App::plain(
                    421,
                    "this calculator answers only requests for its own local address\n",
                ));
            }
        }
        let route = if head.path == "/" {
            None
        } else {
            let Some(route) = Route::at(&head.path) else {
                let body = format!(
                    "{}<h1>No such page</h1><p>There is no page at {}; the pages are listed above.</p>",
                    page::nav(None),
                    crate::report::html::escape(&head.path)
                );
                return Some(Response::html(404, page::document("Not found", &body)));
            };
            Some(route)
        };
        let posts = route.is_some_and(Route::posts);
        let allowed = match head.method {
            Method::Get | Method::Head => true,
            Method::Post => posts,
            Method::Other => false,
        };
        if !allowed {
            let mut r = App::plain(405, "this page does not take that method\n");
            r.allow = Some(if posts {
                "GET, HEAD, POST"
            } else {
                "GET, HEAD"
            });
            return Some(r);
        }
        if declared.is_some_and(|n| n > max_upload) {
            return Some(App::failure_page(Some(Failure::TooLarge)));
        }
        None
    }

    /// The answer to a request that [`App::refuse`] let through; `body` is its body.
    pub(crate) fn answer(&self, head: &Head, body: Box<dyn Read + Send>) -> Response {
        let Some(route) = Route::at(&head.path) else {
            return Response::html(200, page::index(&self.card));
        };
        let params = query(&head.query);
        if head.method == Method::Post {
            return super::upload::post(self, route, head, params, body);
        }
        if route.posts() {
            // A GET of an upload page: its empty form.
            return self.form_page(route, &params, &[], None);
        }
        self.get(route, &params)
    }

    /// A GET page: the query as a command line, run and rendered.
    fn get(&self, route: Route, params: &[(String, String)]) -> Response {
        let answer = match answer_of(params) {
            Ok(a) => a,
            Err(p) => return self.problem(route, Answer::Page, params, &[], &p.0),
        };
        let asked = params
            .iter()
            .any(|(k, v)| k != "format" && !v.trim().is_empty());
        if !asked && answer == Answer::Page {
            return self.form_page(route, params, &[], None);
        }
        let cli = match args::argv(route, params).and_then(|a| args::parse(&a)) {
            Ok(cli) => cli,
            Err(p) => return self.problem(route, answer, params, &[], &p.0),
        };
        let links = OtherFormats::Query(params);
        self.run(route, answer, params, &[], &links, &mut |sink| {
            commands::dispatch(&cli, &self.source, sink)
        })
    }

    /// Runs a command (`command` hands its report to the sink it is given) and answers
    /// with its report: a page with `params` and `texts` in the form, or `answer`'s
    /// format.
    pub(crate) fn run(
        &self,
        route: Route,
        answer: Answer,
        params: &[(String, String)],
        texts: &[(String, String)],
        links: &OtherFormats<'_>,
        command: &mut dyn FnMut(&mut commands::Sink<'_>) -> anyhow::Result<()>,
    ) -> Response {
        let mut body = Vec::new();
        let mut content_type = HTML;
        let result = command(&mut |report: &dyn Rendered| {
            match answer {
                Answer::Format(format) => {
                    content_type = page::content_type(format);
                    report.render(format, None, &mut body)?;
                }
                Answer::Page => {
                    let filled = Filled {
                        values: params,
                        texts,
                        problem: None,
                        leads: false,
                    };
                    let before = format!(
                        "{}{}",
                        page::nav(Some(route)),
                        forms::form(route, &filled, &self.services)
                    );
                    let after = links.html(route, report)?;
                    let head = page::head();
                    let page = Page {
                        head: &head,
                        before: &before,
                        after: &after,
                        policy: Some(page::POLICY),
                    };
                    report.page(&page, &mut body)?;
                }
            }
            Ok(())
        });
        match result {
            Ok(()) => Response {
                status: 200,
                content_type,
                body,
                allow: None,
            },
            Err(e) => {
                let (text, status) = status_of(&e);
                self.problem_status(route, answer, params, texts, text.trim_end(), status)
            }
        }
    }

    /// The form of `route`, filled in, with no report.
    pub(crate) fn form_page(
        &self,
        route: Route,
        params: &[(String, String)],
        texts: &[(String, String)],
        problem: Option<&str>,
    ) -> Response {
        let filled = Filled {
            values: params,
            texts,
            problem,
            leads: true,
        };
        let body = format!(
            "{}{}",
            page::nav(Some(route)),
            forms::form(route, &filled, &self.services)
        );
        let title = match problem {
            Some(_) => format!("stabcost {}: cannot be priced", route.name()),
            None => format!("stabcost {}", route.name()),
        };
        let status = if problem.is_some() { 400 } else { 200 };
        Response::html(status, page::document(&title, &body))
    }

    /// A mistake in the request: on its form (HTTP 400), or as text when a format was
    /// asked for.
    pub(crate) fn problem(
        &self,
        route: Route,
        answer: Answer,
        params: &[(String, String)],
        texts: &[(String, String)],
        problem: &str,
    ) -> Response {
        self.problem_status(route, answer, params, texts, problem, 400)
    }

    fn problem_status(
        &self,
        route: Route,
        answer: Answer,
        params: &[(String, String)],
        texts: &[(String, String)],
        problem: &str,
        status: u16,
    ) -> Response {
        let mut r = match answer {
            Answer::Page => self.form_page(route, params, texts, Some(problem)),
            Answer::Format(_) => App::plain(status, &format!("{problem}\n")),
        };
        r.status = status;
        r
    }

    fn plain(status: u16, text: &str) -> Response {
        Response {
            status,
            content_type: TEXT,
            body: text.as_bytes().to_vec(),
            allow: None,
        }
    }

    /// The answer when too many uploads are under way to start another (HTTP 503).
    pub(crate) fn busy_page() -> Response {
        let body = format!(
            "{}<h1>Busy</h1><p>Other uploads are being priced; send this one again in a minute.</p>",
            page::nav(None)
        );
        Response::html(503, page::document("Busy", &body))
    }

    /// The answer when the body could not be read to its end (or, `None`, the route
    /// failed unexpectedly: a bug).
    pub(crate) fn failure_page(failure: Option<Failure>) -> Response {
        let (status, title, text) = match failure {
            Some(Failure::TooLarge) => (
                413,
                "Too large",
                "The upload is larger than this server takes (its --max-upload). Split the log, or start the server with a larger --max-upload.",
            ),
            Some(Failure::Stalled) => (
                408,
                "Request timeout",
                "The browser stopped sending the request before its end.",
            ),
            Some(Failure::Broken) => (
                400,
                "Bad request",
                "The request's body was cut off or malformed.",
            ),
            None => (
                500,
                "Internal error",
                "stabcost failed to answer: this is a bug.",
            ),
        };
        let body = format!("{}<h1>{title}</h1><p>{text}</p>", page::nav(None));
        Response::html(status, page::document(title, &body))
    }
}

/// An error's message and the status it earns: the user's mistake (or a request body
/// that could not be read, the only input a request has) is 400; anything else, 500.
fn status_of(e: &anyhow::Error) -> (String, u16) {
    let (text, code) = crate::describe_error(e);
    let io = e
        .chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some());
    let status = if code == crate::EXIT_USER || io {
        400
    } else {
        500
    };
    (text, status)
}

/// The query string's fields, decoded, in order.
pub(crate) fn query(q: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn app() -> App {
        App::new(CardSource::BuiltIn, "127.0.0.1:8080".parse().unwrap()).unwrap()
    }

    fn head(method: Method, path: &str, query: &str, content_type: Option<&str>) -> Head {
        Head {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            content_type: content_type.map(str::to_owned),
            host: Some("127.0.0.1:8080".to_owned()),
        }
    }

    /// Field names: every page's, a few of the command line's that no page takes, and
    /// anything.
    fn name() -> impl Strategy<Value = String> {
        let mut known: Vec<String> = Route::ALL
            .iter()
            .flat_map(|r| r.fields().iter().map(|f| f.name.to_owned()))
            .collect();
        known.extend(
            [
                "format",
                "rates",
                "help",
                "threads",
                "strict",
                "fail-if-over",
            ]
            .map(String::from),
        );
        prop_oneof![
            4 => proptest::sample::select(known),
            1 => "[a-z-]{0,12}",
            1 => any::<String>(),
        ]
    }

    /// Values: what a form could hold, and anything.
    fn value() -> impl Strategy<Value = String> {
        let known = [
            "",
            "-",
            "0",
            "1",
            "15,000",
            "15_000",
            "-5",
            "1e9",
            "99999999999999999999999999",
            "0.000000000000000000000000001",
            "bonus",
            "2025-07-01",
            "2025-02-30",
            "ultra",
            "core+rmbg",
            "core*6 + rmbg + upscale-conservative",
            "sdxl@50*2",
            "--help",
            "--rates=/etc/passwd",
            "<script>alert(1)</script>",
            "json",
            "csv",
            "markdown",
            "html",
            "table",
            "sql",
            "on",
            "upscale",
            "month,service",
            "10%",
            "sd3.5-medium",
            "jsonl",
            "\u{0}",
            "é",
            "a\nb",
        ]
        .map(String::from)
        .to_vec();
        prop_oneof![4 => proptest::sample::select(known), 1 => any::<String>()]
    }

    fn params() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec((name(), value()), 0..6)
    }

    fn path() -> impl Strategy<Value = String> {
        let mut known: Vec<String> = Route::ALL
            .iter()
            .map(|r| format!("/{}", r.name()))
            .collect();
        known.push("/".into());
        prop_oneof![5 => proptest::sample::select(known), 1 => "/[a-z/]{0,10}"]
    }

    fn encoded(params: &[(String, String)]) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            q.append_pair(k, v);
        }
        q.finish()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// No query of any page is answered with a 500, and every answer is one the
        /// routes give (200, or a mistake shown as one).
        #[test]
        fn no_query_gives_a_500(path in path(), params in params()) {
            let app = app();
            let h = head(Method::Get, &path, &encoded(&params), None);
            let r = app
                .refuse(&h, None, 1 << 20)
                .unwrap_or_else(|| app.answer(&h, Box::new(std::io::empty())));
            prop_assert!(matches!(r.status, 200 | 400 | 404), "{} {:?}: {}", r.status, params,
                String::from_utf8_lossy(&r.body));
            if r.content_type.starts_with("text/html") {
                let body = String::from_utf8_lossy(&r.body);
                prop_assert!(!body.contains("<script"), "{}", body);
            }
        }

        /// No posted form of any fields, texts and files gives a 500.
        #[test]
        fn no_form_gives_a_500(
            route in proptest::sample::select(Route::ALL.to_vec()),
            fields in params(),
            files in proptest::collection::vec(
                (name(), proptest::option::of("[a-z]{0,5}(\\.jsonl|\\.csv|\\.log|\\.gz|\\.toml|)"), value()),
                0..4,
            ),
        ) {
            let app = app();
            let mut body = Vec::new();
            for (k, v) in &fields {
                body.extend(format!("--B\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{v}\r\n", k.replace(['"', '\r', '\n'], "_")).bytes());
            }
            for (k, file, content) in &files {
                let file = file.as_ref().map_or(String::new(), |f| format!("; filename=\"{f}\""));
                body.extend(format!("--B\r\nContent-Disposition: form-data; name=\"{}\"{file}\r\n\r\n{content}\r\n", k.replace(['"', '\r', '\n'], "_")).bytes());
            }
            body.extend(b"--B--\r\n");
            let h = head(Method::Post, &format!("/{}", route.name()), "", Some("multipart/form-data; boundary=B"));
            let r = app
                .refuse(&h, None, 1 << 20)
                .unwrap_or_else(|| app.answer(&h, Box::new(std::io::Cursor::new(body))));
            prop_assert!(matches!(r.status, 200 | 400 | 405 | 413), "{} {:?} {:?}: {}", r.status, fields, files,
                String::from_utf8_lossy(&r.body));
        }
    }
}

//! What the calculator adds around a report: its style sheet and policy, the list of
//! pages at the top, the links to the same answer in other formats, and the pages that
//! hold no report (the index, an empty or refused form, an error).

use super::fields::Route;
use crate::commands::Rendered;
use crate::report::Format;
use crate::report::html::{STYLE, escape};
use std::fmt::Write as _;

/// The pages' Content-Security-Policy (also sent as a header): their own inline style
/// and images, forms sent only to this server, no script, no request elsewhere, and no
/// framing by another site.
pub(crate) const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The calculator's style, added to the report's.
const SERVE_STYLE: &str = include_str!("serve.css");

/// The `<head>` elements the report's page gets.
pub(crate) fn head() -> String {
    format!("<style>\n{SERVE_STYLE}</style>\n")
}

/// The list of pages, `current` marked.
pub(crate) fn nav(current: Option<Route>) -> String {
    let mut h = String::from(
        "<nav class=\"site\" aria-label=\"Pages\"><a class=\"home\" href=\"/\">stabcost</a><ul>",
    );
    for r in Route::ALL {
        let here = if Some(r) == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li><a href=\"/{}\"{here}>{}</a></li>",
            r.name(),
            r.title()
        );
    }
    h.push_str("</ul></nav>\n");
    h
}

/// A whole page around `body`, for the pages that hold no report.
pub(crate) fn document(title: &str, body: &str) -> Vec<u8> {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    );
    let _ = writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        escape(POLICY)
    );
    let _ = writeln!(
        h,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<link rel=\"icon\" href=\"data:,\">"
    );
    let _ = writeln!(h, "<title>{}</title>", escape(title));
    let _ = writeln!(
        h,
        "<style>\n{STYLE}</style>\n<style>\n{SERVE_STYLE}</style>"
    );
    let _ = writeln!(
        h,
        "</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>"
    );
    h.into_bytes()
}

/// `GET /`: every page, with what it answers.
pub(crate) fn index(card: &str) -> Vec<u8> {
    let mut body = nav(None);
    body.push_str("<h1>stabcost: what will this use of the Stability AI API cost?</h1>\n");
    let _ = writeln!(
        body,
        "<p class=\"preface\">Exact figures from the rate card {}, every total the sum of its rows. Each answer's address is a link to it; each can be had as CSV, JSON or Markdown.</p>",
        escape(card)
    );
    body.push_str("<ul class=\"pages\">\n");
    for r in Route::ALL {
        let _ = writeln!(
            body,
            "<li><a href=\"/{}\">{}</a><p>{}</p></li>",
            r.name(),
            r.title(),
            escape(r.about())
        );
    }
    body.push_str("</ul>\n");
    document(
        "stabcost: a cost calculator for the Stability AI API",
        &body,
    )
}

/// The formats an answer also comes in, as the `format` parameter names them.
pub(crate) const OTHER_FORMATS: [(&str, Format, &str); 3] = [
    ("csv", Format::Csv, "CSV"),
    ("json", Format::Json, "JSON"),
    ("markdown", Format::Markdown, "Markdown"),
];

/// Links to the same answer in each of `links` (label, address).
pub(crate) fn formats(links: &[(String, String)], note: &str) -> String {
    let mut h = String::from(
        "<nav class=\"formats\" aria-label=\"This answer in other formats\">This answer as <ul>",
    );
    for (label, href) in links {
        let _ = write!(h, "<li>{href}</li>", href = link(label, href));
    }
    let _ = writeln!(h, "</ul>{note}</nav>");
    h
}

fn link(label: &str, href: &str) -> String {
    if let Some(file) = href.strip_prefix("download:") {
        let (name, url) = file.split_once('|').unwrap_or(("answer", file));
        format!(
            "<a download=\"{}\" href=\"{}\">{}</a>",
            escape(name),
            escape(url),
            escape(label)
        )
    } else {
        format!("<a href=\"{}\">{}</a>", escape(href), escape(label))
    }
}

/// `bytes` as a `data:` address of `mime` (base64).
pub(crate) fn data_url(mime: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!("data:{mime};base64,");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                let at = usize::try_from((n >> shift) & 63).unwrap_or(0);
                out.push(char::from(ALPHABET.get(at).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The content type of an answer in `format`.
pub(crate) fn content_type(format: Format) -> &'static str {
    match format {
        Format::Html => "text/html; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Table => "text/plain; charset=utf-8",
    }
}

/// How an answer links to itself in other formats.
pub(crate) enum OtherFormats<'a> {
    /// A GET page: the same address with `format`.
    Query(&'a [(String, String)]),
    /// A posted page: the same report, written into `data:` downloads.
    Inline,
}

impl OtherFormats<'_> {
    pub(crate) fn html(&self, route: Route, report: &dyn Rendered) -> std::io::Result<String> {
        let mut links = Vec::new();
        for (name, format, label) in OTHER_FORMATS {
            let href = match self {
                OtherFormats::Query(params) => {
                    let mut q = form_urlencoded::Serializer::new(String::new());
                    for (k, v) in *params {
                        if k != "format" && !v.trim().is_empty() {
                            q.append_pair(k, v);
                        }
                    }
                    q.append_pair("format", name);
                    format!("/{}?{}", route.name(), q.finish())
                }
                OtherFormats::Inline => {
                    let mut bytes = Vec::new();
                    report.render(format, None, &mut bytes)?;
                    let ext = if name == "markdown" { "md" } else { name };
                    format!(
                        "download:{}.{ext}|{}",
                        route.name(),
                        data_url(content_type(format), &bytes)
                    )
                }
            };
            links.push((label.to_owned(), href));
        }
        let note = match self {
            OtherFormats::Query(_) => {
                " <span class=\"notes\">The address of this page is a link to this answer.</span>"
            }
            OtherFormats::Inline => {
                " <span class=\"notes\">(downloads of this answer: an upload has no address to share)</span>"
            }
        };
        Ok(formats(&links, note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_are_base64() {
        assert_eq!(data_url("text/csv", b""), "data:text/csv;base64,");
        assert_eq!(data_url("text/csv", b"f"), "data:text/csv;base64,Zg==");
        assert_eq!(data_url("text/csv", b"fo"), "data:text/csv;base64,Zm8=");
        assert_eq!(data_url("text/csv", b"foo"), "data:text/csv;base64,Zm9v");
        assert_eq!(
            data_url("text/csv", b"foob"),
            "data:text/csv;base64,Zm9vYg=="
        );
    }
}

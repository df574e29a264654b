//! HTML: one self-contained page for people who read pages. The style sheet is inline,
//! figures are inline SVG (`svg/`), and there is no script at all: the page reads
//! the same with JavaScript off, and its Content-Security-Policy lets it make no
//! request and run no script. The table is a real `<table>` (the total row in
//! `<tfoot>`, each figure's exact decimal in `data-value`, the CSV's value); the
//! lines around it are the table format's. Every text is escaped.
//!
//! The document's order is the markup layer's (`markup.rs`), shared with Markdown.
//! [`write_page`] writes the same page with more around it (a form, links), for a
//! front end that serves reports.

use super::figure::Figure;
use super::markup::{self, Markup};
use super::{Cell, Column, Report};
use std::io::{self, Write};

/// The page's style sheet: light and dark schemes, print, phone widths.
pub(crate) const STYLE: &str = include_str!("html.css");

/// The policy of a `--format html` page: its own inline style, nothing else. No
/// script runs (not even one a bug let into the page) and no request leaves it.
pub const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// What a page holds besides the report. `Page::default()` is the `--format html`
/// page; a front end that serves reports adds its own markup, which is written as
/// given (it is the front end's, never a user's text).
#[derive(Debug, Clone, Copy, Default)]
pub struct Page<'a> {
    /// Elements added to `<head>`.
    pub head: &'a str,
    /// Markup at the top of `<main>`, before the report.
    pub before: &'a str,
    /// Markup at the end of `<main>`, after the report.
    pub after: &'a str,
    /// The Content-Security-Policy; [`POLICY`] when `None`.
    pub policy: Option<&'a str>,
}

/// Writes `report` as a `--format html` page.
pub(super) fn render(report: &dyn Report, out: &mut dyn Write) -> io::Result<()> {
    write_page(report, &Page::default(), out)
}

/// Writes `report` as a page, with `page`'s additions.
pub fn write_page(report: &dyn Report, page: &Page<'_>, out: &mut dyn Write) -> io::Result<()> {
    markup::render(
        report,
        &mut Html {
            page,
            headline: String::new(),
            figures: 0,
        },
        out,
    )
}

/// `text` as HTML text or an attribute value (one escaping for every page).
pub(crate) use crate::text::html as escape;

/// The page's headline, its `<h1>` and the figure in its `<title>`: the report's own
/// title; else the total row's dollars; else, for a cost figure, the cheapest and the
/// dearest line at the volume asked for; else a bar figure's title; else the summary's
/// first line when it leads with a figure (`11 price changes between …`); else the
/// card.
pub fn headline(report: &dyn Report, figure: Option<&Figure>) -> String {
    if let Some(title) = report.title() {
        return title;
    }
    let money = |c: &Cell| matches!(c, Cell::Usd(_) | Cell::UsdChange(_) | Cell::Approx(_));
    if let Some(usd) = report.total().and_then(|t| t.into_iter().rfind(money)) {
        return format!("{} in all", usd.display());
    }
    match figure {
        Some(Figure::Cost { volume, .. }) => {
            if let Some(range) = usd_range(report) {
                return format!("{} images: {range}", crate::money::count_display(*volume));
            }
        }
        Some(Figure::Bars(bars)) => return bars.title.clone(),
        _ => {}
    }
    let leads_with_a_figure = |line: &String| line.starts_with(|c: char| c.is_ascii_digit());
    if let Some(first) = report
        .summary()
        .into_iter()
        .next()
        .filter(leads_with_a_figure)
    {
        return first.trim_end_matches('.').to_owned();
    }
    let p = report.rate_card();
    format!("{}, effective {}", p.name, p.effective)
}

/// The first and the last row's `usd` figures with their rows' labels:
/// `$135.00 (sdxl@30) to $1,200.00 (ultra)`.
fn usd_range(report: &dyn Report) -> Option<String> {
    let at = report.columns().iter().position(|c| c.key == "usd")?;
    let mut rows = report.rows().filter_map(|r| {
        let label = r.first().map(Cell::display)?;
        let usd = r.get(at).map(Cell::display)?;
        Some(format!("{usd} ({label})"))
    });
    let first = rows.next()?;
    Some(match rows.last() {
        Some(last) => format!("{first} to {last}"),
        None => first,
    })
}

/// Whether `text` is one short word (an id, a date, a tag: `sd35-large-turbo`), kept
/// on one line.
fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= 32 && !text.chars().any(char::is_whitespace)
}

/// The HTML way of writing each part of a report.
struct Html<'p> {
    page: &'p Page<'p>,
    headline: String,
    /// Figures written so far, for unique element ids.
    figures: u32,
}

impl Html<'_> {
    /// One table cell: the row's first is its header; a figure is right-aligned and
    /// carries its exact value; each names its column (`data-label`), which a phone's
    /// width shows beside it when rows become blocks.
    fn cell(out: &mut dyn Write, column: &Column, cell: &Cell, first: bool) -> io::Result<()> {
        let tag = if first { "th" } else { "td" };
        let scope = if first { " scope=\"row\"" } else { "" };
        let text = cell.display();
        let class = if column.numeric {
            "num"
        } else if is_word(&text) {
            // An id, a date or a tag is not broken at its hyphens; prose wraps.
            "text id"
        } else {
            "text"
        };
        let value = cell.plain();
        let data = if column.numeric && !value.is_empty() {
            format!(" data-value=\"{}\"", escape(&value))
        } else {
            String::new()
        };
        write!(
            out,
            "<{tag}{scope} class=\"{class}\" data-label=\"{}\"{data}>{}</{tag}>",
            escape(column.header),
            escape(&text)
        )
    }

    fn row(out: &mut dyn Write, columns: &[Column], cells: &[Cell]) -> io::Result<()> {
        write!(out, "<tr>")?;
        for (i, (column, cell)) in columns.iter().zip(cells).enumerate() {
            Self::cell(out, column, cell, i == 0)?;
        }
        writeln!(out, "</tr>")
    }
}

impl Markup for Html<'_> {
    fn start(
        &mut self,
        out: &mut dyn Write,
        report: &dyn Report,
        figure: Option<&Figure>,
    ) -> io::Result<()> {
        self.headline = headline(report, figure);
        let command = report.command();
        writeln!(out, "<!DOCTYPE html>")?;
        writeln!(out, "<html lang=\"en\">")?;
        writeln!(out, "<head>")?;
        writeln!(out, "<meta charset=\"utf-8\">")?;
        writeln!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
            escape(self.page.policy.unwrap_or(POLICY))
        )?;
        writeln!(
            out,
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        )?;
        writeln!(out, "<meta name=\"color-scheme\" content=\"light dark\">")?;
        // No favicon request: the icon is the empty data URL.
        writeln!(out, "<link rel=\"icon\" href=\"data:,\">")?;
        writeln!(
            out,
            "<title>stabcost {command}: {}</title>",
            escape(&self.headline)
        )?;
        writeln!(out, "<style>\n{STYLE}</style>")?;
        out.write_all(self.page.head.as_bytes())?;
        writeln!(out, "</head>")?;
        writeln!(out, "<body>")?;
        writeln!(out, "<main>")?;
        out.write_all(self.page.before.as_bytes())?;
        writeln!(out, "<header>")?;
        writeln!(out, "<p class=\"command\">stabcost {command}</p>")
    }

    /// A page always has a heading: the report's title, or its headline figure.
    fn title(&mut self, out: &mut dyn Write, title: Option<&str>) -> io::Result<()> {
        let heading = title.unwrap_or(&self.headline);
        writeln!(out, "<h1>{}</h1>", escape(heading))?;
        writeln!(out, "</header>")
    }

    fn preface(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(out, "<p class=\"preface\">{}</p>", escape(line))?;
        }
        Ok(())
    }

    fn table_start(&mut self, out: &mut dyn Write, columns: &[Column]) -> io::Result<()> {
        writeln!(out, "<div class=\"scroll\">")?;
        writeln!(out, "<table>")?;
        write!(out, "<thead><tr>")?;
        for c in columns {
            let class = if c.numeric { "num" } else { "text" };
            write!(
                out,
                "<th scope=\"col\" class=\"{class}\">{}</th>",
                escape(c.header)
            )?;
        }
        writeln!(out, "</tr></thead>")?;
        writeln!(out, "<tbody>")
    }

    fn row(&mut self, out: &mut dyn Write, columns: &[Column], cells: &[Cell]) -> io::Result<()> {
        Self::row(out, columns, cells)
    }

    fn table_end(
        &mut self,
        out: &mut dyn Write,
        columns: &[Column],
        total: Option<&[Cell]>,
    ) -> io::Result<()> {
        writeln!(out, "</tbody>")?;
        if let Some(total) = total {
            writeln!(out, "<tfoot>")?;
            Self::row(out, columns, total)?;
            writeln!(out, "</tfoot>")?;
        }
        writeln!(out, "</table>")?;
        writeln!(out, "</div>")
    }

    fn draws_figures(&self) -> bool {
        true
    }

    fn figure(&mut self, out: &mut dyn Write, figure: &Figure) -> io::Result<()> {
        self.figures += 1;
        super::svg::write(out, figure, &format!("figure-{}", self.figures))
    }

    fn summary(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
        writeln!(out, "<ul class=\"summary\">")?;
        let (body, prices) = match lines.split_last() {
            Some((last, body)) => (body, Some(last)),
            None => (lines, None),
        };
        for line in body {
            writeln!(out, "<li>{}</li>", escape(line))?;
        }
        if let Some(prices) = prices {
            writeln!(out, "<li class=\"prices\">{}</li>", escape(prices))?;
        }
        writeln!(out, "</ul>")
    }

    fn notes(&mut self, out: &mut dyn Write, notes: &[String]) -> io::Result<()> {
        if notes.is_empty() {
            return Ok(());
        }
        writeln!(out, "<ul class=\"notes\">")?;
        for note in notes {
            writeln!(out, "<li>note: {}</li>", escape(note))?;
        }
        writeln!(out, "</ul>")
    }

    fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.page.after.as_bytes())?;
        writeln!(out, "</main>")?;
        writeln!(out, "</body>")?;
        writeln!(out, "</html>")
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};
    use super::*;

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("a & b"), "a &amp; b");
        assert_eq!(escape("\"x\" 'y'"), "&quot;x&quot; &#39;y&#39;");
        // Control characters are shown, as the terminal shows them; a newline stays.
        assert_eq!(escape("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\nc");
        assert_eq!(escape("core"), "core");
    }

    #[test]
    fn a_page_with_a_real_table_exact_values_and_the_same_lines() {
        let page = rendered(&sample(), Format::Html);
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"),
            "{page}"
        );
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(
            page.contains("<title>stabcost sample: $0.095 in all</title>"),
            "{page}"
        );
        assert!(page.contains("<h1>$0.095 in all</h1>"), "{page}");
        assert!(page.contains("<p class=\"preface\">a | preface</p>"));
        assert!(page.contains(
            "<thead><tr><th scope=\"col\" class=\"text\">Service</th><th scope=\"col\" class=\"num\">Credits</th><th scope=\"col\" class=\"num\">USD</th></tr></thead>"
        ), "{page}");
        assert!(page.contains(
            "<tr><th scope=\"row\" class=\"text id\" data-label=\"Service\">sd35-large</th><td class=\"num\" data-label=\"Credits\" data-value=\"6.5\">6.5</td><td class=\"num\" data-label=\"USD\" data-value=\"0.065\">$0.065</td></tr>"
        ), "{page}");
        assert!(page.contains(
            "<tfoot>\n<tr><th scope=\"row\" class=\"text id\" data-label=\"Service\">total</th><td class=\"num\" data-label=\"Credits\" data-value=\"9.5\">9.5</td><td class=\"num\" data-label=\"USD\" data-value=\"0.095\">$0.095</td></tr>\n</tfoot>"
        ), "{page}");
        // The bar column is the terminal table's only.
        assert!(!page.contains('█'));
        assert!(page.contains("<li>9.5 credits in all</li>"));
        assert!(page.contains(&format!(
            "<li class=\"prices\">{}</li>",
            escape(&super::super::prices_line(&sample().card))
        )));
        assert!(page.contains("<li>note: a note</li>"));
        // No script, no request: nothing to fetch, nothing to run.
        assert!(!page.contains("<script"));
        assert!(!page.contains("src="));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{page}"
        );
        assert!(page.contains(&format!("content=\"{}\"", escape(POLICY))));
    }

    #[test]
    fn text_from_a_file_stays_text_in_every_part() {
        let mut report = sample();
        report.lines[0].0 = "<script>alert(1)</script>".into();
        report.card.name = "<img src=x onerror=alert(2)>".into();
        let page = rendered(&report, Format::Html);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(
            page.contains("data-label=\"Service\">&lt;script&gt;alert(1)&lt;/script&gt;</th>"),
            "{page}"
        );
        assert!(page.contains("prices: &lt;img src=x onerror=alert(2)&gt;, effective"));
    }

    #[test]
    fn a_front_end_adds_its_own_markup_around_the_report() {
        let page = Page {
            head: "<script src=\"/app.js\"></script>\n",
            before: "<nav>links</nav>\n",
            after: "<footer>more</footer>\n",
            policy: Some("default-src 'self'"),
        };
        let mut out = Vec::new();
        write_page(&sample(), &page, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("<script src=\"/app.js\"></script>\n</head>"));
        assert!(text.contains("<main>\n<nav>links</nav>\n<header>"));
        assert!(text.contains("<footer>more</footer>\n</main>"));
        assert!(text.contains("content=\"default-src &#39;self&#39;\""));
    }
}

//! Markdown: a GitHub table (numbers right-aligned, the total row in bold), with the
//! preface, summary and notes as plain lines around it. Rows stream as produced; the
//! document's order is the markup layer's (`markup.rs`), shared with HTML.

use super::markup::{self, Markup};
use super::{Cell, Column, Report};
use std::io::{self, Write};

/// Text made literal in a GitHub table cell or list item: a backslash and `|` are
/// escaped (a `|` would end the cell), and a line break becomes `<br>` (a newline
/// would end the row, or start a heading or a list).
fn escape(s: &str) -> String {
    // Line ends become <br> below; every other control character is shown escaped.
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s = crate::text::printable(&s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            // A pasted comment renders HTML: text from a file stays text.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}

/// The cells of a row as Markdown, in bold for the total row (an empty cell stays
/// empty: `****` would show as text).
fn cells(cells: &[Cell], bold: bool) -> Vec<String> {
    cells
        .iter()
        .map(|c| {
            let text = escape(&c.display());
            if bold && !text.is_empty() {
                format!("**{text}**")
            } else {
                text
            }
        })
        .collect()
}

/// The Markdown way of writing each part of a report.
struct Markdown;

impl Markup for Markdown {
    fn title(&mut self, out: &mut dyn Write, title: Option<&str>) -> io::Result<()> {
        match title {
            Some(title) => writeln!(out, "### {}\n", escape(title)),
            None => Ok(()),
        }
    }

    fn preface(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(out, "{}\n", escape(line))?;
        }
        Ok(())
    }

    fn table_start(&mut self, out: &mut dyn Write, columns: &[Column]) -> io::Result<()> {
        let headers: Vec<String> = columns.iter().map(|c| c.header.to_owned()).collect();
        row(out, &headers)?;
        let rule: Vec<String> = columns
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" }.to_owned())
            .collect();
        row(out, &rule)
    }

    fn row(&mut self, out: &mut dyn Write, _: &[Column], cells: &[Cell]) -> io::Result<()> {
        row(out, &self::cells(cells, false))
    }

    fn table_end(
        &mut self,
        out: &mut dyn Write,
        _: &[Column],
        total: Option<&[Cell]>,
    ) -> io::Result<()> {
        if let Some(total) = total {
            row(out, &cells(total, true))?;
        }
        writeln!(out)
    }

    fn summary(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(out, "- {}", escape(line))?;
        }
        Ok(())
    }

    fn notes(&mut self, out: &mut dyn Write, notes: &[String]) -> io::Result<()> {
        for note in notes {
            writeln!(out, "- note: {}", escape(note))?;
        }
        Ok(())
    }
}

pub(super) fn render(report: &dyn Report, out: &mut dyn Write) -> io::Result<()> {
    markup::render(report, &mut Markdown, out)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::Format;
    use super::super::tests::{rendered, sample};

    #[test]
    fn pipes_backslashes_and_newlines_cannot_break_the_table() {
        assert_eq!(super::escape("a|b"), "a\\|b");
        assert_eq!(super::escape("a\\|b"), "a\\\\\\|b");
        assert_eq!(
            super::escape("one\ntwo\r\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        assert_eq!(super::escape("# not a heading"), "# not a heading");
        let mut report = sample();
        report.lines[0].0 = "two\nlines | and a pipe".into();
        let text = rendered(&report, Format::Markdown);
        assert!(
            text.contains("\n| two<br>lines \\| and a pipe | 6.5 | $0.065 |\n"),
            "{text}"
        );
    }

    #[test]
    fn a_github_table_with_a_bold_total_and_escaped_pipes() {
        assert_eq!(
            rendered(&sample(), Format::Markdown),
            "\
a \\| preface

| Service | Credits | USD |
| --- | ---: | ---: |
| sd35-large | 6.5 | $0.065 |
| core | 3 | $0.03 |
| **total** | **9.5** | **$0.095** |

- 9.5 credits in all
- prices: Test card, effective 2026-06 (built-in card)
- note: a note
"
        );
    }
}

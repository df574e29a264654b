//! Markdown: a GitHub table (numbers right-aligned, the total row in bold), with the
//! preface, summary and notes as plain lines around it. Rows stream as produced.

use super::{Report, summary_with_prices, visible};
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

pub(super) fn render(report: &dyn Report, out: &mut dyn Write) -> io::Result<()> {
    let columns = report.columns();
    let cols = visible(&columns, false);
    if let Some(title) = report.title() {
        writeln!(out, "### {}\n", escape(&title))?;
    }
    for line in report.preface() {
        writeln!(out, "{}\n", escape(&line))?;
    }
    let shown: Vec<_> = cols.iter().filter_map(|&i| columns.get(i)).collect();
    row(
        out,
        &shown
            .iter()
            .map(|c| c.header.to_owned())
            .collect::<Vec<_>>(),
    )?;
    row(
        out,
        &shown
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" }.to_owned())
            .collect::<Vec<_>>(),
    )?;
    let cells = |r: &[super::Cell], bold: bool| -> Vec<String> {
        cols.iter()
            .map(|&i| {
                let text = escape(&r.get(i).map(super::Cell::display).unwrap_or_default());
                if bold && !text.is_empty() {
                    format!("**{text}**")
                } else {
                    text
                }
            })
            .collect()
    };
    for r in report.rows() {
        row(out, &cells(&r, false))?;
    }
    if let Some(total) = report.total() {
        row(out, &cells(&total, true))?;
    }
    writeln!(out)?;
    for line in summary_with_prices(report) {
        writeln!(out, "- {}", escape(&line))?;
    }
    for note in report.notes() {
        writeln!(out, "- note: {}", escape(&note))?;
    }
    Ok(())
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

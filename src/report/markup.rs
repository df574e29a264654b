//! The document the markup formats (Markdown, HTML) write, walked once: the title, the
//! preface, the table (header, rows as they are produced, the total row), the figure,
//! the summary with the `prices:` line, and the notes. Each format says only how a
//! part is written, by implementing [`Markup`] (as hyperfine's `MarkupExporter` serves
//! its Markdown and `AsciiDoc` exporters); the order and the content are decided here.

use super::figure::Figure;
use super::{Cell, Column, Report, checked_row, summary_with_prices, visible};
use std::io::{self, Write};

/// How one markup format writes each part of a report's document.
pub(super) trait Markup {
    /// Before anything else (an HTML page's head), with the figure to come if the
    /// format draws one.
    fn start(
        &mut self,
        _out: &mut dyn Write,
        _report: &dyn Report,
        _figure: Option<&Figure>,
    ) -> io::Result<()> {
        Ok(())
    }

    /// The report's title, if it has one.
    fn title(&mut self, out: &mut dyn Write, title: Option<&str>) -> io::Result<()>;

    /// The lines before the table.
    fn preface(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()>;

    /// The table's header.
    fn table_start(&mut self, out: &mut dyn Write, columns: &[Column]) -> io::Result<()>;

    /// One row, a cell per column.
    fn row(&mut self, out: &mut dyn Write, columns: &[Column], cells: &[Cell]) -> io::Result<()>;

    /// The total row, if there is one, and the end of the table.
    fn table_end(
        &mut self,
        out: &mut dyn Write,
        columns: &[Column],
        total: Option<&[Cell]>,
    ) -> io::Result<()>;

    /// Whether [`Markup::figure`] draws anything: a report's figure is computed (once)
    /// only for a format that shows it.
    fn draws_figures(&self) -> bool {
        false
    }

    /// The report's figure, after the table (where the terminal table has its chart).
    fn figure(&mut self, _out: &mut dyn Write, _figure: &Figure) -> io::Result<()> {
        Ok(())
    }

    /// The summary lines, the `prices:` line last.
    fn summary(&mut self, out: &mut dyn Write, lines: &[String]) -> io::Result<()>;

    /// The caveats; each is written `note: …`.
    fn notes(&mut self, out: &mut dyn Write, notes: &[String]) -> io::Result<()>;

    /// After everything else.
    fn end(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Writes `report` through `markup`: every part, in the one order.
pub(super) fn render(
    report: &dyn Report,
    markup: &mut dyn Markup,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Computed once, for a format that draws it; nothing is drawn of an empty one.
    let figure = if markup.draws_figures() {
        report.figure().filter(|f| !f.is_empty())
    } else {
        None
    };
    markup.start(out, report, figure.as_ref())?;
    markup.title(out, report.title().as_deref())?;
    markup.preface(out, &report.preface())?;
    let columns = report.columns();
    let positions = visible(&columns, false);
    let shown: Vec<Column> = positions
        .iter()
        .filter_map(|&i| columns.get(i).copied())
        .collect();
    // The cells of the shown columns, taken out of the row (checked to have them all).
    let pick = |mut row: Vec<Cell>| -> Vec<Cell> {
        positions
            .iter()
            .map(|&i| {
                row.get_mut(i)
                    .map_or(Cell::Empty, |c| std::mem::replace(c, Cell::Empty))
            })
            .collect()
    };
    markup.table_start(out, &shown)?;
    for row in report.rows() {
        markup.row(out, &shown, &pick(checked_row(&columns, row)?))?;
    }
    let total = report
        .total()
        .map(|t| checked_row(&columns, t).map(pick))
        .transpose()?;
    markup.table_end(out, &shown, total.as_deref())?;
    if let Some(figure) = &figure {
        markup.figure(out, figure)?;
    }
    markup.summary(out, &summary_with_prices(report))?;
    markup.notes(out, &report.notes())?;
    markup.end(out)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::sample;
    use super::*;

    /// Records the parts it is given, in order.
    #[derive(Default)]
    struct Trace(Vec<String>);

    impl Markup for Trace {
        fn start(
            &mut self,
            _: &mut dyn Write,
            report: &dyn Report,
            _: Option<&Figure>,
        ) -> io::Result<()> {
            self.0.push(format!("start {}", report.command()));
            Ok(())
        }
        fn title(&mut self, _: &mut dyn Write, title: Option<&str>) -> io::Result<()> {
            self.0.push(format!("title {title:?}"));
            Ok(())
        }
        fn preface(&mut self, _: &mut dyn Write, lines: &[String]) -> io::Result<()> {
            self.0.push(format!("preface {lines:?}"));
            Ok(())
        }
        fn table_start(&mut self, _: &mut dyn Write, columns: &[Column]) -> io::Result<()> {
            let keys: Vec<_> = columns.iter().map(|c| c.key).collect();
            self.0.push(format!("columns {keys:?}"));
            Ok(())
        }
        fn row(&mut self, _: &mut dyn Write, _: &[Column], cells: &[Cell]) -> io::Result<()> {
            let cells: Vec<_> = cells.iter().map(Cell::plain).collect();
            self.0.push(format!("row {cells:?}"));
            Ok(())
        }
        fn table_end(
            &mut self,
            _: &mut dyn Write,
            _: &[Column],
            total: Option<&[Cell]>,
        ) -> io::Result<()> {
            let cells: Option<Vec<_>> = total.map(|t| t.iter().map(Cell::plain).collect());
            self.0.push(format!("total {cells:?}"));
            Ok(())
        }
        fn summary(&mut self, _: &mut dyn Write, lines: &[String]) -> io::Result<()> {
            self.0.push(format!("summary {lines:?}"));
            Ok(())
        }
        fn notes(&mut self, _: &mut dyn Write, notes: &[String]) -> io::Result<()> {
            self.0.push(format!("notes {notes:?}"));
            Ok(())
        }
        fn end(&mut self, _: &mut dyn Write) -> io::Result<()> {
            self.0.push("end".into());
            Ok(())
        }
    }

    #[test]
    fn every_part_in_the_one_order_without_the_table_only_columns() {
        let mut trace = Trace::default();
        render(&sample(), &mut trace, &mut io::sink()).unwrap();
        assert_eq!(
            trace.0,
            [
                "start sample",
                "title None",
                "preface [\"a | preface\"]",
                // The bar column is the terminal table's only.
                "columns [\"service\", \"credits\", \"usd\"]",
                "row [\"sd35-large\", \"6.5\", \"0.065\"]",
                "row [\"core\", \"3\", \"0.03\"]",
                "total Some([\"\", \"9.5\", \"0.095\"])",
                "summary [\"9.5 credits in all\", \"prices: Test card, effective 2026-06 (built-in card)\"]",
                "notes [\"a note\"]",
                "end",
            ]
        );
    }
}

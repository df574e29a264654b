//! Stacked columns in order (`plan --months`, `usage` by period), with a limit (the
//! budget) drawn across them.

use super::{Drawing, Plot, axis_name, colour, escape, group_words, legend, px, x_label, y_axis};
use crate::money;
use crate::report::chart;
use crate::report::figure::Columns;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Stacked columns in order, with the limit as a dashed line across.
pub(super) fn draw(c: &Columns) -> Drawing {
    let totals: Vec<Decimal> = c
        .columns
        .iter()
        .map(|g| g.total().unwrap_or(Decimal::MAX))
        .collect();
    let highest = totals
        .iter()
        .copied()
        .chain(c.limit.as_ref().map(|l| l.value))
        .max()
        .unwrap_or(Decimal::ZERO);
    let y_max = chart::round_up(highest);
    let plot = Plot::for_axis(y_max, c.unit);
    let mut body = String::new();
    y_axis(&mut body, &plot, y_max, c.unit);
    let n = u32::try_from(c.columns.len()).unwrap_or(u32::MAX).max(1);
    // Each column gets an equal slot; the bar is three quarters of it, at least 1.
    let slot = |i: u32| plot.left + plot.width * i / n;
    let width = (plot.width / n * 3 / 4).max(1);
    let mut points = Vec::new();
    let labelled = |i: u32| n <= 12 || i == 0 || i + 1 == n || (n >= 5 && i == n / 2);
    for ((i, g), total) in (0..n).zip(&c.columns).zip(&totals) {
        let left = slot(i) + (slot(i + 1) - slot(i) - width) / 2;
        let mut below = Decimal::ZERO;
        for (s, value) in g.values.iter().enumerate() {
            if *value <= Decimal::ZERO {
                continue;
            }
            let Ok(top) = money::add(below, *value) else {
                break;
            };
            let (y_top, y_bottom) = (plot.y(top, y_max), plot.y(below, y_max));
            let name = c.series.get(s).map_or("", String::as_str);
            let tip = if c.series.len() > 1 {
                format!("{} {}, {name}: {}", c.axis, g.label, c.unit.display(*value))
            } else {
                format!("{} {}: {}", c.axis, g.label, c.unit.display(*value))
            };
            let _ = writeln!(
                body,
                "<rect class=\"bar {}\" x=\"{left}\" y=\"{}\" width=\"{width}\" height=\"{}\"><title>{}</title></rect>",
                colour(s),
                px(y_top),
                px(y_bottom - y_top),
                escape(&tip)
            );
            below = top;
        }
        if labelled(i) {
            let anchor = match i {
                _ if n > 12 && i == 0 => "start",
                _ if n > 12 && i + 1 == n => "end",
                _ => "middle",
            };
            let x = match anchor {
                "start" => Decimal::from(left),
                "end" => Decimal::from(left + width),
                _ => Decimal::from(left) + Decimal::from(width) / Decimal::TWO,
            };
            x_label(&mut body, &plot, x, anchor, &g.label);
        }
        points.push(format!(
            "{} {}",
            c.axis,
            group_words(g, &c.series, c.unit, Some(*total))
        ));
    }
    axis_name(&mut body, &plot, &c.axis);
    if let Some(limit) = &c.limit {
        let y = px(plot.y(limit.value, y_max));
        let words = format!("{} {}", limit.label, c.unit.display(limit.value));
        let _ = writeln!(
            body,
            "<line class=\"limit\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"><title>{}</title></line>",
            plot.left,
            plot.right(),
            escape(&words)
        );
        let _ = writeln!(
            body,
            "<text class=\"label limit-label\" x=\"{}\" y=\"{y}\" dy=\"-0.4em\" text-anchor=\"end\">{}</text>",
            plot.right(),
            escape(&words)
        );
        points.push(words);
    }
    Drawing {
        title: c.title.clone(),
        lead: String::new(),
        points,
        legend: legend(&c.series),
        height: plot.total_height(),
        body,
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{d, drawn};
    use crate::report::figure::{Columns, Figure, Limit, Unit};

    #[test]
    fn stacked_columns_with_a_budget_line_and_text_that_stays_text() {
        let mut c = Columns::from_points(
            "Spend a month".into(),
            Unit::Usd,
            "month".into(),
            [
                ("1", "<script>alert(1)</script>", d("60")),
                ("1", "b", d("153")),
                ("2", "<script>alert(1)</script>", d("66")),
                ("2", "b", d("156")),
            ],
        )
        .unwrap();
        c.limit = Some(Limit {
            label: "budget".into(),
            value: d("250"),
        });
        let svg = drawn(&Figure::Columns(c));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // Month 1 is $213.00 = 60 + 153; the caption names both parts.
        assert!(
            svg.contains(
                "month 1 $213.00 (&lt;script&gt;alert(1)&lt;/script&gt; $60.00, b $153.00)"
            ),
            "{svg}"
        );
        assert!(svg.contains("budget $250.00"), "{svg}");
        // The axis ends at round_up(250) = 250: the budget line is the top, y 24,
        // from 7 × 9 + 14 = 77 ("$250.00") to 460.
        assert!(
            svg.contains("<line class=\"limit\" x1=\"77\" x2=\"460\" y1=\"24\" y2=\"24\">"),
            "{svg}"
        );
    }
}

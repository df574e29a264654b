//! Horizontal bars (`compare --budget`, `diff`): a label, then a bar per series with
//! its exact figure at its end.

use super::{Drawing, WIDTH, colour, escape, group_words, legend, px, scale, short};
use crate::report::figure::Bars;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Horizontal bars: each group's label on a line, then a bar per series with its
/// figure at its end.
pub(super) fn draw(b: &Bars) -> Drawing {
    const LEFT: u32 = 8;
    const VALUES: u32 = 120;
    const LABEL: u32 = 20;
    const BAR: u32 = 16;
    const GAP: u32 = 10;
    let span = WIDTH - LEFT - VALUES;
    let max = b
        .groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(Decimal::ZERO);
    let mut body = String::new();
    let mut points = Vec::new();
    let mut y = 8;
    for g in &b.groups {
        let _ = writeln!(
            body,
            "<text class=\"label\" x=\"{LEFT}\" y=\"{}\">{}</text>",
            y + 14,
            escape(&short(&g.label))
        );
        y += LABEL;
        for (s, value) in g.values.iter().enumerate() {
            let figure = b.unit.display(*value);
            let length = scale(*value, max, span);
            let name = b.series.get(s).map_or("", String::as_str);
            let tip = if b.series.len() > 1 {
                format!("{}, {name}: {figure}", g.label)
            } else {
                format!("{}: {figure}", g.label)
            };
            let _ = writeln!(
                body,
                "<rect class=\"bar {}\" x=\"{LEFT}\" y=\"{y}\" width=\"{}\" height=\"{BAR}\"><title>{}</title></rect>",
                colour(s),
                px(length),
                escape(&tip)
            );
            let _ = writeln!(
                body,
                "<text class=\"label figure\" x=\"{}\" y=\"{}\">{}</text>",
                px(Decimal::from(LEFT + 6) + length),
                y + 12,
                escape(&figure)
            );
            y += BAR + 4;
        }
        y += GAP;
        points.push(group_words(g, &b.series, b.unit, None));
    }
    Drawing {
        title: b.title.clone(),
        lead: String::new(),
        points,
        legend: legend(&b.series),
        height: y,
        body,
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{d, drawn};
    use super::*;
    use crate::report::figure::{Figure, Group, Unit};

    #[test]
    fn bars_label_each_figure_exactly() {
        let b = Bars {
            title: "Images $100.00 buys".into(),
            unit: Unit::Count,
            series: vec!["images".into()],
            groups: vec![
                Group {
                    label: "sdxl@30".into(),
                    values: vec![d("11111")],
                },
                Group {
                    label: "ultra".into(),
                    values: vec![d("1250")],
                },
            ],
        };
        let svg = drawn(&Figure::Bars(b));
        assert!(svg.contains("sdxl@30 11,111; ultra 1,250"), "{svg}");
        // The longest bar is the whole span: 480 - 8 - 120 = 352.
        assert!(svg.contains("width=\"352\""), "{svg}");
        // One series: no legend.
        assert!(!svg.contains("class=\"legend\""));
    }
}

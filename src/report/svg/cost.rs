//! The `compare` figure: dollars a month against images a month, a straight line per
//! model from the origin, the GPUs' staircase, and the volume asked for marked.

use super::{Drawing, Plot, axis_name, colour, escape, px, x_label, y_axis};
use crate::money::{self, Usd};
use crate::report::chart::{Chart, Cost};
use crate::report::figure::Unit;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Cost against volume: each model's line from the origin, the GPUs' staircase, and
/// the volume asked for as a dashed line with a dot on each series.
pub(super) fn draw(chart: &Chart, volume: u64) -> Drawing {
    let x_max = Decimal::from(chart.x_max.max(1));
    let y_max = if chart.y_max > Decimal::ZERO {
        chart.y_max
    } else {
        Decimal::ONE
    };
    let plot = Plot::for_axis(y_max, Unit::Usd);
    let mut body = String::new();
    y_axis(&mut body, &plot, y_max, Unit::Usd);
    for (value, anchor) in [
        (Decimal::ZERO, "start"),
        (x_max / Decimal::TWO, "middle"),
        (x_max, "end"),
    ] {
        x_label(
            &mut body,
            &plot,
            plot.x(value, x_max),
            anchor,
            &money::decimal_display(value.normalize()),
        );
    }
    axis_name(&mut body, &plot, "images a month");
    let at_volume = Decimal::from(volume);
    let marked = at_volume <= x_max;
    if marked {
        marker(&mut body, &plot, plot.x(at_volume, x_max), volume);
    }
    let mut points = Vec::new();
    let mut legend = Vec::new();
    let mut models = 0;
    for s in &chart.series {
        // The GPUs in the text's colour, the models in the palette's.
        let class = match s.cost {
            Cost::Steps { .. } => "gpu".to_owned(),
            Cost::PerImage(_) => {
                models += 1;
                colour(models - 1)
            }
        };
        let at = s.cost.at(volume);
        let figure = at.map(|usd| Usd::new(usd).to_string());
        if let Some(f) = &figure {
            points.push(format!("{} {f}", s.label));
        }
        let tip = figure.map_or_else(
            || s.label.clone(),
            |f| {
                format!(
                    "{}: {f} at {} images",
                    s.label,
                    money::count_display(volume)
                )
            },
        );
        let (kind, path) = match s.cost {
            Cost::PerImage(usd) => ("line", line_path(&plot, usd, x_max, y_max)),
            Cost::Steps { usd, every } => {
                ("line steps", steps_path(&plot, usd, every, x_max, y_max))
            }
        };
        let _ = writeln!(
            body,
            "<path class=\"{kind} {class}\" d=\"{path}\"><title>{}</title></path>",
            escape(&tip)
        );
        if let (true, Some(usd)) = (marked, at) {
            if usd <= y_max {
                let _ = writeln!(
                    body,
                    "<circle class=\"dot {class}\" cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>{}</title></circle>",
                    px(plot.x(at_volume, x_max)),
                    px(plot.y(usd, y_max)),
                    escape(&tip)
                );
            }
        }
        legend.push((class, s.label.clone()));
    }
    Drawing {
        title: chart.title.clone(),
        lead: format!("At {} images a month: ", money::count_display(volume)),
        points,
        legend,
        height: plot.total_height(),
        body,
    }
}

/// The volume asked for: a dashed line across the plot at `at`, labelled on top.
fn marker(body: &mut String, plot: &Plot, at: Decimal, volume: u64) {
    let x = px(at);
    let _ = writeln!(
        body,
        "<line class=\"marker\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\"/>",
        plot.top,
        plot.bottom()
    );
    // The volume's label stays inside the drawing near either end.
    let anchor = if at > Decimal::from(plot.right() - 40) {
        "end"
    } else if at < Decimal::from(plot.left + 40) {
        "start"
    } else {
        "middle"
    };
    let _ = writeln!(
        body,
        "<text class=\"label\" x=\"{x}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
        plot.top - 8,
        escape(&money::count_display(volume))
    );
}

/// A model's straight line, `usd × images`, from the origin to the right edge or to
/// the top, where it leaves the plot.
fn line_path(plot: &Plot, usd: Decimal, x_max: Decimal, y_max: Decimal) -> String {
    let start = format!("M{} {}", plot.left, plot.bottom());
    let at_end = money::mul(usd, x_max).ok();
    match at_end {
        Some(end) if end <= y_max => {
            format!("{start} L{} {}", plot.right(), px(plot.y(end, y_max)))
        }
        // Leaves through the top where usd × x = y_max: at y_max / usd images.
        _ => {
            let x = y_max
                .checked_div(usd)
                .map_or(plot.left.into(), |images| plot.x(images, x_max));
            format!("{start} L{} {}", px(x), plot.top)
        }
    }
}

/// The GPUs' staircase: one GPU's price up to its capacity, two up to twice it, …,
/// cut where it leaves the top of the plot.
fn steps_path(plot: &Plot, usd: Decimal, every: u64, x_max: Decimal, y_max: Decimal) -> String {
    let every = Decimal::from(every.max(1));
    let mut path = String::new();
    let mut from = Decimal::ZERO;
    // A staircase steeper than the plot is tall leaves it after a few steps.
    for gpus in 1..=1000u32 {
        let Ok(cost) = money::mul(usd, Decimal::from(gpus)) else {
            break;
        };
        if cost > y_max || from >= x_max {
            break;
        }
        let to = money::mul(every, Decimal::from(gpus)).map_or(x_max, |t| t.min(x_max));
        let y = px(plot.y(cost, y_max));
        if path.is_empty() {
            let _ = write!(path, "M{} {y}", px(plot.x(from, x_max)));
        } else {
            let _ = write!(path, " V{y}");
        }
        let _ = write!(path, " H{}", px(plot.x(to, x_max)));
        from = to;
    }
    path
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::tests::{d, drawn};
    use super::*;
    use crate::report::chart::Series;
    use crate::report::figure::Figure;

    #[test]
    fn a_cost_chart_names_each_model_at_the_volume_asked_for() {
        // ultra at $0.08 and core at $0.03 over 0..25,000 images, $2,000 high: at
        // 15,000 images, 15,000 × 0.08 = $1,200.00 and 15,000 × 0.03 = $450.00.
        let chart = Chart {
            title: "Dollars a month".into(),
            x_max: 25_000,
            y_max: d("2000"),
            series: vec![
                Series {
                    symbol: '1',
                    label: "core".into(),
                    cost: Cost::PerImage(d("0.03")),
                },
                Series {
                    symbol: '2',
                    label: "ultra".into(),
                    cost: Cost::PerImage(d("0.08")),
                },
            ],
        };
        let svg = drawn(&Figure::Cost {
            chart,
            volume: 15_000,
        });
        assert!(
            svg.contains("At 15,000 images a month: core $450.00; ultra $1,200.00"),
            "{svg}"
        );
        // The plot starts at 9 × 9 + 14 = 95 ("$2,000.00" is 9 characters) and is
        // 480 - 95 - 20 = 365 wide. ultra ends at 25,000 × 0.08 = $2,000, the top
        // right corner: (460, 24).
        assert!(svg.contains("d=\"M95 240 L460 24\""), "{svg}");
        // core ends at 25,000 × 0.03 = $750, 750/2000 of 216 = 81 up from 240.
        assert!(svg.contains("d=\"M95 240 L460 159\""), "{svg}");
        // The volume's line at 15,000/25,000 of 365 = 219 past 95.
        assert!(svg.contains("x1=\"314\" x2=\"314\""), "{svg}");
        assert!(svg.contains("<text class=\"label\" x=\"89\" y=\"24\" dy=\"0.35em\" text-anchor=\"end\">$2,000.00</text>"), "{svg}");
        assert!(svg.contains("role=\"img\" aria-labelledby=\"f1-title\""));
    }

    #[test]
    fn a_staircase_climbs_one_price_per_capacity_and_stops_at_the_top() {
        // $1,800 a GPU, 648,000 images each, over 0..1,296,000 and $4,000 high: two
        // steps, $1,800 then $3,600; a third ($5,400) would be off the top.
        // "$4,000.00": 9 × 9 + 14 = 95 units of margin, 480 - 95 - 20 = 365 of plot.
        let plot = Plot::for_axis(d("4000"), Unit::Usd);
        let path = steps_path(&plot, d("1800"), 648_000, d("1296000"), d("4000"));
        // 1800/4000 of 216 = 97.2 up: y 142.8; 3600/4000 → 194.4 up: y 45.6; the
        // first GPU's capacity is half the axis, 95 + 182.5.
        assert_eq!(path, "M95 142.8 H277.5 V45.6 H460");
    }
}

//! A report's [`Figure`] as inline SVG inside an HTML `<figure>`: the drawing, its text
//! alternative (an SVG `<title>` and `<desc>` listing every figure), a legend and a
//! caption that names the exact figures.
//!
//! No float is involved: a coordinate is `value / max × span` in decimals, rounded to
//! a tenth of a pixel, and only coordinates are ever rounded; every label is the exact
//! figure, written as the table writes it. Colours come from the page's style sheet
//! (classes `s0` to `s7`), so the light and dark schemes and print recolour a drawing.

use super::chart::{self, Cost};
use super::figure::{Bars, Columns, Figure, Group, Unit};
use super::html::escape;
use crate::money::{self, Usd};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The drawing's width in SVG units; it is scaled to the page's width.
const WIDTH: u32 = 480;
/// Colours in the style sheet; series past them share colours, so columns are folded
/// down to this many series.
const COLOURS: usize = 8;
/// Above this many points the caption summarises; the SVG description lists them all.
const CAPTION_POINTS: usize = 24;
/// A label in a drawing is cut to this many characters (the table has it whole).
const LABEL_CHARS: usize = 48;

/// The plot area of a drawing with axes: left margin for the y labels, and the rest.
struct Plot {
    left: u32,
    top: u32,
    width: u32,
    height: u32,
}

impl Plot {
    /// A plot whose y labels are up to `label` characters long: the left margin is
    /// wide enough for them in the larger type of a phone's width (about 9 units a
    /// character at 16).
    fn new(label: usize) -> Plot {
        let left = u32::try_from(label)
            .unwrap_or(u32::MAX)
            .saturating_mul(9)
            .saturating_add(14)
            .clamp(48, WIDTH / 2);
        Plot {
            left,
            top: 24,
            width: WIDTH - left - 20,
            height: 216,
        }
    }

    /// A plot for values up to `y_max` in `unit`, the top label being the longest.
    fn for_axis(y_max: Decimal, unit: Unit) -> Plot {
        Plot::new(unit.display(y_max.normalize()).chars().count())
    }

    /// The whole drawing's height: the plot, the x labels and the axis name.
    fn total_height(&self) -> u32 {
        self.top + self.height + 44
    }

    fn right(&self) -> u32 {
        self.left + self.width
    }

    fn bottom(&self) -> u32 {
        self.top + self.height
    }

    /// The x coordinate of `value` on an axis ending at `max`.
    fn x(&self, value: Decimal, max: Decimal) -> Decimal {
        Decimal::from(self.left) + scale(value, max, self.width)
    }

    /// The y coordinate of `value` on an axis ending at `max` (up is more).
    fn y(&self, value: Decimal, max: Decimal) -> Decimal {
        Decimal::from(self.bottom()) - scale(value, max, self.height)
    }
}

/// `value / max` of `span`, to a tenth of a unit: 0 at or below zero, `span` at or
/// past `max`. Only a coordinate is rounded here, never a figure.
fn scale(value: Decimal, max: Decimal, span: u32) -> Decimal {
    if max <= Decimal::ZERO || value <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    if value >= max {
        return Decimal::from(span);
    }
    value
        .checked_div(max)
        .and_then(|r| r.checked_mul(Decimal::from(span)))
        .map_or(Decimal::ZERO, |d| {
            d.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
        })
}

/// A coordinate as SVG writes it: `120`, `87.5`.
fn px(d: Decimal) -> String {
    d.normalize().to_string()
}

/// `text` cut to `LABEL_CHARS` characters, with `…` when cut.
fn short(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The colour class of series `i`.
fn colour(i: usize) -> String {
    format!("s{}", i % COLOURS)
}

/// The legend of series coloured in order.
fn legend(series: &[String]) -> Vec<(String, String)> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| (colour(i), s.clone()))
        .collect()
}

/// Writes `figure` as a `<figure>` element; `id` makes its element ids unique on
/// the page.
pub(super) fn write(out: &mut dyn Write, figure: &Figure, id: &str) -> io::Result<()> {
    let drawing = match figure {
        Figure::Cost { chart, volume } => cost(chart, *volume),
        Figure::Bars(bars) => self::bars(bars),
        Figure::Columns(columns) => match columns.folded(COLOURS) {
            Some(folded) => self::columns(&folded),
            None => return Ok(()),
        },
    };
    let Drawing {
        title,
        lead,
        points,
        legend,
        height,
        body,
    } = drawing;
    let description = format!("{lead}{}", points.join("; "));
    let caption = if points.len() <= CAPTION_POINTS {
        description.clone()
    } else {
        format!("{lead}{}", summarised(&points))
    };
    writeln!(out, "<figure>")?;
    writeln!(
        out,
        "<svg viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">"
    )?;
    writeln!(out, "<title id=\"{id}-title\">{}</title>", escape(&title))?;
    writeln!(
        out,
        "<desc id=\"{id}-desc\">{}</desc>",
        escape(&description)
    )?;
    out.write_all(body.as_bytes())?;
    writeln!(out, "</svg>")?;
    if legend.len() > 1 {
        write!(out, "<ul class=\"legend\">")?;
        for (class, label) in &legend {
            write!(
                out,
                "<li><span class=\"swatch {class}\"></span>{}</li>",
                escape(label)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(
        out,
        "<figcaption><strong>{}.</strong> {}.</figcaption>",
        escape(&title),
        escape(&caption)
    )?;
    writeln!(out, "</figure>")
}

/// A caption for many points: how many, the first and last, and the highest.
fn summarised(points: &[String]) -> String {
    format!(
        "{} points, from {} to {}; every figure is in the table and in the drawing's description",
        points.len(),
        points.first().map_or("", String::as_str),
        points.last().map_or("", String::as_str),
    )
}

/// A drawing before it is written: its title, its figures in words (a lead, then one
/// a point),
/// the series names for the legend, its height and its SVG elements.
struct Drawing {
    title: String,
    /// Words before the points: `At 15,000 images a month: `.
    lead: String,
    points: Vec<String>,
    /// Each series' colour class and name.
    legend: Vec<(String, String)>,
    height: u32,
    body: String,
}

/// The y axis of a plot: lines at zero, half and the top, labelled exactly.
fn y_axis(body: &mut String, plot: &Plot, y_max: Decimal, unit: Unit) {
    for value in [Decimal::ZERO, y_max / Decimal::TWO, y_max] {
        let y = px(plot.y(value, y_max));
        let class = if value.is_zero() { "axis" } else { "grid" };
        let _ = writeln!(
            body,
            "<line class=\"{class}\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/>",
            plot.left,
            plot.right()
        );
        let _ = writeln!(
            body,
            "<text class=\"label\" x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{}</text>",
            plot.left - 6,
            escape(&unit.display(value.normalize()))
        );
    }
}

/// A label under the x axis at `x`, anchored to stay inside the drawing.
fn x_label(body: &mut String, plot: &Plot, x: Decimal, anchor: &str, text: &str) {
    let _ = writeln!(
        body,
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
        px(x),
        plot.bottom() + 18,
        escape(&short(text))
    );
}

/// The name of the x axis, under its labels.
fn axis_name(body: &mut String, plot: &Plot, name: &str) {
    let _ = writeln!(
        body,
        "<text class=\"label name\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        plot.left + plot.width / 2,
        plot.bottom() + 38,
        escape(name)
    );
}

/// Cost against volume: each model's line from the origin, the GPUs' staircase, and
/// the volume asked for as a dashed line with a dot on each series.
fn cost(chart: &chart::Chart, volume: u64) -> Drawing {
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

/// Horizontal bars: each group's label on a line, then a bar per series with its
/// figure at its end.
fn bars(b: &Bars) -> Drawing {
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

/// A group in words: `sdxl@30 11,111`, or with several series
/// `Product photos: base $60.00, head $90.00`.
fn group_words(g: &Group, series: &[String], unit: Unit, total: Option<Decimal>) -> String {
    let parts: Vec<String> = g
        .values
        .iter()
        .zip(series)
        .map(|(v, s)| format!("{s} {}", unit.display(*v)))
        .collect();
    match (total, parts.as_slice()) {
        (None, [_]) => format!(
            "{} {}",
            g.label,
            unit.display(g.values.first().copied().unwrap_or_default())
        ),
        (None, _) => format!("{}: {}", g.label, parts.join(", ")),
        (Some(t), [_]) => format!("{} {}", g.label, unit.display(t)),
        (Some(t), _) => format!("{} {} ({})", g.label, unit.display(t), parts.join(", ")),
    }
}

/// Stacked columns in order, with the limit as a dashed line across.
fn columns(c: &Columns) -> Drawing {
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
    use super::super::chart::{Chart, Series};
    use super::super::figure::Limit;
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    fn drawn(figure: &Figure) -> String {
        let mut out = Vec::new();
        write(&mut out, figure, "f1").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn coordinates_are_rounded_decimals_and_clamped() {
        assert_eq!(scale(d("1"), d("3"), 240), d("80"));
        assert_eq!(scale(d("2"), d("3"), 100), d("66.7"));
        // 0.065 / 0.08 = 0.8125: 81.25, half to even.
        assert_eq!(scale(d("0.065"), d("0.08"), 100), d("81.2"));
        assert_eq!(scale(d("5"), d("4"), 100), d("100"));
        assert_eq!(scale(d("-1"), d("4"), 100), d("0"));
        assert_eq!(scale(d("1"), d("0"), 100), d("0"));
        // Near the largest decimal nothing overflows.
        assert_eq!(scale(Decimal::MAX, Decimal::MAX, 100), d("100"));
        assert_eq!(px(d("87.50")), "87.5");
    }

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

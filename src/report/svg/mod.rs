//! A report's [`Figure`] as inline SVG inside an HTML `<figure>`: the drawing, its text
//! alternative (an SVG `<title>` and `<desc>` listing every figure), a legend and a
//! caption that names the exact figures.
//!
//! No float is involved: a coordinate is `value / max × span` in decimals, rounded to
//! a tenth of a pixel, and only coordinates are ever rounded; every label is the exact
//! figure, written as the table writes it. Colours come from the page's style sheet
//! (classes `s0` to `s7`), so the light and dark schemes and print recolour a drawing.

mod bars;
mod columns;
mod cost;

use super::figure::{Figure, Group, Unit};
use crate::text::html as escape;
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
        Figure::Cost { chart, volume } => cost::draw(chart, *volume),
        Figure::Bars(b) => bars::draw(b),
        Figure::Columns(c) => match c.folded(COLOURS) {
            Some(folded) => columns::draw(&folded),
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

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
pub(super) mod tests {
    use super::*;

    pub(super) fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    pub(super) fn drawn(figure: &Figure) -> String {
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
}

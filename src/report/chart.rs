//! A text chart of monthly cost against volume, for the terminal table only: each API
//! model is a straight line (its price × images), dedicated GPUs a staircase (one more
//! GPU each time a GPU's capacity is passed), so the volume where a model's line crosses
//! the GPUs' is visible at a glance. Markdown, CSV and JSON carry the figures instead;
//! the HTML page draws the same chart as SVG (`svg/`).
//!
//! Positions are computed from exact decimals with integer division; the only figures
//! printed are the axis ends, which are exact.

use crate::money::{self, Usd};
use rust_decimal::Decimal;

/// How a series' monthly cost grows with the volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// `usd × images`: an API model.
    PerImage(Decimal),
    /// `usd × ceil(images / every)`, and at least one: dedicated GPUs, `every` images
    /// each (a GPU is rented before the first image is made).
    Steps { usd: Decimal, every: u64 },
}

impl Cost {
    /// The cost at `images` a month; `None` if it does not fit a decimal.
    pub fn at(self, images: u64) -> Option<Decimal> {
        match self {
            Cost::PerImage(usd) => money::mul(usd, Decimal::from(images)).ok(),
            Cost::Steps { usd, every } => {
                let gpus = images.div_ceil(every.max(1)).max(1);
                money::mul(usd, Decimal::from(gpus)).ok()
            }
        }
    }
}

/// One line of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub symbol: char,
    pub label: String,
    pub cost: Cost,
}

/// A chart: its series over `0..=x_max` images a month, costs clipped at `y_max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    pub x_max: u64,
    pub y_max: Decimal,
    pub series: Vec<Series>,
}

/// Rows in the plot area.
const HEIGHT: usize = 12;
/// The plot area's widest, in columns.
const MAX_PLOT: usize = 64;
/// The plot area's narrowest; a terminal narrower than this gets no chart.
const MIN_PLOT: usize = 20;

/// The smallest "round" number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at least `d`:
/// an axis end that reads well and leaves little empty space.
/// `d` itself when no round number that large fits a decimal.
pub fn round_up(d: Decimal) -> Decimal {
    if d <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let mut unit = Decimal::ONE;
    while unit > d {
        unit /= Decimal::TEN;
    }
    while let Some(next) = unit.checked_mul(Decimal::TEN).filter(|n| *n <= d) {
        unit = next;
    }
    // 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 and 10, in tenths.
    for tenths in [10u8, 15, 20, 25, 30, 40, 50, 60, 80, 100] {
        let step = Decimal::new(i64::from(tenths), 1);
        match unit.checked_mul(step) {
            Some(end) if end >= d => return end.normalize(),
            Some(_) => {}
            None => break,
        }
    }
    d
}

/// `value × (cells - 1) / max`, rounded to the nearest cell; `None` past `max`.
fn cell(value: Decimal, max: Decimal, cells: usize) -> Option<usize> {
    if value > max {
        return None;
    }
    let scaled = money::mul(value, Decimal::from(cells.saturating_sub(1))).ok()?;
    let index = money::div_rounded(scaled, max, 0)?;
    usize::try_from(index.mantissa()).ok()
}

impl Chart {
    /// The chart drawn to fit `width` columns (nothing when the terminal is too narrow):
    /// a title, the plot with its y axis, the x axis, and a legend.
    pub fn render(&self, width: usize) -> Vec<String> {
        let y_top = Usd::new(self.y_max).to_string();
        let margin = y_top.chars().count().max(5) + 1;
        let plot = width.saturating_sub(margin + 1).min(MAX_PLOT);
        if plot < MIN_PLOT || self.x_max == 0 || self.y_max <= Decimal::ZERO {
            return Vec::new();
        }
        let mut grid = vec![vec![' '; plot]; HEIGHT];
        for s in &self.series {
            let mut previous: Option<usize> = None;
            for c in 0..plot {
                let x = x_at(self.x_max, c, plot);
                let Some(y) = s.cost.at(x) else { break };
                let Some(row) = cell(y, self.y_max, HEIGHT) else {
                    // Clipped: above the top of the chart from here on, for a rising line.
                    if let Some(p) = previous {
                        for r in p..HEIGHT {
                            set(&mut grid, r, c, s.symbol);
                        }
                    }
                    previous = None;
                    continue;
                };
                // Fill the rise since the previous column, so steep lines stay unbroken.
                let from = previous.map_or(row, |p| p.min(row));
                for r in from..=row {
                    set(&mut grid, r, c, s.symbol);
                }
                previous = Some(row);
            }
        }
        let mut out = super::wrap::wrap_prose(&self.title, width, 2);
        let half = Usd::new(self.y_max / Decimal::TWO).to_string();
        for (r, line) in grid.iter().enumerate().rev() {
            let label = match r {
                _ if r == HEIGHT - 1 => y_top.clone(),
                _ if r == HEIGHT / 2 => half.clone(),
                0 => "$0".to_owned(),
                _ => String::new(),
            };
            let row: String = line.iter().collect();
            out.push(format!("{label:>margin$}┤{}", row.trim_end()));
        }
        let axis = format!("{:>margin$}└{}", "", "─".repeat(plot));
        out.push(axis);
        let right = money::count_display(self.x_max);
        let mid = money::count_display(self.x_max / 2);
        let mut ticks = vec![' '; plot + 1];
        put(&mut ticks, 0, "0");
        // The middle label only where it leaves a space on both sides: labels that ran
        // into each other would read as one wrong number.
        let mid_at = (plot / 2).saturating_sub(mid.len() / 2);
        let right_at = (plot + 1).saturating_sub(right.len());
        if mid_at >= 2 && mid_at + mid.len() < right_at {
            put(&mut ticks, mid_at, &mid);
        }
        put(&mut ticks, right_at, &right);
        out.push(format!(
            "{:>margin$}{}",
            "",
            ticks.iter().collect::<String>().trim_end()
        ));
        // The legend, as many entries a line as fit the width.
        let mut line = String::new();
        for entry in self
            .series
            .iter()
            .map(|s| format!("{} {}", s.symbol, s.label))
        {
            let needed = if line.is_empty() {
                entry.chars().count()
            } else {
                3 + entry.chars().count()
            };
            if !line.is_empty() && margin + 1 + line.chars().count() + needed > width {
                out.push(format!("{:>margin$} {line}", ""));
                line.clear();
            }
            if !line.is_empty() {
                line.push_str("   ");
            }
            line.push_str(&entry);
        }
        if !line.is_empty() {
            out.push(format!("{:>margin$} {line}", ""));
        }
        out
    }
}

/// The volume at column `c` of `plot`: `x_max × c / (plot - 1)`, in integers wide
/// enough that no product wraps; never more than `x_max`.
fn x_at(x_max: u64, c: usize, plot: usize) -> u64 {
    let last = u128::try_from(plot.saturating_sub(1).max(1)).unwrap_or(u128::MAX);
    let c = u128::try_from(c).unwrap_or(u128::MAX).min(last);
    u64::try_from(u128::from(x_max) * c / last).unwrap_or(x_max)
}

fn set(grid: &mut [Vec<char>], row: usize, column: usize, symbol: char) {
    if let Some(cell) = grid.get_mut(row).and_then(|r| r.get_mut(column)) {
        *cell = symbol;
    }
}

fn put(line: &mut [char], at: usize, text: &str) {
    for (i, ch) in text.chars().enumerate() {
        if let Some(slot) = line.get_mut(at + i) {
            *slot = ch;
        }
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn round_numbers() {
        assert_eq!(round_up(d("1800")), d("2000"));
        assert_eq!(round_up(d("3600")), d("4000"));
        assert_eq!(round_up(d("250000")), d("250000"));
        assert_eq!(round_up(d("200001")), d("250000"));
        assert_eq!(round_up(d("0.07")), d("0.08"));
        assert_eq!(round_up(d("5")), d("5"));
        assert_eq!(round_up(d("11")), d("15"));
        // Near the largest decimal there is no round number above: the value itself.
        assert_eq!(round_up(Decimal::MAX), Decimal::MAX);
        let near = Decimal::MAX - Decimal::ONE;
        assert_eq!(round_up(near), near);
        // 8 × 10^28 does not fit, so 7 × 10^28 stays itself; 6 × 10^28 does.
        assert_eq!(
            round_up(d("70000000000000000000000000000")),
            d("70000000000000000000000000000")
        );
        assert_eq!(
            round_up(d("55000000000000000000000000000")),
            d("60000000000000000000000000000")
        );
    }

    #[test]
    fn volumes_near_the_largest_count_do_not_wrap() {
        // 10^19 images over 64 columns: column 63 is the axis end, column 32 about half.
        let x_max = 10_000_000_000_000_000_000;
        assert_eq!(x_at(x_max, 63, 64), x_max);
        assert_eq!(x_at(x_max, 0, 64), 0);
        assert_eq!(x_at(x_max, 32, 64), 5_079_365_079_365_079_365);
        assert_eq!(x_at(u64::MAX, 63, 64), u64::MAX);
    }

    #[test]
    fn a_line_crosses_the_gpu_where_its_break_even_is() {
        // One GPU at $1,800 against $0.08 an image: they cross at 22,500 images, the
        // middle of a 0..45,000 axis.
        let chart = Chart {
            title: "cost".into(),
            x_max: 45_000,
            y_max: d("3600"),
            series: vec![
                Series {
                    symbol: '=',
                    label: "1 GPU".into(),
                    cost: Cost::Steps {
                        usd: d("1800"),
                        every: 648_000,
                    },
                },
                Series {
                    symbol: '7',
                    label: "ultra".into(),
                    cost: Cost::PerImage(d("0.08")),
                },
            ],
        };
        let lines = chart.render(80);
        assert_eq!(lines.first().unwrap(), "cost");
        // The GPU is a flat line at half the height; ultra rises through it mid-chart.
        let gpu_row = lines.iter().find(|l| l.contains('=')).unwrap();
        let column = gpu_row.find('7').unwrap();
        let start = gpu_row.find('┤').unwrap() + '┤'.len_utf8();
        let plot_width = gpu_row.chars().count() - gpu_row[..start].chars().count();
        let at = gpu_row[start..column].chars().count();
        assert!(at.abs_diff(plot_width / 2) <= 2, "{gpu_row}");
        assert!(lines.iter().any(|l| l.contains("$1,800.00┤")), "{lines:#?}");
        assert!(lines.last().unwrap().contains("= 1 GPU   7 ultra"));
        // Too narrow for a chart: nothing.
        assert!(chart.render(20).is_empty());
    }
}

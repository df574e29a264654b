//! The report every command produces, and the output formats that render it.
//!
//! A command builds one [`Report`]: a table (columns, rows, an optional total row), lines
//! to show around it, notes, and the JSON body. Each format has one renderer returning a
//! `String`, so each can be tested on its own; only `main` prints.

mod csv;
mod json;
mod markdown;
mod table;

use crate::money;
use crate::rates::RateCard;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned table for terminals (the default).
    #[default]
    Table,
    /// One JSON object; every credit and money value is a decimal string.
    Json,
    /// Header row, one row per line, then a `total` row.
    Csv,
    /// A GitHub table, ready for a pull request or a job summary.
    Markdown,
}

/// One table cell; each renderer decides how the kind is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Credits: `16,000`, `6.5`.
    Credits(Decimal),
    /// Dollars: `$160.00`, `$0.065`.
    Usd(Decimal),
    /// An estimate in dollars, already rounded: `≈ $41.67`.
    ApproxUsd(Decimal),
    /// A whole count: `2,000`.
    Count(u64),
    /// A plain decimal such as a multiplier: `0.25`.
    Number(Decimal),
    /// A ratio, already rounded: `2.67×`.
    Ratio(Decimal),
    /// A bar of this many blocks (table format only).
    Bar(usize),
    Empty,
}

impl Cell {
    /// Text with `$`, thousands separators and symbols, for people.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Credits(d) | Cell::Number(d) => money::credits_display(*d),
            Cell::Usd(d) => money::usd_display(*d),
            Cell::ApproxUsd(d) => format!("≈ {}", money::usd_display(*d)),
            Cell::Count(n) => money::count_display(*n),
            Cell::Ratio(d) => format!("{}×", money::usd_plain(*d)),
            Cell::Bar(n) => "█".repeat(*n),
            Cell::Empty => String::new(),
        }
    }

    /// Bare values a spreadsheet reads as numbers: `16000`, `160.00`, `2.67`.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Credits(d) | Cell::Number(d) => money::credits_plain(*d),
            Cell::Usd(d) | Cell::ApproxUsd(d) | Cell::Ratio(d) => money::usd_plain(*d),
            Cell::Count(n) => n.to_string(),
            Cell::Bar(_) | Cell::Empty => String::new(),
        }
    }
}

/// A column: its header for people, its key for CSV, and how it is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub key: &'static str,
    pub numeric: bool,
    /// Shown only in the terminal table (the `compare` bars).
    pub table_only: bool,
}

impl Column {
    /// A left-aligned text column.
    pub const fn text(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: false,
            table_only: false,
        }
    }

    /// A right-aligned number column.
    pub const fn number(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: true,
            table_only: false,
        }
    }

    /// A column drawn only in the terminal table.
    pub const fn table_only(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: false,
            table_only: true,
        }
    }
}

/// What a command hands to a renderer.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Lines before the table (table and markdown formats).
    pub preface: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// The total row, whose first cell reads `total`.
    pub total: Option<Vec<Cell>>,
    /// Lines after the table: totals in words, top-ups, alternatives.
    pub summary: Vec<String>,
    /// Caveats, shown as `note: …`.
    pub notes: Vec<String>,
    /// The JSON body, with `version`, `command` and `rate_card` first.
    pub json: Value,
    /// Priced lines serialized in place of the body's `lines` key, straight from typed
    /// fields: a generated million-step workflow would otherwise hold gigabytes of maps.
    pub json_lines: Option<Vec<JsonLine>>,
}

/// One priced line of `quote` or `workflow` in JSON; money values are decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonLine {
    pub service: String,
    pub name: String,
    pub category: &'static str,
    pub steps: Option<u32>,
    pub multiplier: String,
    pub credits_each: String,
    pub usd_each: String,
    pub per_asset_credits: String,
    pub per_asset_usd: String,
    pub credits: String,
    pub usd: String,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => table::render(report),
        Format::Json => json::render(report)?,
        Format::Csv => csv::render(report)?,
        Format::Markdown => markdown::render(report),
    })
}

/// The fields every JSON report starts with.
pub fn json_header(command: &str, card: &RateCard) -> Map<String, Value> {
    let p = &card.provenance;
    let mut m = Map::new();
    m.insert("version".into(), json!(1));
    m.insert("command".into(), json!(command));
    m.insert(
        "rate_card".into(),
        json!({
            "name": p.name,
            "effective": p.effective,
            "currency": p.currency,
            "source": p.source,
            "origin": p.origin,
        }),
    );
    m
}

/// Credits as a JSON decimal string.
pub fn json_credits(d: Decimal) -> Value {
    Value::String(money::credits_plain(d))
}

/// Dollars as a JSON decimal string with at least two decimals.
pub fn json_usd(d: Decimal) -> Value {
    Value::String(money::usd_plain(d))
}

/// The columns a renderer shows: all of them, or all but the table-only ones.
fn visible(report: &Report, with_table_only: bool) -> Vec<usize> {
    (0..report.columns.len())
        .filter(|&i| with_table_only || !report.columns.get(i).is_some_and(|c| c.table_only))
        .collect()
}

/// Every row to show, the total row last.
fn all_rows(report: &Report) -> impl Iterator<Item = &Vec<Cell>> {
    report.rows.iter().chain(report.total.iter())
}

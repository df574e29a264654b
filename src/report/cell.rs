//! What a report's table is made of: its [`Column`]s (header, key, how the terminal may
//! narrow it) and its [`Cell`]s, each a kind of figure or text that every renderer shows
//! in its own way (for people, or bare for programs).

use crate::money::{self, Approx, Credits, Percent, Ratio, Usd};
use rust_decimal::Decimal;

/// One table cell; each renderer decides how the kind is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Credits: `16,000`, `6.5`.
    Credits(Credits),
    /// A change in credits, signed: `+2`, `-0.5`.
    CreditsChange(Credits),
    /// Dollars: `$160.00`, `$0.065`.
    Usd(Usd),
    /// A change in dollars, signed: `+$100.00`, `-$5.00`.
    UsdChange(Usd),
    /// A dollar estimate, rounded once: `≈ $41.67`.
    Approx(Approx),
    /// A whole count: `2,000`. Wide enough for a sum of `u64` counts (a forecast's
    /// assets over months).
    Count(u128),
    /// A plain decimal such as a multiplier: `0.25`.
    Decimal(Decimal),
    /// A ratio, rounded once: `2.67×`.
    Ratio(Ratio),
    /// A percentage, rounded once: `28.17%`.
    Percent(Percent),
    /// A change in percent, rounded once, signed: `+66.67%`.
    PercentChange(Percent),
    /// A bar of this many blocks (table format only).
    Bar(usize),
    /// A figure that does not exist (a discontinued service's price): `—` for
    /// people, an empty cell for programs.
    Missing,
    /// A word where a figure goes (`beyond 1 GPU`, `today`, `new`, `<0.01%`): `text`
    /// for people; programs get `value`, which is a number, a date or nothing, so a
    /// CSV number or date column holds only those.
    Word {
        text: String,
        value: String,
    },
    /// The label of a total row: `total` for people. In CSV an empty cell, so the
    /// total row is the one row whose first cell is empty, whatever the lines are
    /// named (a workload or a tag may be called `total`).
    Total,
    Empty,
}

impl Cell {
    /// A word where a figure goes, with no figure behind it: `text` for people, an
    /// empty cell for programs.
    pub fn word(text: &str) -> Cell {
        Cell::Word {
            text: text.to_owned(),
            value: String::new(),
        }
    }

    /// A whole count of any unsigned width.
    pub fn count(n: impl Into<u128>) -> Cell {
        Cell::Count(n.into())
    }

    /// Text with `$`, thousands separators and symbols, for people.
    pub fn display(&self) -> String {
        match self {
            // Text may come from a file (a card, a plan): never raw to a terminal.
            Cell::Text(s) => crate::text::printable(s).into_owned(),
            Cell::Credits(c) => c.to_string(),
            Cell::CreditsChange(c) => c.signed(),
            Cell::Usd(u) => u.to_string(),
            Cell::UsdChange(u) => u.signed(),
            Cell::Approx(a) => a.to_string(),
            Cell::Count(n) => money::count_display(*n),
            Cell::Decimal(d) => money::decimal_display(*d),
            Cell::Ratio(r) => r.to_string(),
            Cell::Percent(p) => p.to_string(),
            Cell::PercentChange(p) => p.signed(),
            Cell::Bar(n) => "█".repeat(*n),
            Cell::Missing => "—".to_owned(),
            Cell::Word { text, .. } => text.clone(),
            Cell::Total => "total".to_owned(),
            Cell::Empty => String::new(),
        }
    }

    /// Bare values a spreadsheet reads as numbers: `16000`, `160.00`, `2.67`.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Credits(c) | Cell::CreditsChange(c) => c.plain(),
            Cell::Usd(u) | Cell::UsdChange(u) => u.plain(),
            Cell::Approx(a) => a.usd().plain(),
            Cell::Count(n) => n.to_string(),
            Cell::Decimal(d) => money::decimal_plain(*d),
            Cell::Ratio(r) => r.plain(),
            Cell::Percent(p) | Cell::PercentChange(p) => p.plain(),
            Cell::Word { value, .. } => value.clone(),
            Cell::Bar(_) | Cell::Missing | Cell::Total | Cell::Empty => String::new(),
        }
    }
}

/// What the terminal table may do to a column when the table is wider than the
/// terminal. Columns are given up in `rank` order, lowest first; a figure never is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// Always shown in full: ids and every figure (only a long header may wrap).
    Keep,
    /// Dropped whole when space runs out: a long name beside an id.
    Drop { rank: u8 },
    /// Prose shortened to as few as `min` columns with `…`, then dropped.
    Cut { rank: u8, min: usize },
    /// Prose wrapped onto more lines, as narrow as `min` columns, then dropped.
    Wrap { rank: u8, min: usize },
    /// Bars drawn shorter in proportion, as short as `min` blocks, then dropped.
    Scale { rank: u8, min: usize },
    /// A row's name (a swap, a lever): wrapped onto more lines, as narrow as `min`
    /// columns, after every other text; never dropped, since the figures beside it
    /// would say nothing (the rows become blocks of lines first).
    Name { min: usize },
}

impl Shrink {
    /// The order in which a column is given up; `None` for a column never given up.
    pub(crate) fn rank(self) -> Option<u8> {
        match self {
            Shrink::Keep => None,
            Shrink::Drop { rank }
            | Shrink::Cut { rank, .. }
            | Shrink::Wrap { rank, .. }
            | Shrink::Scale { rank, .. } => Some(rank),
            Shrink::Name { .. } => Some(u8::MAX),
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
    /// How the terminal table may narrow it to fit the terminal.
    pub shrink: Shrink,
}

impl Column {
    /// A left-aligned text column, always shown.
    pub const fn text(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: false,
            table_only: false,
            shrink: Shrink::Keep,
        }
    }

    /// A right-aligned number column, always shown in full.
    pub const fn number(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: true,
            table_only: false,
            shrink: Shrink::Keep,
        }
    }

    /// A column drawn only in the terminal table.
    pub const fn table_only(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            numeric: false,
            table_only: true,
            shrink: Shrink::Keep,
        }
    }

    /// The same column, narrowed by `shrink` when the terminal is too narrow. A number
    /// column keeps its figures whatever `shrink` says.
    #[must_use]
    pub const fn shrink(mut self, shrink: Shrink) -> Self {
        if !self.numeric {
            self.shrink = shrink;
        }
        self
    }
}

//! What `usage` found, as data and as JSON: the rows per group, their total, what became
//! of every record, the unpriced values, where the malformed records are, and the cards
//! that priced the calls. The command's report serializes this, not a copy of it.

use super::GroupKey;
use super::tally;
use crate::date::Date;
use crate::money::{Credits, Usd};
use crate::rates::{Origin, Provenance};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};

/// One row: its group's key, its calls and what the charged ones cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub keys: Vec<String>,
    pub charged: u64,
    pub not_charged: u64,
    pub credits: Decimal,
    pub usd: Decimal,
}

/// The calls of one day, tag and service, and what the charged ones cost: the figures a
/// plan is set against, counted with [`super::Options::daily`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    /// `None`: the calls had no time.
    pub day: Option<Date>,
    /// `None`: no label.
    pub tag: Option<String>,
    /// The service's id (`(unknown)` for calls not charged that matched none).
    pub service: String,
    pub charged: u64,
    pub not_charged: u64,
    pub credits: Decimal,
    pub usd: Decimal,
}

/// The cards that priced charged calls, with how many each priced.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    pub used: Vec<(Provenance, u64)>,
}

/// What the logs cost, and what became of every record.
#[derive(Debug, Clone)]
pub struct Usage {
    pub group_by: Vec<GroupKey>,
    pub rows: Vec<Row>,
    /// The rows added up (its `keys` are empty).
    pub total: Row,
    pub(super) counts: tally::Counts,
    /// Unpriced calls by what they were, most first.
    pub unpriced: Vec<(String, u64)>,
    /// The files and line numbers of the first malformed records.
    pub malformed_lines: Vec<(String, u64)>,
    pub cards: Cards,
    /// Unpriced calls to a shared endpoint (sd3) that named no model: `--sd3-model`
    /// prices them.
    pub no_model: u64,
    /// The calls per day, tag and service, in order of day and tag, with
    /// [`super::Options::daily`]; empty without. Not in the JSON: reports derive their
    /// figures from it.
    pub daily: Vec<Spend>,
    /// What the calls would have cost, with [`super::Options::what_if`]. Not in this
    /// JSON: the what-if report serializes it beside.
    pub what_if: Option<super::whatif::WhatIf>,
}

/// What became of the records read; `read` is the sum of the six counts after it. JSON
/// `records`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Accounting {
    pub read: u64,
    pub charged: u64,
    pub not_charged: u64,
    pub not_billable: u64,
    pub unpriced: u64,
    pub malformed: u64,
    pub outside_range: u64,
    /// Of the counted records, those without a time and those without a status.
    pub undated: u64,
    pub no_status: u64,
    /// Blank lines skipped (not records).
    pub blank_lines: u64,
}

impl Usage {
    /// What became of every record.
    pub fn accounting(&self) -> Accounting {
        let c = &self.counts;
        Accounting {
            read: c.records,
            charged: self.total.charged,
            not_charged: self.total.not_charged,
            not_billable: c.not_billable,
            unpriced: self.unpriced.iter().map(|(_, n)| n).sum(),
            malformed: c.malformed,
            outside_range: c.outside,
            undated: c.undated,
            no_status: c.no_status,
            blank_lines: c.blank,
        }
    }
}

impl Serialize for GroupKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// JSON: `group_by`, `lines` (each row's keys by name, then `calls`, `not_charged`,
/// `credits`, `usd`), `total`, `records`, `unpriced` ({`value`, `calls`}), `malformed`
/// ({`records`, `first`: [{`file`, `line`}]}), `cards` ({`name`, `effective`,
/// `origin`, `calls`}).
impl Serialize for Usage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.accounting();
        let mut m = s.serialize_struct("Usage", 7)?;
        m.serialize_field("group_by", &self.group_by)?;
        m.serialize_field("lines", &Lines(self))?;
        m.serialize_field("total", &Figures(&self.total))?;
        m.serialize_field("records", &a)?;
        m.serialize_field("unpriced", &Unpriced(&self.unpriced))?;
        m.serialize_field(
            "malformed",
            &Malformed {
                records: a.malformed,
                first: &self.malformed_lines,
            },
        )?;
        m.serialize_field("cards", &CardsUsed(&self.cards.used))?;
        m.end()
    }
}

/// The rows, each keyed by the group's names.
struct Lines<'u>(&'u Usage);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&Keyed(&self.0.group_by, row))?;
        }
        seq.end()
    }
}

/// A row: its keys by name, then its figures.
struct Keyed<'u>(&'u [GroupKey], &'u Row);

impl Serialize for Keyed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Keyed(names, row) = self;
        let mut m = s.serialize_map(Some(names.len() + 4))?;
        for (k, v) in names.iter().zip(&row.keys) {
            m.serialize_entry(k.name(), v)?;
        }
        figures(&mut m, row)?;
        m.end()
    }
}

/// A row's figures alone (the total).
struct Figures<'u>(&'u Row);

impl Serialize for Figures<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        figures(&mut m, self.0)?;
        m.end()
    }
}

fn figures<M: SerializeMap>(m: &mut M, row: &Row) -> Result<(), M::Error> {
    m.serialize_entry("calls", &row.charged)?;
    m.serialize_entry("not_charged", &row.not_charged)?;
    m.serialize_entry("credits", &Credits::new(row.credits))?;
    m.serialize_entry("usd", &Usd::new(row.usd))
}

struct Unpriced<'u>(&'u [(String, u64)]);

impl Serialize for Unpriced<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Value<'a> {
            value: &'a str,
            calls: u64,
        }
        s.collect_seq(self.0.iter().map(|(value, calls)| Value {
            value,
            calls: *calls,
        }))
    }
}

#[derive(Serialize)]
struct Malformed<'u> {
    records: u64,
    #[serde(serialize_with = "at_lines")]
    first: &'u [(String, u64)],
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with hands over a reference to the field"
)]
fn at_lines<S: Serializer>(first: &&[(String, u64)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct At<'a> {
        file: &'a str,
        line: u64,
    }
    s.collect_seq(first.iter().map(|(file, line)| At { file, line: *line }))
}

struct CardsUsed<'u>(&'u [(Provenance, u64)]);

impl Serialize for CardsUsed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Use<'a> {
            name: &'a str,
            effective: &'a str,
            origin: &'a Origin,
            calls: u64,
        }
        s.collect_seq(self.0.iter().map(|(p, calls)| Use {
            name: &p.name,
            effective: &p.effective,
            origin: &p.origin,
            calls: *calls,
        }))
    }
}

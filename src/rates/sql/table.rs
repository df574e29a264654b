//! The table as SQL statements: a header of comments, `CREATE TABLE`, then one `INSERT`
//! per card, in the types and literals of each engine. Every statement ends with the only
//! `;` it holds: comments never carry one (card names are written with `,` instead) and a
//! value that holds one is refused, so splitting the text on `;` gives the statements.

use super::Dialect;
use super::rows::Row;
use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::money;
use crate::rates::model::RateCard;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A `DECIMAL(p, s)` column's digits: `p` in all, `s` after the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digits {
    pub(super) p: u32,
    pub(super) s: u32,
}

/// The digits a column needs to hold every one of `values` exactly, with room to spare:
/// at least 18 in all and 2 decimals.
pub(super) fn digits(values: impl Iterator<Item = Decimal>) -> UserResult<Digits> {
    let (mut int, mut s) = (1u32, 2u32);
    for v in values {
        let v = v.normalize();
        s = s.max(v.scale());
        let whole = v.trunc().abs().to_string().len();
        int = int.max(u32::try_from(whole).unwrap_or(u32::MAX));
    }
    let p = (int + s).max(18);
    if p > 38 {
        return Err(UserError::new(
            "a price has more digits than a SQL DECIMAL holds (38)",
        ));
    }
    Ok(Digits { p, s })
}

/// The SQL types of one engine.
struct Types {
    text: &'static str,
    int: &'static str,
    boolean: &'static str,
    /// BigQuery's `NUMERIC` keeps 9 decimals in arithmetic: a card whose credits times
    /// its dollars per credit need more is written `BIGNUMERIC` (38).
    big: bool,
    dialect: Dialect,
}

impl Types {
    fn new(dialect: Dialect, credits: Digits, usd: Digits) -> Types {
        let (text, int, boolean) = match dialect {
            Dialect::DuckDb => ("VARCHAR", "INTEGER", "BOOLEAN"),
            Dialect::Postgres => ("TEXT", "INTEGER", "BOOLEAN"),
            Dialect::Spark => ("STRING", "INT", "BOOLEAN"),
            Dialect::BigQuery => ("STRING", "INT64", "BOOL"),
        };
        Types {
            text,
            int,
            boolean,
            big: dialect == Dialect::BigQuery && credits.s + usd.s > 9,
            dialect,
        }
    }

    fn decimal(&self, d: Digits) -> String {
        match self.dialect {
            Dialect::DuckDb | Dialect::Spark => format!("DECIMAL({},{})", d.p, d.s),
            Dialect::Postgres => format!("NUMERIC({},{})", d.p, d.s),
            Dialect::BigQuery if self.big => format!("BIGNUMERIC({}, {})", d.p, d.s),
            Dialect::BigQuery => format!("NUMERIC({}, {})", d.p, d.s),
        }
    }

    /// A string literal. Spark and BigQuery read `\` as an escape; the others only `''`.
    fn text_literal(&self, s: &str) -> UserResult<String> {
        if s.contains(';') {
            return Err(UserError::new(format!(
                "'{}' holds a ';', which the SQL keeps for the end of a statement",
                crate::text::printable(s)
            ))
            .hint("API paths have no ';': correct the card's endpoint"));
        }
        Ok(match self.dialect {
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", s.replace('\'', "''")),
            Dialect::Spark | Dialect::BigQuery => {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
        })
    }

    /// An exact decimal literal: BigQuery reads a bare `0.9` as a float.
    fn decimal_literal(&self, d: Decimal) -> String {
        let plain = money::decimal_plain(d);
        match self.dialect {
            Dialect::BigQuery if self.big => format!("BIGNUMERIC '{plain}'"),
            Dialect::BigQuery => format!("NUMERIC '{plain}'"),
            _ => plain,
        }
    }
}

fn date(d: Option<Date>) -> String {
    d.map_or_else(|| "NULL".to_owned(), |d| format!("DATE '{d}'"))
}

fn int(n: Option<u32>) -> String {
    n.map_or_else(|| "NULL".to_owned(), |n| n.to_string())
}

/// Text for a `--` comment: one line, and no `;`.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ';' => ',',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// What a column holds, for its type.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Bool,
    Credits,
    Usd,
    Date,
}

/// The table's columns, in order: name, kind, `NOT NULL`, and what it means.
#[rustfmt::skip]
const COLUMNS: [(&str, Kind, bool, &str); 15] = [
    ("service", Kind::Text, true, "stabcost's service id: the one called, or the one the API re-routes it to"),
    ("endpoint", Kind::Text, false, "the API path a call is made to (NULL: the row matches a call that names its service instead)"),
    ("name", Kind::Text, false, "lower-case: on a path several services share, the call's model, '' for none (with no path, its service)"),
    ("credits", Kind::Credits, true, "credits per call (per image when per_sample)"),
    ("step_credits", Kind::Credits, false, "step-scaled: credits per step above steps_included"),
    ("steps_included", Kind::Int, false, "step-scaled: steps `credits` covers (0: none)"),
    ("steps_default", Kind::Int, false, "step-scaled: the steps of a call that gives none"),
    ("steps_min", Kind::Int, false, "step-scaled: fewest steps the API takes"),
    ("steps_max", Kind::Int, false, "step-scaled: most steps the API takes"),
    ("per_sample", Kind::Bool, true, "the price is per image: times the call's samples"),
    ("credit_usd", Kind::Usd, true, "dollars per credit"),
    ("effective_from", Kind::Date, false, "first day of the row's price: the card's, or the service's when later (NULL: any day)"),
    ("effective_until", Kind::Date, false, "last day of the card's prices (NULL: still in force)"),
    ("sold_until", Kind::Date, false, "a discontinued service's last day on sale"),
    ("undated_day", Kind::Date, true, "the day a call without a time is priced as made on"),
];

/// The statements for `rows` of `cards`, for a table named `table` (`name` as written in
/// the SQL).
pub(super) fn render(
    cards: &[RateCard],
    rows: &[Row],
    dialect: Dialect,
    table: &str,
    name: &str,
) -> UserResult<String> {
    let credits = digits(
        rows.iter()
            .flat_map(|r| [Some(r.credits), r.step_credits])
            .flatten(),
    )?;
    let usd = digits(rows.iter().map(|r| r.credit_usd))?;
    let t = Types::new(dialect, credits, usd);
    let mut out = header(cards, dialect, table);
    create(&mut out, &t, name, credits, usd);
    for chunk in rows.chunk_by(|a, b| a.card == b.card) {
        let _ = writeln!(out, "INSERT INTO {name} VALUES");
        for (i, r) in chunk.iter().enumerate() {
            let end = if i + 1 == chunk.len() { ";" } else { "," };
            let _ = writeln!(out, "  ({}){end}", values(&t, r)?);
        }
    }
    Ok(out)
}

/// The comments above the statements: what wrote them, from which cards, and how to
/// read a row.
fn header(cards: &[RateCard], dialect: Dialect, table: &str) -> String {
    let mut out = String::new();
    let mut command = format!("stabcost rates --format sql --dialect {}", dialect.arg());
    if table != super::TABLE {
        let _ = write!(command, " --table {table}");
    }
    let _ = writeln!(
        out,
        "-- stabcost {}: the prices, for {}, as\n-- `{command}` writes them.",
        env!("CARGO_PKG_VERSION"),
        dialect.name()
    );
    for c in cards {
        let card = format!(
            "{} (effective {}, {})",
            c.provenance.name, c.provenance.effective, c.provenance.origin
        );
        let _ = writeln!(out, "-- card: {}", comment(&card));
    }
    if cards.len() == 1 {
        let _ = writeln!(
            out,
            "-- One card: it prices every call, whatever its date (effective_from and effective_until are NULL)."
        );
    }
    let query = command.replacen("--format sql", "--format sql --query", 1);
    let _ = write!(
        out,
        "\
-- Prices are in credits, exact. A call costs `credits`, or, for a step-scaled service
-- above `steps_included` steps, `credits + step_credits * (steps - steps_included)`,
-- times its `samples` when `per_sample`. In dollars: credits * credit_usd. Only 2xx
-- calls are charged. A call without a time is priced as made on `undated_day`: the
-- --as-of day, else 9999-12-31, by the newest card (so not for a service discontinued
-- since).
-- The query that prices a log with this table:
-- `{query}`.
"
    );
    out
}

/// `CREATE TABLE`, a column a line, each with what it means.
fn create(out: &mut String, t: &Types, name: &str, credits: Digits, usd: Digits) {
    let types: Vec<String> = COLUMNS
        .iter()
        .map(|&(_, kind, not_null, _)| {
            let ty = match kind {
                Kind::Text => t.text.to_owned(),
                Kind::Int => t.int.to_owned(),
                Kind::Bool => t.boolean.to_owned(),
                Kind::Credits => t.decimal(credits),
                Kind::Usd => t.decimal(usd),
                Kind::Date => "DATE".to_owned(),
            };
            if not_null {
                format!("{ty} NOT NULL")
            } else {
                ty
            }
        })
        .collect();
    let width = types.iter().map(String::len).max().unwrap_or(0) + 1;
    let _ = writeln!(out, "CREATE TABLE {name} (");
    for (i, ((column, _, _, note), ty)) in COLUMNS.iter().zip(&types).enumerate() {
        let ty = format!("{ty}{}", if i + 1 == COLUMNS.len() { "" } else { "," });
        let _ = writeln!(out, "    {column:<15} {ty:<width$} -- {note}");
    }
    let using = if t.dialect == Dialect::Spark {
        " USING parquet"
    } else {
        ""
    };
    let _ = writeln!(out, "){using};");
}

/// A row's values, in the order of [`COLUMNS`].
fn values(t: &Types, r: &Row) -> UserResult<String> {
    let text = |s: Option<&str>| s.map_or_else(|| Ok("NULL".to_owned()), |s| t.text_literal(s));
    let dec = |d: Option<Decimal>| d.map_or_else(|| "NULL".to_owned(), |d| t.decimal_literal(d));
    let st = r.steps;
    Ok([
        t.text_literal(&r.service)?,
        text(r.endpoint.as_deref())?,
        text(r.name.as_deref())?,
        dec(Some(r.credits)),
        dec(r.step_credits),
        int(st.map(|s| s.included)),
        int(st.map(|s| s.default)),
        int(st.map(|s| s.min)),
        int(st.map(|s| s.max)),
        (if r.per_sample { "TRUE" } else { "FALSE" }).to_owned(),
        dec(Some(r.credit_usd)),
        date(r.from),
        date(r.until),
        date(r.sold_until),
        date(Some(r.undated_day)),
    ]
    .join(", "))
}

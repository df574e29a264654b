//! `stabcost rates --format sql`: the cards as one SQL table, and the query that prices a
//! log with it, for teams whose logs live in a warehouse. Each is written for one engine
//! ([`Dialect`]) and loads there as written, one statement per `;` (no `;` in a comment or
//! a value), with that engine's own types. Every price is an exact decimal; each row says
//! which days its card was in force, so one join prices every call by the card of its day,
//! as `stabcost usage` does. The README's "In a warehouse: SQL" section gives the commands
//! per engine, and `tests/sql/check.py` runs them against `stabcost usage`.
//!
//! One job per file:
//! - `rows`: the table's rows, matched as `usage` matches a call (`src/usage/catalog.rs`);
//! - `table`: the `CREATE TABLE` and `INSERT` statements, in each engine's types;
//! - `query`: the pricing query, in each engine's functions.

mod query;
mod rows;
mod table;

use super::model::RateCard;
use crate::error::{UserError, UserResult};

/// The table's name when `--table` gives none.
pub const TABLE: &str = "stabcost_prices";

/// The SQL engines the table and the query are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    DuckDb,
    Postgres,
    /// Spark SQL: a data source table (`USING parquet`), no Hive needed.
    Spark,
    BigQuery,
}

impl Dialect {
    /// The engine's name, for the SQL's header.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Spark => "Spark SQL",
            Dialect::BigQuery => "BigQuery",
        }
    }

    /// The `--dialect` value that picks it.
    pub fn arg(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::Spark => "spark",
            Dialect::BigQuery => "bigquery",
        }
    }
}

/// The SQL for `cards`, oldest first, as one table named `table` in `dialect`. With
/// several cards, each is in force from its effective date to the day before the next's;
/// a single card (`--rates`, `--as-of`) prices every call, whatever its date, as `usage`
/// with that card does.
pub fn write(cards: &[RateCard], dialect: Dialect, table: &str) -> UserResult<String> {
    let name = table_name(table, dialect)?;
    let rows = rows::rows(cards)?;
    table::render(cards, &rows, dialect, table, &name)
}

/// The query that prices the view `calls` with the table `table`, in `dialect`: calls,
/// credits and dollars per service, as `stabcost usage --group-by service` reports them.
pub fn query(dialect: Dialect, table: &str) -> UserResult<String> {
    let name = table_name(table, dialect)?;
    Ok(query::render(dialect, table, &name))
}

/// `NAME` as the engine reads it: one to three identifiers joined by `.`
/// (`catalog.schema.table`), each ASCII letters, digits and `_`, not starting with a digit;
/// in BigQuery a project id may hold `-` as well, and the whole name is then quoted.
fn table_name(name: &str, dialect: Dialect) -> UserResult<String> {
    let parts: Vec<&str> = name.split('.').collect();
    let word = |p: &str, dash: bool| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || (dash && c == '-'))
    };
    let project_dash = dialect == Dialect::BigQuery && parts.len() == 3;
    let ok = (1..=3).contains(&parts.len())
        && parts
            .iter()
            .enumerate()
            .all(|(i, p)| word(p, project_dash && i == 0));
    if !ok {
        let shown = crate::text::printable(name);
        return Err(UserError::new(format!(
            "--table '{shown}' is not a table name {} can take as written",
            dialect.name()
        ))
        .hint(format!(
            "a name is one to three parts joined by '.', such as analytics.stabcost_prices, each of ASCII letters, digits and '_'{}",
            if dialect == Dialect::BigQuery {
                " (and '-' in a project: my-project.billing.prices)"
            } else {
                ""
            }
        )));
    }
    Ok(if name.contains('-') {
        format!("`{name}`")
    } else {
        name.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_plain_identifiers() {
        assert_eq!(
            table_name("stabcost_prices", Dialect::DuckDb).unwrap(),
            "stabcost_prices"
        );
        assert_eq!(
            table_name("main.pricing.p1", Dialect::Spark).unwrap(),
            "main.pricing.p1"
        );
        assert_eq!(
            table_name("my-project.billing.prices", Dialect::BigQuery).unwrap(),
            "`my-project.billing.prices`"
        );
        for bad in [
            "",
            "a..b",
            "1prices",
            "a.b.c.d",
            "prices;",
            "x y",
            "my-project.billing.prices",
            "billing.my-prices",
        ] {
            assert!(table_name(bad, Dialect::Postgres).is_err(), "{bad}");
        }
        assert!(table_name("billing.my-prices", Dialect::BigQuery).is_err());
    }
}

//! `stabcost rates --format sql`: the prices as a SQL table, or with `--query` the query
//! that prices a log with it, for the engine `--dialect` names.

use super::request::{CardSource, Sql};
use super::write_text;
use crate::report::Outcome;
use std::io::Write;

/// The prices as SQL, every built-in card's unless a card file or `--as-of` names one;
/// or the query, which is the same for any card.
pub(super) fn run(
    source: &CardSource,
    request: &Sql,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let Sql {
        dialect,
        table,
        query,
    } = request;
    if *query {
        return write_text(&crate::rates::sql::query(*dialect, table)?, out);
    }
    let cards = match source {
        CardSource::BuiltIn => crate::rates::all_built_in()?,
        one => vec![one.load()?],
    };
    write_text(&crate::rates::sql::write(&cards, *dialect, table)?, out)
}

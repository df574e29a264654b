//! The records of one chunk of a log, by the kind of log: each read into a record (or
//! found malformed) by its reader, then handed to the worker's tally. The tally knows no
//! log format; the readers know no accounting.

use super::csv::{self as csv_log, Columns};
use super::fields::{Fields, Rec};
use super::tally::Tally;
use super::{clf, json, lines};

/// How the records of one log are read. A CSV log's columns come from its header row,
/// so there is no CSV reading without them.
pub(crate) enum Reading {
    Jsonl,
    Csv(Columns),
    Clf,
}

/// One worker thread's state: its tally, and the JSON reader's key template (the
/// previous line's key order, carried from line to line).
pub(crate) struct Worker<'c> {
    pub(crate) tally: Tally<'c>,
    keys: json::Keys,
}

impl<'c> Worker<'c> {
    pub(crate) fn new(tally: Tally<'c>) -> Self {
        Worker {
            tally,
            keys: json::Keys::default(),
        }
    }
}

impl Reading {
    /// Counts every record of a chunk of whole records (chunk `seq` of file `file`):
    /// returns the chunk's line count, and whether the line number of a malformed record
    /// was kept.
    pub(crate) fn count(
        &self,
        b: &[u8],
        fields: &Fields,
        file: usize,
        seq: u64,
        worker: &mut Worker<'_>,
    ) -> (u64, bool) {
        let Worker { tally, keys } = worker;
        let mut kept = false;
        let mut record = |line: u64, rec: Option<&Rec<'_>>| {
            if rec.is_none_or(|r| tally.account(r).is_err()) {
                kept |= tally.malformed(file, seq, line);
            }
        };
        let (lines, blank) = match self {
            Reading::Jsonl => lines::each(b, |i, line| {
                json::read_line(line, fields, keys, |rec| record(i, rec));
            }),
            Reading::Csv(columns) => csv_log::rows(b, columns, &mut record),
            Reading::Clf => lines::each(b, |i, line| record(i, clf::parse(line).as_ref())),
        };
        tally.counts.blank += blank;
        (lines, kept)
    }
}

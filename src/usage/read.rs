//! Reading one log in one pass, on every worker thread, in memory that does not grow
//! with the log: the workers share its [`Source`] behind a mutex, whoever is free takes
//! the next chunk and counts it outside the lock. There is no reader thread, no channel
//! and no buffer pool; decompression by the worker holding the lock overlaps with the
//! others' counting. Line numbers of malformed records are worked out from each chunk's
//! line count, folded as chunks complete.

use super::chunk::{Reading, Worker};
use super::csv::{self as csv_log, Columns};
use super::open::{Input, Kind, Text, bad_gzip, unwrap};
use super::progress::Progress;
use super::source::{MAX_RECORD, Next, Source};
use crate::error::UserError;
use anyhow::Context as _;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, PoisonError};

/// A CSV log's header row, read from `source`: its columns, and the lines it spans.
fn csv_columns(
    source: &mut Source,
    fields: &super::fields::Fields,
    name: &str,
) -> anyhow::Result<(Columns, u64)> {
    let header = source
        .header()
        .with_context(|| format!("cannot read log '{name}'"))?
        .ok_or_else(|| {
            UserError::new(format!(
                "the CSV header of '{name}' is longer than {} MiB: this is not a usage log",
                MAX_RECORD >> 20
            ))
            .hint("the first line names the columns: ts,endpoint,model,status,tag")
        })?;
    let lines = memchr::memchr_iter(b'\n', &header).count() as u64;
    Ok((csv_log::header(&header, fields, name)?, lines))
}

/// Runs `work` on each worker, on a thread of its own when there are several.
fn each_on_a_thread<'c, F>(workers: &mut [Worker<'c>], work: F) -> Vec<io::Result<()>>
where
    F: Fn(&mut Worker<'c>) -> io::Result<()> + Sync,
{
    if workers.len() == 1 {
        return workers.iter_mut().map(work).collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = workers
            .iter_mut()
            .map(|worker| s.spawn(|| work(worker)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a worker thread failed")))
            })
            .collect()
    })
}

/// The line numbers (1-based) of the malformed records the tallies kept from `file`.
pub(crate) type Lines = Vec<(usize, u64)>;

/// Reads every record of `input` (file number `file`) into the workers' tallies, one
/// thread each; returns the lines of the malformed records kept.
pub(crate) fn read(
    input: Input,
    file: usize,
    fields: &super::fields::Fields,
    workers: &mut [Worker<'_>],
    progress: bool,
    buffer: usize,
) -> anyhow::Result<Lines> {
    let Input {
        name,
        kind,
        reader,
        read: counter,
        size,
    } = input;
    let what = || format!("cannot read log '{name}'");
    let Text { reader, head, gzip } = match unwrap(reader) {
        Ok(text) => text,
        Err(e) => {
            return Err(bad_gzip(&name, &e, 0)
                .map_or_else(|| anyhow::Error::new(e).context(what()), Into::into));
        }
    };
    let mut source = Source::new(
        reader,
        head,
        kind == Kind::Csv,
        buffer,
        progress.then(|| Progress::new(size)).flatten(),
        counter,
    );
    let (reading, header_lines) = match kind {
        Kind::Jsonl => (Reading::Jsonl, 0),
        Kind::Clf => (Reading::Clf, 0),
        Kind::Csv => {
            let (columns, lines) = csv_columns(&mut source, fields, &name)?;
            (Reading::Csv(columns), lines)
        }
    };
    let source = Mutex::new(source);
    let work = |worker: &mut Worker<'_>| -> io::Result<()> {
        let mut buf = vec![0u8; buffer.max(1)];
        let mut done: Option<(u64, u64, bool)> = None;
        loop {
            let next = {
                let mut src = source.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some((seq, lines, want)) = done.take() {
                    src.book.done(seq, lines, want);
                }
                src.fill(&mut buf)?
            };
            done = match next {
                None => return Ok(()),
                Some(Next::Chunk { seq, len }) => {
                    let b = buf.get(..len).unwrap_or_default();
                    let (lines, want) = reading.count(b, fields, file, seq, worker);
                    Some((seq, lines, want))
                }
                Some(Next::TooLong { seq, lines }) => {
                    Some((seq, lines, worker.tally.malformed(file, seq, 0)))
                }
            };
        }
    };
    let results = each_on_a_thread(workers, work);
    let mut source = source.into_inner().unwrap_or_else(PoisonError::into_inner);
    for r in results {
        if let Err(e) = r {
            let file_failed = gzip.as_ref().is_none_or(|f| f.load(Ordering::Relaxed));
            let lines = header_lines + source.book.before + source.lines_unread;
            return Err(match bad_gzip(&name, &e, lines) {
                Some(invalid) if !file_failed => invalid.into(),
                _ => anyhow::Error::new(e).context(what()),
            });
        }
    }
    if let Some(p) = source.progress.take() {
        p.finish();
    }
    let starts = &source.book.starts;
    let mut lines = Vec::new();
    for worker in workers.iter_mut() {
        for (f, seq, at) in worker.tally.malformed_at.drain(..) {
            if let Some(start) = starts.get(&seq) {
                lines.push((f, header_lines + start + at + 1));
            }
        }
    }
    Ok(lines)
}

//! Reading logs in one pass, in memory that does not grow with the log.
//!
//! A file (or standard input) is decompressed on the fly when it starts with gzip's
//! magic bytes, and a byte-order mark at its start is dropped. Worker threads share one
//! [`Source`] behind a mutex: whoever is free takes the next chunk of whole records
//! (copying the previous chunk's partial last line to the front of its own fixed
//! buffer, reading until the buffer is full, and cutting at the last record boundary),
//! then counts it outside the lock. There is no reader thread, no channel and no buffer
//! pool; decompression by the worker holding the lock overlaps with the others'
//! counting. Line numbers of malformed records are worked out from each chunk's line
//! count, folded as chunks complete.

use super::chunk::{Reading, Worker};
use super::csv::{self as csv_log, Columns};
use super::progress::Progress;
use crate::error::{UserError, UserResult};
use anyhow::Context as _;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Each worker's buffer. A record longer than this grows it, up to twice
/// [`MAX_RECORD`].
pub(crate) const BUFFER: usize = 1 << 20;

/// The longest record, 1 MiB: far more than any API call's record needs. A line (a
/// CSV row, quoted newlines and all) longer than this is one malformed record, read to
/// its end without being held, so a log's contents never make memory grow.
pub const MAX_RECORD: usize = 1 << 20;

/// What a log holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one row per call.
    Csv,
    /// Common or Combined Log Format lines of a proxy.
    Clf,
}

impl Kind {
    /// The kind a file's name says (`.jsonl`, `.csv`, `.log`, each maybe `.gz`).
    pub(crate) fn of_name(name: &str) -> Option<Kind> {
        let stem = name.strip_suffix(".gz").unwrap_or(name);
        let ext = std::path::Path::new(stem)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Kind::Jsonl),
            "csv" => Some(Kind::Csv),
            "log" | "clf" => Some(Kind::Clf),
            _ => None,
        }
    }
}

/// A log to read: its name for messages, its kind and its bytes.
pub struct Input {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    reader: Box<dyn Read + Send>,
    /// Bytes read from the file so far (compressed bytes for a `.gz`), for progress.
    read: Arc<AtomicU64>,
    size: Option<u64>,
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Input {
    /// A log read from `reader` (tests, fuzzing, embedding), named `name` in messages.
    pub fn from_reader(name: &str, kind: Kind, reader: Box<dyn Read + Send>) -> Input {
        let read = Arc::new(AtomicU64::new(0));
        Input {
            name: name.to_owned(),
            kind,
            reader: Box::new(Counted {
                inner: reader,
                read: Arc::clone(&read),
            }),
            read,
            size: None,
        }
    }
}

/// Opens `arg` (a path, or `-` for standard input); the kind is `kind`, else the one
/// the name says.
pub(crate) fn open(arg: &str, kind: Option<Kind>) -> UserResult<Input> {
    // A folder is named as one whatever its name says (`logs.jsonl/`).
    if arg != "-" && std::path::Path::new(arg).is_dir() {
        return Err(UserError::new(format!(
            "cannot read log '{}': it is a directory, not a file",
            crate::error::echo(arg)
        ))
        .hint(format!(
            "name the logs in it, such as {}/*.jsonl",
            crate::error::echo(arg.trim_end_matches('/'))
        )));
    }
    let kind = match (kind, arg) {
        (Some(k), _) => k,
        (None, "-") => Kind::Jsonl,
        (None, _) => Kind::of_name(arg).ok_or_else(|| {
            UserError::new(format!(
                "cannot tell what kind of log '{arg}' is from its name"
            ))
            .hint("name it .jsonl, .csv or .log (each maybe .gz), or pass --input jsonl|csv|clf")
        })?,
    };
    let read = Arc::new(AtomicU64::new(0));
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if arg == "-" {
        (Box::new(io::stdin()), None)
    } else {
        let path = std::path::Path::new(arg);
        let file = std::fs::File::open(path)
            .map_err(|e| UserError::new(format!("cannot read log '{arg}': {e}")))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    Ok(Input {
        name: arg.to_owned(),
        kind,
        reader: Box::new(Counted {
            inner: raw,
            read: Arc::clone(&read),
        }),
        read,
        size,
    })
}

/// Marks the errors of the reader under a decompressor, so that an error the
/// decompressor raises itself (the data is cut short or corrupt) can be told from one
/// reading the file.
struct Underneath<R> {
    inner: R,
    failed: Arc<AtomicBool>,
}

impl<R: Read> Read for Underneath<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if e.kind() != io::ErrorKind::Interrupted {
                self.failed.store(true, Ordering::Relaxed);
            }
        })
    }
}

/// A log's text: its reader, the bytes already read from it, and for a gzip file
/// whether reading the file underneath has failed.
struct Text {
    reader: Box<dyn Read + Send>,
    head: Vec<u8>,
    gzip: Option<Arc<AtomicBool>>,
}

/// `reader` decompressed when it starts with gzip's magic bytes (any number of
/// concatenated members, as `cat a.gz b.gz` and logrotate make), and the byte-order mark
/// at the start of the text dropped.
fn unwrap(mut reader: Box<dyn Read + Send>) -> io::Result<Text> {
    let mut head = Vec::with_capacity(3);
    (&mut reader).take(2).read_to_end(&mut head)?;
    let mut gzip = None;
    let mut text: Box<dyn Read + Send> = if head == [0x1f, 0x8b] {
        let failed = Arc::new(AtomicBool::new(false));
        gzip = Some(Arc::clone(&failed));
        let whole = Underneath {
            inner: io::Cursor::new(std::mem::take(&mut head)).chain(reader),
            failed,
        };
        Box::new(flate2::read::MultiGzDecoder::new(
            io::BufReader::with_capacity(1 << 16, whole),
        ))
    } else {
        reader
    };
    let have = head.len();
    (&mut text).take(3 - have as u64).read_to_end(&mut head)?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
    }
    Ok(Text {
        reader: text,
        head,
        gzip,
    })
}

/// The index of the last byte that ends a record. For CSV, a newline inside quotes
/// does not: a chunk starts on a record boundary, so a newline ends a record when the
/// number of quotes before it in the chunk is even (`""` counts twice).
fn boundary(b: &[u8], csv: bool) -> Option<usize> {
    if !csv || memchr::memchr(b'"', b).is_none() {
        return memchr::memrchr(b'\n', b);
    }
    let mut inside = false;
    let mut last = None;
    for i in memchr::memchr2_iter(b'"', b'\n', b) {
        if b.get(i) == Some(&b'"') {
            inside = !inside;
        } else if !inside {
            last = Some(i);
        }
    }
    last
}

/// The first record boundary (a CSV header's end).
fn first_boundary(b: &[u8]) -> Option<usize> {
    let mut inside = false;
    memchr::memchr2_iter(b'"', b'\n', b).find(|&i| {
        if b.get(i) == Some(&b'"') {
            inside = !inside;
            false
        } else {
            !inside
        }
    })
}

/// Each chunk's line count, folded into the line each chunk starts on as soon as the
/// chunks before it are done, so the book stays as small as the number of workers.
#[derive(Default)]
struct LineBook {
    next: u64,
    before: u64,
    pending: BTreeMap<u64, u64>,
    wanted: HashSet<u64>,
    /// The first line (0-based) of the chunks that hold a malformed record we show.
    starts: HashMap<u64, u64>,
}

impl LineBook {
    fn done(&mut self, seq: u64, lines: u64, want: bool) {
        if want {
            self.wanted.insert(seq);
        }
        self.pending.insert(seq, lines);
        while let Some(lines) = self.pending.remove(&self.next) {
            if self.wanted.remove(&self.next) {
                self.starts.insert(self.next, self.before);
            }
            self.before += lines;
            self.next += 1;
        }
    }
}

/// What a worker takes from the shared input.
enum Next {
    /// The first `len` bytes of its buffer: whole records, chunk number `seq`.
    Chunk { seq: u64, len: usize },
    /// A record longer than [`MAX_RECORD`], already skipped: chunk `seq`, one malformed
    /// record spanning `lines` lines.
    TooLong { seq: u64, lines: u64 },
}

/// Finds where a record ends across reads: at a newline, outside quotes for CSV.
struct RecordEnd {
    csv: bool,
    inside: bool,
}

impl RecordEnd {
    /// The index of the newline that ends the record in `b`, the next part of it.
    fn find(&mut self, b: &[u8]) -> Option<usize> {
        if !self.csv {
            return memchr::memchr(b'\n', b);
        }
        for i in memchr::memchr2_iter(b'"', b'\n', b) {
            if b.get(i) == Some(&b'"') {
                self.inside = !self.inside;
            } else if !self.inside {
                return Some(i);
            }
        }
        None
    }
}

/// The shared input.
#[allow(
    clippy::struct_excessive_bools,
    reason = "four independent facts about the input, each read where it matters"
)]
struct Source {
    reader: Box<dyn Read + Send>,
    /// The bytes a chunk reads (the buffer's size unless a long record grows it).
    chunk: usize,
    /// The carry holds whole records after a long one, not only a record's start.
    ready: bool,
    /// Whole lines in the chunk being read when reading failed.
    lines_unread: u64,
    carry: Vec<u8>,
    eof: bool,
    failed: bool,
    seq: u64,
    csv: bool,
    book: LineBook,
    progress: Option<Progress>,
    read: Arc<AtomicU64>,
}

impl Source {
    /// Fills `buf` with the carried-over bytes and fresh input, and returns the chunk's
    /// number and the length of its part that ends on a record boundary (or a record
    /// too long to hold, skipped); `None` at the end of the input.
    fn fill(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Next>> {
        loop {
            if self.failed || (self.eof && self.carry.is_empty()) {
                return Ok(None);
            }
            if std::mem::take(&mut self.ready) {
                if let Some(next) = self.carried_records(buf) {
                    return Ok(Some(next));
                }
            }
            if self.carry.len() > MAX_RECORD {
                let lines = self.skip_record()?;
                self.ready = true;
                self.seq += 1;
                return Ok(Some(Next::TooLong {
                    seq: self.seq - 1,
                    lines,
                }));
            }
            // The carry is the start of one record. Room for it and as much again: a
            // record longer than the chunk size (rare) grows the buffer, to at most
            // twice MAX_RECORD. No more than the chunk size is read after a short carry,
            // so a whole record in the fresh part is never longer than MAX_RECORD; only
            // the first, the carried one, can be.
            let c = self.carry.len();
            let want = self.chunk.max(c * 2);
            if buf.len() < want {
                buf.resize(want, 0);
            }
            if let Some(front) = buf.get_mut(..c) {
                front.copy_from_slice(&self.carry);
            }
            self.carry.clear();
            let n = self.read_into(buf, c, want)?;
            if let Some(p) = &mut self.progress {
                p.update(self.read.load(Ordering::Relaxed));
            }
            let filled = buf.get(..n).unwrap_or_default();
            let first = if self.csv {
                first_boundary(filled)
            } else {
                memchr::memchr(b'\n', filled)
            };
            if first.map_or(n, |i| i + 1) > MAX_RECORD {
                let Some(i) = first.or(self.eof.then_some(n)) else {
                    // Too long, and it goes on: skipped from the carry, above.
                    self.carry.extend_from_slice(filled);
                    continue;
                };
                let record = filled.get(..=i).unwrap_or(filled);
                let lines = memchr::memchr_iter(b'\n', record).count() as u64
                    + u64::from(record.last() != Some(&b'\n'));
                self.carry
                    .extend_from_slice(filled.get(i + 1..).unwrap_or_default());
                self.ready = true;
                self.seq += 1;
                return Ok(Some(Next::TooLong {
                    seq: self.seq - 1,
                    lines,
                }));
            }
            let len = if self.eof {
                n
            } else if let Some(i) = boundary(filled, self.csv) {
                i + 1
            } else {
                // No record ends in a full buffer: carry it all, and read on.
                self.carry.extend_from_slice(filled);
                continue;
            };
            self.carry
                .extend_from_slice(buf.get(len..n).unwrap_or_default());
            if len == 0 {
                continue;
            }
            self.seq += 1;
            return Ok(Some(Next::Chunk {
                seq: self.seq - 1,
                len,
            }));
        }
    }

    /// Whole records left in the carry after a long one, each shorter than [`MAX_RECORD`]
    /// (they were read after it): a chunk of their own, so the carry is again one
    /// record's start. `None` when the carry holds no whole record.
    fn carried_records(&mut self, buf: &mut Vec<u8>) -> Option<Next> {
        let len = boundary(&self.carry, self.csv)? + 1;
        if buf.len() < len {
            buf.resize(len, 0);
        }
        buf.get_mut(..len)?
            .copy_from_slice(self.carry.get(..len).unwrap_or_default());
        self.carry.drain(..len);
        self.seq += 1;
        Some(Next::Chunk {
            seq: self.seq - 1,
            len,
        })
    }

    /// Reads into `buf` from byte `n` up to byte `want`, or the end of the input:
    /// returns where the bytes read end.
    fn read_into(&mut self, buf: &mut [u8], mut n: usize, want: usize) -> io::Result<usize> {
        while n < want && !self.eof {
            let Some(space) = buf.get_mut(n..want) else {
                break;
            };
            match self.reader.read(space) {
                Ok(0) => self.eof = true,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.failed = true;
                    // Where the input broke, for the message: the whole lines read.
                    let read = buf.get(..n).unwrap_or_default();
                    self.lines_unread = memchr::memchr_iter(b'\n', read).count() as u64;
                    return Err(e);
                }
            }
        }
        Ok(n)
    }

    /// Skips the record the carry starts with, which is longer than [`MAX_RECORD`],
    /// reading on to its end in blocks and keeping none of it; what follows its end is
    /// the new carry. Returns the lines it spans.
    fn skip_record(&mut self) -> io::Result<u64> {
        let mut end = RecordEnd {
            csv: self.csv,
            inside: false,
        };
        let mut block = std::mem::take(&mut self.carry);
        let mut len = block.len();
        let mut lines = 0;
        loop {
            let part = block.get(..len).unwrap_or_default();
            if let Some(i) = end.find(part) {
                let (record, rest) = part.split_at(i + 1);
                lines += memchr::memchr_iter(b'\n', record).count() as u64;
                self.carry = rest.to_vec();
                return Ok(lines);
            }
            lines += memchr::memchr_iter(b'\n', part).count() as u64;
            if self.eof {
                return Ok(lines + 1); // the last line, without its newline
            }
            // The carry is scanned; later blocks are read into as much of it as a
            // record holds, at least 64 KiB.
            block.resize(block.len().clamp(1 << 16, MAX_RECORD), 0);
            len = 0;
            match self.reader.read(&mut block) {
                Ok(0) => self.eof = true,
                Ok(k) => len = k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
            if let Some(p) = &mut self.progress {
                p.update(self.read.load(Ordering::Relaxed));
            }
        }
    }

    /// A CSV header: the input up to its first record boundary; `None` when it is
    /// longer than [`MAX_RECORD`].
    fn header(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut block = vec![0u8; 1 << 16];
        loop {
            if let Some(i) = first_boundary(&self.carry) {
                return Ok(Some(self.carry.drain(..=i).collect()));
            }
            if self.carry.len() > MAX_RECORD {
                return Ok(None);
            }
            if self.eof {
                return Ok(Some(std::mem::take(&mut self.carry)));
            }
            match self.reader.read(&mut block) {
                Ok(0) => self.eof = true,
                Ok(k) => self
                    .carry
                    .extend_from_slice(block.get(..k).unwrap_or_default()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// A gzip decompressor's own error as the user's: the file is cut short or corrupt.
/// `lines` whole lines were read before it.
fn bad_gzip(name: &str, e: &io::Error, lines: u64) -> Option<UserError> {
    let what = match e.kind() {
        io::ErrorKind::UnexpectedEof => "ends early".to_owned(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => format!("is corrupt ({e})"),
        _ => return None,
    };
    let after = if lines == 0 {
        "before its first line".to_owned()
    } else {
        format!("after line {lines}")
    };
    Some(
        UserError::new(format!(
            "invalid log '{name}': its gzip data {what} {after}"
        ))
        .hint("the file was cut short or damaged; `gzip -t FILE` checks a gzip file"),
    )
}

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
    let mut source = Source {
        reader,
        chunk: buffer.max(1),
        ready: false,
        lines_unread: 0,
        carry: head,
        eof: false,
        failed: false,
        seq: 0,
        csv: kind == Kind::Csv,
        book: LineBook::default(),
        progress: progress.then(|| Progress::new(size)).flatten(),
        read: counter,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_boundaries_skip_quoted_newlines() {
        assert_eq!(boundary(b"a,b\nc,\"d\ne\"\nf", true), Some(11));
        assert_eq!(boundary(b"a,\"b\nc", true), None);
        assert_eq!(boundary(b"a,\"b\nc", false), Some(4));
        assert_eq!(first_boundary(b"\"a\nb\",c\nd\n"), Some(7));
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(Kind::of_name("calls.jsonl.gz"), Some(Kind::Jsonl));
        assert_eq!(Kind::of_name("calls.CSV"), Some(Kind::Csv));
        assert_eq!(Kind::of_name("access.log"), Some(Kind::Clf));
        assert_eq!(Kind::of_name("calls.txt"), None);
        assert_eq!(Kind::of_name("calls"), None);
    }

    #[test]
    fn the_line_book_folds_out_of_order_chunks() {
        let mut book = LineBook::default();
        book.done(1, 10, true);
        book.done(2, 5, false);
        assert!(book.starts.is_empty());
        book.done(0, 7, false);
        assert_eq!(book.starts.get(&1), Some(&7));
        assert!(book.pending.is_empty() && book.wanted.is_empty());
        assert_eq!(book.before, 22);
    }
}

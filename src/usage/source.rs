//! The shared input of a log's worker threads: whoever is free takes the next chunk of
//! whole records (the previous chunk's partial last record copied to the front of its
//! own buffer, filled, cut at the last record boundary). A record longer than
//! [`MAX_RECORD`] is skipped to its end without being held. Each chunk's line count is
//! folded into a [`LineBook`] so malformed records can be named by their line.

use super::progress::Progress;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Each worker's buffer. A record longer than this grows it, up to twice
/// [`MAX_RECORD`].
pub(crate) const BUFFER: usize = 1 << 20;

/// The longest record, 1 MiB: far more than any API call's record needs. A line (a
/// CSV row, quoted newlines and all) longer than this is one malformed record, read to
/// its end without being held, so a log's contents never make memory grow.
pub const MAX_RECORD: usize = 1 << 20;

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
pub(super) fn first_boundary(b: &[u8]) -> Option<usize> {
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
pub(super) struct LineBook {
    next: u64,
    /// The lines of the chunks folded so far.
    pub(super) before: u64,
    pending: BTreeMap<u64, u64>,
    wanted: HashSet<u64>,
    /// The first line (0-based) of the chunks that hold a malformed record we show.
    pub(super) starts: HashMap<u64, u64>,
}

impl LineBook {
    pub(super) fn done(&mut self, seq: u64, lines: u64, want: bool) {
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
pub(super) enum Next {
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
pub(super) struct Source {
    reader: Box<dyn Read + Send>,
    /// The bytes a chunk reads (the buffer's size unless a long record grows it).
    chunk: usize,
    /// The carry holds whole records after a long one, not only a record's start.
    ready: bool,
    /// Whole lines in the chunk being read when reading failed.
    pub(super) lines_unread: u64,
    carry: Vec<u8>,
    eof: bool,
    failed: bool,
    seq: u64,
    csv: bool,
    pub(super) book: LineBook,
    pub(super) progress: Option<Progress>,
    read: Arc<AtomicU64>,
}

impl Source {
    /// The input `reader`, whose first bytes `head` are already read; CSV when `csv`,
    /// chunks of `chunk` bytes, a progress bar, and the counter of bytes read for it.
    pub(super) fn new(
        reader: Box<dyn Read + Send>,
        head: Vec<u8>,
        csv: bool,
        chunk: usize,
        progress: Option<Progress>,
        read: Arc<AtomicU64>,
    ) -> Source {
        Source {
            reader,
            chunk: chunk.max(1),
            ready: false,
            lines_unread: 0,
            carry: head,
            eof: false,
            failed: false,
            seq: 0,
            csv,
            book: LineBook::default(),
            progress,
            read,
        }
    }

    /// Fills `buf` with the carried-over bytes and fresh input, and returns the chunk's
    /// number and the length of its part that ends on a record boundary (or a record
    /// too long to hold, skipped); `None` at the end of the input.
    pub(super) fn fill(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Next>> {
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
    pub(super) fn header(&mut self) -> io::Result<Option<Vec<u8>>> {
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

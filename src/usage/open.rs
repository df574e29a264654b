//! Opening a log: a file or standard input, its kind, gzip decompressed on the fly and
//! a byte-order mark dropped; a decompressor's own errors told from the file's.

use crate::error::{UserError, UserResult};
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    pub(super) reader: Box<dyn Read + Send>,
    /// Bytes read from the file so far (compressed bytes for a `.gz`), for progress.
    pub(super) read: Arc<AtomicU64>,
    pub(super) size: Option<u64>,
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
            crate::text::echo(arg)
        ))
        .hint(format!(
            "name the logs in it, such as {}/*.jsonl",
            crate::text::echo(arg.trim_end_matches('/'))
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
pub(super) struct Text {
    pub(super) reader: Box<dyn Read + Send>,
    pub(super) head: Vec<u8>,
    pub(super) gzip: Option<Arc<AtomicBool>>,
}

/// `reader` decompressed when it starts with gzip's magic bytes (any number of
/// concatenated members, as `cat a.gz b.gz` and logrotate make), and the byte-order mark
/// at the start of the text dropped.
pub(super) fn unwrap(mut reader: Box<dyn Read + Send>) -> io::Result<Text> {
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

/// A gzip decompressor's own error as the user's: the file is cut short or corrupt.
/// `lines` whole lines were read before it.
pub(super) fn bad_gzip(name: &str, e: &io::Error, lines: u64) -> Option<UserError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(Kind::of_name("calls.jsonl.gz"), Some(Kind::Jsonl));
        assert_eq!(Kind::of_name("calls.CSV"), Some(Kind::Csv));
        assert_eq!(Kind::of_name("access.log"), Some(Kind::Clf));
        assert_eq!(Kind::of_name("calls.txt"), None);
        assert_eq!(Kind::of_name("calls"), None);
    }
}

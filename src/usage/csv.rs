//! CSV logs with a header row: the header names the columns (the same names as JSON
//! keys), and each row is one call. Chunks without a quote are split at commas; a chunk
//! with any quote goes through the `csv` crate (a quoted field may hold a comma, a quote
//! or a newline; the reader never cuts a chunk inside quotes).

use super::fields::{EMPTY, Fields, NAMES, Rec, Val};
use super::lines;
use crate::error::{UserError, UserResult};
use crate::text::printable;

/// The slot each column fills (`None`: a column stabcost does not read).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns(Vec<Option<usize>>);

/// The columns a header row names. A field named twice makes every row ambiguous, and
/// a header that names nothing stabcost can price is not a usage log: both are errors.
pub(crate) fn header(line: &[u8], fields: &Fields, file: &str) -> UserResult<Columns> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).unwrap_or(false) {
        return Err(UserError::new(format!("'{file}' has no CSV header row"))
            .hint("the first line names the columns: ts,endpoint,model,status,tag"));
    }
    let mut columns = Vec::with_capacity(record.len());
    for (i, name) in record.iter().enumerate() {
        let slot = fields.slot(name.trim_ascii());
        if let Some(s) = slot {
            if let Some(first) = columns.iter().position(|c| *c == Some(s)) {
                return Err(UserError::new(format!(
                    "the CSV header of '{file}' names '{}' in columns {} and {}",
                    printable(&String::from_utf8_lossy(name.trim_ascii())),
                    first + 1,
                    i + 1
                ))
                .hint("each field may have one column; rename or drop the other"));
            }
        }
        columns.push(slot);
    }
    let names_call = |s: &Option<usize>| {
        s.is_some_and(|s| (super::fields::ENDPOINT..=super::fields::SERVICE).contains(&s))
    };
    if !columns.iter().any(names_call) {
        let got = String::from_utf8_lossy(line.trim_ascii());
        return Err(UserError::new(format!(
            "the CSV header of '{file}' has no column that says what was called: {}",
            printable(&got)
        ))
        .hint(format!(
            "name one of endpoint, path, url or service; the columns stabcost reads are {}",
            NAMES.join(", ")
        )));
    }
    Ok(Columns(columns))
}

#[inline]
fn field(f: &[u8]) -> Val<'_> {
    if f.is_empty() {
        Val::Absent
    } else {
        Val::Str(f)
    }
}

/// One unquoted row; `None` when its column count is not the header's.
#[inline]
fn row<'a>(cols: &Columns, line: &'a [u8]) -> Option<Rec<'a>> {
    let mut rec = EMPTY;
    let mut start = 0;
    let mut n = 0;
    for end in memchr::memchr_iter(b',', line).chain(std::iter::once(line.len())) {
        if let Some(slot) = *cols.0.get(n)? {
            if let Some(v) = rec.get_mut(slot) {
                *v = field(line.get(start..end)?);
            }
        }
        n += 1;
        start = end + 1;
    }
    (n == cols.0.len()).then_some(rec)
}

/// Calls `f(line, row)` for every row of a chunk of whole rows that is not blank, the
/// row `None` when it is malformed (not the header's columns, bad quoting); returns the
/// chunk's lines and how many of them are blank. `line` counts from the chunk's start.
pub(crate) fn rows(
    b: &[u8],
    cols: &Columns,
    mut f: impl FnMut(u64, Option<&Rec<'_>>),
) -> (u64, u64) {
    if memchr::memchr(b'"', b).is_none() {
        return lines::each(b, |i, line| f(i, row(cols, line).as_ref()));
    }
    // Quotes: the `csv` crate reads the chunk (RFC 4180 quoting, CRLF).
    let newlines = memchr::memchr_iter(b'\n', b).count() as u64;
    let lines = newlines + u64::from(!b.is_empty() && b.last() != Some(&b'\n'));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(b);
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line().saturating_sub(1);
        let at = |record: &csv::ByteRecord| {
            record
                .position()
                .map_or(line, |p| p.line().saturating_sub(1))
        };
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) => {}
            Ok(true) if record.len() != cols.0.len() => f(at(&record), None),
            Ok(true) => {
                let mut rec = EMPTY;
                for (field_text, c) in record.iter().zip(&cols.0) {
                    if let Some(v) = c.and_then(|s| rec.get_mut(s)) {
                        *v = field(field_text);
                    }
                }
                f(at(&record), Some(&rec));
            }
            Err(_) => f(at(&record), None),
        }
    }
    (lines, blank_lines(b))
}

/// Lines outside quotes that hold nothing (the `csv` crate skips them).
fn blank_lines(b: &[u8]) -> u64 {
    let mut inside = false;
    let mut blank = 0;
    let mut line_start = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'"' => inside = !inside,
            b'\n' if !inside => {
                let line = b.get(line_start..i).unwrap_or_default();
                blank += u64::from(line.iter().all(|c| matches!(c, b'\r' | b' ' | b'\t')));
                line_start = i + 1;
            }
            _ => {}
        }
    }
    blank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_columns_once() {
        let fields = Fields::default();
        let cols = header(b"ts,endpoint,model,status,tag,prompt\n", &fields, "a.csv").unwrap();
        assert_eq!(cols.0, [Some(0), Some(4), Some(8), Some(9), Some(12), None]);
        let err = header(b"endpoint,status,endpoint", &fields, "a.csv").unwrap_err();
        assert!(err.message.contains("columns 1 and 3"), "{}", err.message);
        let err = header(b"ts,status", &fields, "a.csv").unwrap_err();
        assert!(err.message.contains("no column"), "{}", err.message);
        assert!(header(b"", &fields, "a.csv").is_err());
    }

    #[test]
    fn rows_must_have_the_header_s_columns() {
        let fields = Fields::default();
        let cols = header(b"endpoint,status", &fields, "a.csv").unwrap();
        let rec = row(&cols, b"/v2beta/x,200").unwrap();
        assert_eq!(rec[4], Val::Str(b"/v2beta/x"));
        assert_eq!(rec[9], Val::Str(b"200"));
        assert!(row(&cols, b"/v2beta/x").is_none());
        assert!(row(&cols, b"/v2beta/x,200,extra").is_none());
        assert_eq!(row(&cols, b"/v2beta/x,").unwrap()[9], Val::Absent);
    }
}

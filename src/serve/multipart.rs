//! A `multipart/form-data` body (RFC 7578) read as a stream: one part at a time, each
//! part's content read through like a file, so an uploaded log of any size passes
//! through a buffer of a few kilobytes and is never held whole. Only what a form sends
//! is understood: each part's `Content-Disposition` (its field name and file name) and
//! `Content-Type`; other headers are skipped.

use std::io::{self, Read};

/// The buffer the body is read through.
const BUFFER: usize = 64 * 1024;

/// The longest part header block; more is a malformed body.
const MAX_HEADERS: usize = 8 * 1024;

/// What is wrong with a body, for the client (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed(pub(crate) String);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Malformed {}

fn malformed(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        Malformed(format!("the form's data is malformed: {what}")),
    )
}

/// A part's headers: the form field it belongs to, and for a file its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    /// The uploaded file's name (empty when a file input was left empty); `None` for a
    /// text field.
    pub(crate) filename: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first boundary.
    Preamble,
    /// Inside a part's content.
    Content,
    /// Between a boundary line and the next part's content.
    Headers,
    /// After the closing boundary.
    Done,
}

/// The parts of a body.
pub(crate) struct Multipart<R> {
    reader: R,
    /// `\r\n--` and the boundary: what ends a part's content.
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    state: State,
}

/// The boundary of a `multipart/form-data` content type, `None` for another type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        // RFC 2046: 1 to 70 characters.
        (!v.is_empty() && v.len() <= 70).then(|| v.to_owned())
    })
}

#[allow(
    clippy::indexing_slicing,
    reason = "every method keeps start <= end <= buf.len(), and slices only within them"
)]
impl<R: Read> Multipart<R> {
    /// The parts of `reader`, separated by `boundary`.
    pub(crate) fn new(reader: R, boundary: &str) -> Multipart<R> {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        // The first boundary has no line break before it: start as if it had one.
        let mut buf = vec![0; BUFFER.max(delimiter.len() * 4)];
        buf[..2].copy_from_slice(b"\r\n");
        Multipart {
            reader,
            delimiter,
            buf,
            start: 0,
            end: 2,
            eof: false,
            state: State::Preamble,
        }
    }

    /// Reads more of the body into the buffer, keeping what is unread; false at its end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            return Ok(true);
        }
        let n = loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.end += n;
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The next part, the rest of the current one skipped; `None` after the last.
    pub(crate) fn next_part(&mut self) -> io::Result<Option<Part>> {
        let mut sink = [0u8; 4096];
        while matches!(self.state, State::Preamble | State::Content) {
            while self.read_content(&mut sink)? > 0 {}
        }
        if self.state == State::Done {
            return Ok(None);
        }
        self.headers().map(Some)
    }

    /// After a boundary: `--` (the last) or a line break, then the part's headers.
    fn headers(&mut self) -> io::Result<Part> {
        let block = loop {
            let have = &self.buf[self.start..self.end];
            if let Some(i) = memchr::memmem::find(have, b"\r\n\r\n") {
                let block = have[..i].to_vec();
                self.start += i + 4;
                break block;
            }
            if have.len() > MAX_HEADERS {
                return Err(malformed("a part's headers are too long"));
            }
            if !self.fill()? {
                return Err(malformed("it ends inside a part's headers"));
            }
        };
        self.state = State::Content;
        let text = String::from_utf8_lossy(&block);
        let mut lines = text.split("\r\n");
        // What followed the boundary on its line (transport padding) is the first line.
        if lines.next().is_some_and(|l| !l.trim().is_empty()) {
            return Err(malformed("a boundary line has more after it"));
        }
        let mut part = None;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Err(malformed("a part's header has no ':'"));
            };
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                part = Some(disposition(value)?);
            }
        }
        part.ok_or_else(|| malformed("a part has no Content-Disposition"))
    }

    /// Reads the current part's content into `out`; 0 at the part's end (and before the
    /// first part, or after the last).
    pub(crate) fn read_content(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !matches!(self.state, State::Preamble | State::Content) || out.is_empty() {
            return Ok(0);
        }
        loop {
            let have = &self.buf[self.start..self.end];
            if let Some(i) = memchr::memmem::find(have, &self.delimiter) {
                if i > 0 {
                    let n = i.min(out.len());
                    out[..n].copy_from_slice(&have[..n]);
                    self.start += n;
                    return Ok(n);
                }
                // The delimiter, then `--` (the last) or the next part's headers.
                if self.end - self.start < self.delimiter.len() + 2 && self.fill()? {
                    continue;
                }
                let after = &self.buf[self.start + self.delimiter.len()..self.end];
                if after.starts_with(b"--") {
                    self.state = State::Done;
                    self.start = self.end;
                } else if after.len() < 2 && self.eof {
                    return Err(malformed("it ends after a boundary"));
                } else {
                    self.state = State::Headers;
                    self.start += self.delimiter.len();
                }
                return Ok(0);
            }
            // No delimiter: all but what could be its start is content.
            let safe = have.len().saturating_sub(self.delimiter.len() - 1);
            if safe > 0 {
                let n = safe.min(out.len());
                out[..n].copy_from_slice(&have[..n]);
                self.start += n;
                return Ok(n);
            }
            if !self.fill()? {
                return Err(malformed("it ends before its closing boundary"));
            }
        }
    }

    /// The current part's content as text, at most `limit` bytes; `Ok(None)` when it
    /// is longer.
    pub(crate) fn read_text(&mut self, limit: usize) -> io::Result<Option<Vec<u8>>> {
        let mut text = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = self.read_content(&mut chunk)?;
            if n == 0 {
                return Ok(Some(text));
            }
            if text.len() + n > limit {
                return Ok(None);
            }
            text.extend_from_slice(&chunk[..n]);
        }
    }
}

/// `form-data; name="plan"; filename="plan.toml"`. Browsers write a `"` in a name as
/// `%22`; a backslash escapes the next character.
fn disposition(value: &str) -> io::Result<Part> {
    let mut name = None;
    let mut filename = None;
    let mut rest = value.trim();
    let kind = take_token(&mut rest);
    if !kind.eq_ignore_ascii_case("form-data") {
        return Err(malformed("a part is not form-data"));
    }
    while let Some(r) = rest.trim_start().strip_prefix(';') {
        rest = r.trim_start();
        let key = take_token(&mut rest).to_ascii_lowercase();
        rest = rest.trim_start();
        let Some(r) = rest.strip_prefix('=') else {
            continue;
        };
        rest = r.trim_start();
        let value = if let Some(r) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = r.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            v.push(n);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => v.push(c),
                }
            }
            let end = end.ok_or_else(|| malformed("a quoted name has no closing quote"))?;
            rest = &r[end..];
            v
        } else {
            take_token(&mut rest).to_owned()
        };
        match key.as_str() {
            "name" => name = Some(value),
            "filename" => filename = Some(value),
            _ => {}
        }
    }
    let name = name.ok_or_else(|| malformed("a part has no field name"))?;
    Ok(Part { name, filename })
}

/// The token at the start of `rest` (up to `;`, `=` or a space), taken off it.
fn take_token<'a>(rest: &mut &'a str) -> &'a str {
    let end = rest
        .find(|c: char| c == ';' || c == '=' || c.is_whitespace())
        .unwrap_or(rest.len());
    let (token, after) = rest.split_at(end);
    *rest = after;
    token
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn body() -> Vec<u8> {
        b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"months\"\r\n\r\n12\r\n--XyZ\r\n\
Content-Disposition: form-data; name=\"log\"; filename=\"a \\\"b\\\".jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n\
line one\r\n--XyY near miss\r\n--Xy\r\nline two\r\n--XyZ--\r\nepilogue"
            .to_vec()
    }

    /// Every part's name, file name and content, read `step` bytes at a time.
    fn parts(body: &[u8], step: usize) -> io::Result<Vec<(Part, Vec<u8>)>> {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut m = Multipart::new(Slow(body, step), "XyZ");
        let mut out = Vec::new();
        while let Some(p) = m.next_part()? {
            let text = m.read_text(1 << 20)?.unwrap();
            out.push((p, text));
        }
        Ok(out)
    }

    #[test]
    fn parts_are_read_whatever_the_reads_sizes() {
        for step in [1, 2, 3, 7, 64, 100_000] {
            let p = parts(&body(), step).unwrap_or_else(|e| panic!("step {step}: {e}"));
            assert_eq!(p.len(), 2, "step {step}");
            assert_eq!(p[0].0.name, "months");
            assert_eq!(p[0].0.filename, None);
            assert_eq!(p[0].1, b"12");
            assert_eq!(p[1].0.filename.as_deref(), Some("a \"b\".jsonl"));
            assert_eq!(p[1].1, b"line one\r\n--XyY near miss\r\n--Xy\r\nline two");
        }
    }

    #[test]
    fn a_body_cut_short_is_malformed() {
        let b = body();
        for cut in [5, 20, 60, 120, b.len() - 20] {
            let e = parts(&b[..cut], 3).unwrap_err();
            assert!(e.to_string().contains("malformed"), "{cut}: {e}");
        }
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=----WebKitFormBoundaryQ").as_deref(),
            Some("----WebKitFormBoundaryQ")
        );
        assert_eq!(
            boundary("Multipart/Form-Data;charset=utf-8; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn a_text_longer_than_the_limit_is_none() {
        let b = body();
        let mut m = Multipart::new(&b[..], "XyZ");
        m.next_part().unwrap();
        m.next_part().unwrap();
        assert_eq!(m.read_text(5).unwrap(), None);
    }
}

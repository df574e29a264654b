//! The lines of a chunk: split at `\n`, one `\r` before it dropped, the last line
//! possibly without its `\n`. Blank lines (spaces, tabs) are not records.

/// Calls `f(index, line)` for each line of `chunk` that is not blank, and returns how
/// many lines the chunk has and how many were blank.
#[inline]
pub(crate) fn each(chunk: &[u8], mut f: impl FnMut(u64, &[u8])) -> (u64, u64) {
    let mut index = 0u64;
    let mut blank = 0u64;
    let mut start = 0;
    let tail = (!chunk.is_empty() && chunk.last() != Some(&b'\n')).then_some(chunk.len());
    for end in memchr::memchr_iter(b'\n', chunk).chain(tail) {
        let mut line = chunk.get(start..end).unwrap_or_default();
        start = end + 1;
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if line.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
            blank += 1;
        } else {
            f(index, line);
        }
        index += 1;
    }
    (index, blank)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_blank_lines_and_crlf() {
        let mut seen = Vec::new();
        let (n, blank) = super::each(b"a\r\n\n  \r\nb\r\r\nc", |i, l| seen.push((i, l.to_vec())));
        assert_eq!((n, blank), (5, 2));
        assert_eq!(
            seen,
            [(0, b"a".to_vec()), (3, b"b\r".to_vec()), (4, b"c".to_vec())]
        );
        assert_eq!(super::each(b"", |_, _| {}), (0, 0));
        assert_eq!(super::each(b"x\n", |_, _| {}), (1, 0));
    }
}

//! Text fitted to a width: prose wrapped at spaces, table cells wrapped or cut short,
//! widths measured in terminal columns.

use unicode_width::UnicodeWidthStr;

/// Display width of `text`: its widest line, in terminal columns.
pub(super) fn text_width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// `line` cut to `width` columns, with `…` in place of what is cut.
pub(super) fn cut(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar as _;
    if UnicodeWidthStr::width(line) <= width {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The words of `text` for wrapping: split at spaces, except that `≈` and `=` stay
/// with the figure after them.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if last.ends_with('≈') || last.ends_with('=') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    words
}

/// `text` wrapped at spaces to `width` columns, continuation lines indented by
/// `indent`. A word longer than the line is left whole (a path, a figure).
pub(super) fn wrap_prose(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let lead = if lines.is_empty() { 0 } else { indent };
        let mut line = " ".repeat(lead);
        let mut used = lead;
        let mut empty = true;
        for word in words(paragraph) {
            let w = UnicodeWidthStr::width(word.as_str());
            if !empty && used + 1 + w > width {
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(indent);
                used = indent;
                empty = true;
            }
            if !empty {
                line.push(' ');
                used += 1;
            }
            line.push_str(&word);
            used += w;
            empty = false;
        }
        lines.push(line);
    }
    lines
}

/// `text` wrapped at spaces to `width` columns for a table cell; a word longer than
/// the column is broken across lines, after a `-` where one falls near the end.
pub(super) fn wrap_cell(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar as _;
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.to_owned();
            loop {
                let used = UnicodeWidthStr::width(line.as_str());
                let gap = usize::from(!line.is_empty());
                let w = UnicodeWidthStr::width(word.as_str());
                if used + gap + w <= width {
                    if gap == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    continue;
                }
                // The word alone is too long: break it.
                let mut head = String::new();
                let mut head_width = 0;
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if head_width + cw > width {
                        break;
                    }
                    head.push(c);
                    head_width += cw;
                }
                if let Some(dash) = head
                    .rfind('-')
                    .filter(|&d| d + 1 >= head.len() / 2 && d + 1 < head.len())
                {
                    head.truncate(dash + 1);
                }
                if head.is_empty() {
                    head = word.chars().next().map(String::from).unwrap_or_default();
                }
                word = word.get(head.len()..).unwrap_or_default().to_owned();
                lines.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        lines.push(line);
    }
    lines.retain(|l| !l.is_empty());
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_spaces_and_keeps_an_estimate_whole() {
        assert_eq!(
            wrap_prose("self-hosting: ≈ $41.67 GPU compute", 16, 2),
            ["self-hosting:", "  ≈ $41.67 GPU", "  compute"]
        );
        assert_eq!(wrap_prose("note: a b", 80, 6), ["note: a b"]);
        assert_eq!(wrap_prose("one\ntwo", 80, 2), ["one", "  two"]);
        // A word longer than the line stays whole.
        assert_eq!(
            wrap_prose("card /a/very/long/path.toml", 10, 2),
            ["card", "  /a/very/long/path.toml"]
        );
    }

    #[test]
    fn cells_cut_and_wrap_to_their_width() {
        assert_eq!(cut("sdxl-1.0, stable-diffusion-xl", 10), "sdxl-1.0,…");
        assert_eq!(cut("short", 10), "short");
        assert_eq!(
            wrap_cell("discontinued 2025-07-24; use sdxl", 15),
            ["discontinued", "2025-07-24; use", "sdxl"]
        );
        assert_eq!(
            wrap_cell("stable-diffusion-xl-1024-v1-0", 12),
            ["stable-", "diffusion-", "xl-1024-v1-0"]
        );
    }
}

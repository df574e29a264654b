//! Text from users, files and logs made safe for a terminal (hidden characters escaped,
//! echoed tokens cut to a window, so no message can flood or drive the terminal) and for
//! a web page (every character that could become markup an entity).

/// Characters that would act on a terminal or show as nothing: control characters, a
/// byte-order mark, zero-width spaces and the bidirectional controls.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The closest of `candidates` to a mistyped `word`, in any ASCII case (Jaro-Winkler
/// similarity above 0.8), for a `did you mean` hint: the one matcher every such hint
/// uses.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The longest echo of a user's token in a message, in characters; longer tokens are
/// cut here with an ellipsis.
pub const ECHO_WIDTH: usize = 40;

/// A token the user gave (a service name, a number, an expression's word), ready to
/// quote in a message: hidden characters escaped as `\u{…}` (newlines and tabs too,
/// since a token is one line), and cut to [`ECHO_WIDTH`] characters with `…`. Every
/// message that echoes a token goes through here, so none can flood or drive the
/// terminal.
pub fn echo(token: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in token.chars() {
        if width >= ECHO_WIDTH {
            out.push('…');
            break;
        }
        if is_hidden(c) {
            let escaped = c.escape_unicode().to_string();
            width += escaped.chars().count();
            out.push_str(&escaped);
        } else {
            width += 1;
            out.push(c);
        }
    }
    out
}

/// `text` made safe to echo to a terminal: control characters other than newline and
/// tab, a byte-order mark, and the invisible bidirectional controls are written as
/// `\u{…}` escapes, so a message never moves the cursor, recolours the terminal, hides
/// text or shows an invisible character as nothing.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c != '\n' && c != '\t' && is_hidden(c);
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if hidden(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// `text` as HTML text or an attribute value: control characters shown as escapes
/// (as the terminal shows them), and `&`, `<`, `>`, `"` and `'` as entities, so text
/// from a file or an argument can never become markup.
pub fn html(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{echo, printable};

    #[test]
    fn echoed_tokens_are_escaped_and_cut_to_a_window() {
        assert_eq!(echo("ultar"), "ultar");
        assert_eq!(echo(" core\n"), " core\\u{a}");
        assert_eq!(echo("\u{feff}"), "\\u{feff}");
        let long = "x".repeat(5_000_000);
        assert_eq!(echo(&long), format!("{}…", "x".repeat(40)));
        assert_eq!(echo(&"x".repeat(40)), "x".repeat(40));
        // Escapes count towards the window, so a token of escapes stays short too.
        assert!(echo(&"\u{1b}".repeat(1000)).len() < 60);
    }

    #[test]
    fn control_characters_are_escaped_and_text_is_kept() {
        assert_eq!(printable("core+rmbg"), "core+rmbg");
        assert_eq!(printable("a\u{0}b"), "a\\u{0}b");
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(printable("\u{feff}core"), "\\u{feff}core");
        assert_eq!(printable("two\nlines\tand a tab"), "two\nlines\tand a tab");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
    }
}

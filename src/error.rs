//! The one error type for mistakes in what the user gave us (exit code 2).
//!
//! Anything else that goes wrong (an I/O failure writing the output) travels as a plain
//! `anyhow::Error` and exits 1. `main` finds a [`UserError`] anywhere in the chain.

use std::fmt;

/// A mistake in the user's input: arguments, an expression or a rate card.
///
/// `message` names the thing in quotes; `hints` say what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    pub message: String,
    pub hints: Vec<String>,
}

impl UserError {
    /// A user error with no hint.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a `hint: …` line.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

impl From<crate::money::Overflow> for UserError {
    fn from(_: crate::money::Overflow) -> Self {
        UserError::new("the figure is too large to compute exactly")
            .hint("use a smaller count, multiplier or price")
    }
}

/// `text` made safe to echo to a terminal: control characters other than newline and
/// tab, a byte-order mark, and the invisible bidirectional controls are written as
/// `\u{…}` escapes, so a message never moves the cursor, recolours the terminal, hides
/// text or shows an invisible character as nothing.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
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

/// Shorthand for results whose error is a [`UserError`].
pub type UserResult<T> = Result<T, UserError>;

#[cfg(test)]
mod tests {
    use super::printable;

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

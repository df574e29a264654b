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

impl UserError {
    /// Whether this is a figure too large or too precise to compute exactly (an
    /// [`Overflow`](crate::money::Overflow)), which callers may explain in their own
    /// words.
    pub fn is_overflow(&self) -> bool {
        [
            crate::money::Overflow::TooLarge,
            crate::money::Overflow::TooPrecise,
        ]
        .iter()
        .any(|o| self.message == o.to_string())
    }
}

impl From<crate::money::Overflow> for UserError {
    fn from(o: crate::money::Overflow) -> Self {
        let hint = match o {
            crate::money::Overflow::TooLarge => "use a smaller count, multiplier or price",
            crate::money::Overflow::TooPrecise => {
                "use a multiplier or price with fewer decimal places"
            }
        };
        UserError::new(o.to_string()).hint(hint)
    }
}

/// Shorthand for results whose error is a [`UserError`].
pub type UserResult<T> = Result<T, UserError>;

//! Problems found in a file the user wrote (a rate card, a plan), each with where it
//! was written, reported all at once as `FILE:LINE:COL: message`, the form editors
//! jump to.

use crate::error::UserError;
use crate::text::printable;
use std::fmt::Write as _;

/// Which text a position is in: the file being loaded, or the built-in card it extends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum File {
    Own,
    Base,
}

/// Where a value was written: a byte range of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) file: File,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl At {
    pub(crate) fn new(file: File, span: std::ops::Range<usize>) -> At {
        At {
            file,
            start: span.start,
            end: span.end,
        }
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub(crate) at: At,
    pub(crate) message: String,
    /// Lines shown under the message (an expression with a caret under the bad spot).
    pub(crate) detail: Vec<String>,
    /// `hint: …` lines, shown once at the end of the report.
    pub(crate) hints: Vec<String>,
}

/// The problems of one file, in the order found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics {
    pub(crate) list: Vec<Diagnostic>,
    /// The text did not parse as TOML: only the syntax errors are reported.
    pub(crate) syntax: bool,
}

impl Diagnostics {
    /// Records a problem at `at` (unless the card's syntax is broken, when only the
    /// syntax errors are reported).
    pub(crate) fn push(&mut self, at: At, message: impl Into<String>) {
        if self.syntax {
            return;
        }
        self.list.push(Diagnostic {
            at,
            message: message.into(),
            detail: Vec::new(),
            hints: Vec::new(),
        });
    }

    /// Records a problem with lines to show under it and hints.
    pub(crate) fn push_detailed(
        &mut self,
        at: At,
        message: impl Into<String>,
        detail: Vec<String>,
        hints: Vec<String>,
    ) {
        if self.syntax {
            return;
        }
        self.list.push(Diagnostic {
            at,
            message: message.into(),
            detail,
            hints,
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The line and column (from 1; columns count characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The texts positions point into, and the names to print for them.
pub(crate) struct Files<'a> {
    pub(crate) own: (&'a str, &'a str),
    pub(crate) base: Option<(&'a str, &'a str)>,
}

impl Files<'_> {
    /// `NAME:LINE:COL` for a position (columns count characters, from 1).
    fn locate(&self, at: At) -> String {
        let (name, text) = match (at.file, self.base) {
            (File::Base, Some(base)) => base,
            _ => self.own,
        };
        let (line, column) = line_col(text, at.start);
        format!("{name}:{line}:{column}")
    }

    /// The user error for `diagnostics` (at least one) in the `what` named by `own`
    /// ("rate card", "plan"): one `FILE:LINE:COL: message` line each, in file order,
    /// under a line that says how many there are.
    pub(crate) fn error(&self, what: &str, mut diagnostics: Diagnostics) -> UserError {
        diagnostics
            .list
            .sort_by_key(|d| (d.at.file, d.at.start, d.at.end));
        diagnostics.list.dedup();
        let name = self.own.0;
        let mut message = match diagnostics.list.len() {
            1 => format!("invalid {what} '{name}'"),
            n => format!("invalid {what} '{name}': {n} problems"),
        };
        // One problem's hints end the report, as every error's do; with several, each
        // problem's hints stand under it, where they belong.
        let several = diagnostics.list.len() > 1;
        let mut hints: Vec<String> = Vec::new();
        for d in &diagnostics.list {
            let _ = write!(
                message,
                "\n{}: {}",
                self.locate(d.at),
                printable(&d.message)
            );
            for line in &d.detail {
                let _ = write!(message, "\n{line}");
            }
            for h in &d.hints {
                if several {
                    let _ = write!(message, "\n  hint: {h}");
                } else if !hints.contains(h) {
                    hints.push(h.clone());
                }
            }
        }
        let mut err = UserError::new(message);
        err.hints = hints;
        err
    }
}

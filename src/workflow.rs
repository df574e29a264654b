//! The workflow step-expression parser.
//!
//! ```text
//! expr  := step ('+' step)*
//! step  := [MULT '*'] SERVICE ['@' STEPS] ['*' MULT]      (one multiplier at most)
//! ```
//! Spaces (and newlines, for expressions read from standard input) may stand around
//! every token. Parsing is pure and iterative: linear in the input, no recursion, no
//! panics, so it can be fuzzed. `crate::pipeline` then checks each step against a
//! rate card.
//! Errors carry the byte span of the bad spot so the message can put a caret under it.

use crate::error::UserError;
use crate::money;
use crate::number;
use crate::text::echo;
use rust_decimal::Decimal;
use std::fmt;
use std::ops::Range;

/// One parsed step, before it is checked against a rate card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepExpr {
    /// The service as written (id or alias, any case).
    pub name: String,
    pub name_span: Range<usize>,
    /// `@STEPS`, if written.
    pub steps: Option<u32>,
    pub steps_span: Option<Range<usize>>,
    /// `*MULT` (or `MULT*`); 1 when not written.
    pub multiplier: Decimal,
}

/// A parsed expression: its steps in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    pub steps: Vec<StepExpr>,
}

/// A bad expression: what is wrong and where (a byte span of the expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Range<usize>,
    pub hints: Vec<String>,
}

impl ParseError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ParseError {
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    /// The user-facing error: the message, the expression, a caret line under the bad
    /// spot, then the hints. Long expressions are cut to a window around the spot.
    pub fn into_user_error(self, expr: &str) -> UserError {
        let mut message = self.message.clone();
        for line in self.caret(expr) {
            message.push('\n');
            message.push_str(&line);
        }
        let mut err = UserError::new(message);
        err.hints = self.hints;
        err
    }

    /// The expression (or a window of it) and a caret line under the bad spot, each
    /// indented two spaces; nothing for a blank expression.
    pub fn caret(&self, expr: &str) -> Vec<String> {
        if expr.trim().is_empty() {
            return Vec::new();
        }
        let (excerpt, caret) = caret_lines(expr, &self.span);
        vec![format!("  {excerpt}"), format!("  {caret}")]
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.span.start)
    }
}

impl std::error::Error for ParseError {}

/// How many characters of context to show on each side of the bad spot.
const CONTEXT: usize = 30;

/// The expression (or a window of it) on one line, and a caret line under `span`.
/// Hidden characters show as `\u{…}` escapes (the carets widen to match), a newline
/// as a space, and a bad spot longer than [`crate::text::ECHO_WIDTH`] characters is
/// cut with `…`, so the two lines stay short whatever the input.
fn caret_lines(expr: &str, span: &Range<usize>) -> (String, String) {
    use unicode_width::UnicodeWidthChar as _;
    let char_at = |byte: usize| {
        expr.get(..byte.min(expr.len()))
            .map_or(0, |s| s.chars().count())
    };
    let start = char_at(span.start);
    let end = char_at(span.end).max(start + 1);
    let longest = crate::text::ECHO_WIDTH;
    let cut = end - start > longest;
    let shown_end = if cut { start + longest } else { end };
    let from = start.saturating_sub(CONTEXT);
    let to = shown_end + if cut { 0 } else { CONTEXT };
    let mut excerpt = String::new();
    let mut caret = String::new();
    let mut column = 0;
    if from > 0 {
        excerpt.push('…');
        column += 1;
    }
    let mut chars = expr.chars().enumerate().skip(from).peekable();
    while let Some((i, c)) = chars.next_if(|&(i, _)| i < to) {
        let shown = match c {
            '\n' | '\r' | '\t' => " ".to_owned(),
            c if crate::text::is_hidden(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        };
        let width: usize = shown.chars().map(|c| c.width().unwrap_or(0)).sum();
        if i == start {
            caret = " ".repeat(column);
        }
        if (start..shown_end).contains(&i) {
            caret.push_str(&"^".repeat(width.max(1)));
        }
        excerpt.push_str(&shown);
        column += width;
    }
    if caret.is_empty() {
        // The spot is the end of the expression.
        caret = format!("{}^", " ".repeat(column));
    }
    if chars.peek().is_some() {
        excerpt.push('…');
    }
    (excerpt.trim_end().to_owned(), caret)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Name(&'a str),
    Number(&'a str),
    Plus,
    Star,
    At,
    Bad(char),
}

fn describe(tok: Option<&(Tok<'_>, Range<usize>)>) -> String {
    match tok.map(|t| t.0) {
        None => "the end of the expression".into(),
        Some(Tok::Name(s) | Tok::Number(s)) => format!("'{}'", echo(s)),
        Some(Tok::Plus) => "'+'".into(),
        Some(Tok::Star) => "'*'".into(),
        Some(Tok::At) => "'@'".into(),
        Some(Tok::Bad(c)) => format!("'{}'", echo(c.encode_utf8(&mut [0; 4]))),
    }
}

fn lex(expr: &str) -> Vec<(Tok<'_>, Range<usize>)> {
    let bytes = expr.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let run = |mut j: usize, ok: fn(u8) -> bool| {
        while bytes.get(j).copied().is_some_and(ok) {
            j += 1;
        }
        j
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
    while let Some(&b) = bytes.get(i) {
        let (tok, end) = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'+' => (Tok::Plus, i + 1),
            b'*' => (Tok::Star, i + 1),
            b'@' => (Tok::At, i + 1),
            b if b.is_ascii_alphabetic() => {
                let end = run(i + 1, word);
                (Tok::Name(expr.get(i..end).unwrap_or_default()), end)
            }
            b if b.is_ascii_digit() || b == b'.' || b == b'-' => {
                let end = run(i + 1, word);
                (Tok::Number(expr.get(i..end).unwrap_or_default()), end)
            }
            _ => {
                let c = expr.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                (Tok::Bad(c), i + c.len_utf8())
            }
        };
        toks.push((tok, i..end));
        i = end;
    }
    toks
}

fn multiplier(text: &str, span: Range<usize>) -> Result<Decimal, ParseError> {
    number::parse_positive(text).map_err(|e| {
        ParseError::new(
            format!(
                "multiplier '{}' {}{}",
                echo(text),
                e.predicate(),
                e.tail("a number greater than zero, such as 6 or 0.25")
            ),
            span,
        )
    })
}

/// The steps of `@STEPS`: a whole number.
fn step_number(text: &str, span: Range<usize>) -> Result<u32, ParseError> {
    number::parse_whole(text)
        .and_then(|n| u32::try_from(n).map_err(|_| number::NumberError::TooLarge))
        .map_err(|e| {
            ParseError::new(
                format!(
                    "step count '{}' {}{}",
                    echo(text),
                    e.predicate(),
                    e.tail("a whole number of steps, such as 30")
                ),
                span,
            )
        })
}

/// A cursor over the tokens of one expression.
struct Parser<'a> {
    toks: Vec<(Tok<'a>, Range<usize>)>,
    pos: usize,
    len: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&(Tok<'a>, Range<usize>)> {
        self.toks.get(self.pos)
    }

    /// The span of the current token, or the empty span at the end of the expression.
    fn here(&self) -> Range<usize> {
        self.peek().map_or(self.len..self.len, |t| t.1.clone())
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        ParseError::new(
            format!("expected {expected}, found {}", describe(self.peek())),
            self.here(),
        )
    }

    /// `[MULT '*']`
    fn leading_multiplier(&mut self) -> Result<Option<(Decimal, Range<usize>)>, ParseError> {
        let Some((Tok::Number(text), span)) = self.peek().cloned() else {
            return Ok(None);
        };
        let value = multiplier(text, span.clone())?;
        self.pos += 1;
        let Some((Tok::Star, star)) = self.peek().cloned() else {
            return Err(self.unexpected(&format!(
                "'*' and a service after multiplier '{}'",
                echo(text)
            )));
        };
        self.pos += 1;
        Ok(Some((value, span.start..star.end)))
    }

    /// `SERVICE`
    fn service(&mut self) -> Result<(&'a str, Range<usize>), ParseError> {
        if let Some((Tok::Name(name), span)) = self.peek().cloned() {
            self.pos += 1;
            return Ok((name, span));
        }
        let previous = self.pos.checked_sub(1).and_then(|p| self.toks.get(p));
        match (self.peek(), previous) {
            (None, Some((Tok::Plus, plus))) => Err(ParseError::new(
                "expected a service after '+', found the end of the expression",
                plus.clone(),
            )),
            _ => Err(self.unexpected("a service")),
        }
    }

    /// `['@' STEPS]`, with the span from `@` to the end of the count.
    fn step_count(&mut self) -> Result<Option<(u32, Range<usize>)>, ParseError> {
        let Some((Tok::At, at)) = self.peek().cloned() else {
            return Ok(None);
        };
        self.pos += 1;
        let Some((Tok::Number(text), span)) = self.peek().cloned() else {
            return Err(self.unexpected("a step count after '@'"));
        };
        let n = step_number(text, span.clone())?;
        self.pos += 1;
        Ok(Some((n, at.start..span.end)))
    }

    /// `*MULT`, after the `*` at `star`.
    fn star_multiplier(
        &mut self,
        star: &Range<usize>,
    ) -> Result<(Decimal, Range<usize>), ParseError> {
        match self.peek().cloned() {
            Some((Tok::Number(text), span)) => {
                self.pos += 1;
                let value = multiplier(text, span.clone())?;
                Ok((value, star.start..span.end))
            }
            Some((Tok::Name(text), span)) => Err(ParseError::new(
                format!("multiplier '{}' is not a number", echo(text)),
                span,
            )
            .with_hint("join steps with '+': core+rmbg, and repeat with '*': core*6")),
            _ => Err(self.unexpected("a multiplier after '*'")),
        }
    }

    /// `step := [MULT '*'] SERVICE ['@' STEPS] ['*' MULT]`, with one multiplier at most
    /// and the step count before it: `2*core*3` and `core*2*3` are the same mistake,
    /// and so get the same message.
    fn step(&mut self) -> Result<StepExpr, ParseError> {
        let mut multipliers = Vec::new();
        if let Some(leading) = self.leading_multiplier()? {
            multipliers.push(leading);
        }
        let (name, name_span) = self.service()?;
        let steps = self.step_count()?;
        while let Some((Tok::Star, star)) = self.peek().cloned() {
            self.pos += 1;
            multipliers.push(self.star_multiplier(&star)?);
        }
        if let (None, Some((Tok::At, _)), Some((m, _))) = (&steps, self.peek(), multipliers.last())
        {
            let m = *m;
            let (n, span) = self
                .step_count()?
                .ok_or_else(|| self.unexpected("a step count after '@'"))?;
            return Err(ParseError::new(
                "the step count goes right after the service, before the multiplier",
                span,
            )
            .with_hint(format!("write {}@{n}*{}", echo(name), m.normalize())));
        }
        if let [(first, _), (second, extra), ..] = multipliers.as_slice() {
            let mut err = ParseError::new("a step takes one multiplier, not two", extra.clone());
            if let Ok(product) = money::mul(*first, *second) {
                err = err.with_hint(format!(
                    "multiply them into one: {}*{}",
                    echo(name),
                    product.normalize()
                ));
            }
            return Err(err);
        }
        Ok(StepExpr {
            name: name.to_owned(),
            name_span,
            steps: steps.as_ref().map(|s| s.0),
            steps_span: steps.map(|s| s.1),
            multiplier: multipliers.first().map_or(Decimal::ONE, |m| m.0),
        })
    }
}

/// Parses an expression such as `core*6 + rmbg + upscale-conservative`.
pub fn parse(expr: &str) -> Result<Workflow, ParseError> {
    let mut p = Parser {
        toks: lex(expr),
        pos: 0,
        len: expr.len(),
    };
    if p.toks.is_empty() {
        return Err(
            ParseError::new("the workflow expression is empty", 0..expr.len())
                .with_hint("write steps joined by '+', such as core+rmbg+upscale-conservative"),
        );
    }
    let mut steps = Vec::new();
    loop {
        steps.push(p.step()?);
        match p.peek() {
            None => return Ok(Workflow { steps }),
            Some((Tok::Plus, _)) => p.pos += 1,
            Some(_) => return Err(p.unexpected("'+' between steps")),
        }
    }
}

impl ParseError {
    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for StepExpr {
    /// The canonical form of one step: `core*6`, `sdxl@50*0.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(n) = self.steps {
            write!(f, "@{n}")?;
        }
        if self.multiplier != Decimal::ONE {
            write!(f, "*{}", self.multiplier.normalize())?;
        }
        Ok(())
    }
}

impl fmt::Display for Workflow {
    /// The canonical form: `core*6 + rmbg + sdxl@50`; parsing it gives the same steps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Workflow {
    /// The canonical form when it is short, else its first steps and the number of
    /// steps: `core + core + core + … (200,001 steps)`. A generated pipeline's summary
    /// line stays a line, not 700 KB.
    pub fn abbreviated(&self) -> String {
        const HEAD: usize = 3;
        const LONGEST: usize = 80;
        let full_fits = self.steps.len() <= 2 * HEAD
            && self
                .steps
                .iter()
                .map(|s| s.to_string().len() + 3)
                .sum::<usize>()
                <= LONGEST;
        if full_fits {
            return self.to_string();
        }
        let head: Vec<String> = self
            .steps
            .iter()
            .take(HEAD)
            .map(ToString::to_string)
            .collect();
        format!(
            "{} + … ({} steps)",
            head.join(" + "),
            money::count_display(u64::try_from(self.steps.len()).unwrap_or(u64::MAX))
        )
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn names(w: &Workflow) -> Vec<(&str, Option<u32>, String)> {
        w.steps
            .iter()
            .map(|s| (s.name.as_str(), s.steps, s.multiplier.to_string()))
            .collect()
    }

    #[test]
    fn parses_every_form() {
        let w = parse("core*6 + rmbg + 2*upscale-fast + sdxl@50*0.25").unwrap();
        assert_eq!(
            names(&w),
            [
                ("core", None, "6".to_owned()),
                ("rmbg", None, "1".to_owned()),
                ("upscale-fast", None, "2".to_owned()),
                ("sdxl", Some(50), "0.25".to_owned()),
            ]
        );
        assert_eq!(
            w.to_string(),
            "core*6 + rmbg + upscale-fast*2 + sdxl@50*0.25"
        );
    }

    #[test]
    fn errors_point_at_the_bad_spot() {
        let cases = [
            ("", 0..0),
            ("core+", 4..5),
            ("core++rmbg", 5..6),
            ("core*0", 5..6),
            ("core*-2", 5..7),
            ("core*abc", 5..8),
            ("2*core*3", 6..8),
            ("core rmbg", 5..9),
            ("core@", 5..5),
            ("core@x1", 5..7),
            ("coré", 3..5),
        ];
        for (expr, span) in cases {
            let err = parse(expr).unwrap_err();
            assert_eq!(err.span, span, "{expr}: {}", err.message);
        }
    }

    #[test]
    fn a_long_expression_is_abbreviated_for_a_summary() {
        let short = parse("core*6 + rmbg + upscale-conservative").unwrap();
        assert_eq!(short.abbreviated(), "core*6 + rmbg + upscale-conservative");
        let long = parse(&vec!["core"; 200_001].join("+")).unwrap();
        assert_eq!(long.abbreviated(), "core + core + core + … (200,001 steps)");
        let wide = parse(&["replace-background-and-relight"; 3].join("+")).unwrap();
        assert!(wide.abbreviated().ends_with("(3 steps)"));
    }

    #[test]
    fn caret_sits_under_the_span() {
        let (line, caret) = caret_lines("core + ultar*2", &(7..12));
        assert_eq!(line, "core + ultar*2");
        assert_eq!(caret, "       ^^^^^");
    }
}

//! Numbers as people and files write them (`6.5`, `"0.065"`, `15,000`, `1e3`, `$100`),
//! read exactly, never through a float; and what is wrong with one that does not read.

use crate::money::{MAX_SCALE, Overflow};
use rust_decimal::Decimal;

/// One more than the largest mantissa a `Decimal` holds (2^96).
const MANTISSA_LIMIT: i128 = 1 << 96;

/// What is wrong with a number as written. Every parser of numbers (arguments,
/// multipliers and step counts in expressions, prices in a card) reports one of these,
/// so the same mistake reads the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing was written.
    Empty,
    /// Not a number at all: `abc`, `three`, `inf`, `0x10`.
    NotANumber,
    /// Commas that do not group the whole part in threes: `1,50`, `2,5`.
    MisplacedCommas,
    /// A number, but a whole one was wanted: `1.5`.
    NotWhole,
    /// Below zero where only zero or more makes sense.
    Negative,
    /// Zero where only more than zero makes sense.
    Zero,
    /// Larger than stabcost can hold.
    TooLarge,
    /// More decimal places than stabcost can hold exactly (28).
    TooPrecise,
}

impl NumberError {
    /// What is wrong, as a phrase: `not a whole number`.
    pub fn phrase(self) -> &'static str {
        match self {
            NumberError::Empty => "empty",
            NumberError::NotANumber => "not a number",
            NumberError::MisplacedCommas => {
                "misplaced commas (group digits in threes, as in 15,000, and write decimals with a point)"
            }
            NumberError::NotWhole => "not a whole number",
            NumberError::Negative => "negative",
            NumberError::Zero => "zero",
            NumberError::TooLarge => "too large",
            NumberError::TooPrecise => "too precise (more than 28 decimal places)",
        }
    }

    /// What is wrong, to follow the number in a message: `is not a whole number`.
    pub fn predicate(self) -> String {
        match self {
            NumberError::MisplacedCommas => format!("has {}", self.phrase()),
            _ => format!("is {}", self.phrase()),
        }
    }

    /// What the writer should have written, after the phrase: `; expected EXPECTED`, or
    /// nothing when the number was of the right kind but does not fit.
    pub fn tail(self, expected: &str) -> String {
        match self {
            NumberError::TooLarge | NumberError::TooPrecise => String::new(),
            _ => format!("; expected {expected}"),
        }
    }

    /// `'TEXT' is not a whole number`, with the text escaped and cut to a window.
    pub fn message(self, text: &str) -> String {
        format!("'{}' {}", crate::text::echo(text.trim()), self.predicate())
    }
}

impl From<Overflow> for NumberError {
    fn from(o: Overflow) -> Self {
        match o {
            Overflow::TooLarge => NumberError::TooLarge,
            Overflow::TooPrecise => NumberError::TooPrecise,
        }
    }
}

/// `1,234,567` style grouping: 1–3 leading digits, then groups of exactly three.
fn commas_group_thousands(t: &str) -> bool {
    let mut groups = t.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The exponent of `1e3`: digits with an optional sign, saturated far beyond any
/// exponent a `Decimal` can hold (the result is then too large or too precise).
fn exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let value = if trimmed.len() > 9 {
        1_000_000_000
    } else {
        trimmed.parse::<i64>().unwrap_or(0)
    };
    Some(if negative { -value } else { value })
}

/// Parses an exact decimal as a person or a rate card writes it: `6.5`, `"0.065"`,
/// `1_000`, `15,000`, `2.5e1`, `-0` (zero). Never through a float; rejects `inf`, `nan`
/// and anything that is not a plain number, and says whether a number that does not
/// fit is too large or too precise.
pub fn parse_number(text: &str) -> Result<Decimal, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    let (negative, body) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or_default()),
        Some(b'+') => (false, t.get(1..).unwrap_or_default()),
        _ => (false, t),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (
            body.get(..i).unwrap_or_default(),
            exponent(body.get(i + 1..).unwrap_or_default()).ok_or(NumberError::NotANumber)?,
        ),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digit_like = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'_' || b == b',')
    };
    if !digit_like(int)
        || !digit_like(frac)
        || !mantissa.bytes().any(|b| b.is_ascii_digit())
        || int.starts_with(['_', ','])
    {
        return Err(NumberError::NotANumber);
    }
    let int_plain: String = int.chars().filter(|&c| c != '_').collect();
    if frac.contains(',') || (int_plain.contains(',') && !commas_group_thousands(&int_plain)) {
        return Err(NumberError::MisplacedCommas);
    }
    let frac_digits = frac.bytes().filter(u8::is_ascii_digit);
    let frac_len = i64::try_from(frac_digits.clone().count()).unwrap_or(i64::MAX);
    let all: Vec<u8> = int_plain
        .bytes()
        .filter(u8::is_ascii_digit)
        .chain(frac_digits)
        .skip_while(|&b| b == b'0')
        .collect();
    let Some(last) = all.iter().rposition(|&b| b != b'0') else {
        return Ok(Decimal::ZERO); // `-0` is zero, not negative
    };
    let significant = all.get(..=last).unwrap_or_default();
    let trailing_zeros = i64::try_from(all.len() - significant.len()).unwrap_or(i64::MAX);
    // The value is `significant × 10^exp10`.
    let exp10 = exp.saturating_sub(frac_len).saturating_add(trailing_zeros);
    let n = i64::try_from(significant.len()).unwrap_or(i64::MAX);
    let whole_digits = n.saturating_add(exp10);
    // 2^96 has 29 digits: anything longer before the point is too large.
    if whole_digits > 29 {
        return Err(NumberError::TooLarge);
    }
    let value_of = |digits: &[u8]| {
        digits
            .iter()
            .fold(0_i128, |acc, &b| acc * 10 + i128::from(b - b'0'))
    };
    let limit = MANTISSA_LIMIT;
    let (m, scale) = if exp10 >= 0 {
        // At most 29 digits: fits i128.
        let factor = 10_i128.pow(u32::try_from(exp10).unwrap_or(0));
        let m = value_of(significant) * factor;
        if m >= limit {
            return Err(NumberError::TooLarge);
        }
        (m, 0)
    } else {
        let whole = usize::try_from(whole_digits.max(0)).unwrap_or(0);
        if value_of(significant.get(..whole).unwrap_or_default()) >= limit {
            return Err(NumberError::TooLarge);
        }
        let scale = u32::try_from(exp10.unsigned_abs()).unwrap_or(u32::MAX);
        if scale > MAX_SCALE || n > 29 {
            return Err(NumberError::TooPrecise);
        }
        let m = value_of(significant);
        if m >= limit {
            return Err(NumberError::TooPrecise);
        }
        (m, scale)
    };
    let m = if negative { -m } else { m };
    Decimal::try_from_i128_with_scale(m, scale).map_err(|_| NumberError::TooPrecise)
}

/// A whole number of 0 or more (`15000`, `15_000`, `15,000`, `1e3`, `-0`).
pub fn parse_whole(text: &str) -> Result<u64, NumberError> {
    let negative = text.trim().starts_with('-');
    let d = match parse_number(text) {
        Err(NumberError::TooLarge | NumberError::TooPrecise) if negative => {
            return Err(NumberError::Negative);
        }
        Err(NumberError::TooPrecise) => return Err(NumberError::NotWhole),
        other => other?,
    };
    if d.is_sign_negative() && !d.is_zero() {
        return Err(NumberError::Negative);
    }
    if d.fract() != Decimal::ZERO {
        return Err(NumberError::NotWhole);
    }
    u64::try_from(d.mantissa()).map_err(|_| NumberError::TooLarge)
}

/// A number of 0 or more, exactly (free credits).
pub fn parse_non_negative(text: &str) -> Result<Decimal, NumberError> {
    let negative = text.trim().starts_with('-');
    match parse_number(text) {
        Err(NumberError::TooLarge | NumberError::TooPrecise) if negative => {
            Err(NumberError::Negative)
        }
        Ok(d) if d < Decimal::ZERO => Err(NumberError::Negative),
        other => other,
    }
}

/// A number greater than zero, exactly (multipliers, GPU prices and seconds).
pub fn parse_positive(text: &str) -> Result<Decimal, NumberError> {
    match parse_non_negative(text) {
        Ok(d) if d.is_zero() => Err(NumberError::Zero),
        other => other,
    }
}

/// A dollar amount as a person writes it, without its optional `$`: `$100`, `-$5`
/// and `100` are `100`, `-5` and `100`.
pub fn without_dollar(text: &str) -> std::borrow::Cow<'_, str> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('$') {
        rest.into()
    } else if let Some(rest) = t.strip_prefix("-$") {
        format!("-{rest}").into()
    } else {
        t.into()
    }
}

/// A dollar amount greater than zero, with or without a `$` (`100`, `$1,000.50`).
pub fn parse_usd_positive(text: &str) -> Result<Decimal, NumberError> {
    parse_positive(&without_dollar(text))
}

/// Parses a user quantity: a whole number of 0 or more, written `15000`, `15_000` or
/// `15,000`. The error names what is wrong with the text.
pub fn parse_quantity(text: &str) -> Result<u64, String> {
    parse_whole(text).map_err(|e| e.message(text))
}

/// Parses an exact decimal (see [`parse_number`]); the error names what is wrong.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    parse_number(text).map_err(|e| e.message(text))
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("15000"), Ok(15000));
        assert_eq!(parse_quantity("15_000"), Ok(15000));
        assert_eq!(parse_quantity("15,000"), Ok(15000));
        assert_eq!(parse_quantity("0"), Ok(0));
        // A whole number however it is written; minus zero is zero, not negative.
        assert_eq!(parse_whole("1e3"), Ok(1000));
        assert_eq!(parse_whole("2.0"), Ok(2));
        assert_eq!(parse_whole("-0"), Ok(0));
        assert_eq!(parse_whole("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "",
            "-5",
            "1.5",
            "1,50",
            "abc",
            "10000000000000000000000000000000000000000",
        ] {
            assert!(parse_quantity(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn every_bad_number_says_what_is_wrong() {
        use NumberError::*;
        let cases: [(&str, NumberError); 17] = [
            ("", Empty),
            ("  ", Empty),
            ("abc", NotANumber),
            ("three", NotANumber),
            ("0x10", NotANumber),
            ("1e", NotANumber),
            ("1,50", MisplacedCommas),
            ("2,5", MisplacedCommas),
            ("1.5", NotWhole),
            ("1.0000000000000000000000000000000001", NotWhole),
            ("-5", Negative),
            ("-1e40", Negative),
            ("-0.5", Negative),
            ("18446744073709551616", TooLarge),
            ("1e30", TooLarge),
            ("1e999999999999", TooLarge),
            ("10000000000000000000000000000000000000000", TooLarge),
        ];
        for (text, want) in cases {
            assert_eq!(parse_whole(text), Err(want), "{text:?}");
        }
        assert_eq!(parse_number("1e29"), Err(TooLarge));
        assert_eq!(parse_number("79228162514264337593543950336"), Err(TooLarge));
        assert_eq!(parse_number("1e-29"), Err(TooPrecise));
        assert_eq!(parse_number("1e-999999999999"), Err(TooPrecise));
        assert_eq!(
            parse_number("0.12345678901234567890123456789"),
            Err(TooPrecise)
        );
        assert_eq!(parse_positive("0"), Err(Zero));
        assert_eq!(parse_positive("-0"), Err(Zero));
        assert_eq!(parse_positive("-2"), Err(Negative));
        assert_eq!(parse_non_negative("-0"), Ok(Decimal::ZERO));
        assert_eq!(parse_non_negative("0.9"), Ok(d("0.9")));
        assert_eq!(
            NumberError::NotWhole.message("1.5"),
            "'1.5' is not a whole number"
        );
    }

    #[test]
    fn the_largest_and_the_most_precise_numbers_that_fit_are_read_exactly() {
        assert_eq!(
            parse_number("79228162514264337593543950335").unwrap(),
            Decimal::MAX
        );
        assert_eq!(
            parse_number("0.0000000000000000000000000001").unwrap(),
            Decimal::new(1, 28)
        );
        assert_eq!(parse_number("1e-28").unwrap(), Decimal::new(1, 28));
        assert_eq!(
            parse_number("1e28").unwrap().to_string(),
            "10000000000000000000000000000"
        );
        assert_eq!(parse_number("-6.50").unwrap(), d("-6.5"));
        assert_eq!(parse_number("+.5").unwrap(), d("0.5"));
        assert_eq!(parse_number("1,000.25").unwrap(), d("1000.25"));
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(d("0.1").to_string(), "0.1");
        assert_eq!(d("6.5").to_string(), "6.5");
        assert_eq!(d("1_000").to_string(), "1000");
        assert_eq!(d("2.5e1").to_string(), "25");
        assert!(parse_decimal("inf").is_err());
        assert!(parse_decimal("nan").is_err());
        assert!(parse_decimal("0x10").is_err());
    }
}

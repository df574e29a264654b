//! Exact decimal arithmetic and the display rules for credits and US dollars.
//!
//! `rust_decimal` rounds silently when a product or sum needs more than 28 digits; a
//! cost calculator must not. [`mul`] and [`add`] therefore work on the 96-bit mantissas
//! in `i128` and return [`Overflow`] whenever the exact result does not fit a `Decimal`,
//! so every figure stabcost prints is either exact or an error. No `f64` anywhere.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// A figure too large (or too precise) to compute exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the figure is too large to compute exactly")
    }
}

impl std::error::Error for Overflow {}

/// The largest scale a `Decimal` holds.
const MAX_SCALE: u32 = 28;
/// One more than the largest mantissa a `Decimal` holds (2^96).
const MANTISSA_LIMIT: i128 = 1 << 96;

/// Builds a normalized `Decimal` from an exact mantissa and scale, if it fits.
fn from_parts(mut mantissa: i128, mut scale: u32) -> Result<Decimal, Overflow> {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > MAX_SCALE || mantissa.unsigned_abs() >= MANTISSA_LIMIT.unsigned_abs() {
        return Err(Overflow);
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| Overflow)
}

/// `a × b`, exactly, or [`Overflow`].
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    let (a, b) = (a.normalize(), b.normalize());
    let mantissa = a.mantissa().checked_mul(b.mantissa()).ok_or(Overflow)?;
    from_parts(mantissa, a.scale() + b.scale())
}

/// `a + b`, exactly, or [`Overflow`].
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    let scale = a.scale().max(b.scale());
    let widen = |d: Decimal| -> Result<i128, Overflow> {
        10_i128
            .checked_pow(scale - d.scale())
            .and_then(|f| d.mantissa().checked_mul(f))
            .ok_or(Overflow)
    };
    let mantissa = widen(a)?.checked_add(widen(b)?).ok_or(Overflow)?;
    from_parts(mantissa, scale)
}

/// `a - b`, exactly, or [`Overflow`].
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    add(a, -b)
}

/// The exact sum of `values`, or [`Overflow`].
pub fn sum<I: IntoIterator<Item = Decimal>>(values: I) -> Result<Decimal, Overflow> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// `a / b` when the quotient is an exact decimal; `None` when it is not (or `b` is zero).
pub fn div_exact(a: Decimal, b: Decimal) -> Option<Decimal> {
    let q = a.checked_div(b)?;
    (mul(q, b).ok()? == a).then(|| q.normalize())
}

/// `a / b` rounded once, half-to-even, to `dp` decimal places; `None` if `b` is zero or
/// the quotient overflows. For the two figures that are estimates by nature.
pub fn div_rounded(a: Decimal, b: Decimal, dp: u32) -> Option<Decimal> {
    a.checked_div(b)
        .map(|q| q.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven))
}

/// The smallest whole number `n` with `n × unit ≥ amount` (top-up packs to buy).
pub fn ceil_div(amount: Decimal, unit: Decimal) -> Result<Decimal, Overflow> {
    if amount <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut n = amount.checked_div(unit).ok_or(Overflow)?.ceil();
    // `checked_div` rounds at 28 digits; step the estimate until it is exactly right.
    while mul(n, unit)? < amount {
        n = add(n, Decimal::ONE)?;
    }
    while n > Decimal::ZERO && mul(n - Decimal::ONE, unit)? >= amount {
        n -= Decimal::ONE;
    }
    Ok(n.normalize())
}

/// Groups the integer digits of a plain decimal string with commas: `16000.5` → `16,000.5`.
fn group_thousands(plain: &str) -> String {
    let (sign, rest) = plain
        .strip_prefix('-')
        .map_or(("", plain), |rest| ("-", rest));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Credits as plain text, exact, no trailing zeros: `6.5`, `16000`.
pub fn credits_plain(credits: Decimal) -> String {
    credits.normalize().to_string()
}

/// Credits for people: exact, no trailing zeros, thousands separators: `16,000`.
pub fn credits_display(credits: Decimal) -> String {
    group_thousands(&credits_plain(credits))
}

/// Dollars as plain text: at least two decimals and every further digit the exact value
/// has: `160.00`, `0.065`.
pub fn usd_plain(usd: Decimal) -> String {
    let mut d = usd.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Dollars for people: `$160.00`, `$0.065`, `$1,200.00`, `-$0.25`.
pub fn usd_display(usd: Decimal) -> String {
    let plain = usd_plain(usd.abs());
    let sign = if usd.is_sign_negative() && !usd.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", group_thousands(&plain))
}

/// A whole count for people: `15,000`.
pub fn count_display(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// `2,000 images`, `1 image`.
pub fn count_of(n: u64, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", count_display(n))
}

/// Parses a user quantity: a non-negative whole number, written `15000`, `15_000` or
/// `15,000`. The error names what is wrong with the text.
pub fn parse_quantity(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("expected a whole number such as 15000, got nothing".into());
    }
    if t.starts_with('-') && t.len() > 1 {
        return Err(format!(
            "'{t}' is negative; quantities are whole numbers of 0 or more"
        ));
    }
    if t.contains(',') && !commas_group_thousands(t) {
        return Err(format!(
            "'{t}' has misplaced commas; write 15000, 15_000 or 15,000"
        ));
    }
    let digits: String = t.chars().filter(|c| *c != ',' && *c != '_').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || t.starts_with('_') {
        let what = if t.contains('.') || t.contains('e') || t.contains('E') {
            "is not a whole number"
        } else {
            "is not a number"
        };
        return Err(format!(
            "'{t}' {what}; expected a whole number such as 15000"
        ));
    }
    digits.parse::<u64>().map_err(|_| {
        format!(
            "'{t}' is too large; the largest quantity is {}",
            count_display(u64::MAX)
        )
    })
}

/// `1,234,567` style grouping: 1–3 leading digits, then groups of exactly three.
fn commas_group_thousands(t: &str) -> bool {
    let mut groups = t.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses an exact decimal as a person or a rate card writes it: `6.5`, `"0.065"`,
/// `1_000`, `2.5e1`. Rejects `inf`, `nan` and anything that is not a plain number.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let cleaned: String = t.chars().filter(|c| *c != '_').collect();
    let unsigned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    let parsed = if unsigned.contains(['e', 'E']) {
        Decimal::from_scientific(unsigned)
    } else if unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && unsigned.bytes().any(|b| b.is_ascii_digit())
    {
        Decimal::from_str_exact(unsigned)
    } else {
        return Err(format!("'{t}' is not a number"));
    };
    parsed.map(|d| d.normalize()).map_err(|e| {
        let e = e.to_string();
        if e.contains("precision") || e.contains("too large") || e.contains("overflow") {
            format!("'{t}' has more digits than stabcost can hold exactly (28 significant digits)")
        } else {
            format!("'{t}' is not a number")
        }
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn tenth_times_three_is_exactly_three_tenths() {
        assert_eq!(mul(d("0.1"), d("3")).unwrap(), d("0.3"));
        assert_eq!(credits_plain(mul(d("0.1"), d("3")).unwrap()), "0.3");
    }

    #[test]
    fn products_and_sums_that_do_not_fit_are_errors_not_roundings() {
        let big = Decimal::MAX;
        assert_eq!(mul(big, d("2")), Err(Overflow));
        assert_eq!(add(big, d("1")), Err(Overflow));
        // 28 significant digits times 3.3 needs 30: rust_decimal would round, we refuse.
        assert_eq!(
            mul(d("0.1234567890123456789012345678"), d("3.3")),
            Err(Overflow)
        );
        assert_eq!(
            add(d("79228162514264337593543950335"), d("0.5")),
            Err(Overflow)
        );
    }

    #[test]
    fn display_rules() {
        assert_eq!(credits_display(d("16000")), "16,000");
        assert_eq!(credits_display(d("6.50")), "6.5");
        assert_eq!(usd_display(d("160")), "$160.00");
        assert_eq!(usd_display(d("0.065")), "$0.065");
        assert_eq!(usd_display(d("1200")), "$1,200.00");
        assert_eq!(usd_display(d("-0.25")), "-$0.25");
        assert_eq!(usd_plain(d("0.003")), "0.003");
        assert_eq!(count_display(1_234_567), "1,234,567");
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("15000"), Ok(15000));
        assert_eq!(parse_quantity("15_000"), Ok(15000));
        assert_eq!(parse_quantity("15,000"), Ok(15000));
        assert_eq!(parse_quantity("0"), Ok(0));
        for bad in [
            "",
            "-5",
            "1.5",
            "1e3",
            "1,50",
            "abc",
            "10000000000000000000000000000000000000000",
        ] {
            assert!(parse_quantity(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn packs_round_up_exactly() {
        assert_eq!(ceil_div(d("48"), d("1000")).unwrap(), d("1"));
        assert_eq!(ceil_div(d("16000"), d("1000")).unwrap(), d("16"));
        assert_eq!(ceil_div(d("16000.01"), d("1000")).unwrap(), d("17"));
        assert_eq!(ceil_div(d("0"), d("1000")).unwrap(), d("0"));
        assert_eq!(ceil_div(d("-3"), d("1000")).unwrap(), d("0"));
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

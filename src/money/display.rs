//! How figures are written: credits without trailing zeros (`6.5`, `16,000`), dollars
//! with at least two decimals and every further digit they have (`$0.065`, `$160.00`),
//! counts with thousands separators.

use rust_decimal::Decimal;
use serde::Serializer;

/// Groups the integer digits of a plain decimal string with commas: `16000.5` → `16,000.5`.
pub(super) fn group_thousands(plain: &str) -> String {
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

/// A decimal (credits, a multiplier) as plain text, exact, no trailing zeros: `6.5`,
/// `16000`.
pub fn decimal_plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Serializes a plain decimal (a multiplier, a pack count) as a decimal string, for
/// `#[serde(serialize_with)]`.
pub fn serialize_decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&decimal_plain(*d))
}

/// A decimal with exactly `dp` decimals, for a figure already rounded to them:
/// `16.67`, `0.00`.
pub fn decimal_fixed(d: Decimal, dp: u32) -> String {
    let mut d = d;
    d.rescale(dp);
    at_least_decimals(&d.to_string(), dp as usize)
}

/// A decimal for people: exact, no trailing zeros, thousands separators: `16,000`.
pub fn decimal_display(d: Decimal) -> String {
    group_thousands(&decimal_plain(d))
}

/// Dollars as plain text: at least two decimals and every further digit the exact value
/// has: `160.00`, `0.065`.
pub fn usd_plain(usd: Decimal) -> String {
    at_least_decimals(&usd.normalize().to_string(), 2)
}

/// `plain` (a decimal's exact digits) with zeros added up to `dp` decimals. Written on
/// the text, not with `rescale`, which cannot add a digit past a Decimal's 28: a huge
/// amount still shows its cents.
pub(super) fn at_least_decimals(plain: &str, dp: usize) -> String {
    let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len());
    let mut out = plain.to_owned();
    if decimals == 0 && dp > 0 {
        out.push('.');
    }
    for _ in decimals..dp {
        out.push('0');
    }
    out
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
pub fn count_display(n: impl Into<u128>) -> String {
    group_thousands(&n.into().to_string())
}

/// `2,000 images`, `1 image`.
pub fn count_of(n: u64, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", count_display(n))
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn display_rules() {
        assert_eq!(decimal_display(d("16000")), "16,000");
        assert_eq!(decimal_display(d("6.50")), "6.5");
        assert_eq!(usd_display(d("160")), "$160.00");
        assert_eq!(usd_display(d("0.065")), "$0.065");
        assert_eq!(usd_display(d("1200")), "$1,200.00");
        assert_eq!(usd_display(d("-0.25")), "-$0.25");
        assert_eq!(usd_plain(d("0.003")), "0.003");
        // Past 26 whole digits rescale cannot add the cents; the text still shows them.
        assert_eq!(
            usd_plain(d("1000000000000000000000000000")),
            "1000000000000000000000000000.00"
        );
        assert_eq!(count_display(1_234_567u64), "1,234,567");
    }
}

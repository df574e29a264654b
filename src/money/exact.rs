//! Exact arithmetic on `Decimal`s: products, sums and quotients that are exact or an
//! [`Overflow`], never silently rounded; the two roundings that are asked for by name.

use super::Overflow;
use rust_decimal::{Decimal, RoundingStrategy};

/// The largest scale a `Decimal` holds.
pub const MAX_SCALE: u32 = 28;
/// One more than the largest mantissa a `Decimal` holds (2^96).
const MANTISSA_LIMIT: i128 = 1 << 96;

/// Builds a normalized `Decimal` from an exact mantissa and scale, if it fits.
fn from_parts(mut mantissa: i128, mut scale: u32) -> Result<Decimal, Overflow> {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > MAX_SCALE || mantissa.unsigned_abs() >= MANTISSA_LIMIT.unsigned_abs() {
        return Err(overflow_of(mantissa, scale));
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| overflow_of(mantissa, scale))
}

/// Why `mantissa × 10^-scale` does not fit: its whole part, or only its decimals.
fn overflow_of(mantissa: i128, scale: u32) -> Overflow {
    let whole = 10_i128
        .checked_pow(scale)
        .map_or(0, |f| mantissa.unsigned_abs() / f.unsigned_abs());
    if whole >= MANTISSA_LIMIT.unsigned_abs() {
        Overflow::TooLarge
    } else {
        Overflow::TooPrecise
    }
}

/// The number of decimal digits of `n` (1 for zero).
fn digit_count(n: i128) -> i64 {
    let mut n = n.unsigned_abs();
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

/// `d` as `mantissa × 10^exponent` with no trailing zero in the mantissa, so that
/// `1e20` is `1 × 10^20`, not a 21-digit mantissa.
fn decompose(d: Decimal) -> (i128, i64) {
    let mut mantissa = d.mantissa();
    let mut exponent = -i64::from(d.scale());
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    (mantissa, exponent)
}

/// `a × b`, exactly, or [`Overflow`].
///
/// Whole-number trailing zeros are taken out before the product, so
/// `1e20 × 0.0000000012157665459056928801` is the 20-digit mantissa it is, not a
/// 41-digit intermediate that overflows `i128`.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    let (ma, ea) = decompose(a);
    let (mb, eb) = decompose(b);
    let exponent = ea + eb;
    let mantissa = ma.checked_mul(mb).ok_or_else(|| {
        // The product has about this many digits before the decimal point.
        if digit_count(ma) + digit_count(mb) + exponent > 29 {
            Overflow::TooLarge
        } else {
            Overflow::TooPrecise
        }
    })?;
    if mantissa == 0 {
        return Ok(Decimal::ZERO);
    }
    if exponent >= 0 {
        let factor = u32::try_from(exponent)
            .ok()
            .and_then(|e| 10_i128.checked_pow(e))
            .ok_or(Overflow::TooLarge)?;
        from_parts(mantissa.checked_mul(factor).ok_or(Overflow::TooLarge)?, 0)
    } else {
        let scale = u32::try_from(-exponent).map_err(|_| Overflow::TooPrecise)?;
        from_parts(mantissa, scale)
    }
}

/// `a + b`, exactly, or [`Overflow`].
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    let scale = a.scale().max(b.scale());
    // When the exact sum outgrows i128, rust_decimal's rounding sum (whose whole
    // part is exact) tells whether the whole part fits or only the decimals do not.
    let why = || {
        if a.checked_add(b).is_some() {
            Overflow::TooPrecise
        } else {
            Overflow::TooLarge
        }
    };
    let widen = |d: Decimal| {
        10_i128
            .checked_pow(scale - d.scale())
            .and_then(|f| d.mantissa().checked_mul(f))
    };
    let mantissa = widen(a)
        .zip(widen(b))
        .and_then(|(x, y)| x.checked_add(y))
        .ok_or_else(why)?;
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

/// `d` rounded once, half-to-even, to `dp` decimal places, or, when that would show a
/// non-zero figure as zero, to `significant` significant digits: an estimate of 9 s of
/// GPU time is `0.0025` hours, never `0.00`.
pub fn round_significant(d: Decimal, dp: u32, significant: u32) -> Decimal {
    let round = |dp| d.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    let mut places = dp;
    while round(places).is_zero() && !d.is_zero() && places < MAX_SCALE {
        places += 1;
    }
    if places == dp {
        round(dp)
    } else {
        round((places + significant - 1).min(MAX_SCALE))
    }
}

/// The smallest whole number `n` with `n × unit ≥ amount` (top-up packs to buy).
pub fn ceil_div(amount: Decimal, unit: Decimal) -> Result<Decimal, Overflow> {
    if amount <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut n = amount.checked_div(unit).ok_or(Overflow::TooLarge)?.ceil();
    // `checked_div` rounds at 28 digits; step the estimate until it is exactly right.
    while mul(n, unit)? < amount {
        n = add(n, Decimal::ONE)?;
    }
    while n > Decimal::ZERO && mul(n - Decimal::ONE, unit)? >= amount {
        n -= Decimal::ONE;
    }
    Ok(n.normalize())
}

/// The largest whole number `n` with `n × unit ≤ amount` (images a budget buys); zero
/// when `amount` is negative. `unit` must be greater than zero.
pub fn floor_div(amount: Decimal, unit: Decimal) -> Result<Decimal, Overflow> {
    if amount <= Decimal::ZERO || unit <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut n = amount.checked_div(unit).ok_or(Overflow::TooLarge)?.floor();
    // `checked_div` rounds at 28 digits; step the estimate until it is exactly right.
    while n > Decimal::ZERO && mul(n, unit)? > amount {
        n -= Decimal::ONE;
    }
    while mul(add(n, Decimal::ONE)?, unit)? <= amount {
        n = add(n, Decimal::ONE)?;
    }
    Ok(n.normalize())
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;
    use crate::money::decimal_plain;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn tenth_times_three_is_exactly_three_tenths() {
        assert_eq!(mul(d("0.1"), d("3")).unwrap(), d("0.3"));
        assert_eq!(decimal_plain(mul(d("0.1"), d("3")).unwrap()), "0.3");
    }

    #[test]
    fn products_and_sums_that_do_not_fit_are_errors_not_roundings() {
        let big = Decimal::MAX;
        assert_eq!(mul(big, d("2")), Err(Overflow::TooLarge));
        assert_eq!(add(big, d("1")), Err(Overflow::TooLarge));
        // 28 significant digits times 3.3 needs 30: rust_decimal would round, we refuse.
        assert_eq!(
            mul(d("0.1234567890123456789012345678"), d("3.3")),
            Err(Overflow::TooPrecise)
        );
        assert_eq!(
            add(d("79228162514264337593543950335"), d("0.5")),
            Err(Overflow::TooPrecise)
        );
    }

    #[test]
    fn whole_number_trailing_zeros_do_not_overflow_a_product_that_fits() {
        // 1e20 × 0.0000000012157665459056928801 = 121576654590.56928801 exactly; the
        // mantissas' product alone (1e20 × 12157665459056928801) would overflow i128.
        assert_eq!(
            mul(
                d("100000000000000000000"),
                d("0.0000000012157665459056928801")
            )
            .unwrap(),
            d("121576654590.56928801")
        );
        assert_eq!(
            mul(d("1e27"), d("0.07")).unwrap(),
            d("70000000000000000000000000")
        );
        assert_eq!(mul(d("0"), d("1e28")).unwrap(), Decimal::ZERO);
        assert_eq!(mul(d("1e28"), d("1e28")), Err(Overflow::TooLarge));
        // Whole part fits, decimals do not: the message must say "too precise".
        assert_eq!(
            add(
                d("79228162514264337593543950335"),
                d("0.0000000000000000000000000001")
            ),
            Err(Overflow::TooPrecise)
        );
        assert_eq!(
            mul(d("0.0000000000001"), d("0.0000000000000001")),
            Err(Overflow::TooPrecise)
        );
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
    fn a_budget_buys_whole_images() {
        // $100.00 at $0.03: 3,333 images ($99.99); at $0.065: 1,538 ($99.97); at $0.08: 1,250.
        assert_eq!(floor_div(d("100"), d("0.03")).unwrap(), d("3333"));
        assert_eq!(floor_div(d("100"), d("0.065")).unwrap(), d("1538"));
        assert_eq!(floor_div(d("100"), d("0.08")).unwrap(), d("1250"));
        assert_eq!(floor_div(d("0.01"), d("0.03")).unwrap(), Decimal::ZERO);
        // 1 / (1/3 rounded at 28 digits) must not round up past the exact answer.
        let third = d("0.3333333333333333333333333333");
        assert_eq!(floor_div(Decimal::ONE, third).unwrap(), d("3"));
    }
}

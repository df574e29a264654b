//! Grown volumes: month `m`'s volume is `per_month × (1 + growth)^(m-1)`, computed as an
//! exact fraction (no 28-digit limit: 1.1^119 has 119 decimals) and rounded once,
//! half-to-even, to whole assets. The only rounded figure in a plan.

use crate::money::Overflow;
use num_bigint::BigUint;
use num_integer::Integer;
use rust_decimal::Decimal;

/// `per_month × (1 + rate)^(month - 1)`, rounded once, half-to-even, to a whole number;
/// [`Overflow`] when it does not fit a `u64`. `rate` is a fraction (`0.1` for 10%) of
/// at least -1; month 1 is `per_month` itself.
pub fn grown(per_month: u64, rate: Decimal, month: u32) -> Result<u64, Overflow> {
    let k = month.saturating_sub(1);
    if k == 0 || rate.is_zero() {
        return Ok(per_month);
    }
    // rate = m / 10^s exactly, so 1 + rate = (10^s + m) / 10^s.
    let scale = BigUint::from(10u32).pow(rate.scale());
    let m = rate.mantissa();
    let base = if m >= 0 {
        &scale + BigUint::from(m.unsigned_abs())
    } else {
        let down = BigUint::from(m.unsigned_abs());
        if down > scale {
            return Err(Overflow::TooLarge);
        }
        &scale - down
    };
    let numerator = BigUint::from(per_month) * base.pow(k);
    let denominator = scale.pow(k);
    let (quotient, remainder) = numerator.div_rem(&denominator);
    let twice = remainder * 2u32;
    let up = twice > denominator || (twice == denominator && quotient.is_odd());
    let rounded = if up { quotient + 1u32 } else { quotient };
    u64::try_from(rounded).map_err(|_| Overflow::TooLarge)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn the_guides_avatars_grow_ten_percent_a_month() {
        // 3,000 × 1.1 = 3,300; × 1.1 again = 3,630 (the README's plan example).
        assert_eq!(grown(3000, d("0.1"), 1), Ok(3000));
        assert_eq!(grown(3000, d("0.1"), 2), Ok(3300));
        assert_eq!(grown(3000, d("0.1"), 3), Ok(3630));
    }

    #[test]
    fn rounded_once_half_to_even() {
        // 5 × 1.1 = 5.5 → 6 (even); 15 × 1.1 = 16.5 → 16 (even); 25 × 1.1 = 27.5 → 28.
        assert_eq!(grown(5, d("0.1"), 2), Ok(6));
        assert_eq!(grown(15, d("0.1"), 2), Ok(16));
        assert_eq!(grown(25, d("0.1"), 2), Ok(28));
        // 1 × 1.5^3 = 3.375 → 3: rounding each month (1.5 → 2, 3 → 3, 4.5 → 4) would
        // drift; the once-rounded figure does not.
        assert_eq!(grown(1, d("0.5"), 4), Ok(3));
    }

    #[test]
    fn shrinking_and_the_limits() {
        assert_eq!(grown(1000, d("-0.5"), 3), Ok(250));
        assert_eq!(grown(1000, d("-1"), 2), Ok(0));
        assert_eq!(grown(1000, d("-1.5"), 2), Err(Overflow::TooLarge));
        // 1000% a month for 120 months is far past any count.
        assert_eq!(grown(1, d("10"), 120), Err(Overflow::TooLarge));
        // 1000 × 1.1^119 = 84,280,971.652… (Python's fractions.Fraction, exactly): 119
        // months of growth need 119 decimals, far past a Decimal's 28.
        assert_eq!(grown(1000, d("0.1"), 120), Ok(84_280_972));
    }
}

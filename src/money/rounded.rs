//! The figures that are rounded, once, half-to-even, and say so: a ratio (`2.67×`), a
//! percentage (`28.17%`, `+66.67%`) and a dollar estimate (`≈ $41.67`).

use super::display::decimal_fixed;
use super::display::group_thousands;
use super::{Usd, div_rounded, mul, round_significant, sub};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;

/// One figure divided by another, rounded once, half-to-even, to two decimals: one of
/// the two figures that cannot always be exact. Shown `2.67×`; serialized `"2.67"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ratio(Decimal);

impl Ratio {
    /// `a / b`, rounded once to two decimals; `None` when `b` is zero.
    pub fn of(a: Decimal, b: Decimal) -> Option<Ratio> {
        div_rounded(a, b, 2).map(Ratio)
    }

    /// The rounded value.
    pub const fn get(self) -> Decimal {
        self.0
    }

    /// The bare ratio with its two decimals: `2.67`.
    pub fn plain(self) -> String {
        decimal_fixed(self.0, 2)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×", self.plain())
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// A percentage, rounded once, half-to-even, to two decimals: a share of a total
/// (`28.17%`) or a change (`+66.67%`, see [`Percent::signed`]); serialized `"66.67"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(Decimal);

impl Percent {
    /// No change; nothing of the whole.
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// The change from `old` to `new` in percent of `old`; `None` when `old` is zero.
    pub fn change(old: Decimal, new: Decimal) -> Option<Percent> {
        let delta = sub(new, old).ok()?;
        let hundredfold = mul(delta, Decimal::ONE_HUNDRED).ok()?;
        div_rounded(hundredfold, old, 2).map(Percent)
    }

    /// `part` in percent of `whole`; `None` when `whole` is zero.
    pub fn of(part: Decimal, whole: Decimal) -> Option<Percent> {
        let hundredfold = mul(part, Decimal::ONE_HUNDRED).ok()?;
        div_rounded(hundredfold, whole, 2).map(Percent)
    }

    /// The rounded value.
    pub const fn get(self) -> Decimal {
        self.0
    }

    /// As a change, with its sign: `+66.67%`, `-25.00%`, `0.00%`.
    pub fn signed(self) -> String {
        let sign = if self.0 > Decimal::ZERO { "+" } else { "" };
        format!("{sign}{self}")
    }

    /// The bare figure with two decimals and its sign: `66.67`, `-5.00`.
    pub fn plain(self) -> String {
        decimal_fixed(self.0, 2)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", group_thousands(&self.plain()))
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// A dollar estimate rounded once, half-to-even, to cents (the self-hosting figure);
/// to two significant digits when it is under half a cent.
/// Shown `≈ $41.67`, so nobody takes it for an exact price; serialized `"41.67"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Approx(Usd);

impl Approx {
    /// `usd` rounded once, half-to-even, to cents; or, when cents would show a
    /// non-zero estimate as `$0.00`, to two significant digits (`≈ $0.0049`).
    pub fn cents(usd: Decimal) -> Approx {
        Approx(Usd::new(round_significant(usd, 2, 2)))
    }

    /// The rounded amount.
    pub const fn usd(self) -> Usd {
        self.0
    }
}

impl fmt::Display for Approx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "≈ {}", self.0)
    }
}

impl Serialize for Approx {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn rounded_figures_say_what_they_are() {
        assert_eq!(Ratio::of(d("8"), d("0.9")).unwrap().to_string(), "8.89×");
        assert_eq!(Ratio::of(d("3"), d("3")).unwrap().to_string(), "1.00×");
        assert_eq!(Ratio::of(d("1"), Decimal::ZERO), None);
        // Half-to-even, once: 41.675 → 41.68 (8 is even), 41.665 → 41.66.
        assert_eq!(Approx::cents(d("41.675")).to_string(), "≈ $41.68");
        assert_eq!(Approx::cents(d("41.665")).to_string(), "≈ $41.66");
        assert_eq!(Approx::cents(d("0.0048611")).to_string(), "≈ $0.0049");
        assert_eq!(
            serde_json::to_string(&Approx::cents(d("41.6666"))).unwrap(),
            "\"41.67\""
        );
    }

    #[test]
    fn percent_changes_round_once() {
        // Erase went from 3 to 5 credits: 2/3 = 66.666…% → 66.67%.
        let change = |a: &str, b: &str| Percent::change(d(a), d(b)).unwrap().signed();
        assert_eq!(change("3", "5"), "+66.67%");
        assert_eq!(change("25", "40"), "+60.00%");
        assert_eq!(change("8", "6"), "-25.00%");
        assert_eq!(change("4", "4"), "0.00%");
        assert_eq!(Percent::change(Decimal::ZERO, d("4")), None);
        // The guide's plan: $213.00 of a $250.00 budget is 85.20%.
        assert_eq!(
            Percent::of(d("213"), d("250")).unwrap().to_string(),
            "85.20%"
        );
    }

    #[test]
    fn small_estimates_keep_two_significant_digits() {
        assert_eq!(round_significant(d("16.6666"), 2, 2), d("16.67"));
        assert_eq!(round_significant(d("0.0019444"), 2, 2), d("0.0019"));
        assert_eq!(round_significant(d("0.00025"), 2, 2), d("0.00025"));
        assert_eq!(round_significant(d("0.005"), 2, 2), d("0.005"));
        assert_eq!(round_significant(Decimal::ZERO, 2, 2), Decimal::ZERO);
    }
}

//! The amounts stabcost prices in: [`Credits`], [`Usd`] and both together
//! ([`Amount`]), with checked arithmetic, their display rules, and decimal strings in JSON.

use super::display::{decimal_display, decimal_plain, usd_display, usd_plain};
use super::{Overflow, add, mul, sub};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;

/// Implements the checked arithmetic, `Display` (for people) and `Serialize` (a decimal
/// string) that [`Credits`] and [`Usd`] share; only their display rules differ.
macro_rules! exact_amount {
    ($name:ident, $plain:path, $display:path) => {
        impl $name {
            /// Nothing.
            pub const ZERO: $name = $name(Decimal::ZERO);

            /// The exact value `d`.
            pub const fn new(d: Decimal) -> Self {
                $name(d)
            }

            /// The exact value.
            pub const fn get(self) -> Decimal {
                self.0
            }

            /// `self + other`, exactly, or [`Overflow`].
            pub fn checked_add(self, other: Self) -> Result<Self, Overflow> {
                add(self.0, other.0).map($name)
            }

            /// `self - other`, exactly, or [`Overflow`].
            pub fn checked_sub(self, other: Self) -> Result<Self, Overflow> {
                sub(self.0, other.0).map($name)
            }

            /// `self × factor` (a multiplier or a count), exactly, or [`Overflow`].
            pub fn times(self, factor: Decimal) -> Result<Self, Overflow> {
                mul(self.0, factor).map($name)
            }

            /// The exact sum of `values`, or [`Overflow`].
            pub fn sum<I: IntoIterator<Item = Self>>(values: I) -> Result<Self, Overflow> {
                values
                    .into_iter()
                    .try_fold($name::ZERO, |acc, v| acc.checked_add(v))
            }

            /// The bare figure a spreadsheet or a program reads.
            pub fn plain(self) -> String {
                $plain(self.0)
            }

            /// The figure with its sign, for a change: `+$100.00`, `-$5.00`, `$0.00`
            /// (`+2`, `-0.5`, `0` in credits).
            pub fn signed(self) -> String {
                if self.0 > Decimal::ZERO {
                    format!("+{self}")
                } else {
                    self.to_string()
                }
            }

            /// Whether this is zero.
            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&$display(self.0))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.plain())
            }
        }
    };
}

/// An exact number of Stability credits. Shown `16,000` or `6.5`; serialized `"16000"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Credits(Decimal);
exact_amount!(Credits, decimal_plain, decimal_display);

/// An exact amount of US dollars. Shown `$1,200.00` or `$0.065`; serialized `"0.065"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Usd(Decimal);
exact_amount!(Usd, usd_plain, usd_display);

/// A figure in credits and what it costs in dollars: JSON `{"credits", "usd"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Amount {
    pub credits: Credits,
    pub usd: Usd,
}

impl Amount {
    /// Nothing.
    pub const ZERO: Amount = Amount {
        credits: Credits::ZERO,
        usd: Usd::ZERO,
    };

    /// `self + other`, exactly, or [`Overflow`].
    pub fn checked_add(self, other: Amount) -> Result<Amount, Overflow> {
        Ok(Amount {
            credits: self.credits.checked_add(other.credits)?,
            usd: self.usd.checked_add(other.usd)?,
        })
    }

    /// `self - other`, exactly, or [`Overflow`].
    pub fn checked_sub(self, other: Amount) -> Result<Amount, Overflow> {
        Ok(Amount {
            credits: self.credits.checked_sub(other.credits)?,
            usd: self.usd.checked_sub(other.usd)?,
        })
    }

    /// `self × factor`, exactly, or [`Overflow`].
    pub fn times(self, factor: Decimal) -> Result<Amount, Overflow> {
        Ok(Amount {
            credits: self.credits.times(factor)?,
            usd: self.usd.times(factor)?,
        })
    }

    /// The exact sum of `values`, or [`Overflow`].
    pub fn sum<I: IntoIterator<Item = Amount>>(values: I) -> Result<Amount, Overflow> {
        values
            .into_iter()
            .try_fold(Amount::ZERO, Amount::checked_add)
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
    fn amounts_serialize_as_decimal_strings() {
        let a = Amount {
            credits: Credits::new(d("6.5")),
            usd: Usd::new(d("0.065")),
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"credits":"6.5","usd":"0.065"}"#
        );
        assert_eq!(Usd::new(d("160")).to_string(), "$160.00");
        assert_eq!(Credits::new(d("16000")).to_string(), "16,000");
    }
}

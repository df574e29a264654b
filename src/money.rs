//! Exact decimal arithmetic, the amounts stabcost prices in, and their display rules.
//!
//! `rust_decimal` rounds silently when a product or sum needs more than 28 digits; a
//! cost calculator must not. [`mul`] and [`add`] therefore work on exact integer
//! mantissas in `i128` and return [`Overflow`] whenever the exact result does not fit a
//! `Decimal`, so every figure stabcost prints is either exact or an error. [`Credits`]
//! and [`Usd`] carry that checked arithmetic and serialize as decimal strings; [`Ratio`]
//! and [`Approx`] are the two kinds of figure that are rounded, once, and say so. No
//! `f64` anywhere.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::fmt;

/// A figure that cannot be held exactly: too large, or with more decimal places than
/// a `Decimal` holds (28). The two are told apart so a message can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// The whole part does not fit.
    TooLarge,
    /// The whole part fits, but not every decimal place.
    TooPrecise,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Overflow::TooLarge => "the figure is too large to compute exactly",
            Overflow::TooPrecise => {
                "the figure has more decimal places than stabcost can hold exactly (28)"
            }
        })
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
fn at_least_decimals(plain: &str, dp: usize) -> String {
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
        Approx(Usd(round_significant(usd, 2, 2)))
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
        format!("'{}' {}", crate::error::echo(text.trim()), self.predicate())
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
        parse_decimal(s).unwrap()
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

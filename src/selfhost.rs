//! Self-hosting the open weights on dedicated GPUs rented by the month: how many images
//! one GPU makes in a month, how many GPUs a volume needs, and the volume at which one
//! GPU costs less than paying an API model per image (README, "What a budget buys, and when self-hosting pays off"). Pure arithmetic
//! on exact decimals; `compare` presents it.

use crate::money::{self, Overflow};
use rust_decimal::Decimal;

/// The seconds in the month a dedicated GPU is rented for: 30 days.
pub const SECONDS_PER_MONTH: u32 = 2_592_000;

/// Images one GPU makes in a month at `seconds_per_image`, rounded down; `None` when it
/// makes none at all (an image takes longer than a month).
pub fn capacity(seconds_per_image: Decimal) -> Result<Option<u64>, Overflow> {
    let n = money::floor_div(Decimal::from(SECONDS_PER_MONTH), seconds_per_image)?;
    let n = u64::try_from(n).map_err(|_| Overflow::TooLarge)?;
    Ok((n > 0).then_some(n))
}

/// GPU time for `images` at `seconds_per_image`, at an hourly price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuTime {
    /// `images × seconds / 3600`: exact when that is a finite decimal, else rounded
    /// once, half-to-even, to 2 decimals (or 2 significant digits, so that a little
    /// GPU time never reads as none).
    pub hours: Decimal,
    pub exact: bool,
    /// `images × seconds × hourly / 3600`, at full precision: an estimate for the
    /// caller to round.
    pub compute_usd: Decimal,
}

/// The seconds in an hour.
const SECONDS_PER_HOUR: u32 = 3600;

/// What `images` cost in GPU time at `seconds_per_image` and `hourly_usd` an hour.
pub fn gpu_time(
    images: u64,
    seconds_per_image: Decimal,
    hourly_usd: Decimal,
) -> Result<GpuTime, Overflow> {
    let per_hour = Decimal::from(SECONDS_PER_HOUR);
    let seconds = money::mul(Decimal::from(images), seconds_per_image)?;
    let (hours, exact) = match money::div_exact(seconds, per_hour) {
        Some(exact) => (exact, true),
        None => (
            money::round_significant(
                seconds.checked_div(per_hour).ok_or(Overflow::TooLarge)?,
                2,
                2,
            ),
            false,
        ),
    };
    let compute_usd = money::mul(seconds, hourly_usd)?
        .checked_div(per_hour)
        .ok_or(Overflow::TooLarge)?;
    Ok(GpuTime {
        hours,
        exact,
        compute_usd,
    })
}

/// The GPUs `images` a month need, each making `capacity`: zero for no images.
pub fn gpus_needed(images: u64, capacity: u64) -> u64 {
    images.div_ceil(capacity.max(1))
}

/// When one dedicated GPU starts to cost less than an API model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakEven {
    /// From this many images a month, one GPU costs less.
    Images(u64),
    /// Only past what one GPU can make in a month (more GPUs do not change that).
    BeyondCapacity,
}

/// The smallest whole number of images a month at which one GPU rented for `gpu_monthly`
/// dollars costs less than `usd_per_image` each on the API:
/// `floor(gpu_monthly / usd_per_image) + 1`, or [`BreakEven::BeyondCapacity`] past one
/// GPU's `capacity`.
pub fn break_even(
    gpu_monthly: Decimal,
    usd_per_image: Decimal,
    capacity: u64,
) -> Result<BreakEven, Overflow> {
    let at = money::add(money::floor_div(gpu_monthly, usd_per_image)?, Decimal::ONE)?;
    let at = u64::try_from(at).map_err(|_| Overflow::TooLarge)?;
    Ok(if at > capacity {
        BreakEven::BeyondCapacity
    } else {
        BreakEven::Images(at)
    })
}

/// The break-even volume of a mix of API calls: `images` images that cost `api_usd` in
/// all on the API, at their average price. The smallest whole number of images a month
/// `n` with `n × api_usd / images > gpu_monthly`, that is `floor(gpu_monthly × images /
/// api_usd) + 1` (worked out without dividing the price, so exactly), or
/// [`BreakEven::BeyondCapacity`] past one GPU's `capacity`. `None` when the images cost
/// nothing on the API, where no volume breaks even.
pub fn break_even_mix(
    gpu_monthly: Decimal,
    api_usd: Decimal,
    images: u64,
    capacity: u64,
) -> Result<Option<BreakEven>, Overflow> {
    if api_usd <= Decimal::ZERO || images == 0 {
        return Ok(None);
    }
    let whole = money::mul(gpu_monthly, Decimal::from(images))?;
    let at = money::add(money::floor_div(whole, api_usd)?, Decimal::ONE)?;
    let at = u64::try_from(at).map_err(|_| Overflow::TooLarge)?;
    Ok(Some(if at > capacity {
        BreakEven::BeyondCapacity
    } else {
        BreakEven::Images(at)
    }))
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::number::parse_decimal(s).unwrap()
    }

    #[test]
    fn gpu_time_is_exact_where_it_can_be() {
        // 15,000 images × 4 s = 60,000 s = 16.666… hours (rounded, 16.67); at $2.50 an
        // hour, 60,000 × 2.5 / 3600 = 41.666… dollars, left unrounded for the caller.
        let t = gpu_time(15_000, d("4"), d("2.50")).unwrap();
        assert_eq!((t.hours, t.exact), (d("16.67"), false));
        assert_eq!(t.compute_usd.round_dp(2), d("41.67"));
        // 9 images × 1 s = 9 s = 0.0025 hours exactly; 900 × 4 s = 1 hour.
        assert_eq!(gpu_time(9, d("1"), d("2")).unwrap().hours, d("0.0025"));
        let hour = gpu_time(900, d("4"), d("3")).unwrap();
        assert_eq!(
            (hour.hours, hour.exact, hour.compute_usd),
            (d("1"), true, d("3"))
        );
    }

    #[test]
    fn the_spec_figures() {
        // 2,592,000 s / 4 s = 648,000 images a month; 15,000 images need one GPU.
        assert_eq!(capacity(d("4")), Ok(Some(648_000)));
        assert_eq!(gpus_needed(15_000, 648_000), 1);
        assert_eq!(gpus_needed(648_001, 648_000), 2);
        assert_eq!(gpus_needed(0, 648_000), 0);
        // $1,800 / $0.03 = 60,000 → 60,001; / $0.08 = 22,500 → 22,501; / $0.009 → 200,001.
        let cap = 648_000;
        assert_eq!(
            break_even(d("1800"), d("0.03"), cap),
            Ok(BreakEven::Images(60_001))
        );
        assert_eq!(
            break_even(d("1800"), d("0.08"), cap),
            Ok(BreakEven::Images(22_501))
        );
        assert_eq!(
            break_even(d("1800"), d("0.009"), cap),
            Ok(BreakEven::Images(200_001))
        );
        // At 40 s an image one GPU makes 64,800 a month: SDXL never pays off on one GPU.
        assert_eq!(
            break_even(d("1800"), d("0.009"), 64_800),
            Ok(BreakEven::BeyondCapacity)
        );
        assert_eq!(capacity(d("2592001")), Ok(None));
    }

    #[test]
    fn a_mix_breaks_even_at_its_average_price() {
        // 1,000 Ultra images cost $80.00: $0.08 each, so $1,800 / $0.08 = 22,500 → 22,501,
        // as for Ultra alone.
        assert_eq!(
            break_even_mix(d("1800"), d("80"), 1000, 648_000),
            Ok(Some(BreakEven::Images(22_501)))
        );
        // 1,000 Ultra + 2,000 Core images: $80 + $60 = $140 for 3,000, $0.04666… each;
        // 1,800 × 3,000 / 140 = 38,571.4… → 38,572 (38,572 × 140 / 3,000 = 1,800.03 > 1,800).
        assert_eq!(
            break_even_mix(d("1800"), d("140"), 3000, 648_000),
            Ok(Some(BreakEven::Images(38_572)))
        );
        assert_eq!(
            break_even_mix(d("1800"), d("140"), 3000, 30_000),
            Ok(Some(BreakEven::BeyondCapacity))
        );
        assert_eq!(break_even_mix(d("1800"), d("0"), 3000, 30_000), Ok(None));
    }
}

//! `--levers`: the pricing guide's cost levers measured on the log, one row each, as
//! figures ("would cost"), never as a judgement of quality:
//! - per generation service used, the same calls on the cheapest generation service
//!   (the newest card's, at its default steps);
//! - per upscale mode used, the same calls on Fast and on Conservative;
//! - the repeated calls (reuse), at no cost;
//! - the busiest month's images against the card's volume threshold (bulk pricing);
//! - with a dedicated GPU's monthly price and its seconds per image, that month's
//!   generation spend against the GPUs its images need, and the break-even volume at the
//!   log's mix (`crate::selfhost`).
//!
//! The levers overlap (the same calls are in several rows): their savings do not add up.

use super::swap::{self, SwapLine};
use super::{Catalog, Reuse, category, id, spent};
use crate::date::{Date, Month};
use crate::error::UserResult;
use crate::money::{self, Percent, Usd};
use crate::rates::Category;
use crate::selfhost::{self, BreakEven};
use crate::usage::price::Priced;
use crate::usage::tally::UNDATED;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// What `--levers` is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levers {
    /// `--gpu-monthly` and `--seconds-per-image`: the self-hosting row.
    pub gpu: Option<GpuMonth>,
}

/// A dedicated GPU rented for the month (30 days), and how long it takes an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuMonth {
    pub monthly_usd: Decimal,
    pub seconds_per_image: Decimal,
}

/// Which of the guide's levers a row measures. JSON `lever`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeverKind {
    /// A generation service's calls on the cheapest one.
    Model,
    /// An upscale mode's calls on Fast or Conservative.
    Upscale,
    /// The repeated calls, reused instead of paid for.
    Reuse,
    /// The busiest month's images against the volume threshold.
    Volume,
    /// The busiest month's generation on dedicated GPUs.
    SelfHost,
}

/// One lever measured on the log. JSON `levers[]`: every key on every row, `null`
/// where a lever has no such figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lever {
    pub lever: LeverKind,
    /// The service whose calls a model or upscale row prices as another.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The month a volume or self-hosting row measures (the busiest).
    pub month: Option<Month>,
    /// Calls: those priced as `to`, or the repeated ones.
    pub calls: Option<u64>,
    /// Images: generation calls × their samples, in the month.
    pub images: Option<u64>,
    pub actual_usd: Option<Usd>,
    pub would_cost_usd: Option<Usd>,
    pub saving_usd: Option<Usd>,
    /// The saving in percent of the whole log's bill.
    pub saving_pct_of_bill: Option<Percent>,
    /// Calls `to` could not price on their day (left out of the row's figures).
    pub not_priced_calls: u64,
    /// Reuse: the window, and whether the figure is a lower bound (its entries ran out).
    pub window_days: Option<u32>,
    pub lower_bound: bool,
    /// Volume: the images a month above which Stability sells bulk pricing, and the
    /// month's images in percent of it.
    pub threshold_images: Option<u64>,
    pub threshold_pct: Option<Percent>,
    /// Self-hosting: the GPUs the month's images need, one's price and capacity, and
    /// the break-even volume at the log's mix (`null` with
    /// `break_even_beyond_capacity`).
    pub gpus: Option<u64>,
    pub gpu_monthly_usd: Option<Usd>,
    pub gpu_capacity_images: Option<u64>,
    pub break_even_images: Option<u64>,
    pub break_even_beyond_capacity: Option<bool>,
}

impl Lever {
    fn new(lever: LeverKind) -> Lever {
        Lever {
            lever,
            from: None,
            to: None,
            month: None,
            calls: None,
            images: None,
            actual_usd: None,
            would_cost_usd: None,
            saving_usd: None,
            saving_pct_of_bill: None,
            not_priced_calls: 0,
            window_days: None,
            lower_bound: false,
            threshold_images: None,
            threshold_pct: None,
            gpus: None,
            gpu_monthly_usd: None,
            gpu_capacity_images: None,
            break_even_images: None,
            break_even_beyond_capacity: None,
        }
    }

    /// A swap's row: its priced calls, their cost and what they would cost.
    fn swapped(kind: LeverKind, line: &SwapLine, not_priced: u64, bill: Decimal) -> Lever {
        Lever {
            from: Some(line.from.clone()),
            to: Some(line.to.clone()),
            calls: Some(line.calls),
            actual_usd: Some(line.actual_usd),
            would_cost_usd: Some(line.what_if_usd),
            saving_usd: Some(line.saving_usd),
            saving_pct_of_bill: Percent::of(line.saving_usd.get(), bill),
            not_priced_calls: not_priced,
            ..Lever::new(kind)
        }
    }
}

/// The services of `kind` with charged calls in `groups`, most spent on first.
fn used(cat: &Catalog, groups: &[Priced], kind: Category) -> UserResult<Vec<u16>> {
    let mut by: BTreeMap<u16, Decimal> = BTreeMap::new();
    for g in groups
        .iter()
        .filter(|g| category(cat, g.key.svc) == Some(kind))
    {
        let usd = by.entry(g.key.svc).or_default();
        *usd = money::add(*usd, g.usd)?;
    }
    let mut out: Vec<(u16, Decimal)> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| id(cat, a.0).cmp(id(cat, b.0))));
    Ok(out.into_iter().map(|(svc, _)| svc).collect())
}

/// The cheapest generation service of the newest card in play, at its default steps
/// (the first of several as cheap).
fn cheapest(cat: &Catalog) -> Option<u16> {
    let card = cat.cards.last()?;
    let mut best: Option<(Decimal, &str)> = None;
    for s in card.generation_services() {
        let Some(credits) = s.default_credits() else {
            continue;
        };
        if best.is_none_or(|(b, _)| credits < b) {
            best = Some((credits, s.id.as_str()));
        }
    }
    cat.service(best?.1.as_bytes())
}

/// Rows of each of `from` priced as each of `to` (but itself).
fn swaps_to(
    cat: &Catalog,
    groups: &[Priced],
    kind: LeverKind,
    from: &[u16],
    to: &[u16],
    bill: Decimal,
) -> UserResult<Vec<Lever>> {
    let mut out = Vec::new();
    for &f in from {
        for &t in to.iter().filter(|&&t| t != f) {
            let (line, not) = swap::one(cat, groups, f, t)?;
            let not_priced = not.iter().map(|n| n.calls).sum();
            out.push(Lever::swapped(kind, &line, not_priced, bill));
        }
    }
    Ok(out)
}

/// The generation images and spend of each month with dated calls.
fn months(cat: &Catalog, groups: &[Priced]) -> UserResult<BTreeMap<Month, (u64, Decimal)>> {
    let mut by: BTreeMap<Month, (u64, Decimal)> = BTreeMap::new();
    for g in groups
        .iter()
        .filter(|g| g.key.day != UNDATED && category(cat, g.key.svc) == Some(Category::Generate))
    {
        let m = by
            .entry(Month::of(Date::from_days(i64::from(g.key.day))))
            .or_default();
        let images = g
            .calls
            .checked_mul(u64::from(g.key.samples))
            .ok_or(money::Overflow::TooLarge)?;
        m.0 = m.0.checked_add(images).ok_or(money::Overflow::TooLarge)?;
        m.1 = money::add(m.1, g.usd)?;
    }
    Ok(by)
}

/// The self-hosting row for `images` that cost `usd` on the API in `month`.
fn self_host(
    gpu: GpuMonth,
    month: Month,
    images: u64,
    usd: Decimal,
    bill: Decimal,
) -> UserResult<Lever> {
    let mut row = Lever {
        month: Some(month),
        images: Some(images),
        actual_usd: Some(Usd::new(usd)),
        gpu_monthly_usd: Some(Usd::new(gpu.monthly_usd)),
        ..Lever::new(LeverKind::SelfHost)
    };
    let Some(capacity) = selfhost::capacity(gpu.seconds_per_image)? else {
        return Ok(row); // one GPU makes no image in a month
    };
    let gpus = selfhost::gpus_needed(images, capacity);
    let cost = money::mul(Decimal::from(gpus), gpu.monthly_usd)?;
    let saving = money::sub(usd, cost)?;
    row.gpus = Some(gpus);
    row.gpu_capacity_images = Some(capacity);
    row.would_cost_usd = Some(Usd::new(cost));
    row.saving_usd = Some(Usd::new(saving));
    row.saving_pct_of_bill = Percent::of(saving, bill);
    match selfhost::break_even_mix(gpu.monthly_usd, usd, images, capacity)? {
        Some(BreakEven::Images(n)) => {
            row.break_even_images = Some(n);
            row.break_even_beyond_capacity = Some(false);
        }
        Some(BreakEven::BeyondCapacity) => row.break_even_beyond_capacity = Some(true),
        None => {}
    }
    Ok(row)
}

/// Every lever `ask` asks for, measured on `groups` (and the reuse figure, if any).
pub(crate) fn measure(
    cat: &Catalog,
    groups: &[Priced],
    ask: &Levers,
    reuse: Option<&Reuse>,
) -> UserResult<Vec<Lever>> {
    let (_, _, bill) = spent(groups)?;
    let mut out = Vec::new();
    if let Some(best) = cheapest(cat) {
        let generate = used(cat, groups, Category::Generate)?;
        out.extend(swaps_to(
            cat,
            groups,
            LeverKind::Model,
            &generate,
            &[best],
            bill,
        )?);
    }
    let modes: Vec<u16> = ["upscale-fast", "upscale-conservative"]
        .iter()
        .filter_map(|m| cat.service(m.as_bytes()))
        .collect();
    let upscale = used(cat, groups, Category::Upscale)?;
    out.extend(swaps_to(
        cat,
        groups,
        LeverKind::Upscale,
        &upscale,
        &modes,
        bill,
    )?);
    if let Some(r) = reuse {
        out.push(Lever {
            calls: Some(r.repeated_calls),
            actual_usd: Some(r.saving_usd),
            would_cost_usd: Some(Usd::ZERO),
            saving_usd: Some(r.saving_usd),
            saving_pct_of_bill: Percent::of(r.saving_usd.get(), bill),
            window_days: Some(r.window_days),
            lower_bound: r.capped,
            ..Lever::new(LeverKind::Reuse)
        });
    }
    // The busiest month by images (the earliest of several as busy).
    let mut busiest: Option<(Month, u64, Decimal)> = None;
    for (m, (images, usd)) in months(cat, groups)? {
        if busiest.is_none_or(|(_, most, _)| images > most) {
            busiest = Some((m, images, usd));
        }
    }
    let threshold = cat
        .cards
        .last()
        .and_then(|c| c.billing.volume_threshold_images_per_month);
    if let (Some((month, images, usd)), Some(t)) = (busiest, threshold) {
        out.push(Lever {
            month: Some(month),
            images: Some(images),
            actual_usd: Some(Usd::new(usd)),
            threshold_images: Some(t),
            threshold_pct: Percent::of(Decimal::from(images), Decimal::from(t)),
            ..Lever::new(LeverKind::Volume)
        });
    }
    if let (Some(gpu), Some((month, images, usd))) = (ask.gpu, busiest) {
        out.push(self_host(gpu, month, images, usd, bill)?);
    }
    Ok(out)
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::super::testing::{d, group};
    use super::*;

    #[test]
    fn the_levers_of_october() {
        let cat = Catalog::new(crate::rates::all_built_in().unwrap(), true).unwrap();
        let groups = [
            group(&cat, "ultra", "2026-10-01", 1000),
            group(&cat, "upscale-creative", "2026-10-02", 500),
        ];
        let gpu = GpuMonth {
            monthly_usd: d("1800"),
            seconds_per_image: d("4"),
        };
        let rows = measure(&cat, &groups, &Levers { gpu: Some(gpu) }, None).unwrap();
        let kinds: Vec<_> = rows.iter().map(|r| r.lever).collect();
        assert_eq!(
            kinds,
            [
                LeverKind::Model,
                LeverKind::Upscale,
                LeverKind::Upscale,
                LeverKind::Volume,
                LeverKind::SelfHost
            ]
        );
        // SDXL is the cheapest generation service (0.9 credits at 30 steps): 1,000 ×
        // (8 − 0.9) = 7,100 credits, $71.00 of the $380.00 bill: 18.68%.
        let model = &rows[0];
        assert_eq!(
            (model.from.as_deref(), model.to.as_deref()),
            (Some("ultra"), Some("sdxl"))
        );
        assert_eq!(model.would_cost_usd.unwrap().get(), d("9"));
        assert_eq!(model.saving_usd.unwrap().get(), d("71"));
        assert_eq!(model.saving_pct_of_bill.unwrap().get(), d("18.68"));
        // Creative on Fast: 500 × (60 − 2) = 29,000 credits, $290.00; on Conservative
        // 500 × 20 = $100.00.
        assert_eq!(rows[1].to.as_deref(), Some("upscale-fast"));
        assert_eq!(rows[1].saving_usd.unwrap().get(), d("290"));
        assert_eq!(rows[2].saving_usd.unwrap().get(), d("100"));
        // 1,000 images in October 2026, 10% of the 10,000 threshold.
        let volume = &rows[3];
        assert_eq!(volume.month.unwrap().to_string(), "2026-10");
        assert_eq!(
            (volume.images, volume.threshold_images),
            (Some(1000), Some(10_000))
        );
        assert_eq!(volume.threshold_pct.unwrap().get(), d("10.00"));
        // One GPU (648,000 images a month at 4 s) for $1,800 against $80.00 of Ultra:
        // -$1,720.00; break-even $1,800 / $0.08 = 22,500 → 22,501 images a month.
        let host = &rows[4];
        assert_eq!((host.gpus, host.break_even_images), (Some(1), Some(22_501)));
        assert_eq!(host.would_cost_usd.unwrap().get(), d("1800"));
        assert_eq!(host.saving_usd.unwrap().get(), d("-1720"));
    }
}

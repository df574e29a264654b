//! Pricing laws, checked with proptest over random rate cards and workloads:
//!
//! - the parser never panics, and parse → display → parse gives the same steps;
//! - a workflow's total is the sum of its steps priced on their own;
//! - `s*k` costs the same as `s` written k times, and step order does not matter;
//! - a quote is linear in its count;
//! - USD is credits × the credit price, exactly;
//! - a figure past Decimal's range is an overflow error, never a wrapped number;
//! - a plan's total is the sum of its workloads priced on their own, a plan diffed with
//!   itself changes nothing, and `diff A B` is minus `diff B A`;
//! - a plan set against a log (`usage --plan`): the actual total is plain `usage`'s
//!   total on the same calls, each variance is the actual less the planned figure it is
//!   set against, and a complete month's forecast is its actual.
//!
//! The laws of what the calls would have cost are in `tests/whatif_laws.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use stabcost::date::Month;
use stabcost::engine::{self, Step, Workload};
use stabcost::money::{self, Credits};
use stabcost::plan::diff::{self, Status};
use stabcost::plan::{Plan, price};
use stabcost::rates::RateCard;
use stabcost::selfhost::BreakEven;
use stabcost::usage::actual::{self, Days, MonthEnd, Span, Window};
use stabcost::usage::{GroupKey, Input, Kind, Options, Pricing, Usage};
use stabcost::{pipeline, workflow};
use std::fmt::Write as _;

/// An exact decimal `mantissa / 10^scale`, built without the code under test.
fn dec(mantissa: u64, scale: u32) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(mantissa), scale)
}

/// A random positive price: up to 6 digits, up to 4 decimals.
fn price() -> impl Strategy<Value = Decimal> {
    (1u64..1_000_000, 0u32..5).prop_map(|(m, s)| dec(m, s))
}

/// A card with `prices.len()` services `s0`, `s1`, … and the given credit price.
fn card(prices: &[Decimal], credit_usd: Decimal) -> RateCard {
    let mut text = format!(
        "[card]\nname = \"random\"\ncurrency = \"USD\"\neffective = \"2026-06\"\nsource = \"proptest\"\n\
         [billing]\ncredit-usd = \"{credit_usd}\"\ntopup-credits = 1000\ntopup-usd = 10\n\
         signup-bonus-credits = 25\nfailed-generations-charged = false\n"
    );
    for (i, p) in prices.iter().enumerate() {
        let _ = write!(
            text,
            "[[services]]\nid = \"s{i}\"\nname = \"S{i}\"\ncategory = \"edit\"\ncredits = \"{p}\"\nsource = \"t\"\n"
        );
    }
    RateCard::parse(&text, "random").unwrap()
}

/// Prices `expr` on `card` for `count` assets: (per-asset credits, total credits).
fn price_expr(card: &RateCard, expr: &str, count: u64) -> (Decimal, Decimal) {
    let parsed = workflow::parse(expr).unwrap();
    let steps = pipeline::resolve(card, &parsed).unwrap();
    let priced = engine::price(&card.billing, &Workload { steps, count }).unwrap();
    (priced.per_asset.credits.get(), priced.total.credits.get())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_never_panics(input in ".{0,200}") {
        let _ = workflow::parse(&input);
    }

    #[test]
    fn the_parser_never_panics_on_near_misses(input in "[a-z0-9 .@*+_-]{0,60}") {
        if let Err(e) = workflow::parse(&input) {
            // The span always lies inside the expression, so the caret can be drawn.
            prop_assert!(e.span.start <= input.len() && e.span.end <= input.len());
            let _ = e.into_user_error(&input);
        }
    }

    #[test]
    fn parse_display_parse_round_trips(
        steps in prop::collection::vec(("[a-z][a-z0-9.-]{0,8}", prop::option::of(1u32..100), 1u64..10_000, 0u32..4), 1..8)
    ) {
        let expr: Vec<String> = steps.iter().map(|(name, at, m, s)| {
            let at = at.map(|n| format!("@{n}")).unwrap_or_default();
            format!("{name}{at}*{}", dec(*m, *s))
        }).collect();
        let expr = expr.join(" + ");
        let first = workflow::parse(&expr).unwrap();
        let again = workflow::parse(&first.to_string()).unwrap();
        let key = |w: &workflow::Workflow| -> Vec<(String, Option<u32>, Decimal)> {
            w.steps.iter().map(|s| (s.name.clone(), s.steps, s.multiplier.normalize())).collect()
        };
        prop_assert_eq!(key(&first), key(&again));
        prop_assert_eq!(first.to_string(), again.to_string());
    }

    #[test]
    fn a_workflow_total_is_the_sum_of_its_steps(
        prices in prop::collection::vec(price(), 1..6),
        picks in prop::collection::vec((0usize..6, 1u64..50, 0u32..3), 1..10),
        count in 0u64..100_000,
    ) {
        let card = card(&prices, dec(1, 2));
        let steps: Vec<String> = picks.iter().map(|(i, m, s)| format!("s{}*{}", i % prices.len(), dec(*m, *s))).collect();
        let (per_asset, total) = price_expr(&card, &steps.join("+"), count);
        let mut sum_per_asset = Decimal::ZERO;
        let mut sum_total = Decimal::ZERO;
        for step in &steps {
            let (p, t) = price_expr(&card, step, count);
            sum_per_asset += p;
            sum_total += t;
        }
        prop_assert_eq!(per_asset, sum_per_asset);
        prop_assert_eq!(total, sum_total);
    }

    #[test]
    fn s_times_k_is_s_written_k_times(p in price(), k in 1u64..30, count in 0u64..10_000) {
        let card = card(&[p], dec(1, 2));
        let repeated = vec!["s0"; usize::try_from(k).unwrap()].join("+");
        prop_assert_eq!(price_expr(&card, &format!("s0*{k}"), count), price_expr(&card, &repeated, count));
        prop_assert_eq!(price_expr(&card, &format!("{k}*s0"), count), price_expr(&card, &repeated, count));
    }

    #[test]
    fn step_order_does_not_change_the_total(
        prices in prop::collection::vec(price(), 2..6),
        mut order in Just((0..5usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let card = card(&prices, dec(1, 2));
        let forward: Vec<String> = (0..prices.len()).map(|i| format!("s{i}")).collect();
        order.retain(|i| *i < prices.len());
        let shuffled: Vec<String> = order.iter().map(|i| format!("s{i}")).collect();
        prop_assert_eq!(price_expr(&card, &forward.join("+"), 7), price_expr(&card, &shuffled.join("+"), 7));
    }

    #[test]
    fn a_quote_is_linear_in_its_count(p in price(), n in 0u64..1_000_000_000, m in 0u64..1_000_000_000) {
        let card = card(&[p], dec(1, 2));
        let service = card.resolve("s0").unwrap();
        let total = |count| {
            let workload = Workload { steps: vec![Step::once(service, None)], count };
            engine::price(&card.billing, &workload).unwrap().total.credits.get()
        };
        // credits(n) = n × price, and credits(n + m) = credits(n) + credits(m).
        prop_assert_eq!(total(n), Decimal::from(n) * p);
        prop_assert_eq!(total(n + m), total(n) + total(m));
    }

    #[test]
    fn usd_is_credits_times_the_credit_price_exactly(
        a in 0u64..10_000_000_000, k in 0u32..6, b in 1u64..100_000, j in 0u32..6,
    ) {
        let (credits, credit_usd) = (dec(a, k), dec(b, j));
        let card = card(&[dec(1, 0)], credit_usd);
        // Independent: the product of the integer mantissas, scale k + j.
        let expected = Decimal::from_i128_with_scale(i128::from(a) * i128::from(b), k + j);
        prop_assert_eq!(card.billing.usd(Credits::new(credits)).unwrap().get(), expected);
    }

    #[test]
    fn overflow_is_an_error_never_a_wrapped_number(x in wide_decimal(), y in wide_decimal()) {
        // Independent oracle: the exact product as significand × 10^exponent, in u128
        // (two significands below 10^19 multiply to below 10^38).
        let mut m = x.significand * y.significand;
        let mut exponent = i64::from(x.zeros + y.zeros) - i64::from(x.scale + y.scale);
        while m != 0 && m % 10 == 0 {
            m /= 10;
            exponent += 1;
        }
        let expected = if m == 0 {
            Some(Decimal::ZERO)
        } else if exponent >= 0 {
            u32::try_from(exponent)
                .ok()
                .and_then(|e| 10u128.checked_pow(e))
                .and_then(|f| m.checked_mul(f))
                .filter(|&whole| whole < 1u128 << 96)
                .map(|whole| Decimal::from_i128_with_scale(i128::try_from(whole).unwrap(), 0))
        } else {
            u32::try_from(-exponent)
                .ok()
                .filter(|&scale| scale <= 28 && m < 1u128 << 96)
                .map(|scale| Decimal::from_i128_with_scale(i128::try_from(m).unwrap(), scale))
        };
        // It answers exactly when the exact product fits a Decimal, and then with it.
        prop_assert_eq!(money::mul(x.value, y.value).ok(), expected);
    }
}

/// A decimal `significand × 10^zeros / 10^scale` that fits a `Decimal`, with as many
/// whole-number trailing zeros as a Decimal can hold (`1e20`, `7e27`), so the laws reach
/// products whose mantissas alone would overflow although the result fits.
#[derive(Debug, Clone, Copy)]
struct Wide {
    value: Decimal,
    significand: u128,
    zeros: u32,
    scale: u32,
}

fn wide_decimal() -> impl Strategy<Value = Wide> {
    (1u32..20, any::<u64>(), 0u32..29, 0u32..29).prop_filter_map(
        "fits a Decimal",
        |(digits, raw, zeros, scale)| {
            let significand = u128::from(raw % 10u64.pow(digits));
            let mantissa = significand.checked_mul(10u128.checked_pow(zeros)?)?;
            let mantissa = i128::try_from(mantissa).ok().filter(|&m| m < 1i128 << 96)?;
            Some(Wide {
                value: Decimal::from_i128_with_scale(mantissa, scale),
                significand,
                zeros,
                scale,
            })
        },
    )
}

#[test]
fn the_product_that_once_overflowed_is_exact() {
    // 1e20 × 0.0000000012157665459056928801 = 121576654590.56928801, worked by hand.
    let a = Decimal::from_i128_with_scale(100_000_000_000_000_000_000, 0);
    let b = Decimal::from_i128_with_scale(12_157_665_459_056_928_801, 28);
    let expected = Decimal::from_i128_with_scale(12_157_665_459_056_928_801, 8);
    assert_eq!(money::mul(a, b), Ok(expected));
}

// ---------------------------------------------------------------- plans and diffs

/// A plan over services `s0`, `s1`, … of `card`: one workload per entry, a pipeline of
/// `(service, multiplier)` steps and a monthly volume.
fn plan_text(workloads: &[(Vec<(usize, u64)>, u64)], services: usize) -> String {
    let mut text = String::from("name = \"random\"\n");
    for (i, (steps, volume)) in workloads.iter().enumerate() {
        let pipeline: Vec<String> = steps
            .iter()
            .map(|(s, m)| format!("s{}*{m}", s % services))
            .collect();
        let _ = write!(
            text,
            "[[workloads]]\nname = \"w{i}\"\npipeline = \"{}\"\nper-month = {volume}\n",
            pipeline.join(" + ")
        );
    }
    text
}

fn workloads() -> impl Strategy<Value = Vec<(Vec<(usize, u64)>, u64)>> {
    prop::collection::vec(
        (
            prop::collection::vec((0usize..6, 1u64..20), 1..5),
            0u64..100_000,
        ),
        1..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn a_plans_total_is_the_sum_of_its_workloads_workflow_totals(
        prices in prop::collection::vec(price(), 1..6),
        ws in workloads(),
    ) {
        let card = card(&prices, dec(1, 2));
        let plan = Plan::parse(&plan_text(&ws, prices.len()), "plan.toml").unwrap();
        let steps = plan.compile(&card).unwrap();
        let priced = price::price(&plan, &card, &steps, 1).unwrap();
        // Each workload priced on its own, as `stabcost workflow EXPR --count N` would.
        let mut sum = Decimal::ZERO;
        for w in &plan.workloads {
            let (_, total) = price_expr(&card, &w.expression, w.volume.assets().unwrap());
            sum += total;
        }
        prop_assert_eq!(priced.total.credits.get(), sum);
    }

    #[test]
    fn diffing_a_plan_with_itself_changes_nothing(
        prices in prop::collection::vec(price(), 1..6),
        ws in workloads(),
    ) {
        let card = card(&prices, dec(1, 2));
        let plan = Plan::parse(&plan_text(&ws, prices.len()), "plan.toml").unwrap();
        let steps = plan.compile(&card).unwrap();
        let priced = price::price(&plan, &card, &steps, 1).unwrap();
        let d = diff::compare(&priced, &priced).unwrap();
        prop_assert!(d.change.credits.is_zero() && d.change.usd.is_zero());
        for w in &d.workloads {
            prop_assert_eq!(w.status, Status::Unchanged);
            prop_assert!(w.change.usd.is_zero());
        }
        for s in &d.services {
            prop_assert!(s.change.credits.is_zero());
        }
    }

    #[test]
    fn diff_a_b_is_minus_diff_b_a(
        prices in prop::collection::vec(price(), 1..6),
        a in workloads(),
        b in workloads(),
    ) {
        let card = card(&prices, dec(1, 2));
        let pa = Plan::parse(&plan_text(&a, prices.len()), "a.toml").unwrap();
        let pb = Plan::parse(&plan_text(&b, prices.len()), "b.toml").unwrap();
        let (sa, sb) = (pa.compile(&card).unwrap(), pb.compile(&card).unwrap());
        let qa = price::price(&pa, &card, &sa, 1).unwrap();
        let qb = price::price(&pb, &card, &sb, 1).unwrap();
        let (ab, ba) = (diff::compare(&qa, &qb).unwrap(), diff::compare(&qb, &qa).unwrap());
        prop_assert_eq!(ab.change.usd.get(), -ba.change.usd.get());
        prop_assert_eq!(ab.change.credits.get(), -ba.change.credits.get());
        for w in &ab.workloads {
            let back = ba.workloads.iter().find(|x| x.name == w.name).unwrap();
            prop_assert_eq!(w.change.usd.get(), -back.change.usd.get());
            let flipped = match w.status {
                Status::Added => Status::Removed,
                Status::Removed => Status::Added,
                s => s,
            };
            prop_assert_eq!(back.status, flipped);
        }
        for s in &ab.services {
            let back = ba.services.iter().find(|x| x.service == s.service).unwrap();
            prop_assert_eq!(s.change.credits.get(), -back.change.credits.get());
        }
    }
}

// ---------------------------------------------------------------- self-hosting

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn at_the_break_even_volume_a_gpu_costs_less_and_one_image_less_it_does_not(
        gpu in (1u64..10_000_000, 0u32..3),
        price in (1u64..100_000, 0u32..5),
        capacity in 1u64..10_000_000,
    ) {
        let (gpu, price) = (dec(gpu.0, gpu.1), dec(price.0, price.1));
        match stabcost::selfhost::break_even(gpu, price, capacity).unwrap() {
            BreakEven::Images(n) => {
                // Independent check with plain decimal arithmetic: n × price > gpu, and
                // (n - 1) × price ≤ gpu.
                prop_assert!(Decimal::from(n) * price > gpu);
                prop_assert!(Decimal::from(n - 1) * price <= gpu);
                prop_assert!(n <= capacity);
            }
            BreakEven::BeyondCapacity => {
                // Even a full GPU's worth of images costs no more on the API.
                prop_assert!(Decimal::from(capacity) * price <= gpu);
            }
        }
    }

    #[test]
    fn a_budget_buys_the_most_whole_images_it_can(
        budget in (1u64..100_000_000, 0u32..3),
        price in (1u64..100_000, 0u32..5),
    ) {
        let (budget, price) = (dec(budget.0, budget.1), dec(price.0, price.1));
        let n = money::floor_div(budget, price).unwrap();
        prop_assert!(n * price <= budget);
        prop_assert!((n + Decimal::ONE) * price > budget);
    }
}

/// One logged call in October 2026: its day (1 to 31), what it called (an index into
/// [`CALLED`]), its tag (an index into [`TAGS`]: 0 is none) and whether it succeeded.
type Call = (u32, usize, usize, bool);

const CALLED: [&str; 4] = [
    "/v2beta/stable-image/generate/core",
    "/v2beta/stable-image/edit/remove-background",
    "/v2beta/stable-image/upscale/conservative",
    "/v2beta/stable-image/generate/ultra",
];
/// examples/plan.toml's workloads, in other cases too, and labels it has not.
const TAGS: [&str; 6] = ["", "catalog", "Marketing", "avatars", "beta", "7"];

fn calls() -> impl Strategy<Value = Vec<Call>> {
    prop::collection::vec(
        (1u32..=31, 0..CALLED.len(), 0..TAGS.len(), any::<bool>()),
        0..120,
    )
}

/// `usage` on `calls` as a JSON-lines log, grouped by service, with or without the
/// calls per day, tag and service.
fn usage(calls: &[Call], daily: bool) -> Usage {
    let mut log = String::new();
    for (i, &(day, called, tag, ok)) in calls.iter().enumerate() {
        let tag = match TAGS[tag] {
            "" => String::new(),
            t => format!(r#","tag":"{t}""#),
        };
        let _ = writeln!(
            log,
            r#"{{"ts":"2026-10-{day:02}T{:02}:00:00Z","endpoint":"{}","status":{}{tag}}}"#,
            i % 24,
            CALLED[called],
            if ok { 200 } else { 500 }
        );
    }
    let opts = Options {
        logs: Vec::new(),
        input: Some(Kind::Jsonl),
        group_by: vec![GroupKey::Service],
        threads: Some(2),
        buffer: Some(64),
        daily,
        ..Options::default()
    };
    let input = Input::from_reader("log", Kind::Jsonl, Box::new(std::io::Cursor::new(log)));
    stabcost::usage::run_inputs(
        Pricing::Fixed(Box::new(RateCard::built_in().unwrap())),
        &opts,
        vec![input],
    )
    .unwrap()
}

fn october() -> Month {
    Month::parse("2026-10").unwrap()
}

fn storefront() -> Plan {
    Plan::parse(
        &std::fs::read_to_string("examples/plan.toml").unwrap(),
        "plan.toml",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_actual_total_is_plain_usages_total(calls in calls()) {
        let plain = usage(&calls, false);
        let counted = usage(&calls, true);
        // Counting by day, tag and service changes nothing of the report itself.
        prop_assert_eq!(&plain.rows, &counted.rows);
        prop_assert_eq!(&plain.total, &counted.total);
        let Some(span) = Span::of(&counted.daily) else {
            prop_assert!(calls.is_empty());
            return Ok(());
        };
        let card = RateCard::built_in().unwrap();
        let planned = actual::planned(&storefront(), &card, october()).unwrap();
        let pva = actual::plan_vs_actual(&planned, &counted.daily, october(), span).unwrap();
        // Every call is in October: the month's actual is the log's, and its calls.
        prop_assert_eq!(pva.total.actual_usd.get(), plain.total.usd);
        prop_assert_eq!(pva.total.actual_calls, plain.total.charged);
        let rows = money::sum(pva.lines.iter().map(|l| l.actual_usd.get())).unwrap();
        prop_assert_eq!(money::add(rows, pva.unplanned.actual_usd.get()).unwrap(), plain.total.usd);
    }

    #[test]
    fn each_variance_is_the_actual_less_the_plan_it_is_set_against(calls in calls()) {
        let counted = usage(&calls, true);
        let Some(span) = Span::of(&counted.daily) else { return Ok(()) };
        let card = RateCard::built_in().unwrap();
        let planned = actual::planned(&storefront(), &card, october()).unwrap();
        let pva = actual::plan_vs_actual(&planned, &counted.daily, october(), span).unwrap();
        prop_assert_eq!(pva.partial, span.last.to_string() != "2026-10-31");
        for l in &pva.lines {
            let against = l.pro_rata_usd.map_or(l.planned_usd, money::Approx::usd);
            prop_assert_eq!(l.variance_usd.get(), money::sub(l.actual_usd.get(), against.get()).unwrap());
        }
        let t = &pva.total;
        let against = t.pro_rata_usd.map_or(t.planned_usd, money::Approx::usd);
        prop_assert_eq!(t.variance_usd.get(), money::sub(t.actual_usd.get(), against.get()).unwrap());
        // The total's variance is its rows', the unplanned calls' actual among them.
        let rows = money::sum(pva.lines.iter().map(|l| l.variance_usd.get())).unwrap();
        prop_assert_eq!(t.variance_usd.get(), money::add(rows, pva.unplanned.actual_usd.get()).unwrap());
        prop_assert_eq!(t.planned_usd.get(), money::sum(planned.iter().map(|p| p.usd.get())).unwrap());
    }

    #[test]
    fn a_complete_months_forecast_is_its_actual(mut calls in calls(), window in 3u32..=31) {
        // A call on the 31st: the month is over in the log.
        calls.push((31, 0, 1, true));
        let counted = usage(&calls, true);
        let span = Span::of(&counted.daily).unwrap();
        let days = Days::of(&counted.daily).unwrap();
        let w = Window::new(&days, span, october(), window).unwrap();
        let f = actual::forecast(&days, october(), &w, None).unwrap();
        prop_assert_eq!(f.days_left, 0);
        prop_assert_eq!(f.month_end_usd, Some(MonthEnd::Exact(f.to_date_usd)));
        prop_assert_eq!(f.to_date_usd.get(), counted.total.usd);
    }
}

//! The laws of what the calls would have cost (`usage --what-if`, README "What would it
//! have cost?"), checked with proptest over random logs across the price change of
//! 2025-08-01 and SD 1.6's end: a swap of a service to itself saves nothing; the what-if
//! total is the actual total less the swaps' savings, and the actual total is plain
//! `usage`'s; the log under the built-in card that priced it saves nothing; the reuse
//! figure is the same whatever the threads, and keeping fewer entries can only count
//! fewer repeats.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use stabcost::rates::RateCard;
use stabcost::usage::whatif::{Ask, WhatIf};
use stabcost::usage::{Input, Kind, Options, Pricing, Usage};
use std::fmt::Write as _;

/// Services a what-if log calls by name, and their categories' swaps: a call of each
/// may be priced as any service of its row.
const GENERATE: [&str; 5] = ["ultra", "core", "sdxl", "sd16", "sd35-flash"];
const UPSCALE: [&str; 3] = ["upscale-fast", "upscale-conservative", "upscale-creative"];

/// One call: its day (from 2025-06-01, across the price change of 2025-08-01, SD 1.6's
/// end on 2025-07-24 and into 2026), what it called (an index into [`GENERATE`] then
/// [`UPSCALE`]), its prompt (0: none), and whether it succeeded.
type Shot = (i64, usize, usize, bool);

fn shots() -> impl Strategy<Value = Vec<Shot>> {
    prop::collection::vec(
        (
            0i64..500,
            0..GENERATE.len() + UPSCALE.len(),
            0usize..4,
            any::<bool>(),
        ),
        0..80,
    )
}

fn called(i: usize) -> &'static str {
    GENERATE
        .get(i)
        .copied()
        .unwrap_or_else(|| UPSCALE[i - GENERATE.len()])
}

/// `shots` as a JSON-lines log, read with `ask` by the built-in cards by day (or the
/// current one alone, `fixed`) on `threads` workers.
fn what_if(shots: &[Shot], ask: Ask, fixed: bool, threads: usize) -> Usage {
    let first = stabcost::date::Date::parse("2025-06-01").unwrap().days();
    let mut log = String::new();
    for &(day, svc, prompt, ok) in shots {
        let date = stabcost::date::Date::from_days(first + day);
        let prompt = match prompt {
            0 => String::new(),
            p => format!(r#","prompt_hash":"p{p}""#),
        };
        let _ = writeln!(
            log,
            r#"{{"ts":"{date}T12:00:00Z","service":"{}","status":{}{prompt}}}"#,
            called(svc),
            if ok { 200 } else { 500 }
        );
    }
    let opts = Options {
        logs: Vec::new(),
        input: Some(Kind::Jsonl),
        threads: Some(threads),
        buffer: Some(if threads == 1 { 1 << 20 } else { 48 }),
        what_if: Some(ask),
        ..Options::default()
    };
    let pricing = if fixed {
        Pricing::Fixed(Box::new(RateCard::built_in().unwrap()))
    } else {
        Pricing::ByDay(stabcost::rates::all_built_in().unwrap())
    };
    let input = Input::from_reader("log", Kind::Jsonl, Box::new(std::io::Cursor::new(log)));
    stabcost::usage::run_inputs(pricing, &opts, vec![input]).unwrap()
}

fn found(u: &Usage) -> &WhatIf {
    u.what_if.as_ref().unwrap()
}

/// Swaps: for each service named by `pick` (an index into [`GENERATE`] then [`UPSCALE`],
/// each once), a service of its category by `to`.
fn swaps_of(pick: &[(usize, usize)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for &(from, to) in pick {
        let row: &[&str] = if from < GENERATE.len() {
            &GENERATE
        } else {
            &UPSCALE
        };
        let (f, t) = (called(from), row[to % row.len()]);
        if !out.iter().any(|(x, _)| x == f) {
            out.push((f.to_owned(), t.to_owned()));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_swap_of_a_service_to_itself_saves_nothing(shots in shots(), svc in 0..GENERATE.len() + UPSCALE.len()) {
        let id = called(svc).to_owned();
        let ask = Ask { swaps: vec![(id.clone(), id)], ..Ask::default() };
        let u = what_if(&shots, ask, false, 2);
        let s = found(&u).swaps.as_ref().unwrap();
        // Every call of the service was priced by its own card on its day, so it can be
        // priced as itself: none is left out, and nothing changes.
        prop_assert!(s.not_priced.is_empty());
        prop_assert_eq!(s.swaps[0].saving_usd.get(), Decimal::ZERO);
        prop_assert_eq!(s.swaps[0].what_if_credits, s.swaps[0].actual_credits);
        prop_assert_eq!(s.total.saving_usd.get(), Decimal::ZERO);
        prop_assert_eq!(s.total.what_if_usd.get(), u.total.usd);
    }

    #[test]
    fn the_what_if_total_is_the_actual_less_the_swaps_savings(
        shots in shots(),
        pick in prop::collection::vec((0..GENERATE.len() + UPSCALE.len(), 0usize..5), 1..5),
    ) {
        let swaps = swaps_of(&pick);
        let ask = Ask { swaps: swaps.clone(), ..Ask::default() };
        let u = what_if(&shots, ask, false, 2);
        let s = found(&u).swaps.as_ref().unwrap();
        prop_assert_eq!(s.swaps.len(), swaps.len());
        // The actual total is plain usage's, every charged call in it.
        prop_assert_eq!(s.total.actual_usd.get(), u.total.usd);
        prop_assert_eq!(s.total.calls, u.total.charged);
        let savings = s.swaps.iter().fold(Decimal::ZERO, |a, l| a + l.saving_usd.get());
        prop_assert_eq!(s.total.what_if_usd.get(), s.total.actual_usd.get() - savings);
        prop_assert_eq!(s.total.saving_usd.get(), savings);
        // The rows add up to the whole log: the swapped calls, those not priced (at
        // what they cost) and the calls no swap names.
        let calls: u64 = s.swaps.iter().map(|l| l.calls).sum::<u64>()
            + s.not_priced.iter().map(|n| n.calls).sum::<u64>()
            + s.unchanged.calls;
        prop_assert_eq!(calls, u.total.charged);
        let actual = s.swaps.iter().map(|l| l.actual_usd.get())
            .chain(s.not_priced.iter().map(|n| n.actual_usd.get()))
            .fold(s.unchanged.usd.get(), |a, b| a + b);
        prop_assert_eq!(actual, u.total.usd);
        // The same in credits: each column of the rows adds up to the total's.
        let c = s.total.credits.unwrap();
        prop_assert_eq!(c.actual_credits.get(), u.total.credits);
        let what_if = s.swaps.iter().map(|l| l.what_if_credits.get())
            .chain(s.not_priced.iter().map(|n| n.actual_credits.get()))
            .fold(s.unchanged.credits.get(), |a, b| a + b);
        prop_assert_eq!(c.what_if_credits.get(), what_if);
        prop_assert_eq!(c.saving_credits.get(), c.actual_credits.get() - what_if);
    }

    #[test]
    fn the_log_under_the_card_that_priced_it_saves_nothing(shots in shots()) {
        let ask = Ask { rates: Some(Box::new(RateCard::built_in().unwrap())), ..Ask::default() };
        let u = what_if(&shots, ask, true, 2);
        let r = found(&u).rates.as_ref().unwrap();
        prop_assert!(r.not_priced.is_empty());
        for l in &r.lines {
            prop_assert_eq!(l.saving_usd.get(), Decimal::ZERO);
        }
        prop_assert_eq!(r.total.saving_usd.get(), Decimal::ZERO);
        prop_assert_eq!(r.total.actual_usd.get(), u.total.usd);
    }

    #[test]
    fn the_reuse_figure_is_the_same_whatever_the_threads_and_fewer_entries_count_fewer(
        shots in shots(),
        window in 1u32..60,
        limit in 1usize..6,
    ) {
        let ask = |reuse_limit| Ask {
            levers: Some(stabcost::usage::whatif::Levers::default()),
            reuse_window: window,
            reuse_limit,
            ..Ask::default()
        };
        let one = what_if(&shots, ask(stabcost::usage::whatif::REUSE_LIMIT), false, 1);
        let two = what_if(&shots, ask(stabcost::usage::whatif::REUSE_LIMIT), false, 3);
        prop_assert_eq!(found(&one).reuse, found(&two).reuse);
        // None: no call priced carried a prompt (an unpriced call is never a repeat: SD
        // 1.6 from its end on 2025-07-24, day 53; SD 3.5 Flash before the card of
        // 2025-08-01, day 61, the first to sell it).
        let unpriced = |s: &Shot| {
            (called(s.1) == "sd16" && s.0 >= 53) || (called(s.1) == "sd35-flash" && s.0 < 61)
        };
        let Some(all) = found(&one).reuse else {
            prop_assert!(shots.iter().all(|s| s.2 == 0 || !s.3 || unpriced(s)));
            return Ok(());
        };
        prop_assert!(!all.capped);
        // At most every prompted call but the first of each service and prompt repeats.
        prop_assert!(all.repeated_calls <= all.prompted_calls);
        let few = what_if(&shots, ask(limit), false, 1);
        let few = found(&few).reuse.unwrap();
        prop_assert!(few.repeated_calls <= all.repeated_calls);
        prop_assert!(few.saving_usd.get() <= all.saving_usd.get());
        prop_assert_eq!(few.capped, few.left_out_calls > 0);
    }
}

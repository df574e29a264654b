//! The plan reader never panics on any text; a plan it accepts compiles against the
//! built-in card to steps or a clear error, and prices (and forecasts a year) to figures
//! or a clear error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stabcost::plan::{Plan, price};
use stabcost::rates::RateCard;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan = match Plan::parse(text, "fuzz.toml") {
        Ok(plan) => plan,
        Err(e) => {
            assert!(
                e.message.starts_with("invalid plan 'fuzz.toml'"),
                "{}",
                e.message
            );
            return;
        }
    };
    assert!(!plan.workloads.is_empty(), "an accepted plan has workloads");
    let card = RateCard::built_in().expect("the built-in card loads");
    let Ok(steps) = plan.compile(&card) else {
        return;
    };
    for month in [1, 2, 12] {
        if let Ok(priced) = price::price(&plan, &card, &steps, month) {
            let sum = stabcost::money::Amount::sum(priced.workloads.iter().map(|w| w.priced.total));
            assert_eq!(
                sum.ok(),
                Some(priced.total),
                "the total is the sum of the workloads"
            );
        }
    }
});

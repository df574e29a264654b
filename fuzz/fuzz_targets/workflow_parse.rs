//! The workflow parser never panics; whatever it accepts round-trips through its
//! canonical form; every error's span lies inside the input; and a parsed workflow
//! priced on the built-in card is either a figure or a clear error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stabcost::engine::{self, Workload};
use stabcost::rates::RateCard;
use stabcost::{pipeline, workflow};

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    match workflow::parse(expr) {
        Ok(parsed) => {
            let canonical = parsed.to_string();
            let again = workflow::parse(&canonical).expect("the canonical form parses");
            assert_eq!(again.to_string(), canonical, "display is stable");
            assert_eq!(again.steps.len(), parsed.steps.len());
            let card = RateCard::built_in().expect("the built-in card loads");
            if let Ok(steps) = pipeline::resolve(&card, &parsed) {
                let _ = engine::price(
                    &card.billing,
                    &Workload {
                        steps,
                        count: 1_000,
                    },
                );
            }
        }
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end <= expr.len(),
                "span inside input"
            );
            let _ = e.into_user_error(expr);
        }
    }
});

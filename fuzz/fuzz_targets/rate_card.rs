//! The rate-card loader never panics on any text; a card it accepts resolves every
//! service by id and alias, and prices one call of each current service.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stabcost::engine;
use stabcost::rates::RateCard;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(card) = RateCard::parse(text, "fuzz") else {
        return;
    };
    for s in card.services() {
        assert!(card.find(&s.id).is_some(), "id resolves");
        for a in &s.aliases {
            assert!(card.find(a).is_some(), "alias resolves");
        }
        if s.deprecated.is_none() {
            let _ = engine::unit_price(s, None);
            let _ = card
                .billing
                .usd(stabcost::money::Credits::new(s.credits.unwrap_or_default()));
        }
    }
});

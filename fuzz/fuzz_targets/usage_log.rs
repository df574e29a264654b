//! The log readers of `stabcost usage` never panic on any bytes, and account for every
//! record: the same bytes read as JSONL, CSV and Common Log Format (two workers, tiny
//! buffers, so records straddle chunks) give counts that add up to the records read. On
//! every line, the hand JSON scanner (its key template carried from the line before)
//! agrees with `serde_json` whenever it answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stabcost::fuzzing::{Keys, differential};
use stabcost::rates::RateCard;
use stabcost::usage::{GroupKey, Input, Kind, Options, Pricing};
use std::sync::OnceLock;

fn cards() -> &'static Vec<RateCard> {
    static CARDS: OnceLock<Vec<RateCard>> = OnceLock::new();
    CARDS.get_or_init(|| stabcost::rates::all_built_in().expect("built-in cards"))
}

fuzz_target!(|data: &[u8]| {
    let mut keys = Keys::default();
    for line in data.split(|&b| b == b'\n') {
        if let Err(e) = differential(line, &mut keys) {
            panic!("{e}");
        }
    }
    let split = data.first().map_or(7, |b| usize::from(*b % 64) + 1);
    for kind in [Kind::Jsonl, Kind::Csv, Kind::Clf] {
        let opts = Options {
            logs: Vec::new(),
            input: Some(kind),
            group_by: vec![
                GroupKey::Service,
                GroupKey::Day,
                GroupKey::Tag,
                GroupKey::Endpoint,
            ],
            threads: Some(2),
            buffer: Some(split),
            daily: true,
            ..Options::default()
        };
        let input = Input::from_reader("fuzz", kind, Box::new(std::io::Cursor::new(data.to_vec())));
        let Ok(usage) =
            stabcost::usage::run_inputs(Pricing::ByDay(cards().clone()), &opts, vec![input])
        else {
            continue; // a CSV without a usable header, or a figure too large
        };
        let a = usage.accounting();
        assert_eq!(
            a.read,
            a.charged + a.not_charged + a.not_billable + a.unpriced + a.malformed + a.outside_range,
            "{kind:?}: the counts add up to the records read: {a:?}"
        );
        assert!(
            a.malformed == 0 || !usage.malformed_lines.is_empty(),
            "a malformed record has a line"
        );
    }
});

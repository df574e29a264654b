//! Reuse: the calls that repeat an earlier call of the same service and prompt (and
//! steps and samples: the same call again) within a window of days, whose result could
//! have been reused instead of paid for again.
//!
//! Each reading thread notes the charged calls that carry a prompt identity as counts
//! per (service, steps, samples, prompt, day), in a [`Tracker`] of its own; the prompt is
//! hashed as it is read (64-bit `SipHash`) and never kept, printed or written. At the end the
//! trackers are merged and each prompt's days are walked in order ([`repeats`]): the
//! first call pays, the calls on the days of the window that starts on its day repeat
//! it, and the first call after the window pays again and starts a new one. Counts per
//! day make the figure the same in whatever order the threads read the calls.
//!
//! Memory is capped: at most [`LIMIT`] entries in all, shared among the threads. A call
//! that would need an entry past the cap is left out (never counted as a repeat), and the
//! report says the figure is then a lower bound: leaving calls out can only lose
//! repeats, never make some (a prompt's firsts are the fewest windows that cover its
//! days, and a subset of days needs no more of them).

use crate::usage::fields::{PROMPT, Rec, Val};
use crate::usage::hash::FxMap;
use crate::usage::tally::{Key, UNDATED};
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hasher};

/// The entries the reuse figure keeps, in all: 7 × 2^17, what hash tables of 2^20 slots
/// hold in all before they grow. An entry is 32 bytes with its count, so the tables take
/// at most about 33 MiB, and merging them at the end about 28 MiB more for a moment.
pub const LIMIT: usize = 917_504;

/// The entries each of `threads` reading threads may keep of `limit` in all: with
/// [`LIMIT`], a whole table's worth each (7/8 of a power of two), so the tables hold
/// 2^20 slots in all.
pub(crate) fn share(threads: usize, limit: usize) -> usize {
    limit / threads.max(1).next_power_of_two()
}

/// One prompt's calls on one day: what the count of a [`Tracker`] is kept by. In the
/// order the walk needs: a prompt's days together, earliest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Entry {
    pub(crate) svc: u16,
    pub(crate) steps: u16,
    pub(crate) samples: u16,
    /// The prompt identity's hash.
    pub(crate) digest: u64,
    pub(crate) day: i32,
}

/// One reading thread's prompted calls.
#[derive(Debug)]
pub(crate) struct Tracker {
    seen: FxMap<Entry, u64>,
    /// Entries this thread may hold: its share of [`LIMIT`].
    limit: usize,
    /// Charged calls that carried a prompt identity.
    prompted: u64,
    /// Of those, the calls without a time: not placed in any window.
    undated: u64,
    /// Of those, the calls left out because the entries ran out.
    dropped: u64,
}

/// The hash of a prompt identity: `kind` tells a `prompt_hash` from a `prompt`, so the
/// same text in the two fields is two identities.
fn digest(kind: u8, text: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write_u8(kind);
    h.write(text);
    h.finish()
}

/// The prompt identity of a record: the first of its prompt fields present, if it is a
/// string or a number that is not empty.
fn identity(rec: &Rec<'_>) -> Option<u64> {
    for kind in 0..2u8 {
        match rec.get(PROMPT + usize::from(kind)).copied() {
            None | Some(Val::Absent) => {}
            Some(Val::Str(s) | Val::Num(s)) if !s.is_empty() => return Some(digest(kind, s)),
            Some(_) => return None,
        }
    }
    None
}

impl Tracker {
    /// A tracker holding at most `limit` entries.
    pub(crate) fn new(limit: usize) -> Tracker {
        Tracker {
            seen: FxMap::default(),
            limit,
            prompted: 0,
            undated: 0,
            dropped: 0,
        }
    }

    /// Notes a charged call of group `key` (whose `day` is kept) read from `rec`.
    #[inline]
    pub(crate) fn note(&mut self, key: &Key, rec: &Rec<'_>) {
        let Some(digest) = identity(rec) else {
            return;
        };
        self.prompted += 1;
        if key.day == UNDATED {
            self.undated += 1;
            return;
        }
        let entry = Entry {
            svc: key.svc,
            steps: key.steps,
            samples: key.samples,
            digest,
            day: key.day,
        };
        if let Some(n) = self.seen.get_mut(&entry) {
            *n += 1;
        } else if self.seen.len() < self.limit {
            self.seen.insert(entry, 1);
        } else {
            self.dropped += 1;
        }
    }
}

/// The repeated calls of every tracker, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Repeats {
    /// Repeated calls by (service, steps, samples, day): what each would have cost.
    pub(crate) calls: BTreeMap<(u16, u16, u16, i32), u64>,
    /// Charged calls that carried a prompt identity.
    pub(crate) prompted: u64,
    /// Of those, the calls without a time, never counted as repeats.
    pub(crate) undated: u64,
    /// Of those, the calls left out when the entries ran out: the figure is then a
    /// lower bound.
    pub(crate) dropped: u64,
}

/// The calls of `trackers` that repeat an earlier call of the same prompt made fewer
/// than `window` days before them, counted from the day of the call that paid.
pub(crate) fn repeats(trackers: Vec<Tracker>, window: u32) -> Repeats {
    let mut out = Repeats::default();
    let mut all: Vec<(Entry, u64)> =
        Vec::with_capacity(trackers.iter().map(|t| t.seen.len()).sum());
    for t in trackers {
        out.prompted += t.prompted;
        out.undated += t.undated;
        out.dropped += t.dropped;
        all.extend(t.seen);
    }
    all.sort_unstable_by_key(|(e, _)| *e);
    let same_prompt = |a: &Entry, b: &Entry| {
        (a.svc, a.steps, a.samples, a.digest) == (b.svc, b.steps, b.samples, b.digest)
    };
    let mut first: Option<Entry> = None;
    let mut i = 0;
    while let Some(&(entry, _)) = all.get(i) {
        // The threads' counts of one prompt on one day, added up.
        let mut n = 0u64;
        while let Some(&(e, count)) = all.get(i) {
            if e != entry {
                break;
            }
            n += count;
            i += 1;
        }
        let within = first.is_some_and(|f| {
            same_prompt(&f, &entry) && i64::from(entry.day) - i64::from(f.day) < i64::from(window)
        });
        let repeated = if within {
            n
        } else {
            first = Some(entry);
            n.saturating_sub(1)
        };
        if repeated > 0 {
            *out.calls
                .entry((entry.svc, entry.steps, entry.samples, entry.day))
                .or_default() += repeated;
        }
    }
    out
}

#[cfg(test)]
// Test code: each unwrap or index is an assertion, and a failure fails the test.
mod tests {
    use super::*;
    use crate::usage::fields::EMPTY;
    use crate::usage::tally::NO_TAG;

    fn key(svc: u16, day: i32) -> Key {
        Key {
            svc,
            card: 0,
            charged: true,
            ep: 0,
            status: 0,
            day,
            tag: NO_TAG,
            steps: 0,
            samples: 1,
        }
    }

    fn rec<'a>(hash: Option<&'a [u8]>, prompt: Option<&'a [u8]>) -> Rec<'a> {
        let mut r = EMPTY;
        r[PROMPT] = hash.map_or(Val::Absent, Val::Str);
        r[PROMPT + 1] = prompt.map_or(Val::Absent, Val::Str);
        r
    }

    /// `calls` (service, day, prompt) noted on one tracker each, in turn.
    fn run(calls: &[(u16, i32, &str)], trackers: usize, window: u32) -> Repeats {
        let mut ts: Vec<Tracker> = (0..trackers).map(|_| Tracker::new(LIMIT)).collect();
        for (i, &(svc, day, p)) in calls.iter().enumerate() {
            ts[i % trackers].note(&key(svc, day), &rec(Some(p.as_bytes()), None));
        }
        repeats(ts, window)
    }

    fn total(r: &Repeats) -> u64 {
        r.calls.values().sum()
    }

    #[test]
    fn a_hundred_calls_of_one_prompt_on_one_day_are_one_paid_and_99_repeats() {
        let calls: Vec<_> = (0..100).map(|_| (5, 100, "p")).collect();
        for threads in 1..4 {
            let r = run(&calls, threads, 30);
            assert_eq!((total(&r), r.prompted, r.dropped), (99, 100, 0));
            assert_eq!(r.calls.get(&(5, 0, 1, 100)), Some(&99));
        }
    }

    #[test]
    fn the_window_starts_on_the_day_of_the_call_that_paid() {
        // Days 0, 29 and 30 with a 30-day window: 29 is within (29 - 0 < 30), 30 is not
        // and pays again; 45 repeats it (45 - 30 < 30), 60 pays.
        let calls = [
            (1, 0, "p"),
            (1, 29, "p"),
            (1, 30, "p"),
            (1, 45, "p"),
            (1, 60, "p"),
        ];
        let r = run(&calls, 2, 30);
        assert_eq!(total(&r), 2);
        assert_eq!(r.calls.keys().map(|k| k.3).collect::<Vec<_>>(), [29, 45]);
        // A 1-day window: only calls on the same day repeat.
        let r = run(&[(1, 0, "p"), (1, 0, "p"), (1, 1, "p")], 1, 1);
        assert_eq!(total(&r), 1);
        // Read in any order, the days are walked in order.
        let r = run(
            &[
                (1, 60, "p"),
                (1, 30, "p"),
                (1, 0, "p"),
                (1, 45, "p"),
                (1, 29, "p"),
            ],
            3,
            30,
        );
        assert_eq!(total(&r), 2);
    }

    #[test]
    fn another_service_or_prompt_is_another_call() {
        let r = run(&[(1, 0, "p"), (2, 0, "p"), (1, 0, "q"), (1, 0, "P")], 1, 30);
        assert_eq!(total(&r), 0);
        // The same text as a prompt_hash and as a prompt: two identities.
        let mut t = Tracker::new(LIMIT);
        t.note(&key(1, 0), &rec(Some(b"x"), None));
        t.note(&key(1, 0), &rec(None, Some(b"x")));
        assert_eq!(total(&repeats(vec![t], 30)), 0);
    }

    #[test]
    fn calls_without_an_identity_or_a_time_are_not_repeats() {
        let mut t = Tracker::new(LIMIT);
        for r in [rec(None, None), rec(Some(b""), None)] {
            t.note(&key(1, 0), &r);
        }
        let mut other = EMPTY;
        other[PROMPT] = Val::Other;
        other[PROMPT + 1] = Val::Str(b"ignored: the first field present wins");
        t.note(&key(1, 0), &other);
        t.note(&key(1, UNDATED), &rec(Some(b"p"), None));
        t.note(&key(1, UNDATED), &rec(Some(b"p"), None));
        let r = repeats(vec![t], 30);
        assert_eq!((total(&r), r.prompted, r.undated), (0, 2, 2));
        // A number is an identity too; prompt_hash wins over prompt.
        let mut t = Tracker::new(LIMIT);
        let mut n = EMPTY;
        n[PROMPT] = Val::Num(b"42");
        t.note(&key(1, 0), &n);
        t.note(&key(1, 0), &rec(Some(b"42"), Some(b"another text")));
        assert_eq!(total(&repeats(vec![t], 30)), 1);
    }

    #[test]
    fn past_the_cap_calls_are_left_out_and_counted() {
        let mut t = Tracker::new(2);
        for p in ["a", "b", "c", "a", "c"] {
            t.note(&key(1, 0), &rec(Some(p.as_bytes()), None));
        }
        let r = repeats(vec![t], 30);
        // a and b have entries; both c calls are left out, so only a's repeat counts.
        assert_eq!((total(&r), r.prompted, r.dropped), (1, 5, 2));
    }
}

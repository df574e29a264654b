//! Accounting, one record at a time: each record is malformed, outside the date range,
//! not billable, not charged, unpriced or charged, and counted once. Charged and
//! not-charged calls are counted per group key (service, card, and whatever `--group-by`
//! asks for); money is worked out only at the end, once per group (`price.rs`).
//!
//! Each worker thread has its own tally, with caches from a logged value's bytes to
//! what it means, so a 40-byte endpoint costs one lookup. The caches are capped: values
//! that never repeat (the id in a polling path) must not make memory grow with the log.

use super::catalog::{Called, Catalog, Offer};
use super::fields::{self, ENDPOINT, MODEL, Rec, SAMPLES, SERVICE, STATUS, STEPS, TAG, TIME, Val};
use super::hash::{BytesMap, FxMap};
use super::values::{Bad, parse_day, parse_small, parse_status, text};
use super::whatif::reuse::Tracker;
use std::hash::{Hash, Hasher};

/// No service, endpoint or tag.
pub(crate) const NONE16: u16 = u16::MAX;
/// No tag.
pub(crate) const NO_TAG: u32 = u32::MAX;
/// No day: the record has no time, or the report is not grouped by time.
pub(crate) const UNDATED: i32 = i32::MIN;
/// Cached values per cache; more distinct values are classified every time.
const CACHE_MAX: usize = 4096;
/// Distinct unpriced values listed; more are counted under "other values".
pub(crate) const UNPRICED_MAX: usize = 1000;
/// Malformed records whose line numbers are kept.
pub(crate) const MALFORMED_SHOWN: usize = 5;

/// What the report is grouped by, beyond the service, and which records count.
#[derive(Debug, Clone, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each flag is one --group-by key, read in the per-call hot path"
)]
pub(crate) struct Plan {
    pub(crate) fields: fields::Fields,
    /// Group by day, ISO week or month: keep each call's day.
    pub(crate) by_time: bool,
    pub(crate) by_endpoint: bool,
    pub(crate) by_tag: bool,
    pub(crate) by_status: bool,
    /// `--since` and `--until`, inclusive, as day numbers.
    pub(crate) since: Option<i32>,
    pub(crate) until: Option<i32>,
    /// The reuse figure (the what-if reports): each worker notes the charged calls
    /// with a prompt identity, in at most this many entries. `by_time` is then on.
    pub(crate) reuse: Option<usize>,
}

/// A group of calls, counted together and priced once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    /// The service, or [`NONE16`] for a call that was not charged and matched none.
    pub(crate) svc: u16,
    /// The card that prices the call.
    pub(crate) card: u8,
    pub(crate) charged: bool,
    /// The path matched, with `--group-by endpoint`.
    pub(crate) ep: u16,
    /// The status, with `--group-by status` (0: none).
    pub(crate) status: u16,
    /// The day, when grouped by time.
    pub(crate) day: i32,
    pub(crate) tag: u32,
    /// Diffusion steps of a step-scaled service (0: none given).
    pub(crate) steps: u16,
    /// Images per call of a per-sample service.
    pub(crate) samples: u16,
}

impl Hash for Key {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        // Three words rather than nine fields: a shorter multiply chain.
        h.write_u64((u64::from(self.svc) << 48) | (u64::from(self.ep) << 32) | u64::from(self.tag));
        h.write_u64(
            (u64::from(u32::from_ne_bytes(self.day.to_ne_bytes())) << 32)
                | (u64::from(self.status) << 16)
                | (u64::from(self.card) << 8)
                | u64::from(self.charged),
        );
        h.write_u64((u64::from(self.steps) << 16) | u64::from(self.samples));
    }
}

/// Why a call that was charged has no price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Reason {
    /// A path no card knows (the value: the path).
    Endpoint,
    /// A model not served by the shared endpoint (the value: the model).
    Model { ep: u16 },
    /// A call to a shared endpoint that names no model.
    NoModel { ep: u16 },
    /// A `service` that is no id or alias (the value: the name).
    Service,
    /// The card in force on the call's day does not price the service.
    NotOnCard { svc: u16, card: u8 },
    /// The service was discontinued before the call.
    Discontinued { svc: u16, card: u8 },
    /// The call is older than the service (its `available-from`).
    NotYetAvailable { svc: u16, card: u8 },
    /// The call is older than every built-in card.
    BeforeCards,
    /// A step count the card does not price (found when the groups are priced).
    Steps { svc: u16, card: u8, steps: u16 },
}

/// Records counted by what became of them. `records` is their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) records: u64,
    pub(crate) malformed: u64,
    pub(crate) outside: u64,
    pub(crate) not_billable: u64,
    /// Counted records without a time (priced with the newest or the fixed card).
    pub(crate) undated: u64,
    /// Counted records without a status (counted as charged).
    pub(crate) no_status: u64,
    /// Blank lines: not records.
    pub(crate) blank: u64,
}

impl Counts {
    pub(crate) fn add(&mut self, o: &Counts) {
        self.records += o.records;
        self.malformed += o.malformed;
        self.outside += o.outside;
        self.not_billable += o.not_billable;
        self.undated += o.undated;
        self.no_status += o.no_status;
        self.blank += o.blank;
    }
}

/// One worker's counts.
#[derive(Debug)]
pub(crate) struct Tally<'c> {
    cat: &'c Catalog,
    plan: &'c Plan,
    endpoints: BytesMap<Called>,
    models: Vec<BytesMap<Option<u16>>>,
    services: BytesMap<Option<u16>>,
    tag_ids: BytesMap<u32>,
    /// Tag texts, by id.
    pub(crate) tags: Vec<Box<[u8]>>,
    groups: FxMap<Key, u64>,
    /// Counts by (service, card, charged) when the report groups by service alone (the
    /// default): an array index instead of a hash-map probe per call.
    dense: Vec<u64>,
    pub(crate) unpriced: FxMap<Reason, BytesMap<u64>>,
    distinct_unpriced: usize,
    /// Unpriced calls beyond the distinct values listed.
    pub(crate) unpriced_other: u64,
    /// The last `YYYY-MM-DD` seen on the fast path, and its day.
    date_cache: (u64, u16, i32),
    /// The last day looked up, and the card that prices it.
    card_cache: (Option<i32>, Option<u8>),
    pub(crate) counts: Counts,
    /// (file, chunk, line in chunk) of the first malformed records.
    pub(crate) malformed_at: Vec<(usize, u64, u64)>,
    /// The prompted calls, for the reuse figure; `None` in plain `usage`.
    pub(crate) reuse: Option<Tracker>,
}

/// What becomes of a record that is not malformed.
enum Verdict {
    /// Outside `--since`/`--until`.
    Outside,
    /// A path that costs nothing (polling for a result).
    NotBillable,
    /// A call: counted in its group, or unpriced for a reason (with the value shown).
    Call {
        undated: bool,
        no_status: bool,
        priced: Result<Key, (Reason, Vec<u8>)>,
    },
}

/// Why a charged call made on `on` (`None`: taken to be today, after every date the card
/// knows of) has no price by offer `o` of service `svc` on `card`: it is older than the
/// service, or the service was discontinued by then (or is listed without a price).
pub(crate) fn unsold(o: Offer, on: Option<i32>, svc: u16, card: u8) -> Option<Reason> {
    if o.from.is_some_and(|f| on.is_some_and(|d| d < f)) {
        return Some(Reason::NotYetAvailable { svc, card });
    }
    let sold = o.priced && o.until.is_none_or(|u| on.is_some_and(|d| d < u));
    (!sold).then_some(Reason::Discontinued { svc, card })
}

/// What was called, before its card is known.
enum What {
    Svc { svc: u16, ep: u16 },
    Free,
    Unpriced(Reason, Vec<u8>),
}

impl<'c> Tally<'c> {
    pub(crate) fn new(cat: &'c Catalog, plan: &'c Plan) -> Self {
        Tally {
            cat,
            plan,
            endpoints: BytesMap::default(),
            models: Vec::new(),
            services: BytesMap::default(),
            tag_ids: BytesMap::default(),
            tags: Vec::new(),
            groups: FxMap::default(),
            dense: if plan.by_time || plan.by_endpoint || plan.by_tag || plan.by_status {
                Vec::new()
            } else {
                vec![0; cat.services.len() * cat.cards.len() * 2]
            },
            unpriced: FxMap::default(),
            distinct_unpriced: 0,
            unpriced_other: 0,
            date_cache: (0, 0, UNDATED),
            card_cache: (None, cat.card_for(None)),
            counts: Counts::default(),
            malformed_at: Vec::new(),
            reuse: plan.reuse.map(Tracker::new),
        }
    }

    /// A malformed record at `line` of chunk `seq` of file `file`; `true` when its line
    /// number is one of those kept.
    pub(crate) fn malformed(&mut self, file: usize, seq: u64, line: u64) -> bool {
        self.counts.records += 1;
        self.counts.malformed += 1;
        let keep = self.malformed_at.len() < MALFORMED_SHOWN;
        if keep {
            self.malformed_at.push((file, seq, line));
        }
        keep
    }

    #[inline]
    fn called(&mut self, raw: &[u8]) -> Called {
        if let Some(c) = self.endpoints.get(raw) {
            return *c;
        }
        let c = self.cat.endpoint(raw);
        if self.endpoints.len() < CACHE_MAX {
            self.endpoints.insert(raw.into(), c);
        }
        c
    }

    #[inline]
    fn model(&mut self, ep: u16, raw: &[u8]) -> Option<u16> {
        let i = usize::from(ep);
        if self.models.len() <= i {
            self.models.resize_with(i + 1, BytesMap::default);
        }
        let cat = self.cat;
        let cache = self.models.get_mut(i)?;
        if let Some(m) = cache.get(raw) {
            return *m;
        }
        let m = cat.model(ep, raw);
        if cache.len() < CACHE_MAX {
            cache.insert(raw.into(), m);
        }
        m
    }

    fn service(&mut self, raw: &[u8]) -> Option<u16> {
        if let Some(s) = self.services.get(raw) {
            return *s;
        }
        let s = self.cat.service(raw);
        if self.services.len() < CACHE_MAX {
            self.services.insert(raw.into(), s);
        }
        s
    }

    fn tag(&mut self, raw: &[u8]) -> u32 {
        if let Some(&i) = self.tag_ids.get(raw) {
            return i;
        }
        let i = u32::try_from(self.tags.len()).unwrap_or(NO_TAG - 1);
        self.tags.push(raw.into());
        self.tag_ids.insert(raw.into(), i);
        i
    }

    /// Counts an unpriced call.
    fn unpriced(&mut self, reason: Reason, value: &[u8]) {
        let values = self.unpriced.entry(reason).or_default();
        if let Some(n) = values.get_mut(value) {
            *n += 1;
        } else if self.distinct_unpriced < UNPRICED_MAX {
            self.distinct_unpriced += 1;
            values.insert(value.into(), 1);
        } else {
            self.unpriced_other += 1;
        }
    }

    /// What the record called: by its endpoint, else its `service`.
    #[inline]
    fn what(&mut self, rec: &Rec<'_>) -> Result<What, Bad> {
        // The model is read only where the endpoint needs one to be priced.
        let model = || text(rec.get(MODEL).copied().unwrap_or(Val::Absent));
        if let Some(e) = text(fields::first(rec, ENDPOINT..ENDPOINT + 3))? {
            return Ok(match self.called(e) {
                Called::Service { svc, ep } => What::Svc { svc, ep },
                Called::NotBillable => What::Free,
                Called::Unknown => {
                    What::Unpriced(Reason::Endpoint, crate::rates::path::normalize(e).to_vec())
                }
                Called::Shared { ep } => match model()? {
                    Some(m) => match self.model(ep, m) {
                        Some(svc) => What::Svc { svc, ep },
                        None => What::Unpriced(Reason::Model { ep }, m.to_vec()),
                    },
                    // `--sd3-model`, else the card's default model on the path.
                    None => match self.cat.default_model {
                        Some(svc) if self.cat.model_on(ep, svc) => What::Svc { svc, ep },
                        _ => match self.cat.default_on(ep) {
                            Some(svc) => What::Svc { svc, ep },
                            None => What::Unpriced(Reason::NoModel { ep }, Vec::new()),
                        },
                    },
                },
            });
        }
        let Some(name) = text(rec.get(SERVICE).copied().unwrap_or(Val::Absent))? else {
            return Err(Bad); // nothing says what was called
        };
        Ok(match self.service(name) {
            Some(svc) => What::Svc {
                svc,
                ep: if self.plan.by_endpoint {
                    self.cat.first_path(svc).unwrap_or(NONE16)
                } else {
                    NONE16
                },
            },
            None => What::Unpriced(Reason::Service, name.to_vec()),
        })
    }

    /// Counts one record; `Err` when it is malformed (the caller records where), in
    /// which case nothing of it has been counted.
    #[inline]
    pub(crate) fn account(&mut self, rec: &Rec<'_>) -> Result<(), Bad> {
        let verdict = self.classify(rec)?;
        self.counts.records += 1;
        match verdict {
            Verdict::Outside => self.counts.outside += 1,
            Verdict::NotBillable => self.counts.not_billable += 1,
            Verdict::Call {
                undated,
                no_status,
                priced,
            } => {
                self.counts.undated += u64::from(undated);
                self.counts.no_status += u64::from(no_status);
                match priced {
                    Ok(key) => {
                        if let Some(reuse) = &mut self.reuse {
                            if key.charged {
                                reuse.note(&key, rec);
                            }
                        }
                        self.count(key);
                    }
                    Err((reason, value)) => self.unpriced(reason, &value),
                }
            }
        }
        Ok(())
    }

    /// What becomes of one record, the accounting rules of the README's
    /// "Usage: what real calls cost", in order; no
    /// count is touched, so a record found malformed late counts only as malformed.
    #[inline]
    fn classify(&mut self, rec: &Rec<'_>) -> Result<Verdict, Bad> {
        let get = |slot: usize| rec.get(slot).copied().unwrap_or(Val::Absent);
        let day = parse_day(fields::first(rec, TIME..TIME + 4), &mut self.date_cache)?;
        let status = parse_status(get(STATUS))?;
        // A label that is not a string (or a number) is no label: the call is priced
        // and counted the same in every grouping.
        let tag = if self.plan.by_tag {
            match fields::first(rec, TAG..TAG + 3) {
                Val::Str(s) | Val::Num(s) => self.tag(s),
                _ => NO_TAG,
            }
        } else {
            NO_TAG
        };
        let what = self.what(rec)?;

        if self.plan.since.is_some() || self.plan.until.is_some() {
            let inside = day.is_some_and(|d| {
                self.plan.since.is_none_or(|s| d >= s) && self.plan.until.is_none_or(|u| d <= u)
            });
            if !inside {
                return Ok(Verdict::Outside);
            }
        }
        let charged = status.is_none_or(|s| (200..300).contains(&s));
        let call = |priced| Verdict::Call {
            undated: day.is_none(),
            no_status: status.is_none(),
            priced,
        };
        let (svc, ep) = match what {
            What::Free => return Ok(Verdict::NotBillable),
            What::Svc { svc, ep } => (svc, ep),
            What::Unpriced(..) if !charged => (NONE16, NONE16),
            What::Unpriced(reason, value) => return Ok(call(Err((reason, value)))),
        };
        if self.card_cache.0 != day {
            self.card_cache = (day, self.cat.card_for(day));
        }
        let key = Key {
            svc,
            card: 0,
            charged,
            ep: if self.plan.by_endpoint { ep } else { NONE16 },
            status: if self.plan.by_status {
                status.unwrap_or(0)
            } else {
                0
            },
            day: if self.plan.by_time {
                day.unwrap_or(UNDATED)
            } else {
                UNDATED
            },
            tag,
            steps: 0,
            samples: 1,
        };
        let Some(card) = self.card_cache.1 else {
            return Ok(call(if charged {
                Err((Reason::BeforeCards, Vec::new()))
            } else {
                Ok(key)
            }));
        };
        let mut offer = if svc == NONE16 {
            None
        } else {
            self.cat.offer(card, svc)
        };
        let on = day.or_else(|| self.cat.undated_day(card));
        // The API re-routes the calls of a discontinued model to its successor (SD 3.0
        // to 3.5 from 2025-04-17): such a call is counted and priced as what it ran as.
        let mut svc = svc;
        if let Some(to) = offer.and_then(|o| o.rerouted_on(on)) {
            svc = to;
            offer = self.cat.offer(card, to);
        }
        let key = Key { svc, ..key };
        let Some(o) = offer.filter(|_| charged) else {
            return Ok(call(match offer {
                None if charged => Err((Reason::NotOnCard { svc, card }, Vec::new())),
                _ => Ok(Key { card, ..key }),
            }));
        };
        if let Some(reason) = unsold(o, on, svc, card) {
            return Ok(call(Err((reason, Vec::new()))));
        }
        // Steps and samples are read only where the price needs them: a call to a
        // service that is not step-scaled is priced whatever its `steps` field holds.
        Ok(call(Ok(Key {
            card,
            steps: if o.step_scaled {
                parse_small(get(STEPS))?.unwrap_or(0)
            } else {
                0
            },
            samples: if o.per_sample {
                parse_small(get(SAMPLES))?.unwrap_or(1)
            } else {
                1
            },
            ..key
        })))
    }

    #[inline]
    fn count(&mut self, key: Key) {
        if key.steps == 0 && key.samples == 1 && key.svc != NONE16 {
            let i = (usize::from(key.svc) * self.cat.cards.len() + usize::from(key.card)) * 2
                + usize::from(key.charged);
            if let Some(n) = self.dense.get_mut(i) {
                *n += 1;
                return;
            }
        }
        *self.groups.entry(key).or_insert(0) += 1;
    }

    /// Every group and its count.
    pub(crate) fn groups(&self) -> impl Iterator<Item = (Key, u64)> + '_ {
        let cards = self.cat.cards.len().max(1);
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(move |(i, &n)| {
                let (svc, rest) = (i / (cards * 2), i % (cards * 2));
                let key = Key {
                    svc: u16::try_from(svc).unwrap_or(NONE16),
                    card: u8::try_from(rest / 2).unwrap_or(0),
                    charged: rest % 2 == 1,
                    ep: NONE16,
                    status: 0,
                    day: UNDATED,
                    tag: NO_TAG,
                    steps: 0,
                    samples: 1,
                };
                (key, n)
            });
        dense.chain(self.groups.iter().map(|(k, n)| (*k, *n)))
    }
}

//! From the workers' counts to the report's figures: the tallies are merged, every
//! group is priced once (`price × samples × count`, exact, by the card that prices its
//! calls), and the groups are added up into the rows `--group-by` asks for.

use super::catalog::Catalog;
use super::tally::{Counts, Key, NO_TAG, NONE16, Reason, Tally, UNDATED};
use super::{Cards, GroupKey, Row, Spend, Usage};
use crate::date::Date;
use crate::engine;
use crate::error::UserResult;
use crate::money;
use crate::rates::Billing;
use crate::text::printable;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// A group's key with its tag as text (tag numbers differ between workers).
type Merged = HashMap<(Key, Option<Box<[u8]>>), u64>;

/// The text of a row's key for `g`.
fn key_text(g: GroupKey, key: &Key, tag: Option<&[u8]>, cat: &Catalog) -> String {
    let day = || (key.day != UNDATED).then(|| Date::from_days(i64::from(key.day)));
    match g {
        GroupKey::Service => cat
            .services
            .get(usize::from(key.svc))
            .cloned()
            .unwrap_or_else(|| "(unknown)".to_owned()),
        GroupKey::Endpoint if key.svc == NONE16 => "(unknown)".to_owned(),
        GroupKey::Endpoint if key.ep == NONE16 => "(none)".to_owned(),
        GroupKey::Endpoint => cat.path(key.ep).to_owned(),
        GroupKey::Day => day().map_or_else(|| "undated".to_owned(), |d| d.to_string()),
        GroupKey::Week => day().map_or_else(
            || "undated".to_owned(),
            |d| {
                let (y, w) = d.iso_week();
                format!("{y:04}-W{w:02}")
            },
        ),
        GroupKey::Month => day().map_or_else(
            || "undated".to_owned(),
            |d| {
                let (y, m, _) = d.ymd();
                format!("{y:04}-{m:02}")
            },
        ),
        GroupKey::Tag => tag.map_or_else(
            || "(none)".to_owned(),
            |t| printable(&String::from_utf8_lossy(t)).into_owned(),
        ),
        GroupKey::Status if key.status == 0 => "(none)".to_owned(),
        GroupKey::Status => key.status.to_string(),
    }
}

/// What an unpriced value is, in words.
pub(crate) fn describe(reason: Reason, value: &[u8], cat: &Catalog) -> String {
    let value = printable(&String::from_utf8_lossy(value)).into_owned();
    let id = |svc: u16| {
        cat.services
            .get(usize::from(svc))
            .map_or("?", String::as_str)
    };
    let effective = |card: u8| {
        cat.card(card)
            .map_or("?", |c| c.provenance.effective.as_str())
    };
    match reason {
        Reason::Endpoint => format!("endpoint {value}"),
        Reason::Model { ep } => format!("model '{value}' on {}", cat.path(ep)),
        Reason::NoModel { ep } => format!("{} without a model", cat.path(ep)),
        Reason::Service => format!("service '{value}'"),
        Reason::NotOnCard { svc, card } => {
            format!("{}: not on the card effective {}", id(svc), effective(card))
        }
        Reason::Discontinued { svc, card } => {
            let date = cat
                .card(card)
                .and_then(|c| c.find(id(svc)))
                .and_then(|s| s.deprecated.as_ref())
                .map_or_else(String::new, |d| format!(" on {}", d.date));
            format!("{}: discontinued{date}", id(svc))
        }
        Reason::NotYetAvailable { svc, card } => {
            let from = cat
                .card(card)
                .and_then(|c| c.find(id(svc)))
                .and_then(|s| s.available_from)
                .map_or_else(String::new, |d| format!(" before {d}"));
            format!("{}: not yet available{from}", id(svc))
        }
        Reason::BeforeCards => format!(
            "calls before {}, the oldest built-in card",
            cat.oldest_start()
                .map_or_else(String::new, |d| Date::from_days(i64::from(d)).to_string())
        ),
        Reason::Steps { svc, steps, .. } => format!("{} at {steps} steps: {value}", id(svc)),
    }
}

/// Credits for one call of group `key` (by its card, steps and samples) and the card's
/// billing, or why the card cannot price it.
pub(crate) fn unit_credits<'c>(
    key: &Key,
    cat: &'c Catalog,
) -> Result<(Decimal, &'c Billing), String> {
    let offer = cat.offer(key.card, key.svc).ok_or("not on the card")?;
    let card = cat.card(key.card).ok_or("not on the card")?;
    let service = card.services().get(offer.index).ok_or("not on the card")?;
    let steps = (offer.step_scaled && key.steps != 0).then_some(u32::from(key.steps));
    let (each, _) = engine::unit_price(service, steps).map_err(|e| e.message)?;
    let each = money::mul(each, Decimal::from(key.samples)).map_err(|e| e.to_string())?;
    Ok((each, &card.billing))
}

/// The calls per day, tag and service, added up as the groups are priced.
type Daily = BTreeMap<(i32, Option<Box<[u8]>>, u16), Spend>;

/// Adds `n` calls of group `key` (and `priced`, what they cost) to their day, tag and
/// service.
fn add_daily(
    daily: &mut Daily,
    key: &Key,
    tag: Option<&[u8]>,
    n: u64,
    priced: Option<(Decimal, Decimal)>,
    cat: &Catalog,
) -> UserResult<()> {
    let spend = daily
        .entry((key.day, tag.map(Box::from), key.svc))
        .or_insert_with(|| Spend {
            day: (key.day != UNDATED).then(|| Date::from_days(i64::from(key.day))),
            tag: tag.map(|t| String::from_utf8_lossy(t).into_owned()),
            service: key_text(GroupKey::Service, key, None, cat),
            charged: 0,
            not_charged: 0,
            credits: Decimal::ZERO,
            usd: Decimal::ZERO,
        });
    if let Some((credits, usd)) = priced {
        spend.charged += n;
        spend.credits = money::add(spend.credits, credits)?;
        spend.usd = money::add(spend.usd, usd)?;
    } else {
        spend.not_charged += n;
    }
    Ok(())
}

/// A group of charged calls as priced: its key (its tag left out), its calls, and what
/// they cost. What the what-if figures start from (`whatif`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Priced {
    pub(crate) key: Key,
    pub(crate) calls: u64,
    pub(crate) credits: Decimal,
    pub(crate) usd: Decimal,
}

/// Merges the tallies, prices each group once, and builds the rows (and, with `daily`,
/// the calls per day, tag and service); with `keep`, also every group of charged calls
/// as priced.
#[allow(
    clippy::too_many_lines,
    reason = "one pass in order: merge the workers' counts, price each group, add up the rows"
)]
pub(crate) fn settle(
    cat: &Catalog,
    group_by: &[GroupKey],
    daily: bool,
    keep: bool,
    tallies: Vec<Tally<'_>>,
    malformed_lines: Vec<(String, u64)>,
) -> UserResult<(Usage, Vec<Priced>)> {
    let mut counts = Counts::default();
    let mut merged: Merged = HashMap::new();
    let mut unpriced: BTreeMap<(Reason, Box<[u8]>), u64> = BTreeMap::new();
    let mut unpriced_other = 0;
    for t in tallies {
        counts.add(&t.counts);
        unpriced_other += t.unpriced_other;
        for (reason, values) in &t.unpriced {
            for (value, n) in values {
                *unpriced.entry((*reason, value.clone())).or_default() += n;
            }
        }
        for (mut key, n) in t.groups() {
            let tag = (key.tag != NO_TAG)
                .then(|| {
                    usize::try_from(key.tag)
                        .ok()
                        .and_then(|i| t.tags.get(i))
                        .cloned()
                })
                .flatten();
            key.tag = 0;
            *merged.entry((key, tag)).or_default() += n;
        }
    }

    let mut rows: BTreeMap<Vec<String>, Row> = BTreeMap::new();
    let mut card_calls: BTreeMap<u8, u64> = BTreeMap::new();
    let mut by_day: Daily = BTreeMap::new();
    let mut kept = Vec::new();
    let mut groups: Vec<_> = merged.into_iter().collect();
    groups.sort_unstable();
    for ((key, tag), n) in groups {
        let priced = if key.charged {
            match unit_credits(&key, cat) {
                Ok((each, billing)) => Some((money::mul(each, Decimal::from(n))?, billing)),
                Err(why) => {
                    let reason = Reason::Steps {
                        svc: key.svc,
                        card: key.card,
                        steps: key.steps,
                    };
                    *unpriced
                        .entry((reason, why.into_bytes().into()))
                        .or_default() += n;
                    continue;
                }
            }
        } else {
            None
        };
        let keys = group_by
            .iter()
            .map(|&g| key_text(g, &key, tag.as_deref(), cat))
            .collect();
        let row = rows.entry(keys).or_insert_with(|| Row {
            keys: Vec::new(),
            charged: 0,
            not_charged: 0,
            credits: Decimal::ZERO,
            usd: Decimal::ZERO,
        });
        let priced = match priced {
            Some((credits, billing)) => {
                Some((credits, billing.usd(money::Credits::new(credits))?.get()))
            }
            None => None,
        };
        if let Some((credits, usd)) = priced {
            row.charged += n;
            row.credits = money::add(row.credits, credits)?;
            row.usd = money::add(row.usd, usd)?;
            *card_calls.entry(key.card).or_default() += n;
            if keep {
                kept.push(Priced {
                    key,
                    calls: n,
                    credits,
                    usd,
                });
            }
        } else {
            row.not_charged += n;
        }
        if daily {
            add_daily(&mut by_day, &key, tag.as_deref(), n, priced, cat)?;
        }
    }
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(keys, row)| Row { keys, ..row })
        .collect();
    let mut total = Row {
        keys: Vec::new(),
        charged: 0,
        not_charged: 0,
        credits: Decimal::ZERO,
        usd: Decimal::ZERO,
    };
    for r in &rows {
        total.charged += r.charged;
        total.not_charged += r.not_charged;
        total.credits = money::add(total.credits, r.credits)?;
        total.usd = money::add(total.usd, r.usd)?;
    }
    let no_model = unpriced
        .iter()
        .filter(|((r, _), _)| matches!(r, Reason::NoModel { .. }))
        .map(|(_, n)| n)
        .sum();
    let mut unpriced: Vec<(String, u64)> = unpriced
        .into_iter()
        .map(|((reason, value), n)| (describe(reason, &value, cat), n))
        .collect();
    if unpriced_other > 0 {
        unpriced.push(("(other values)".to_owned(), unpriced_other));
    }
    unpriced.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let usage = Usage {
        group_by: group_by.to_vec(),
        rows,
        total,
        counts,
        unpriced,
        malformed_lines,
        no_model,
        cards: Cards {
            used: card_calls
                .into_iter()
                .filter_map(|(c, n)| Some((cat.card(c)?.provenance.clone(), n)))
                .collect(),
        },
        daily: by_day.into_values().collect(),
        what_if: None,
    };
    Ok((usage, kept))
}

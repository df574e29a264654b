//! How prices differ between two cards: what `rates --changes` lists, for consecutive
//! built-in cards or any two cards.

use super::model::{RateCard, Service};
use crate::date::Date;
use rust_decimal::Decimal;

/// What happened to one service between an earlier and a later card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Priced on both, at different prices.
    Price,
    /// Priced on the later card only.
    New,
    /// Discontinued: priced on the earlier card, sold no more.
    Discontinued,
    /// Priced on the earlier card, not on the later one at all.
    Removed,
}

impl ChangeKind {
    /// How the change reads in a report.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Price => "price",
            ChangeKind::New => "not on the earlier card",
            ChangeKind::Discontinued => "discontinued",
            ChangeKind::Removed => "not on the later card",
        }
    }
}

/// One service's change: its credits per call before and after (at the default step
/// count for step-scaled services), and the day it took effect.
#[derive(Debug, Clone)]
pub struct PriceChange<'c> {
    pub service: &'c Service,
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub kind: ChangeKind,
    /// The later card's effective date; a discontinuation's own date.
    pub date: Option<Date>,
}

/// Every difference in price between `earlier` and `later`, in the later card's order,
/// then the services only the earlier card has.
pub fn between<'c>(earlier: &'c RateCard, later: &'c RateCard) -> Vec<PriceChange<'c>> {
    let mut out = Vec::new();
    for s in &later.services {
        let before = earlier.find(&s.id).and_then(|b| b.credits);
        let after = s.credits;
        let (kind, date) = match (before, after, &s.deprecated) {
            (Some(b), Some(a), _) if b != a => (ChangeKind::Price, later.effective_from),
            (Some(_), Some(_), _) | (None, None, _) => continue,
            (None, Some(_), _) => (ChangeKind::New, later.effective_from),
            (Some(_), None, Some(dep)) => (ChangeKind::Discontinued, Some(dep.date)),
            (Some(_), None, None) => (ChangeKind::Removed, later.effective_from),
        };
        out.push(PriceChange {
            service: s,
            before,
            after,
            kind,
            date,
        });
    }
    for s in &earlier.services {
        if later.find(&s.id).is_none() && s.credits.is_some() {
            out.push(PriceChange {
                service: s,
                before: s.credits,
                after: None,
                kind: ChangeKind::Removed,
                date: later.effective_from,
            });
        }
    }
    out
}

//! How prices differ between two cards: what `rates --changes` lists, for consecutive
//! built-in cards or any two cards.

use super::model::{RateCard, Service};
use crate::date::Date;
use rust_decimal::Decimal;

/// What happened to one service between an earlier and a later card. JSON: the words
/// a report uses (`"no earlier price"`).
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
            ChangeKind::New => "no earlier price",
            ChangeKind::Discontinued => "discontinued",
            ChangeKind::Removed => "no later price",
        }
    }
}

impl serde::Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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
        // A step-scaled service compares at its default step count, as listings show it.
        let before = earlier.find(&s.id).and_then(Service::default_credits);
        let after = s.default_credits();
        let (kind, date) = match (before, after, &s.deprecated) {
            (Some(b), Some(a), _) if b != a => (ChangeKind::Price, later.effective_from),
            (Some(_), Some(_), _) | (None, None, _) => continue,
            // A service that appeared after the card took effect is new from its first day.
            (None, Some(_), _) => (ChangeKind::New, later.effective_from.max(s.available_from)),
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
                before: s.default_credits(),
                after: None,
                kind: ChangeKind::Removed,
                date: later.effective_from,
            });
        }
    }
    out
}

/// One billing fact that differs between two cards, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingChange {
    /// The card field: `credit-usd`.
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// The billing facts that differ between `earlier` and `later`: a new price of a
/// credit changes every dollar figure without changing a single price in credits.
pub fn billing_between(earlier: &RateCard, later: &RateCard) -> Vec<BillingChange> {
    use crate::money::{Credits, Usd};
    let (a, b) = (&earlier.billing, &later.billing);
    let usd = |d: Decimal| Usd::new(d).to_string();
    let credits = |d: Decimal| Credits::new(d).to_string();
    let threshold =
        |t: Option<u64>| t.map_or_else(|| "none".to_owned(), crate::money::count_display);
    let mut out = Vec::new();
    let mut check = |field, before: String, after: String| {
        if before != after {
            out.push(BillingChange {
                field,
                before,
                after,
            });
        }
    };
    check("credit-usd", usd(a.credit_usd), usd(b.credit_usd));
    check(
        "topup-credits",
        credits(a.topup_credits),
        credits(b.topup_credits),
    );
    check("topup-usd", usd(a.topup_usd), usd(b.topup_usd));
    check(
        "signup-bonus-credits",
        credits(a.signup_bonus_credits),
        credits(b.signup_bonus_credits),
    );
    check(
        "volume-threshold-images-per-month",
        threshold(a.volume_threshold_images_per_month),
        threshold(b.volume_threshold_images_per_month),
    );
    check(
        "failed-generations-charged",
        a.failed_generations_charged.to_string(),
        b.failed_generations_charged.to_string(),
    );
    out
}

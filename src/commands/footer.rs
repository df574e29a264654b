//! The footer of every bill: free credits spent first, then the top-up packs to buy;
//! and the note that a volume reaches the card's bulk-pricing threshold. `quote`,
//! `workflow` and `compare` end with them, and so will anything else that prices a bill.

use crate::engine::{self, FreeCredits};
use crate::error::UserResult;
use crate::money::{self, Credits, Usd};
use crate::rates::Billing;
use rust_decimal::Decimal;
use serde::Serialize;

/// What to buy for a bill: JSON `free_credits` (when any were given) and `topups`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Purchase {
    #[serde(skip_serializing_if = "Option::is_none")]
    free_credits: Option<FreeCreditsUsed>,
    topups: Topups,
    /// How the free credits were given, for the summary line.
    #[serde(skip)]
    free: FreeCredits,
    #[serde(skip)]
    signup_terms: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct FreeCreditsUsed {
    available: Credits,
    applied: Credits,
    usd: Usd,
}

#[derive(Debug, Clone, Serialize)]
struct Topups {
    #[serde(serialize_with = "money::serialize_decimal")]
    packs: Decimal,
    credits_per_pack: Credits,
    usd_per_pack: Usd,
    credits_to_buy: Credits,
    usd: Usd,
}

impl Purchase {
    /// The purchase that covers `credits` on `billing`, spending `free` credits first.
    pub(super) fn new(billing: &Billing, credits: Credits, free: FreeCredits) -> UserResult<Self> {
        let t = engine::topups(billing, credits, free.credits(billing))?;
        let free_credits = match free {
            FreeCredits::None => None,
            _ => Some(FreeCreditsUsed {
                available: t.free_available,
                applied: t.free_applied,
                usd: billing.usd(t.free_applied)?,
            }),
        };
        Ok(Purchase {
            free_credits,
            topups: Topups {
                packs: t.packs,
                credits_per_pack: Credits::new(billing.topup_credits),
                usd_per_pack: Usd::new(billing.topup_usd),
                credits_to_buy: t.to_buy,
                usd: t.usd,
            },
            free,
            signup_terms: billing.signup_bonus_terms.clone(),
        })
    }

    /// The summary lines: free credits (when given), then top-ups.
    pub(super) fn lines(&self) -> Vec<String> {
        self.lines_for("")
    }

    /// The summary lines, the top-ups said to be for `period` (" a month").
    pub(super) fn lines_for(&self, period: &str) -> Vec<String> {
        let mut lines = Vec::with_capacity(2);
        let t = &self.topups;
        if let Some(f) = &self.free_credits {
            let terms = match (self.free, &self.signup_terms) {
                (FreeCredits::SignupBonus, Some(terms)) => format!(" (sign-up bonus: {terms})"),
                (FreeCredits::SignupBonus, None) => " (sign-up bonus)".to_owned(),
                _ => String::new(),
            };
            lines.push(format!(
                "free credits: {} of {} applied{terms}; {} credits to buy",
                f.applied, f.available, t.credits_to_buy,
            ));
        }
        lines.push(format!(
            "top-ups{period}: {} × {}-credit pack at {} = {}",
            money::decimal_display(t.packs),
            t.credits_per_pack,
            t.usd_per_pack,
            t.usd,
        ));
        lines
    }
}

/// The note for a bill of `images` images a month, when that reaches the card's
/// volume threshold: Stability sells bulk pricing above it, so list prices overstate
/// such a bill. One function, so every command says it the same way at the same volume.
pub(super) fn volume_note(billing: &Billing, images: Decimal) -> Option<String> {
    let threshold = billing.volume_threshold_images_per_month?;
    (images >= Decimal::from(threshold)).then(|| {
        format!(
            "at {} images a month or more, Stability sells volume pricing through its sales team; these are list prices",
            money::count_display(threshold)
        )
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;
    use crate::rates::RateCard;

    #[test]
    fn the_volume_note_starts_at_the_threshold() {
        let card = RateCard::built_in().unwrap();
        // The built-in card's threshold is 10,000 images a month.
        assert_eq!(volume_note(&card.billing, Decimal::from(9_999)), None);
        assert!(
            volume_note(&card.billing, Decimal::from(10_000))
                .unwrap()
                .starts_with("at 10,000 images a month or more")
        );
        let mut none = card.billing.clone();
        none.volume_threshold_images_per_month = None;
        assert_eq!(volume_note(&none, Decimal::from(u64::MAX)), None);
    }
}

//! What a rate card holds, once loaded and validated: plain data, no parsing.

use crate::date::Date;
use crate::error::UserError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

/// What a service does; `compare` prices every `Generate` service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Generate,
    Edit,
    Control,
    Upscale,
    Audio,
    #[serde(rename = "3d")]
    ThreeD,
    Video,
    /// The default for a card's own services: priced, but never listed by `compare`.
    Other,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 8] = [
        Category::Generate,
        Category::Edit,
        Category::Control,
        Category::Upscale,
        Category::Audio,
        Category::ThreeD,
        Category::Video,
        Category::Other,
    ];

    /// The names users type, in display order.
    pub const NAMES: [&'static str; 8] = [
        "generate", "edit", "control", "upscale", "audio", "3d", "video", "other",
    ];

    /// The name users type and the card uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Generate => "generate",
            Category::Edit => "edit",
            Category::Control => "control",
            Category::Upscale => "upscale",
            Category::Audio => "audio",
            Category::ThreeD => "3d",
            Category::Video => "video",
            Category::Other => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                UserError::new(format!("unknown category '{s}'"))
                    .hint(format!("categories are: {}", Category::NAMES.join(", ")))
            })
    }
}

/// Where the card came from and which prices it holds: JSON `rate_card`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub name: String,
    /// The day (or month) the prices took effect, or `undated`.
    pub effective: String,
    pub currency: String,
    pub source: String,
    pub origin: Origin,
    /// When the figures came from several cards, each call priced by the one in force
    /// on its day (`usage`): their dates, in words, for people. JSON `effective_note`;
    /// `effective` is then the newest card's date.
    #[serde(rename = "effective_note", skip_serializing_if = "Option::is_none")]
    pub effective_by_day: Option<String>,
}

/// Where a card was read from: compiled into the binary, or a file. JSON `"built-in"`
/// or the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    File(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::File(path) => f.write_str(path),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Provenance {
    /// How a sentence names the card: `the built-in card of 2025-08-01`, or its name and
    /// file.
    pub fn label(&self) -> String {
        match &self.origin {
            Origin::BuiltIn => format!("the built-in card of {}", self.effective),
            Origin::File(path) => format!("{} ({path})", self.name),
        }
    }
}

/// How credits are bought and when they are charged.
#[derive(Debug, Clone)]
pub struct Billing {
    pub credit_usd: Decimal,
    pub topup_credits: Decimal,
    pub topup_usd: Decimal,
    pub signup_bonus_credits: Decimal,
    pub signup_bonus_terms: Option<String>,
    pub volume_threshold_images_per_month: Option<u64>,
    pub failed_generations_charged: bool,
    /// API paths whose calls cost nothing (result polling, the balance, the engine
    /// list), each literal or with `{…}` segments; `usage` counts them as not billable.
    pub not_billable_endpoints: Vec<String>,
}

/// Step-scaled pricing: the service's `credits` cover up to `included` steps, and each
/// step above costs `per_step` (`credits + per_step × (steps − included)`). Without
/// `per_step`, a step costs `credits / included`, so the price is `credits × steps /
/// included` (SDXL: 0.9 credits up to 30 steps, 1.5 at 50). With `per_step` and
/// `included = 0`, it is a base plus a price per step (Stable Audio 2.0: `17 + 0.06 ×
/// steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepPricing {
    pub included: u32,
    pub default: u32,
    pub min: u32,
    pub max: u32,
    /// Credits per step above `included`, when the card gives it.
    #[serde(serialize_with = "optional_decimal")]
    pub per_step: Option<Decimal>,
}

/// An optional decimal as JSON: a string, or null.
#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with hands the field by reference"
)]
fn optional_decimal<S: serde::Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    v.map(crate::money::decimal_plain).serialize(s)
}

/// Why a step count has no price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepPriceError {
    /// The figure does not fit.
    Overflow(crate::money::Overflow),
    /// `credits × steps / included` is not an exact decimal.
    Inexact,
}

impl StepPricing {
    /// Credits for one call at `steps` steps of a service whose price is `credits` (the
    /// range `min`–`max` is the caller's to check).
    pub fn credits_at(&self, credits: Decimal, steps: u32) -> Result<Decimal, StepPriceError> {
        use crate::money;
        if steps <= self.included {
            return Ok(credits);
        }
        if let Some(per_step) = self.per_step {
            let above = money::mul(per_step, Decimal::from(steps - self.included))
                .map_err(StepPriceError::Overflow)?;
            return money::add(credits, above).map_err(StepPriceError::Overflow);
        }
        let scaled = money::mul(credits, Decimal::from(steps)).map_err(StepPriceError::Overflow)?;
        money::div_exact(scaled, Decimal::from(self.included)).ok_or(StepPriceError::Inexact)
    }

    /// Credits per step above `included`: as the card gives it, else `credits /
    /// included` when that is an exact decimal.
    pub fn per_step_credits(&self, credits: Decimal) -> Option<Decimal> {
        self.per_step.or_else(|| {
            (self.included > 0)
                .then(|| crate::money::div_exact(credits, Decimal::from(self.included)))
                .flatten()
        })
    }
}

/// A service that is no longer sold, from `date` on.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    pub date: Date,
    pub replacements: Vec<String>,
    /// The replacement its calls run as from `date` on, at that service's price, when
    /// the API re-routes them (SD 3.0 to 3.5 from 2025-04-17, at no extra cost).
    pub rerouted_to: Option<String>,
}

/// One priced API service.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub category: Category,
    /// Credits per call; `None` only for a deprecated service that is no longer sold.
    pub credits: Option<Decimal>,
    pub aliases: Vec<String>,
    /// The API paths whose calls this service bills (several services may share one;
    /// a logged `model` then says which).
    pub endpoints: Vec<String>,
    /// The price is per image: a logged call's `samples` (images per call on the v1
    /// endpoints) multiplies it.
    pub per_sample: bool,
    /// On the paths it shares with other services, a logged call that names no model
    /// is this service's: the API's default model there (Stable Audio 2.0 on the
    /// `/v2beta/audio/stable-audio-2/*` paths).
    pub default_model: bool,
    pub source: String,
    pub note: Option<String>,
    pub steps: Option<StepPricing>,
    pub deprecated: Option<Deprecation>,
    /// The first day the service was sold, when it appeared after its card took effect
    /// (Stable Audio 3.0): a day before it has no price.
    pub available_from: Option<Date>,
}

impl Service {
    /// Credits for one call with the API's defaults: the price at the default step count
    /// for a step-scaled service (Stable Audio 2.0: 20, not the 17 its formula starts
    /// from), else `credits`. This is the figure listings show.
    pub fn default_credits(&self) -> Option<Decimal> {
        let credits = self.credits?;
        match self.steps {
            Some(st) => st.credits_at(credits, st.default).ok(),
            None => Some(credits),
        }
    }

    /// Whether the service can be bought on `day` (`None`: today, after every
    /// discontinuation and every launch the card knows of): it has a price, was
    /// available by then, and was not yet discontinued.
    pub fn sold_on(&self, day: Option<Date>) -> bool {
        self.credits.is_some()
            && self.available_on(day)
            && self
                .deprecated
                .as_ref()
                .is_none_or(|d| day.is_some_and(|day| day < d.date))
    }

    /// Whether the service existed on `day` (`None`: today): on or after its
    /// `available-from`, if it has one.
    pub fn available_on(&self, day: Option<Date>) -> bool {
        match (self.available_from, day) {
            (Some(from), Some(day)) => day >= from,
            _ => true,
        }
    }
}

/// Self-hosting the open weights: no per-call price, only GPU time.
#[derive(Debug, Clone)]
pub struct SelfHost {
    pub name: String,
    pub models: Vec<String>,
    pub license: String,
    pub license_free_below_annual_revenue_usd: Decimal,
    pub license_above: String,
    pub note: Option<String>,
}

/// A host where each end user pays for their own generations.
#[derive(Debug, Clone)]
pub struct UserPays {
    pub name: String,
    pub developer_usd: Decimal,
    pub models: Vec<String>,
    pub note: Option<String>,
}

/// A service of the built-in card that an overlay's `remove = [...]` dropped: quoting it
/// says so, rather than that no such service exists.
#[derive(Debug, Clone)]
pub struct Removed {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// A loaded, validated rate card.
#[derive(Debug, Clone)]
pub struct RateCard {
    pub provenance: Provenance,
    pub sources: BTreeMap<String, String>,
    pub billing: Billing,
    pub self_host: Option<SelfHost>,
    pub user_pays: Option<UserPays>,
    /// The services, in the card's order; read through [`RateCard::services`], so that
    /// they cannot change beside the index built from them.
    pub(super) services: Vec<Service>,
    /// The first day the card's prices apply, when its effective date names one.
    pub effective_from: Option<Date>,
    /// The day the card is priced for (`--as-of`); `None` is today. Decides whether a
    /// service discontinued on a later day can still be priced.
    pub as_of: Option<Date>,
    /// Built-in services this card's `remove` dropped (an overlay only).
    pub removed: Vec<Removed>,
    /// Lower-cased id or alias → index into `services`.
    pub(super) index: HashMap<String, usize>,
}

impl RateCard {
    /// Every service on the card, in its order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// A card from validated parts (ids and aliases unique in any case): builds the
    /// name index that lookups use.
    pub(super) fn new(
        provenance: Provenance,
        sources: BTreeMap<String, String>,
        billing: Billing,
        self_host: Option<SelfHost>,
        user_pays: Option<UserPays>,
        services: Vec<Service>,
        effective_from: Option<Date>,
    ) -> RateCard {
        let mut index = HashMap::with_capacity(services.len() * 2);
        for (i, s) in services.iter().enumerate() {
            for name in std::iter::once(&s.id).chain(&s.aliases) {
                index.insert(name.to_ascii_lowercase(), i);
            }
        }
        RateCard {
            provenance,
            sources,
            billing,
            self_host,
            user_pays,
            services,
            effective_from,
            as_of: None,
            removed: Vec::new(),
            index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn both_step_forms_are_one_formula() {
        // SDXL: 0.9 up to 30 steps, 0.9 × steps / 30 above (50 steps: 1.5).
        let sdxl = StepPricing {
            included: 30,
            default: 30,
            min: 10,
            max: 50,
            per_step: None,
        };
        assert_eq!(sdxl.credits_at(d("0.9"), 10), Ok(d("0.9")));
        assert_eq!(sdxl.credits_at(d("0.9"), 30), Ok(d("0.9")));
        assert_eq!(sdxl.credits_at(d("0.9"), 31), Ok(d("0.93")));
        assert_eq!(sdxl.credits_at(d("0.9"), 50), Ok(d("1.5")));
        assert_eq!(sdxl.per_step_credits(d("0.9")), Some(d("0.03")));
        // Stable Audio 2.0: 17 + 0.06 × steps (50 steps: 20, 100 steps: 23).
        let audio = StepPricing {
            included: 0,
            default: 50,
            min: 30,
            max: 100,
            per_step: Some(d("0.06")),
        };
        assert_eq!(audio.credits_at(d("17"), 30), Ok(d("18.8")));
        assert_eq!(audio.credits_at(d("17"), 50), Ok(d("20")));
        assert_eq!(audio.credits_at(d("17"), 100), Ok(d("23")));
        // A price per step that is not a decimal: 1 credit for 3 steps.
        let thirds = StepPricing {
            included: 3,
            per_step: None,
            ..sdxl
        };
        assert_eq!(thirds.credits_at(Decimal::ONE, 6), Ok(d("2")));
        assert_eq!(
            thirds.credits_at(Decimal::ONE, 4),
            Err(StepPriceError::Inexact)
        );
        assert_eq!(thirds.per_step_credits(Decimal::ONE), None);
    }
}

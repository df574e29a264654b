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
    pub effective: String,
    pub currency: String,
    pub source: String,
    /// `built-in` or the path the card was read from.
    pub origin: String,
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

/// Step-scaled pricing (SDXL): `credits` covers up to `included` steps; above that the
/// price is `credits × steps / included`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepPricing {
    pub included: u32,
    pub default: u32,
    pub min: u32,
    pub max: u32,
}

/// A service that is no longer sold, from `date` on.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    pub date: Date,
    pub replacements: Vec<String>,
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
    pub source: String,
    pub note: Option<String>,
    pub steps: Option<StepPricing>,
    pub deprecated: Option<Deprecation>,
}

impl Service {
    /// Whether the service can be bought on `day` (`None`: today, after every
    /// discontinuation the card knows of): it has a price and was not yet discontinued.
    pub fn sold_on(&self, day: Option<Date>) -> bool {
        self.credits.is_some()
            && self
                .deprecated
                .as_ref()
                .is_none_or(|d| day.is_some_and(|day| day < d.date))
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
    pub services: Vec<Service>,
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

//! The card's file format: TOML tables as serde reads them, before any check.
//!
//! Every table denies unknown fields. Numbers are read as [`RawNumber`]s, whose digits
//! the validator reads back from the source text, so a price never passes through a float.

use super::model::Category;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// A number as written in the card: its digits are read back from the source text.
#[derive(Debug, Clone)]
pub(super) enum RawNumber {
    /// A TOML integer or float: the text under the span is the number.
    Literal,
    /// A string that should hold a decimal.
    Text(String),
    /// Anything else, by type name, for the error message.
    Other(&'static str),
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Literal)
            }
            fn visit_u64<E>(self, _: u64) -> Result<RawNumber, E> {
                Ok(RawNumber::Literal)
            }
            fn visit_i128<E>(self, _: i128) -> Result<RawNumber, E> {
                Ok(RawNumber::Literal)
            }
            fn visit_u128<E>(self, _: u128) -> Result<RawNumber, E> {
                Ok(RawNumber::Literal)
            }
            #[allow(
                clippy::float_arithmetic,
                reason = "the float is discarded; the digits are re-read from the source text"
            )]
            fn visit_f64<E>(self, _: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Literal)
            }
            fn visit_str<E>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber::Text(v.to_owned()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<RawNumber, E> {
                Ok(RawNumber::Other("boolean"))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawNumber, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(RawNumber::Other("array"))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawNumber, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RawNumber::Other("table"))
            }
        }
        d.deserialize_any(Visitor)
    }
}

pub(super) type Num = Spanned<RawNumber>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawCard {
    pub(super) card: RawProvenance,
    #[serde(default)]
    pub(super) sources: BTreeMap<String, String>,
    pub(super) billing: RawBilling,
    pub(super) self_host: Option<RawSelfHost>,
    pub(super) user_pays: Option<RawUserPays>,
    #[serde(default)]
    pub(super) services: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawProvenance {
    pub(super) name: String,
    pub(super) currency: Spanned<String>,
    pub(super) effective: String,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawBilling {
    pub(super) credit_usd: Num,
    pub(super) topup_credits: Num,
    pub(super) topup_usd: Num,
    pub(super) signup_bonus_credits: Num,
    pub(super) signup_bonus_terms: Option<String>,
    pub(super) volume_threshold_images_per_month: Option<u64>,
    pub(super) failed_generations_charged: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSelfHost {
    pub(super) name: String,
    pub(super) models: Vec<String>,
    pub(super) license: String,
    pub(super) license_free_below_annual_revenue_usd: Num,
    pub(super) license_above: String,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawUserPays {
    pub(super) name: String,
    pub(super) developer_usd: Num,
    pub(super) models: Vec<String>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawService {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    pub(super) category: Category,
    pub(super) credits: Option<Num>,
    #[serde(default)]
    pub(super) aliases: Vec<Spanned<String>>,
    pub(super) endpoint: Option<String>,
    pub(super) source: Spanned<String>,
    pub(super) note: Option<String>,
    pub(super) steps: Option<Spanned<RawSteps>>,
    pub(super) deprecated: Option<Spanned<RawDeprecation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSteps {
    pub(super) included: u32,
    pub(super) default: u32,
    pub(super) min: u32,
    pub(super) max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawDeprecation {
    pub(super) date: String,
    #[serde(default)]
    pub(super) replacements: Vec<String>,
}

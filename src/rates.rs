//! The rate card: what every Stability service costs, and the billing facts around it.
//!
//! This is the only module that reads TOML. Prices are read from the digits written in
//! the file (through `toml::Spanned`), never through a float, so `0.1` is exactly one
//! tenth. Loading validates everything SPEC section 2 lists and reports the file, line
//! and column of the problem.

use crate::error::{UserError, UserResult};
use crate::money;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fmt::Write as _;
use std::path::Path;
use std::str::FromStr;
use toml::Spanned;

/// The card compiled into the binary.
pub const BUILT_IN: &str = include_str!("../rates/stability.toml");

/// What a service does; `compare` prices every `Generate` service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
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
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 7] = [
        Category::Generate,
        Category::Edit,
        Category::Control,
        Category::Upscale,
        Category::Audio,
        Category::ThreeD,
        Category::Video,
    ];

    /// The names users type, in display order.
    pub const NAMES: [&'static str; 7] = [
        "generate", "edit", "control", "upscale", "audio", "3d", "video",
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

/// Where the card came from and which prices it holds.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub name: String,
    pub currency: String,
    pub effective: String,
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
}

/// Step-scaled pricing (SDXL): `credits` covers up to `included` steps; above that the
/// price is `credits × steps / included`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepPricing {
    pub included: u32,
    pub default: u32,
    pub min: u32,
    pub max: u32,
}

/// A service that is no longer sold.
#[derive(Debug, Clone)]
pub struct Deprecation {
    pub date: String,
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
    pub endpoint: Option<String>,
    pub source: String,
    pub note: Option<String>,
    pub steps: Option<StepPricing>,
    pub deprecated: Option<Deprecation>,
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

/// A loaded, validated rate card.
#[derive(Debug, Clone)]
pub struct RateCard {
    pub provenance: Provenance,
    pub sources: BTreeMap<String, String>,
    pub billing: Billing,
    pub self_host: Option<SelfHost>,
    pub user_pays: Option<UserPays>,
    pub services: Vec<Service>,
    /// Lower-cased id or alias → index into `services`.
    index: HashMap<String, usize>,
}

// ---------------------------------------------------------------- the file format

/// A number as written in the card: its digits are read back from the source text.
#[derive(Debug, Clone)]
enum RawNumber {
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

type Num = Spanned<RawNumber>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCard {
    card: RawProvenance,
    #[serde(default)]
    sources: BTreeMap<String, String>,
    billing: RawBilling,
    self_host: Option<RawSelfHost>,
    user_pays: Option<RawUserPays>,
    #[serde(default)]
    services: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProvenance {
    name: String,
    currency: Spanned<String>,
    effective: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBilling {
    credit_usd: Num,
    topup_credits: Num,
    topup_usd: Num,
    signup_bonus_credits: Num,
    signup_bonus_terms: Option<String>,
    volume_threshold_images_per_month: Option<u64>,
    failed_generations_charged: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSelfHost {
    name: String,
    models: Vec<String>,
    license: String,
    license_free_below_annual_revenue_usd: Num,
    license_above: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawUserPays {
    name: String,
    developer_usd: Num,
    models: Vec<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawService {
    id: Spanned<String>,
    name: String,
    category: Category,
    credits: Option<Num>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    endpoint: Option<String>,
    source: Spanned<String>,
    note: Option<String>,
    steps: Option<Spanned<RawSteps>>,
    deprecated: Option<Spanned<RawDeprecation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSteps {
    included: u32,
    default: u32,
    min: u32,
    max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDeprecation {
    date: String,
    #[serde(default)]
    replacements: Vec<String>,
}

/// Turns byte offsets into `line L, column C` for messages about one file.
struct Loader<'a> {
    src: &'a str,
    origin: &'a str,
}

impl Loader<'_> {
    fn error_at(&self, offset: usize, detail: impl fmt::Display) -> UserError {
        let before = self.src.get(..offset).unwrap_or(self.src);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        UserError::new(format!(
            "invalid rate card '{}', line {line}, column {column}: {detail}",
            self.origin
        ))
    }

    fn error(&self, detail: impl fmt::Display) -> UserError {
        UserError::new(format!("invalid rate card '{}': {detail}", self.origin))
    }

    /// Reads a number exactly as written: a TOML integer or float from its source text,
    /// or a string holding a decimal.
    fn number(&self, value: &Num, what: &str) -> UserResult<Decimal> {
        let span = value.span();
        let text = match value.get_ref() {
            RawNumber::Literal => self.src.get(span.clone()).unwrap_or_default().to_owned(),
            RawNumber::Text(s) => s.clone(),
            RawNumber::Other(kind) => {
                return Err(
                    self.error_at(span.start, format!("{what} must be a number, got a {kind}"))
                );
            }
        };
        money::parse_decimal(&text).map_err(|e| self.error_at(span.start, format!("{what}: {e}")))
    }

    fn positive(&self, value: &Num, what: &str) -> UserResult<Decimal> {
        let d = self.number(value, what)?;
        if d <= Decimal::ZERO {
            let why = if d.is_zero() { "zero" } else { "negative" };
            return Err(self.error_at(
                value.span().start,
                format!(
                    "{what} must be greater than zero, got {why} ({})",
                    money::credits_plain(d)
                ),
            ));
        }
        Ok(d)
    }

    fn non_negative(&self, value: &Num, what: &str) -> UserResult<Decimal> {
        let d = self.number(value, what)?;
        if d < Decimal::ZERO {
            return Err(self.error_at(
                value.span().start,
                format!(
                    "{what} must not be negative, got {}",
                    money::credits_plain(d)
                ),
            ));
        }
        Ok(d)
    }
}

/// A Rust string expression for `s` (`Debug` escapes it as a Rust literal).
fn lit(s: &str) -> String {
    format!("String::from({s:?})")
}

/// A Rust `Option<String>` expression.
fn opt(s: Option<&str>) -> String {
    s.map_or("None".to_owned(), |s| format!("Some({})", lit(s)))
}

/// A Rust `Vec<String>` expression.
fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("vec![{}]", items.join(", "))
}

/// A Rust expression for `d`, exactly: its 96-bit mantissa in three words and its scale.
fn dec(d: Decimal) -> String {
    let m = d.mantissa().unsigned_abs();
    let word = |shift: u32| (m >> shift) & u128::from(u32::MAX);
    format!(
        "Decimal::from_parts({}, {}, {}, {}, {})",
        word(0),
        word(32),
        word(64),
        d.is_sign_negative(),
        d.scale()
    )
}

#[cfg(built_in_codegen)]
#[allow(
    clippy::pedantic,
    reason = "generated by build.rs: long lines and literals"
)]
mod generated {
    use super::{
        Billing, Category, Deprecation, Provenance, RateCard, SelfHost, Service, StepPricing,
        UserPays,
    };
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;
    include!(concat!(env!("OUT_DIR"), "/built_in_card.rs"));
}

/// Ids and aliases are what users type in workflow expressions, so they keep to letters,
/// digits, `.`, `-` and `_`, and start with a letter.
fn valid_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl RateCard {
    /// The card compiled into the binary.
    ///
    /// `build.rs` validates `rates/stability.toml` with [`RateCard::parse`] and compiles
    /// it into Rust (see [`RateCard::to_rust`]), so the binary never parses TOML unless
    /// `--rates` asks it to: that parse was 44% of a `compare` run's instructions.
    pub fn built_in() -> UserResult<RateCard> {
        #[cfg(built_in_codegen)]
        return Ok(generated::card());
        #[cfg(not(built_in_codegen))]
        RateCard::parse(BUILT_IN, "built-in")
    }

    /// A card from already-validated parts: builds the name index.
    fn assemble(
        provenance: Provenance,
        sources: BTreeMap<String, String>,
        billing: Billing,
        self_host: Option<SelfHost>,
        user_pays: Option<UserPays>,
        services: Vec<Service>,
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
            index,
        }
    }

    /// Rust source for a function `card()` that builds this card without parsing: used
    /// by `build.rs` on the built-in card. Decimals are written as their exact parts.
    #[allow(
        clippy::format_push_string,
        reason = "generated code reads best as one string built in order"
    )]
    pub fn to_rust(&self) -> String {
        let p = &self.provenance;
        let b = &self.billing;
        let mut out = String::from("// @generated by build.rs from rates/stability.toml\n");
        out.push_str("pub(super) fn card() -> RateCard {\n    RateCard::assemble(\n");
        let _ = writeln!(
            out,
            "        Provenance {{ name: {}, currency: {}, effective: {}, source: {}, origin: {} }},",
            lit(&p.name),
            lit(&p.currency),
            lit(&p.effective),
            lit(&p.source),
            lit(&p.origin)
        );
        let sources: Vec<String> = self
            .sources
            .iter()
            .map(|(k, v)| format!("({}, {})", lit(k), lit(v)))
            .collect();
        let _ = writeln!(out, "        BTreeMap::from([{}]),", sources.join(", "));
        let _ = writeln!(
            out,
            "        Billing {{ credit_usd: {}, topup_credits: {}, topup_usd: {}, signup_bonus_credits: {}, \
             signup_bonus_terms: {}, volume_threshold_images_per_month: {:?}, failed_generations_charged: {} }},",
            dec(b.credit_usd),
            dec(b.topup_credits),
            dec(b.topup_usd),
            dec(b.signup_bonus_credits),
            opt(b.signup_bonus_terms.as_deref()),
            b.volume_threshold_images_per_month,
            b.failed_generations_charged
        );
        out.push_str(&match &self.self_host {
            Some(h) => format!(
                "        Some(SelfHost {{ name: {}, models: {}, license: {}, license_free_below_annual_revenue_usd: {}, \
                 license_above: {}, note: {} }}),\n",
                lit(&h.name), list(&h.models), lit(&h.license), dec(h.license_free_below_annual_revenue_usd),
                lit(&h.license_above), opt(h.note.as_deref())
            ),
            None => "        None,\n".to_owned(),
        });
        out.push_str(&match &self.user_pays {
            Some(u) => format!(
                "        Some(UserPays {{ name: {}, developer_usd: {}, models: {}, note: {} }}),\n",
                lit(&u.name),
                dec(u.developer_usd),
                list(&u.models),
                opt(u.note.as_deref())
            ),
            None => "        None,\n".to_owned(),
        });
        out.push_str("        vec![\n");
        for s in &self.services {
            let steps = s.steps.map_or("None".to_owned(), |st| {
                format!(
                    "Some(StepPricing {{ included: {}, default: {}, min: {}, max: {} }})",
                    st.included, st.default, st.min, st.max
                )
            });
            let deprecated = s.deprecated.as_ref().map_or("None".to_owned(), |d| {
                format!(
                    "Some(Deprecation {{ date: {}, replacements: {} }})",
                    lit(&d.date),
                    list(&d.replacements)
                )
            });
            let _ = writeln!(
                out,
                "            Service {{ id: {}, name: {}, category: Category::{:?}, credits: {}, aliases: {}, \
                 endpoint: {}, source: {}, note: {}, steps: {steps}, deprecated: {deprecated} }},",
                lit(&s.id),
                lit(&s.name),
                s.category,
                s.credits
                    .map_or("None".to_owned(), |c| format!("Some({})", dec(c))),
                list(&s.aliases),
                opt(s.endpoint.as_deref()),
                lit(&s.source),
                opt(s.note.as_deref())
            );
        }
        out.push_str("        ],\n    )\n}\n");
        out
    }

    /// Reads and validates the card at `path`.
    pub fn load(path: &Path) -> UserResult<RateCard> {
        let origin = path.display().to_string();
        if origin.is_empty() {
            return Err(UserError::new("the rate card path is empty")
                .hint("pass a TOML file to --rates, or unset STABCOST_RATES"));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            let detail = if path.is_dir() {
                "it is a directory, not a file".to_owned()
            } else {
                e.to_string()
            };
            UserError::new(format!("cannot read rate card '{origin}': {detail}"))
                .hint("check the path given to --rates or STABCOST_RATES; without either, the built-in card is used")
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            UserError::new(format!(
                "invalid rate card '{origin}': not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        RateCard::parse(&text, &origin)
    }

    /// Parses and validates a card from TOML text; `origin` names it in messages.
    pub fn parse(src: &str, origin: &str) -> UserResult<RateCard> {
        let ld = Loader { src, origin };
        let raw: RawCard = toml::from_str(src).map_err(|e| {
            let msg = e.to_string();
            ld.error(msg.trim_end())
        })?;

        let currency = raw.card.currency.get_ref();
        if currency != "USD" {
            return Err(ld.error_at(
                raw.card.currency.span().start,
                format!("currency '{currency}' is not supported; stabcost prices cards in USD"),
            ));
        }
        let provenance = Provenance {
            name: raw.card.name,
            currency: currency.clone(),
            effective: raw.card.effective,
            source: raw.card.source,
            origin: origin.to_owned(),
        };

        let b = &raw.billing;
        let billing = Billing {
            credit_usd: ld.positive(&b.credit_usd, "billing.credit-usd")?,
            topup_credits: ld.positive(&b.topup_credits, "billing.topup-credits")?,
            topup_usd: ld.positive(&b.topup_usd, "billing.topup-usd")?,
            signup_bonus_credits: ld
                .non_negative(&b.signup_bonus_credits, "billing.signup-bonus-credits")?,
            signup_bonus_terms: b.signup_bonus_terms.clone(),
            volume_threshold_images_per_month: b.volume_threshold_images_per_month,
            failed_generations_charged: b.failed_generations_charged,
        };

        let self_host = raw
            .self_host
            .map(|s| -> UserResult<SelfHost> {
                Ok(SelfHost {
                    license_free_below_annual_revenue_usd: ld.non_negative(
                        &s.license_free_below_annual_revenue_usd,
                        "self-host.license-free-below-annual-revenue-usd",
                    )?,
                    name: s.name,
                    models: s.models,
                    license: s.license,
                    license_above: s.license_above,
                    note: s.note,
                })
            })
            .transpose()?;
        let user_pays = raw
            .user_pays
            .map(|u| -> UserResult<UserPays> {
                Ok(UserPays {
                    developer_usd: ld.non_negative(&u.developer_usd, "user-pays.developer-usd")?,
                    name: u.name,
                    models: u.models,
                    note: u.note,
                })
            })
            .transpose()?;

        if raw.services.is_empty() {
            return Err(ld.error("the card has no services; add at least one [[services]] table"));
        }

        let mut services = Vec::with_capacity(raw.services.len());
        let mut index = HashMap::with_capacity(raw.services.len() * 2);
        for rs in raw.services {
            let service = validate_service(&ld, &raw.sources, rs, &mut index, &services)?;
            services.push(service);
        }

        // Replacements name live services: checked once every id is known.
        for s in &services {
            for r in s.deprecated.iter().flat_map(|d| &d.replacements) {
                let live = index
                    .get(&r.to_ascii_lowercase())
                    .and_then(|&i| services.get(i))
                    .is_some_and(|t: &Service| t.deprecated.is_none());
                if !live {
                    return Err(ld.error(format!(
                        "service '{}' names replacement '{r}', which is not a current service on the card",
                        s.id
                    )));
                }
            }
        }

        Ok(RateCard {
            provenance,
            sources: raw.sources,
            billing,
            self_host,
            user_pays,
            services,
            index,
        })
    }

    /// The service a name (id or alias, any case) refers to, deprecated ones included.
    pub fn find(&self, name: &str) -> Option<&Service> {
        self.index
            .get(&name.to_ascii_lowercase())
            .and_then(|&i| self.services.get(i))
    }

    /// The service a user asked for: unknown names get a close match as a hint, and a
    /// deprecated service is an error naming its end date and replacement.
    pub fn resolve(&self, name: &str) -> UserResult<&Service> {
        let Some(service) = self.find(name) else {
            return Err(self.unknown_service(name));
        };
        if let Some(dep) = &service.deprecated {
            let mut err = UserError::new(format!(
                "'{name}' ({}) was discontinued on {} and can no longer be priced",
                service.name, dep.date
            ));
            err = match dep.replacements.as_slice() {
                [] => err.hint("it has no replacement on the API"),
                reps => err.hint(format!(
                    "use {} instead",
                    reps.iter()
                        .map(|r| format!("'{r}'"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            };
            return Err(err);
        }
        Ok(service)
    }

    /// The error for a name that is on the card under no id or alias.
    fn unknown_service(&self, name: &str) -> UserError {
        let mut err = UserError::new(format!("unknown service '{name}'"));
        if let Some(best) = self.closest(name) {
            err = err.hint(format!("did you mean '{best}'?"));
        }
        err.hint("`stabcost rates` lists every service")
    }

    /// The id or alias closest to `name`, if any is close enough to be a likely typo.
    pub fn closest(&self, name: &str) -> Option<&str> {
        let lower = name.to_ascii_lowercase();
        self.services
            .iter()
            .filter(|s| s.deprecated.is_none())
            .flat_map(|s| std::iter::once(&s.id).chain(&s.aliases))
            .map(|candidate| {
                (
                    strsim::jaro_winkler(&lower, &candidate.to_ascii_lowercase()),
                    candidate,
                )
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c.as_str())
    }

    /// Services that `compare` prices: every current generation service.
    pub fn generation_services(&self) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(|s| s.category == Category::Generate && s.deprecated.is_none())
    }
}

fn validate_service(
    ld: &Loader<'_>,
    sources: &BTreeMap<String, String>,
    rs: RawService,
    index: &mut HashMap<String, usize>,
    earlier: &[Service],
) -> UserResult<Service> {
    let id = rs.id.get_ref().clone();
    let position = earlier.len();
    let mut claim = |name: &Spanned<String>, kind: &str| -> UserResult<()> {
        let text = name.get_ref();
        if !valid_name(text) {
            return Err(ld.error_at(
                name.span().start,
                format!("{kind} '{text}' must start with a letter and use only letters, digits, '.', '-' and '_'"),
            ));
        }
        let key = text.to_ascii_lowercase();
        if let Some(&owner) = index.get(&key) {
            // The earlier claim was an id unless the owner's id differs from this name.
            let owner_id = earlier.get(owner).map_or(id.as_str(), |s| s.id.as_str());
            let was_id = owner_id.eq_ignore_ascii_case(text);
            let detail = match (kind, was_id) {
                ("id", true) => format!("duplicate service id: '{text}' is already on the card"),
                (_, true) => format!("alias '{text}' collides with the id of service '{owner_id}'"),
                _ => format!("{kind} '{text}' collides with an alias of service '{owner_id}'"),
            };
            return Err(ld.error_at(name.span().start, detail));
        }
        index.insert(key, position);
        Ok(())
    };
    claim(&rs.id, "id")?;
    for alias in &rs.aliases {
        claim(alias, "alias")?;
    }

    if !sources.is_empty() && !sources.contains_key(rs.source.get_ref()) {
        return Err(ld.error_at(
            rs.source.span().start,
            format!(
                "service '{id}' cites source '{}', which [sources] does not define (it has: {})",
                rs.source.get_ref(),
                sources.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    let credits = match (&rs.credits, &rs.deprecated) {
        (Some(c), _) => Some(ld.positive(c, &format!("the price of '{id}'"))?),
        (None, Some(_)) => None,
        (None, None) => {
            return Err(ld.error_at(
                rs.id.span().start,
                format!("service '{id}' has no price: missing field `credits`"),
            ));
        }
    };

    let steps = rs
        .steps
        .map(|sp| {
            let s = sp.get_ref();
            let ok = s.included >= 1 && s.min >= 1 && s.min <= s.default && s.default <= s.max;
            if ok {
                Ok(StepPricing {
                    included: s.included,
                    default: s.default,
                    min: s.min,
                    max: s.max,
                })
            } else {
                Err(ld.error_at(
                    sp.span().start,
                    format!("steps of '{id}' need included ≥ 1 and 1 ≤ min ≤ default ≤ max"),
                ))
            }
        })
        .transpose()?;

    let deprecated = rs.deprecated.map(|d| {
        let d = d.into_inner();
        Deprecation {
            date: d.date,
            replacements: d.replacements,
        }
    });

    Ok(Service {
        id,
        name: rs.name,
        category: rs.category,
        credits,
        aliases: rs.aliases.into_iter().map(Spanned::into_inner).collect(),
        endpoint: rs.endpoint,
        source: rs.source.into_inner(),
        note: rs.note,
        steps,
        deprecated,
    })
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    #[test]
    fn the_compiled_card_is_the_parsed_card() {
        let compiled = RateCard::built_in().unwrap();
        let parsed = RateCard::parse(BUILT_IN, "built-in").unwrap();
        // Debug shows every field, decimals with their scale; the index (a HashMap, whose
        // Debug order varies) is compared as a map.
        let fields = |c: &RateCard| {
            format!(
                "{:?}",
                (
                    &c.provenance,
                    &c.sources,
                    &c.billing,
                    &c.self_host,
                    &c.user_pays,
                    &c.services
                )
            )
        };
        assert_eq!(fields(&compiled), fields(&parsed));
        assert_eq!(compiled.index, parsed.index);
    }

    #[test]
    fn built_in_card_loads() {
        let card = RateCard::built_in().unwrap();
        assert_eq!(card.services.len(), 28);
        assert_eq!(card.resolve("RMBG").unwrap().id, "remove-background");
        assert_eq!(card.closest("ultar"), Some("ultra"));
        assert_eq!(env!("STABCOST_CARD_EFFECTIVE"), card.provenance.effective);
    }
}

//! From TOML text to a validated [`RateCard`]: every check of SPEC section 2, each
//! reported with the file, line and column where the parser knows them.

use super::format::{Num, RawCard, RawNumber, RawService};
use super::model::{
    Billing, Deprecation, Provenance, RateCard, SelfHost, Service, StepPricing, UserPays,
};
use crate::error::{UserError, UserResult, printable};
use crate::money;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use toml::Spanned;

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
                    money::decimal_plain(d)
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
                    money::decimal_plain(d)
                ),
            ));
        }
        Ok(d)
    }
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
            ld.error(printable(msg.trim_end()))
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
            effective: raw.card.effective,
            currency: currency.clone(),
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

        Ok(RateCard::new(
            provenance,
            raw.sources,
            billing,
            self_host,
            user_pays,
            services,
        ))
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

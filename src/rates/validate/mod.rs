//! From a [`Draft`] to a checked [`RateCard`]: defaults filled in and every check of
//! `docs/formats.md` ("Rate cards") made, each problem a diagnostic at the position it
//! was written. All checks run even after one fails, so a card's problems are reported
//! in one run. One function per section; `services` checks the `[[services]]`.
//!
//! Defaults: a service needs only `id` and `credits` (`name` is the id, `category` is
//! `other`, `source` the card's own); `[billing]` and a partial `[self-host]` or
//! `[user-pays]` take the built-in card's values; `[card]` needs only `name`.

mod services;

use super::format::{BillingDraft, CardDraft, Draft, SelfHostDraft, UserPaysDraft};
use super::model::{Billing, Origin, Provenance, RateCard, SelfHost, UserPays};
use crate::date::Date;
use crate::diagnostics::{At, Diagnostics, File};
use crate::document::W;
use crate::money;
use rust_decimal::Decimal;
use services::{Cited, checked_path};
use std::collections::BTreeMap;

/// What a card that is not the built-in one falls back on: the built-in card's values.
pub(super) type Defaults<'a> = Option<&'a RateCard>;

/// The card's effective date and the first day it names: `2025-08-01`, or a month
/// (`2026-06`, from its first day).
fn effective_date(w: &W<String>, diags: &mut Diagnostics) -> Option<Date> {
    if let Ok(d) = Date::parse(&w.v) {
        return Some(d);
    }
    let month =
        w.v.get(..7)
            .filter(|_| w.v.len() == 7)
            .and_then(|m| Date::parse(&format!("{m}-01")).ok());
    if month.is_none() {
        diags.push(
            w.at,
            format!(
                "effective date '{}' is not a date; write it as YYYY-MM-DD (or YYYY-MM for a month)",
                w.v
            ),
        );
    }
    month
}

/// `value` if it is greater than zero; a diagnostic otherwise.
fn positive(w: &W<Decimal>, what: &str, diags: &mut Diagnostics) -> Decimal {
    if w.v <= Decimal::ZERO {
        let why = if w.v.is_zero() { "zero" } else { "negative" };
        diags.push(
            w.at,
            format!(
                "{what} must be greater than zero, got {why} ({})",
                money::decimal_plain(w.v)
            ),
        );
    }
    w.v
}

/// `value` if it is zero or more; a diagnostic otherwise.
fn non_negative(w: &W<Decimal>, what: &str, diags: &mut Diagnostics) -> Decimal {
    if w.v < Decimal::ZERO {
        diags.push(
            w.at,
            format!(
                "{what} must not be negative, got {}",
                money::decimal_plain(w.v)
            ),
        );
    }
    w.v
}

/// A table being checked: where it is, what it is called, and the keys it wrote.
#[derive(Clone, Copy)]
struct Table<'a> {
    at: At,
    name: &'a str,
    written: &'a [&'static str],
}

impl Table<'_> {
    /// A field's value: as read, else the default, else a diagnostic that it is missing
    /// (unless it was written but unreadable, which has its own).
    fn field<T>(
        &self,
        key: &str,
        read: Option<W<T>>,
        default: Option<T>,
        diags: &mut Diagnostics,
    ) -> Option<W<T>> {
        if read.is_some() {
            return read;
        }
        if let Some(v) = default {
            return Some(W { v, at: self.at });
        }
        if !self.written.contains(&key) {
            diags.push(self.at, format!("missing field `{key}` in {}", self.name));
        }
        None
    }
}

/// Checks `draft` and builds the card; `None` when anything was wrong (the problems are
/// in `diags`). One function per section, in file order.
pub(super) fn validate(
    draft: Draft,
    origin: &Origin,
    defaults: Defaults<'_>,
    diags: &mut Diagnostics,
) -> Option<RateCard> {
    let Draft {
        card,
        sources,
        billing,
        self_host,
        user_pays,
        services,
    } = draft;
    let card_at = card.at;
    let card = card_section(card, diags);
    // [sources]: which files define them (an overlay may cite free text while the
    // built-in card cites keys), then the map.
    let source_files: Vec<File> = sources.iter().map(|(k, _)| k.at.file).collect();
    let sources: BTreeMap<String, String> = sources.into_iter().map(|(k, v)| (k.v, v.v)).collect();
    let billing = billing_section(billing, card_at, defaults.map(|d| &d.billing), diags);
    let self_host = self_host
        .map(|sh| self_host_section(sh, defaults.and_then(|c| c.self_host.as_ref()), diags));
    let user_pays = user_pays
        .map(|up| user_pays_section(up, defaults.and_then(|c| c.user_pays.as_ref()), diags));
    let cited = Cited {
        card: &card.source,
        keys: &sources,
        files: &source_files,
        credit_usd: billing.credit_usd,
    };
    let services = services::section(services, &cited, card_at, diags);

    if !diags.is_empty() {
        return None;
    }
    let provenance = Provenance {
        name: card.name,
        effective: card.effective,
        currency: "USD".to_owned(),
        source: card.source,
        origin: origin.clone(),
        effective_by_day: None,
    };
    let mut rate_card = RateCard::new(
        provenance,
        sources,
        billing,
        self_host,
        user_pays,
        services,
        card.effective_from,
    );
    rate_card.removed = card.removed;
    Some(rate_card)
}

/// What `[card]` says, checked.
struct CardFacts {
    name: String,
    effective: String,
    effective_from: Option<Date>,
    source: String,
    removed: Vec<super::model::Removed>,
}

/// `[card]`: its name (required), currency (USD), effective date, source, and what an
/// overlay extends and removes.
fn card_section(card: CardDraft, diags: &mut Diagnostics) -> CardFacts {
    let name = match card.name {
        Some(w) => w.v,
        None if card.written.contains(&"name") => String::new(),
        None if card.present => {
            diags.push(card.at, "[card] has no `name`; every card needs one");
            String::new()
        }
        None => {
            diags.push(
                card.at,
                "the card has no [card] table; start it with [card] and name = \"…\"",
            );
            String::new()
        }
    };
    if let Some(c) = &card.currency {
        if c.v != "USD" {
            diags.push(
                c.at,
                format!(
                    "currency '{}' is not supported; stabcost prices cards in USD",
                    c.v
                ),
            );
        }
    }
    let effective_from = card
        .effective
        .as_ref()
        .and_then(|w| effective_date(w, diags));
    let effective = card.effective.map_or_else(|| "undated".to_owned(), |w| w.v);
    let source = card.source.map_or_else(|| "not stated".to_owned(), |w| w.v);
    if let Some(w) = &card.extends {
        diags.push(
            w.at,
            format!("extends = \"{}\": only \"built-in\" can be extended", w.v),
        );
    }
    if let (Some(first), None) = (card.remove.first(), &card.extends) {
        diags.push(
            first.at,
            "`remove` drops services from the card this one extends; add extends = \"built-in\"",
        );
    }

    CardFacts {
        name,
        effective,
        effective_from,
        source,
        removed: card.removed,
    }
}

/// `[billing]`: each field as written, else the built-in card's (`base`).
fn billing_section(
    b: BillingDraft,
    card_at: At,
    base: Option<&Billing>,
    diags: &mut Diagnostics,
) -> Billing {
    let t = Table {
        at: card_at,
        name: "[billing]",
        written: &b.written,
    };
    let credit_usd = t
        .field(
            "credit-usd",
            b.credit_usd,
            base.map(|d| d.credit_usd),
            diags,
        )
        .map(|w| positive(&w, "billing.credit-usd", diags));
    let topup_credits = t
        .field(
            "topup-credits",
            b.topup_credits,
            base.map(|d| d.topup_credits),
            diags,
        )
        .map(|w| positive(&w, "billing.topup-credits", diags));
    let topup_usd = t
        .field("topup-usd", b.topup_usd, base.map(|d| d.topup_usd), diags)
        .map(|w| positive(&w, "billing.topup-usd", diags));
    let signup_bonus_credits = t
        .field(
            "signup-bonus-credits",
            b.signup_bonus_credits,
            base.map(|d| d.signup_bonus_credits),
            diags,
        )
        .map(|w| non_negative(&w, "billing.signup-bonus-credits", diags));
    let failed_generations_charged = t.field(
        "failed-generations-charged",
        b.failed_generations_charged,
        base.map(|d| d.failed_generations_charged),
        diags,
    );
    let not_billable_endpoints = match b.not_billable_endpoints {
        Some(paths) => paths
            .into_iter()
            .filter_map(|w| checked_path(w, diags))
            .collect(),
        None => base.map_or_else(Vec::new, |d| d.not_billable_endpoints.clone()),
    };
    Billing {
        credit_usd: credit_usd.unwrap_or(Decimal::ONE),
        topup_credits: topup_credits.unwrap_or(Decimal::ONE),
        topup_usd: topup_usd.unwrap_or(Decimal::ONE),
        signup_bonus_credits: signup_bonus_credits.unwrap_or(Decimal::ZERO),
        signup_bonus_terms: b
            .signup_bonus_terms
            .map(|w| w.v)
            .or_else(|| base.and_then(|d| d.signup_bonus_terms.clone())),
        volume_threshold_images_per_month: b
            .volume_threshold_images_per_month
            .map(|w| w.v)
            .or_else(|| base.and_then(|d| d.volume_threshold_images_per_month)),
        failed_generations_charged: failed_generations_charged.is_some_and(|w| w.v),
        not_billable_endpoints,
    }
}

/// `[self-host]`: each field as written, else the built-in card's (`d`).
fn self_host_section(sh: SelfHostDraft, d: Option<&SelfHost>, diags: &mut Diagnostics) -> SelfHost {
    let t = Table {
        at: sh.at,
        name: "[self-host]",
        written: &sh.written,
    };
    let mut text = |key: &str, read: Option<W<String>>, def: Option<&String>| {
        t.field(key, read, def.cloned(), diags)
            .map_or_else(String::new, |w| w.v)
    };
    let name = text("name", sh.name, d.map(|d| &d.name));
    let license = text("license", sh.license, d.map(|d| &d.license));
    let license_above = text(
        "license-above",
        sh.license_above,
        d.map(|d| &d.license_above),
    );
    SelfHost {
        name,
        models: t
            .field("models", sh.models, d.map(|d| d.models.clone()), diags)
            .map_or_else(Vec::new, |w| w.v),
        license,
        license_free_below_annual_revenue_usd: t
            .field(
                "license-free-below-annual-revenue-usd",
                sh.license_free_below_annual_revenue_usd,
                d.map(|d| d.license_free_below_annual_revenue_usd),
                diags,
            )
            .map_or(Decimal::ZERO, |w| {
                non_negative(&w, "self-host.license-free-below-annual-revenue-usd", diags)
            }),
        license_above,
        note: sh
            .note
            .map(|w| w.v)
            .or_else(|| d.and_then(|d| d.note.clone())),
    }
}

/// `[user-pays]`: each field as written, else the built-in card's (`d`).
fn user_pays_section(up: UserPaysDraft, d: Option<&UserPays>, diags: &mut Diagnostics) -> UserPays {
    let t = Table {
        at: up.at,
        name: "[user-pays]",
        written: &up.written,
    };
    UserPays {
        name: t
            .field("name", up.name, d.map(|d| d.name.clone()), diags)
            .map_or_else(String::new, |w| w.v),
        developer_usd: t
            .field(
                "developer-usd",
                up.developer_usd,
                d.map(|d| d.developer_usd),
                diags,
            )
            .map_or(Decimal::ZERO, |w| {
                non_negative(&w, "user-pays.developer-usd", diags)
            }),
        models: t
            .field("models", up.models, d.map(|d| d.models.clone()), diags)
            .map_or_else(Vec::new, |w| w.v),
        note: up
            .note
            .map(|w| w.v)
            .or_else(|| d.and_then(|d| d.note.clone())),
    }
}

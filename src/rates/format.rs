//! The card's file format: a TOML document read key by key into a [`Draft`] that keeps
//! every value with where it was written.
//!
//! Reading never stops at the first problem: an unknown key, a value of the wrong type
//! or a number that is not one each becomes a diagnostic, and the rest of the card is
//! still read, so one run reports everything. Text that is not TOML at all reports its
//! first syntax error alone (what follows it cannot be read reliably). Numbers are read from the
//! digits written (a TOML integer or float's own text, or a string), never through a
//! float, so `0.1` is exactly one tenth. Whether a field is required is not decided
//! here: an overlay leaves out what it inherits, so `validate` decides.

use super::model::Category;
use crate::diagnostics::{At, Diagnostics, File};
use crate::document::{self, Reader, W, type_name};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

/// A card as written: every field optional, every value with its position.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) card: CardDraft,
    pub(super) sources: Vec<(W<String>, W<String>)>,
    pub(super) billing: BillingDraft,
    pub(super) self_host: Option<SelfHostDraft>,
    pub(super) user_pays: Option<UserPaysDraft>,
    pub(super) services: Vec<ServiceDraft>,
}

/// `[card]`.
#[derive(Debug, Clone)]
pub(super) struct CardDraft {
    /// The table (or the start of the file when there is none).
    pub(super) at: At,
    pub(super) present: bool,
    pub(super) name: Option<W<String>>,
    pub(super) currency: Option<W<String>>,
    pub(super) effective: Option<W<String>>,
    pub(super) source: Option<W<String>>,
    pub(super) extends: Option<W<String>>,
    pub(super) remove: Vec<W<String>>,
    /// The built-in services an overlay's `remove` dropped (set by the overlay merge).
    pub(super) removed: Vec<super::model::Removed>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
}

/// `[billing]`.
#[derive(Debug, Clone, Default)]
pub(super) struct BillingDraft {
    pub(super) credit_usd: Option<W<Decimal>>,
    pub(super) topup_credits: Option<W<Decimal>>,
    pub(super) topup_usd: Option<W<Decimal>>,
    pub(super) signup_bonus_credits: Option<W<Decimal>>,
    pub(super) signup_bonus_terms: Option<W<String>>,
    pub(super) volume_threshold_images_per_month: Option<W<u64>>,
    pub(super) failed_generations_charged: Option<W<bool>>,
    pub(super) not_billable_endpoints: Option<Vec<W<String>>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
    /// Whether every field of the table is written (then no default is needed).
    pub(super) complete: bool,
}

/// `[self-host]`.
#[derive(Debug, Clone)]
pub(super) struct SelfHostDraft {
    pub(super) at: At,
    pub(super) name: Option<W<String>>,
    pub(super) models: Option<W<Vec<String>>>,
    pub(super) license: Option<W<String>>,
    pub(super) license_free_below_annual_revenue_usd: Option<W<Decimal>>,
    pub(super) license_above: Option<W<String>>,
    pub(super) note: Option<W<String>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
    /// Whether every field of the table is written (then no default is needed).
    pub(super) complete: bool,
}

/// `[user-pays]`.
#[derive(Debug, Clone)]
pub(super) struct UserPaysDraft {
    pub(super) at: At,
    pub(super) name: Option<W<String>>,
    pub(super) developer_usd: Option<W<Decimal>>,
    pub(super) models: Option<W<Vec<String>>>,
    pub(super) note: Option<W<String>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
    /// Whether every field of the table is written (then no default is needed).
    pub(super) complete: bool,
}

/// One `[[services]]` table.
#[derive(Debug, Clone)]
pub(super) struct ServiceDraft {
    pub(super) at: At,
    pub(super) id: Option<W<String>>,
    pub(super) name: Option<W<String>>,
    pub(super) category: Option<W<Category>>,
    pub(super) credits: Option<W<Decimal>>,
    pub(super) aliases: Option<Vec<W<String>>>,
    pub(super) endpoint: Option<Vec<W<String>>>,
    pub(super) per_sample: Option<W<bool>>,
    pub(super) default_model: Option<W<bool>>,
    pub(super) source: Option<W<String>>,
    pub(super) note: Option<W<String>>,
    pub(super) steps: Option<W<StepsDraft>>,
    pub(super) deprecated: Option<W<DeprecationDraft>>,
    pub(super) available_from: Option<W<String>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
    /// The source to cite when `source` is not written, if not the card's own: an
    /// overlay's prices are the overlay's, not the built-in card's source.
    pub(super) default_source: Option<String>,
}

/// A service's `steps = { included, per-step, default, min, max }`.
#[derive(Debug, Clone)]
pub(super) struct StepsDraft {
    pub(super) included: Option<W<u32>>,
    pub(super) per_step: Option<W<Decimal>>,
    pub(super) default: Option<W<u32>>,
    pub(super) min: Option<W<u32>>,
    pub(super) max: Option<W<u32>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
}

/// A service's `deprecated = { date, replacements, rerouted-to }`.
#[derive(Debug, Clone)]
pub(super) struct DeprecationDraft {
    pub(super) date: Option<W<String>>,
    pub(super) replacements: Vec<W<String>>,
    pub(super) rerouted_to: Option<W<String>>,
}

impl Draft {
    /// Whether validating this card takes any value from the built-in card: a
    /// `[billing]` field it leaves out, or a field of a `[self-host]` or `[user-pays]`
    /// it writes only in part. A card that writes everything (a copy of the built-in
    /// card, edited) needs none, and the built-in card is then not read at all.
    pub(super) fn needs_defaults(&self) -> bool {
        !self.billing.complete
            || self.self_host.as_ref().is_some_and(|t| !t.complete)
            || self.user_pays.as_ref().is_some_and(|t| !t.complete)
    }
}

/// Reads `text` (whose positions are in `file`) into a draft, recording every problem.
pub(super) fn read(text: &str, file: File, diags: &mut Diagnostics) -> Draft {
    let doc = document::parse(text, file, diags);
    let top = Reader::new(doc.get_ref(), file, "the card");
    let start = At::new(file, 0..0);

    let card = match top.table("card", diags) {
        Some((t, at)) => {
            let r = top.child(t, "[card]");
            let card = CardDraft {
                at,
                present: true,
                name: r.string("name", diags),
                currency: r.string("currency", diags),
                effective: r.date_text("effective", diags),
                source: r.string("source", diags),
                extends: r.string("extends", diags),
                remove: r.strings("remove", diags).unwrap_or_default(),
                removed: Vec::new(),
                written: r.written(),
            };
            r.finish(diags);
            card
        }
        None => CardDraft {
            at: start,
            present: false,
            name: None,
            currency: None,
            effective: None,
            source: None,
            extends: None,
            remove: Vec::new(),
            removed: Vec::new(),
            written: Vec::new(),
        },
    };

    let sources = read_sources(&top, diags);
    let billing = read_billing(&top, diags);
    let self_host = read_self_host(&top, diags);
    let user_pays = read_user_pays(&top, diags);
    let services = top
        .tables("services", diags)
        .into_iter()
        .map(|(t, at)| read_service(&top, t, at, diags))
        .collect();
    top.finish(diags);

    Draft {
        card,
        sources,
        billing,
        self_host,
        user_pays,
        services,
    }
}

/// `[sources]`: key → what the source is.
fn read_sources(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Vec<(W<String>, W<String>)> {
    let file = top.file;
    let mut sources = Vec::new();
    if let Some((t, _)) = top.table("sources", diags) {
        for (key, value) in t {
            let key_at = At::new(file, key.span());
            match value.get_ref() {
                DeValue::String(s) => sources.push((
                    W {
                        v: key.get_ref().to_string(),
                        at: key_at,
                    },
                    W {
                        v: s.to_string(),
                        at: At::new(file, value.span()),
                    },
                )),
                other => diags.push(
                    At::new(file, value.span()),
                    format!(
                        "[sources] {} must be a string describing the source, got {}",
                        key.get_ref(),
                        type_name(other)
                    ),
                ),
            }
        }
    }

    sources
}

/// `[billing]`.
fn read_billing(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> BillingDraft {
    match top.table("billing", diags) {
        Some((t, _)) => {
            let r = top.child(t, "[billing]");
            let billing = BillingDraft {
                credit_usd: r.number("credit-usd", diags),
                topup_credits: r.number("topup-credits", diags),
                topup_usd: r.number("topup-usd", diags),
                signup_bonus_credits: r.number("signup-bonus-credits", diags),
                signup_bonus_terms: r.string("signup-bonus-terms", diags),
                volume_threshold_images_per_month: r
                    .whole("volume-threshold-images-per-month", diags),
                failed_generations_charged: r.boolean("failed-generations-charged", diags),
                not_billable_endpoints: r.strings("not-billable-endpoints", diags),
                written: r.written(),
                complete: r.complete(),
            };
            r.finish(diags);
            billing
        }
        None => BillingDraft::default(),
    }
}

/// `[self-host]`.
fn read_self_host(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Option<SelfHostDraft> {
    top.table("self-host", diags).map(|(t, at)| {
        let r = top.child(t, "[self-host]");
        let self_host = SelfHostDraft {
            at,
            name: r.string("name", diags),
            models: r.string_list("models", diags),
            license: r.string("license", diags),
            license_free_below_annual_revenue_usd: r
                .number("license-free-below-annual-revenue-usd", diags),
            license_above: r.string("license-above", diags),
            note: r.string("note", diags),
            written: r.written(),
            complete: r.complete(),
        };
        r.finish(diags);
        self_host
    })
}

/// `[user-pays]`.
fn read_user_pays(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Option<UserPaysDraft> {
    top.table("user-pays", diags).map(|(t, at)| {
        let r = top.child(t, "[user-pays]");
        let user_pays = UserPaysDraft {
            at,
            name: r.string("name", diags),
            developer_usd: r.number("developer-usd", diags),
            models: r.string_list("models", diags),
            note: r.string("note", diags),
            written: r.written(),
            complete: r.complete(),
        };
        r.finish(diags);
        user_pays
    })
}

fn read_service(
    top: &Reader<'_, '_>,
    t: &DeTable<'_>,
    at: At,
    diags: &mut Diagnostics,
) -> ServiceDraft {
    // Messages name the service by its id once it is known.
    let r = top.child(t, "a [[services]] table");
    let id = r.string("id", diags);
    let what = id.as_ref().map_or_else(
        || "a [[services]] table".to_owned(),
        |id| format!("service '{}'", id.v),
    );
    let r = r.named(what.clone());
    // Fields in the order docs/formats.md lists them (an unknown key's message lists
    // them so).
    let name = r.string("name", diags);
    let category = category(&r, "category", diags);
    let credits = r.number("credits", diags);
    let aliases = r.strings("aliases", diags);
    let endpoint = r.string_or_strings("endpoint", diags);
    let per_sample = r.boolean("per-sample", diags);
    let default_model = r.boolean("default-model", diags);
    let source = r.string("source", diags);
    let note = r.string("note", diags);
    let steps = r.table("steps", diags).map(|(st, at)| {
        let s = r.child(st, &format!("the steps of {what}"));
        let steps = StepsDraft {
            included: s.small("included", diags),
            per_step: s.number("per-step", diags),
            default: s.small("default", diags),
            min: s.small("min", diags),
            max: s.small("max", diags),
            written: s.written(),
        };
        s.finish(diags);
        W { v: steps, at }
    });
    let available_from = r.date_text("available-from", diags);
    let deprecated = r.table("deprecated", diags).map(|(dt, at)| {
        let d = r.child(dt, &format!("the deprecation of {what}"));
        let deprecation = DeprecationDraft {
            date: d.date_text("date", diags),
            replacements: d.strings("replacements", diags).unwrap_or_default(),
            rerouted_to: d.string("rerouted-to", diags),
        };
        d.finish(diags);
        W { v: deprecation, at }
    });
    let service = ServiceDraft {
        at,
        id,
        name,
        category,
        credits,
        aliases,
        endpoint,
        per_sample,
        default_model,
        source,
        note,
        steps,
        deprecated,
        available_from,
        written: r.written(),
        default_source: None,
    };
    r.finish(diags);
    service
}

/// A service category, by the name the card uses.
fn category(r: &Reader<'_, '_>, key: &'static str, diags: &mut Diagnostics) -> Option<W<Category>> {
    let w = r.string(key, diags)?;
    if let Ok(c) = w.v.parse::<Category>() {
        return Some(W { v: c, at: w.at });
    }
    diags.push(
        w.at,
        format!(
            "unknown category '{}' in {}; categories are {}",
            w.v,
            r.what,
            Category::NAMES.join(", ")
        ),
    );
    None
}

//! `extends = "built-in"`: a card that lists only what differs from the built-in one.
//!
//! The overlay's draft is laid over the built-in card's, field by field: a service with
//! an existing id (any case) replaces the fields it gives, a new id adds a service,
//! `remove = [...]` in `[card]` drops services, and every `[card]`, `[billing]` and
//! alternatives field the overlay does not set is inherited. The merged draft is then
//! validated like any card, so positions still point into the file that wrote a value.

use super::format::{Draft, SelfHostDraft, ServiceDraft, UserPaysDraft};
use super::model::Removed;
use crate::diagnostics::Diagnostics;
use crate::document::W;

/// `overlay` laid over `base`; `overlay_file` names the overlay in the merged card's
/// name when it does not give one.
pub(super) fn merge(
    base: Draft,
    overlay: Draft,
    overlay_file: &str,
    diags: &mut Diagnostics,
) -> Draft {
    let Draft {
        card: oc,
        sources: os,
        billing: ob,
        self_host: osh,
        user_pays: oup,
        services: osv,
    } = overlay;
    let mut card = base.card;
    card.name = oc.name.or_else(|| {
        card.name.take().map(|w| W {
            v: format!("{} + {overlay_file}", w.v),
            at: w.at,
        })
    });
    card.currency = oc.currency.or(card.currency);
    card.effective = oc.effective.or(card.effective);
    // Prices the overlay sets are the overlay's: they cite its own source, or its file.
    let own_source = oc
        .source
        .as_ref()
        .map_or_else(|| overlay_file.to_owned(), |w| w.v.clone());
    card.source = oc.source.or(card.source);
    card.at = oc.at;
    card.present = true;
    card.extends = None;
    card.remove = Vec::new();
    card.written = union(&oc.written, &card.written);

    let mut sources = base.sources;
    for (k, v) in os {
        sources.retain(|(bk, _)| bk.v != k.v);
        sources.push((k, v));
    }

    let b = base.billing;
    let billing = super::format::BillingDraft {
        credit_usd: ob.credit_usd.or(b.credit_usd),
        topup_credits: ob.topup_credits.or(b.topup_credits),
        topup_usd: ob.topup_usd.or(b.topup_usd),
        signup_bonus_credits: ob.signup_bonus_credits.or(b.signup_bonus_credits),
        signup_bonus_terms: ob.signup_bonus_terms.or(b.signup_bonus_terms),
        volume_threshold_images_per_month: ob
            .volume_threshold_images_per_month
            .or(b.volume_threshold_images_per_month),
        failed_generations_charged: ob
            .failed_generations_charged
            .or(b.failed_generations_charged),
        not_billable_endpoints: ob.not_billable_endpoints.or(b.not_billable_endpoints),
        written: union(&ob.written, &b.written),
        complete: ob.complete || b.complete,
    };

    let self_host = match (osh, base.self_host) {
        (Some(o), Some(b)) => Some(SelfHostDraft {
            at: o.at,
            name: o.name.or(b.name),
            models: o.models.or(b.models),
            license: o.license.or(b.license),
            license_free_below_annual_revenue_usd: o
                .license_free_below_annual_revenue_usd
                .or(b.license_free_below_annual_revenue_usd),
            license_above: o.license_above.or(b.license_above),
            note: o.note.or(b.note),
            written: union(&o.written, &b.written),
            complete: o.complete || b.complete,
        }),
        (o, b) => o.or(b),
    };
    let user_pays = match (oup, base.user_pays) {
        (Some(o), Some(b)) => Some(UserPaysDraft {
            at: o.at,
            name: o.name.or(b.name),
            developer_usd: o.developer_usd.or(b.developer_usd),
            models: o.models.or(b.models),
            note: o.note.or(b.note),
            written: union(&o.written, &b.written),
            complete: o.complete || b.complete,
        }),
        (o, b) => o.or(b),
    };

    let (services, removed) = merge_services(base.services, osv, &oc.remove, &own_source, diags);
    card.removed = removed;

    Draft {
        card,
        sources,
        billing,
        self_host,
        user_pays,
        services,
    }
}

/// The built-in services less those `remove` names, with the overlay's services laid
/// over the ones they name and the rest added; and the services removed.
fn merge_services(
    base: Vec<ServiceDraft>,
    overlay: Vec<ServiceDraft>,
    remove: &[W<String>],
    own_source: &str,
    diags: &mut Diagnostics,
) -> (Vec<ServiceDraft>, Vec<Removed>) {
    let same =
        |a: &ServiceDraft, id: &str| a.id.as_ref().is_some_and(|w| w.v.eq_ignore_ascii_case(id));
    let mut services = base;
    let mut removed: Vec<String> = Vec::new();
    let mut dropped: Vec<Removed> = Vec::new();
    for r in remove {
        let key = r.v.to_ascii_lowercase();
        if removed.contains(&key) {
            diags.push(r.at, format!("remove names '{}' twice", r.v));
            continue;
        }
        let before = services.len();
        services.retain(|s| {
            if !same(s, &r.v) {
                return true;
            }
            let id = s.id.as_ref().map_or_else(String::new, |w| w.v.clone());
            dropped.push(Removed {
                name: s.name.as_ref().map_or_else(|| id.clone(), |w| w.v.clone()),
                aliases: s.aliases.iter().flatten().map(|w| w.v.clone()).collect(),
                id,
            });
            false
        });
        if services.len() == before {
            let known: Vec<&str> = services
                .iter()
                .filter_map(|s| s.id.as_ref().map(|w| w.v.as_str()))
                .collect();
            let close = crate::text::closest(&key, known.iter().copied())
                .map(|k| format!("; did you mean '{k}'?"))
                .unwrap_or_default();
            diags.push(
                r.at,
                format!(
                    "remove names '{}', which the built-in card does not have{close}",
                    r.v
                ),
            );
        } else {
            removed.push(key);
        }
    }
    // A discontinued service no longer points at a replacement that was removed, nor
    // re-routes its calls to one.
    for s in &mut services {
        if let Some(dep) = &mut s.deprecated {
            dep.v
                .replacements
                .retain(|r| !removed.contains(&r.v.to_ascii_lowercase()));
            if dep
                .v
                .rerouted_to
                .as_ref()
                .is_some_and(|r| removed.contains(&r.v.to_ascii_lowercase()))
            {
                dep.v.rerouted_to = None;
            }
        }
    }
    for mut o in overlay {
        if o.source.is_none() && (o.credits.is_some() || o.deprecated.is_some()) {
            o.default_source = Some(own_source.to_owned());
        }
        let Some(id) = o.id.as_ref().map(|w| w.v.clone()) else {
            services.push(o);
            continue;
        };
        if removed.contains(&id.to_ascii_lowercase()) {
            diags.push(
                o.at,
                format!("service '{id}' is both removed and listed; keep one of the two"),
            );
            continue;
        }
        match services.iter().position(|s| same(s, &id)) {
            Some(i) => {
                let b = services.remove(i);
                services.insert(i, merge_service(b, o));
            }
            None => services.push(o),
        }
    }

    (services, dropped)
}

/// A built-in service with the fields the overlay gives replaced. The id keeps the
/// built-in spelling, so `ULTRA` in an overlay still prices `ultra`.
fn merge_service(b: ServiceDraft, o: ServiceDraft) -> ServiceDraft {
    ServiceDraft {
        at: o.at,
        id: b.id,
        name: o.name.or(b.name),
        category: o.category.or(b.category),
        credits: o.credits.or(b.credits),
        aliases: o.aliases.or(b.aliases),
        endpoint: o.endpoint.or(b.endpoint),
        per_sample: o.per_sample.or(b.per_sample),
        default_model: o.default_model.or(b.default_model),
        // A price the overlay sets cites the overlay (its default_source), not the
        // built-in card's source for the old price.
        source: if o.default_source.is_some() {
            None
        } else {
            o.source.or(b.source)
        },
        note: o.note.or(b.note),
        steps: o.steps.or(b.steps),
        deprecated: o.deprecated.or(b.deprecated),
        available_from: o.available_from.or(b.available_from),
        written: union(&o.written, &b.written),
        default_source: o.default_source.or(b.default_source),
    }
}

/// The keys either table wrote.
fn union(a: &[&'static str], b: &[&'static str]) -> Vec<&'static str> {
    let mut all = a.to_vec();
    all.extend(b.iter().filter(|k| !a.contains(k)));
    all
}

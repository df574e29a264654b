//! `stabcost rates`: the rate card itself.

use crate::date::Date;
use crate::error::UserResult;
use crate::money::{self, Credits, Usd};
use crate::rates::{Billing, Category, Deprecation, Provenance, RateCard, Service};
use crate::report::{Cell, Column, Report, Rows, Shrink};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The card: JSON `billing`, `sources` and `services`.
#[derive(Debug, Serialize)]
pub(super) struct CardReport<'c> {
    #[serde(skip)]
    card: &'c RateCard,
    billing: BillingFacts<'c>,
    sources: &'c BTreeMap<String, String>,
    services: Vec<ServiceLine<'c>>,
}

#[derive(Debug, Serialize)]
struct BillingFacts<'c> {
    credit_usd: Usd,
    topup_credits: Credits,
    topup_usd: Usd,
    signup_bonus_credits: Credits,
    signup_bonus_terms: Option<&'c str>,
    volume_threshold_images_per_month: Option<u64>,
    failed_generations_charged: bool,
    not_billable_endpoints: &'c [String],
}

/// One service, with its price in dollars worked out up front (it can overflow, and a
/// report must not fail half-written). `credits` is a call with the API's defaults: for
/// a step-scaled service, at its default step count; `steps` says how it scales.
#[derive(Debug, Serialize)]
struct ServiceLine<'c> {
    id: &'c str,
    name: &'c str,
    category: Category,
    credits: Option<Credits>,
    usd: Option<Usd>,
    aliases: &'c [String],
    endpoint: Option<&'c str>,
    endpoints: &'c [String],
    per_sample: bool,
    source: &'c str,
    note: Option<&'c str>,
    steps: Option<StepsLine>,
    /// The first day the service was sold, when later than the card's.
    available_from: Option<Date>,
    deprecated: Option<&'c Deprecation>,
    /// The notes column.
    #[serde(skip)]
    notes: String,
}

/// JSON `steps` of a step-scaled service: `credits` cover up to `included` steps, and
/// each step above costs `per_step` (`credits + per_step × (steps − included)`).
#[derive(Debug, Serialize)]
struct StepsLine {
    included: u32,
    credits: Option<Credits>,
    per_step: Option<Credits>,
    default: u32,
    min: u32,
    max: u32,
}

pub(super) fn run(card: &RateCard, category: Option<Category>) -> UserResult<CardReport<'_>> {
    let b = &card.billing;
    let services = card
        .services()
        .iter()
        .filter(|s| category.is_none_or(|c| s.category == c))
        .map(|s| service_line(b, s))
        .collect::<UserResult<_>>()?;
    Ok(CardReport {
        card,
        billing: BillingFacts {
            credit_usd: Usd::new(b.credit_usd),
            topup_credits: Credits::new(b.topup_credits),
            topup_usd: Usd::new(b.topup_usd),
            signup_bonus_credits: Credits::new(b.signup_bonus_credits),
            signup_bonus_terms: b.signup_bonus_terms.as_deref(),
            volume_threshold_images_per_month: b.volume_threshold_images_per_month,
            failed_generations_charged: b.failed_generations_charged,
            not_billable_endpoints: &b.not_billable_endpoints,
        },
        sources: &card.sources,
        services,
    })
}

fn service_line<'c>(b: &Billing, s: &'c Service) -> UserResult<ServiceLine<'c>> {
    let credits = s.default_credits().map(Credits::new);
    Ok(ServiceLine {
        notes: notes(s),
        id: &s.id,
        name: &s.name,
        category: s.category,
        credits,
        usd: credits.map(|c| b.usd(c)).transpose()?,
        aliases: &s.aliases,
        endpoint: s.endpoints.first().map(String::as_str),
        endpoints: &s.endpoints,
        per_sample: s.per_sample,
        source: &s.source,
        note: s.note.as_deref(),
        steps: s.steps.map(|st| StepsLine {
            included: st.included,
            credits: s.credits.map(Credits::new),
            per_step: s
                .credits
                .and_then(|c| st.per_step_credits(c))
                .map(Credits::new),
            default: st.default,
            min: st.min,
            max: st.max,
        }),
        available_from: s.available_from,
        deprecated: s.deprecated.as_ref(),
    })
}

/// What the notes column says of a service.
fn notes(s: &Service) -> String {
    let mut parts = Vec::new();
    if let Some(from) = s.available_from {
        parts.push(format!("available from {from}"));
    }
    if let Some(d) = &s.deprecated {
        let instead = match (&d.rerouted_to, d.replacements.is_empty()) {
            (Some(to), _) => format!("its calls run as {to}"),
            (None, true) => "no replacement".to_owned(),
            (None, false) => format!("use {}", d.replacements.join(" or ")),
        };
        parts.push(format!("discontinued {}; {instead}", d.date));
    }
    if let Some(st) = s.steps {
        let base = s.credits.map_or_else(String::new, money::decimal_plain);
        let rule = match st.per_step.map(money::decimal_plain) {
            None => format!("× steps/{0} above {0} steps", st.included),
            Some(p) if st.included == 0 => format!("{base} + {p} × steps"),
            Some(p) => format!("+{p} a step above {} steps", st.included),
        };
        parts.push(format!("{rule}; {}–{} steps", st.min, st.max));
        // The credits shown are at the default step count: say which, when it matters.
        if s.default_credits() != s.credits {
            parts.push(format!(
                "{} by default",
                money::count_of(u64::from(st.default), "step")
            ));
        }
    }
    parts.join("; ")
}

/// The billing facts in one line.
fn billing_line(b: &BillingFacts<'_>) -> String {
    let mut billing = format!(
        "billing: 1 credit = {}; top-up {} credits for {} (the minimum purchase); sign-up bonus {} credits",
        b.credit_usd, b.topup_credits, b.topup_usd, b.signup_bonus_credits,
    );
    if let Some(terms) = b.signup_bonus_terms {
        let _ = write!(billing, " ({terms})");
    }
    billing.push_str(if b.failed_generations_charged {
        "; failed generations are charged"
    } else {
        "; failed generations are not charged"
    });
    if let Some(n) = b.volume_threshold_images_per_month {
        let _ = write!(
            billing,
            "; volume pricing from about {} images a month",
            money::count_display(n)
        );
    }
    billing
}

impl Report for CardReport<'_> {
    fn command(&self) -> &'static str {
        "rates"
    }

    fn rate_card(&self) -> &Provenance {
        &self.card.provenance
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::text("Id", "id"),
            Column::text("Name", "name").shrink(Shrink::Drop { rank: 2 }),
            Column::text("Category", "category"),
            Column::number("Credits", "credits"),
            Column::number("USD", "usd"),
            Column::text("Aliases", "aliases").shrink(Shrink::Cut { rank: 3, min: 18 }),
            Column::text("Source", "source").shrink(Shrink::Drop { rank: 1 }),
            Column::text("Notes", "notes").shrink(Shrink::Wrap { rank: 4, min: 15 }),
        ]
    }

    fn rows(&self) -> Rows<'_> {
        Box::new(self.services.iter().map(|s| {
            vec![
                Cell::Text(s.id.to_owned()),
                Cell::Text(s.name.to_owned()),
                Cell::Text(s.category.to_string()),
                s.credits.map_or(Cell::Missing, Cell::Credits),
                s.usd.map_or(Cell::Missing, Cell::Usd),
                Cell::Text(s.aliases.join(", ")),
                Cell::Text(s.source.to_owned()),
                Cell::Text(s.notes.clone()),
            ]
        }))
    }

    fn preface(&self) -> Vec<String> {
        let p = &self.card.provenance;
        vec![
            format!(
                "{} (effective {}, currency {})",
                p.name, p.effective, p.currency
            ),
            format!("source: {}", p.source),
            billing_line(&self.billing),
        ]
    }

    fn summary(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|(key, text)| format!("source {key}: {text}"))
            .collect()
    }
}

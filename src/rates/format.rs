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

use super::diagnostics::{At, Diagnostics, File};
use super::model::Category;
use crate::money;
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with where it was written.
#[derive(Debug, Clone)]
pub(super) struct W<T> {
    pub(super) v: T,
    pub(super) at: At,
}

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
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
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
    pub(super) endpoint: Option<W<String>>,
    pub(super) source: Option<W<String>>,
    pub(super) note: Option<W<String>>,
    pub(super) steps: Option<W<StepsDraft>>,
    pub(super) deprecated: Option<W<DeprecationDraft>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
}

/// A service's `steps = { included, default, min, max }`.
#[derive(Debug, Clone)]
pub(super) struct StepsDraft {
    pub(super) included: Option<W<u32>>,
    pub(super) default: Option<W<u32>>,
    pub(super) min: Option<W<u32>>,
    pub(super) max: Option<W<u32>>,
    /// The keys written, read or not: a key that was written but unreadable has
    /// its own diagnostic, so it is not also reported missing.
    pub(super) written: Vec<&'static str>,
}

/// A service's `deprecated = { date, replacements }`.
#[derive(Debug, Clone)]
pub(super) struct DeprecationDraft {
    pub(super) date: Option<W<String>>,
    pub(super) replacements: Vec<W<String>>,
}

const TOP: &[&str] = &[
    "card",
    "sources",
    "billing",
    "self-host",
    "user-pays",
    "services",
];
const CARD: &[&str] = &[
    "name",
    "currency",
    "effective",
    "source",
    "extends",
    "remove",
];
const BILLING: &[&str] = &[
    "credit-usd",
    "topup-credits",
    "topup-usd",
    "signup-bonus-credits",
    "signup-bonus-terms",
    "volume-threshold-images-per-month",
    "failed-generations-charged",
];
const SELF_HOST: &[&str] = &[
    "name",
    "models",
    "license",
    "license-free-below-annual-revenue-usd",
    "license-above",
    "note",
];
const USER_PAYS: &[&str] = &["name", "developer-usd", "models", "note"];
const SERVICE: &[&str] = &[
    "id",
    "name",
    "category",
    "credits",
    "aliases",
    "endpoint",
    "source",
    "note",
    "steps",
    "deprecated",
];
const STEPS: &[&str] = &["included", "default", "min", "max"];
const DEPRECATED: &[&str] = &["date", "replacements"];

/// Reads `text` (whose positions are in `file`) into a draft, recording every problem.
pub(super) fn read(text: &str, file: File, diags: &mut Diagnostics) -> Draft {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let before = diags.list.len();
    let mut syntax = Diagnostics::default();
    for e in &errors {
        let span = e.span().unwrap_or(0..0);
        syntax.push(At::new(file, span), e.message().trim_end().to_owned());
    }
    let top = Reader {
        table: doc.get_ref(),
        file,
        what: "the card".into(),
        known: TOP,
    };
    top.unknown_keys(diags);
    let start = At::new(file, 0..0);

    let card = match top.table("card", diags) {
        Some((t, at)) => {
            let r = top.child(t, "[card]", CARD);
            r.unknown_keys(diags);
            CardDraft {
                at,
                present: true,
                name: r.string("name", diags),
                currency: r.string("currency", diags),
                effective: r.date_text("effective", diags),
                source: r.string("source", diags),
                extends: r.string("extends", diags),
                remove: r.strings("remove", diags).unwrap_or_default(),
                written: r.written(),
            }
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

    // What the parser's recovery makes of the text after a syntax error is a guess (a
    // broken table header turns later keys into "duplicates"): report the first syntax
    // error alone, and nothing built on the guess.
    if let Some(first) = syntax.list.into_iter().min_by_key(|d| d.at.start) {
        diags.list.truncate(before);
        diags.list.push(first);
        diags.syntax = true;
    }
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
            let r = top.child(t, "[billing]", BILLING);
            r.unknown_keys(diags);
            BillingDraft {
                credit_usd: r.number("credit-usd", diags),
                topup_credits: r.number("topup-credits", diags),
                topup_usd: r.number("topup-usd", diags),
                signup_bonus_credits: r.number("signup-bonus-credits", diags),
                signup_bonus_terms: r.string("signup-bonus-terms", diags),
                volume_threshold_images_per_month: r
                    .whole("volume-threshold-images-per-month", diags),
                failed_generations_charged: r.boolean("failed-generations-charged", diags),
                written: r.written(),
            }
        }
        None => BillingDraft::default(),
    }
}

/// `[self-host]`.
fn read_self_host(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Option<SelfHostDraft> {
    top.table("self-host", diags).map(|(t, at)| {
        let r = top.child(t, "[self-host]", SELF_HOST);
        r.unknown_keys(diags);
        SelfHostDraft {
            at,
            name: r.string("name", diags),
            models: r.string_list("models", diags),
            license: r.string("license", diags),
            license_free_below_annual_revenue_usd: r
                .number("license-free-below-annual-revenue-usd", diags),
            license_above: r.string("license-above", diags),
            note: r.string("note", diags),
            written: r.written(),
        }
    })
}

/// `[user-pays]`.
fn read_user_pays(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Option<UserPaysDraft> {
    top.table("user-pays", diags).map(|(t, at)| {
        let r = top.child(t, "[user-pays]", USER_PAYS);
        r.unknown_keys(diags);
        UserPaysDraft {
            at,
            name: r.string("name", diags),
            developer_usd: r.number("developer-usd", diags),
            models: r.string_list("models", diags),
            note: r.string("note", diags),
            written: r.written(),
        }
    })
}

fn read_service(
    top: &Reader<'_, '_>,
    t: &DeTable<'_>,
    at: At,
    diags: &mut Diagnostics,
) -> ServiceDraft {
    // Messages name the service by its id once it is known.
    let id = top
        .child(t, "a [[services]] table", SERVICE)
        .string("id", diags);
    let what = id.as_ref().map_or_else(
        || "a [[services]] table".to_owned(),
        |id| format!("service '{}'", id.v),
    );
    let r = top.child(t, &what, SERVICE);
    r.unknown_keys(diags);
    let steps = r.table("steps", diags).map(|(st, at)| {
        let s = r.child(st, &format!("the steps of {what}"), STEPS);
        s.unknown_keys(diags);
        W {
            v: StepsDraft {
                included: s.small("included", diags),
                default: s.small("default", diags),
                min: s.small("min", diags),
                max: s.small("max", diags),
                written: s.written(),
            },
            at,
        }
    });
    let deprecated = r.table("deprecated", diags).map(|(dt, at)| {
        let d = r.child(dt, &format!("the deprecation of {what}"), DEPRECATED);
        d.unknown_keys(diags);
        W {
            v: DeprecationDraft {
                date: d.date_text("date", diags),
                replacements: d.strings("replacements", diags).unwrap_or_default(),
            },
            at,
        }
    });
    ServiceDraft {
        at,
        id,
        name: r.string("name", diags),
        category: r.category("category", diags),
        credits: r.number("credits", diags),
        aliases: r.strings("aliases", diags),
        endpoint: r.string("endpoint", diags),
        source: r.string("source", diags),
        note: r.string("note", diags),
        steps,
        deprecated,
        written: r.written(),
    }
}

/// Reads the keys of one table, naming it in messages.
struct Reader<'d, 'i> {
    table: &'d DeTable<'i>,
    file: File,
    what: String,
    known: &'static [&'static str],
}

/// How TOML names a value's type, for messages.
fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'d, 'i> Reader<'d, 'i> {
    fn child<'e>(
        &self,
        table: &'e DeTable<'i>,
        what: &str,
        known: &'static [&'static str],
    ) -> Reader<'e, 'i> {
        Reader {
            table,
            file: self.file,
            what: what.to_owned(),
            known,
        }
    }

    /// The known keys this table writes.
    fn written(&self) -> Vec<&'static str> {
        self.known
            .iter()
            .copied()
            .filter(|k| self.table.contains_key(*k))
            .collect()
    }

    fn at(&self, v: &Spanned<DeValue<'_>>) -> At {
        At::new(self.file, v.span())
    }

    fn get(&self, key: &str) -> Option<&'d Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    /// A diagnostic for every key this table does not define, with a close match.
    fn unknown_keys(&self, diags: &mut Diagnostics) {
        for key in self.table.keys() {
            let k = key.get_ref();
            if self.known.contains(&k.as_ref()) {
                continue;
            }
            let close = self
                .known
                .iter()
                .map(|c| (strsim::jaro_winkler(k, c), c))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let detail = match close {
                Some((_, c)) => format!("did you mean `{c}`?"),
                None => format!("expected one of {}", self.known.join(", ")),
            };
            diags.push(
                At::new(self.file, key.span()),
                format!("unknown field `{k}` in {}; {detail}", self.what),
            );
        }
    }

    fn wrong_type(&self, key: &str, v: &Spanned<DeValue<'_>>, want: &str, diags: &mut Diagnostics) {
        diags.push(
            self.at(v),
            format!(
                "`{key}` in {} must be {want}, got {}",
                self.what,
                type_name(v.get_ref())
            ),
        );
    }

    fn string(&self, key: &str, diags: &mut Diagnostics) -> Option<W<String>> {
        let v = self.get(key)?;
        if let DeValue::String(s) = v.get_ref() {
            return Some(W {
                v: s.to_string(),
                at: self.at(v),
            });
        }
        self.wrong_type(key, v, "a string", diags);
        None
    }

    /// A date, written as a TOML date (`2025-08-01`) or a string; checked by `validate`.
    fn date_text(&self, key: &str, diags: &mut Diagnostics) -> Option<W<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(W {
                v: s.to_string(),
                at: self.at(v),
            }),
            DeValue::Datetime(d) => Some(W {
                v: d.to_string(),
                at: self.at(v),
            }),
            _ => {
                self.wrong_type(key, v, "a date such as 2025-08-01", diags);
                None
            }
        }
    }

    fn boolean(&self, key: &str, diags: &mut Diagnostics) -> Option<W<bool>> {
        let v = self.get(key)?;
        if let DeValue::Boolean(b) = v.get_ref() {
            return Some(W {
                v: *b,
                at: self.at(v),
            });
        }
        self.wrong_type(key, v, "true or false", diags);
        None
    }

    /// An array of strings, each with its position.
    fn strings(&self, key: &str, diags: &mut Diagnostics) -> Option<Vec<W<String>>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of strings", diags);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(W {
                    v: s.to_string(),
                    at: self.at(item),
                }),
                _ => self.wrong_type(key, item, "an array of strings", diags),
            }
        }
        Some(out)
    }

    /// An array of strings as one value.
    fn string_list(&self, key: &str, diags: &mut Diagnostics) -> Option<W<Vec<String>>> {
        let at = self.at(self.get(key)?);
        let items = self.strings(key, diags)?;
        Some(W {
            v: items.into_iter().map(|w| w.v).collect(),
            at,
        })
    }

    /// A number as written: a TOML integer or float from its own digits, or a string
    /// holding a decimal. Exact, or a diagnostic saying what is wrong with it.
    fn number(&self, key: &str, diags: &mut Diagnostics) -> Option<W<Decimal>> {
        let v = self.get(key)?;
        let text = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_owned(),
            DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => n.to_string(),
                Err(_) => i.as_str().to_owned(),
            },
            DeValue::Float(f) => f.as_str().to_owned(),
            DeValue::String(s) => s.to_string(),
            _ => {
                self.wrong_type(key, v, "a number", diags);
                return None;
            }
        };
        match money::parse_decimal(&text) {
            Ok(d) => Some(W {
                v: d,
                at: self.at(v),
            }),
            Err(e) => {
                diags.push(self.at(v), format!("`{key}` in {}: {e}", self.what));
                None
            }
        }
    }

    /// A whole number of 0 or more.
    fn whole(&self, key: &str, diags: &mut Diagnostics) -> Option<W<u64>> {
        let v = self.get(key)?;
        if let DeValue::Integer(i) = v.get_ref() {
            if let Ok(n) = u64::from_str_radix(i.as_str(), i.radix()) {
                return Some(W {
                    v: n,
                    at: self.at(v),
                });
            }
        }
        self.wrong_type(key, v, "a whole number of 0 or more", diags);
        None
    }

    /// A small whole number (a step count).
    fn small(&self, key: &str, diags: &mut Diagnostics) -> Option<W<u32>> {
        let w = self.whole(key, diags)?;
        if let Ok(v) = u32::try_from(w.v) {
            return Some(W { v, at: w.at });
        }
        diags.push(w.at, format!("`{key}` in {} is far too large", self.what));
        None
    }

    fn category(&self, key: &str, diags: &mut Diagnostics) -> Option<W<Category>> {
        let w = self.string(key, diags)?;
        if let Ok(c) = w.v.parse::<Category>() {
            return Some(W { v: c, at: w.at });
        }
        diags.push(
            w.at,
            format!(
                "unknown category '{}' in {}; categories are {}",
                w.v,
                self.what,
                Category::NAMES.join(", ")
            ),
        );
        None
    }

    /// A sub-table (`[billing]`, or an inline `steps = { … }`).
    fn table(&self, key: &str, diags: &mut Diagnostics) -> Option<(&'d DeTable<'i>, At)> {
        let v = self.get(key)?;
        if let DeValue::Table(t) = v.get_ref() {
            return Some((t, self.at(v)));
        }
        self.wrong_type(key, v, "a table", diags);
        None
    }

    /// An array of tables (`[[services]]`).
    fn tables(&self, key: &str, diags: &mut Diagnostics) -> Vec<(&'d DeTable<'i>, At)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of tables ([[services]])", diags);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.at(item))),
                _ => self.wrong_type(key, item, "an array of tables ([[services]])", diags),
            }
        }
        out
    }
}

//! What a logged call was, by the cards in play: its endpoint (or service name, or
//! model on a shared endpoint) matched against the cards' `endpoint`s, ids and aliases,
//! and which card prices a call made on a given day.
//!
//! The cards in play are every built-in card (each call priced by the card in force on
//! its day), or the one card `--rates` or `--as-of` fixes. Their services are numbered
//! once, across the cards, so a call is counted by number and priced at the end.

use crate::date::Date;
use crate::error::{UserError, UserResult};
use crate::rates::{RateCard, Service, path};
use std::collections::HashMap;

/// What an endpoint is, once matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Called {
    /// A path one service bills: its number, and the path's number.
    Service { svc: u16, ep: u16 },
    /// A path several services share (the sd3 endpoint): the model says which.
    Shared { ep: u16 },
    /// A path whose calls cost nothing.
    NotBillable,
    /// A path no card knows.
    Unknown,
}

/// One path of the cards and the services that bill it.
#[derive(Debug)]
struct Endpoint {
    path: String,
    services: Vec<u16>,
    /// On a shared path, the service of a call that names no model (`default-model`).
    default: Option<u16>,
}

/// A service on one card, as `usage` prices it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Offer {
    /// Its index in the card's `services`.
    pub(crate) index: usize,
    /// Priced at all (a discontinued service may be listed without a price).
    pub(crate) priced: bool,
    /// The first day it is no longer sold, if it was discontinued.
    pub(crate) until: Option<i32>,
    /// The first day it was sold, if it appeared after its card took effect.
    pub(crate) from: Option<i32>,
    /// The service its calls run as from `until` on, when the API re-routes them.
    pub(crate) rerouted: Option<u16>,
    pub(crate) step_scaled: bool,
    pub(crate) per_sample: bool,
}

/// The cards in play and everything a call is matched against.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Oldest first.
    pub(crate) cards: Vec<RateCard>,
    /// Each card's first day, when every call is priced by the card in force on its day;
    /// empty when one card is fixed for all calls.
    starts: Vec<i32>,
    /// Service ids, across the cards (the newest card's spelling).
    pub(crate) services: Vec<String>,
    /// `[card][service]`: the service on that card, if the card has it.
    offers: Vec<Vec<Option<Offer>>>,
    endpoints: Vec<Endpoint>,
    exact: HashMap<String, u16>,
    /// Endpoints with `{…}` segments, tried in order after the exact ones.
    patterns: Vec<u16>,
    free: Vec<String>,
    /// Lower-cased id or alias → service, across the cards.
    names: HashMap<String, u16>,
    /// `--sd3-model`: the model of a shared endpoint's calls that name none.
    pub(crate) default_model: Option<u16>,
}

impl Offer {
    /// The service a call made on `on` (`None`: today) runs as, when the API re-routes
    /// this discontinued one's calls and the call is from its end date on.
    pub(crate) fn rerouted_on(&self, on: Option<i32>) -> Option<u16> {
        self.rerouted
            .filter(|_| self.until.is_some_and(|u| on.is_none_or(|d| d >= u)))
    }
}

/// A service on a card, under the number the catalog gave it; `ids` numbers the services
/// by lower-cased id.
fn offer(index: usize, s: &Service, ids: &HashMap<String, u16>) -> Offer {
    Offer {
        index,
        priced: s.credits.is_some(),
        until: s
            .deprecated
            .as_ref()
            .and_then(|d| i32::try_from(d.date.days()).ok()),
        from: s.available_from.and_then(|d| i32::try_from(d.days()).ok()),
        rerouted: s
            .deprecated
            .as_ref()
            .and_then(|d| d.rerouted_to.as_ref())
            .and_then(|to| ids.get(&to.to_ascii_lowercase()).copied()),
        step_scaled: s.steps.is_some(),
        per_sample: s.per_sample,
    }
}

impl Catalog {
    /// A catalog of `cards` (oldest first); `by_day`: each call is priced by the card in
    /// force on its day, else the one card prices every call.
    pub(crate) fn new(cards: Vec<RateCard>, by_day: bool) -> UserResult<Catalog> {
        let mut cat = Catalog {
            starts: if by_day {
                cards
                    .iter()
                    .map(|c| {
                        c.effective_from
                            .and_then(|d| i32::try_from(d.days()).ok())
                            .unwrap_or(i32::MIN)
                    })
                    .collect()
            } else {
                Vec::new()
            },
            services: Vec::new(),
            offers: Vec::new(),
            endpoints: Vec::new(),
            exact: HashMap::new(),
            patterns: Vec::new(),
            free: Vec::new(),
            names: HashMap::new(),
            default_model: None,
            cards: Vec::new(),
        };
        // Newest first, so the current card's ids, aliases and paths win.
        let mut ids: HashMap<String, u16> = HashMap::new();
        for card in cards.iter().rev() {
            for s in card.services() {
                let key = s.id.to_ascii_lowercase();
                if ids.contains_key(&key) {
                    continue;
                }
                let n = u16::try_from(cat.services.len()).map_err(|_| {
                    UserError::new("the cards have too many services to match logs against")
                })?;
                ids.insert(key, n);
                cat.services.push(s.id.clone());
            }
        }
        for card in cards.iter().rev() {
            for s in card.services() {
                let Some(&n) = ids.get(&s.id.to_ascii_lowercase()) else {
                    continue;
                };
                for name in std::iter::once(&s.id).chain(&s.aliases) {
                    cat.names.entry(name.to_ascii_lowercase()).or_insert(n);
                }
                for p in &s.endpoints {
                    cat.add_endpoint(p, n, s.default_model)?;
                }
            }
            for p in &card.billing.not_billable_endpoints {
                if !cat.free.contains(p) {
                    cat.free.push(p.clone());
                }
            }
        }
        for card in &cards {
            let mut row = vec![None; cat.services.len()];
            for (index, s) in card.services().iter().enumerate() {
                if let Some(slot) = ids
                    .get(&s.id.to_ascii_lowercase())
                    .and_then(|&n| row.get_mut(usize::from(n)))
                {
                    *slot = Some(offer(index, s, &ids));
                }
            }
            cat.offers.push(row);
        }
        cat.cards = cards;
        Ok(cat)
    }

    fn add_endpoint(&mut self, p: &str, svc: u16, default: bool) -> UserResult<()> {
        if let Some(&ep) = self.exact.get(p) {
            if let Some(e) = self.endpoints.get_mut(usize::from(ep)) {
                if !e.services.contains(&svc) {
                    e.services.push(svc);
                }
                // The newest card's default wins (cards are added newest first).
                if default && e.default.is_none() {
                    e.default = Some(svc);
                }
            }
            return Ok(());
        }
        let ep = u16::try_from(self.endpoints.len()).map_err(|_| {
            UserError::new("the cards have too many endpoints to match logs against")
        })?;
        self.endpoints.push(Endpoint {
            path: p.to_owned(),
            services: vec![svc],
            default: default.then_some(svc),
        });
        self.exact.insert(p.to_owned(), ep);
        if path::is_pattern(p) {
            self.patterns.push(ep);
        }
        Ok(())
    }

    /// What the logged endpoint `raw` (a path or full URL) is.
    pub(crate) fn endpoint(&self, raw: &[u8]) -> Called {
        let Ok(p) = std::str::from_utf8(path::normalize(raw)) else {
            return Called::Unknown;
        };
        let found = self.exact.get(p).copied().or_else(|| {
            self.patterns.iter().copied().find(|&ep| {
                self.endpoints
                    .get(usize::from(ep))
                    .is_some_and(|e| path::matches(&e.path, p))
            })
        });
        if let Some(ep) = found {
            if let Some(e) = self.endpoints.get(usize::from(ep)) {
                return match e.services.as_slice() {
                    [svc] => Called::Service { svc: *svc, ep },
                    _ => Called::Shared { ep },
                };
            }
        }
        if self.free.iter().any(|f| path::matches(f, p)) {
            return Called::NotBillable;
        }
        Called::Unknown
    }

    /// The service a model names on the shared endpoint `ep` (an id or alias of one of
    /// the services that bill it, in any case).
    pub(crate) fn model(&self, ep: u16, raw: &[u8]) -> Option<u16> {
        let name = std::str::from_utf8(raw).ok()?.to_ascii_lowercase();
        let svc = *self.names.get(&name)?;
        self.endpoints
            .get(usize::from(ep))
            .is_some_and(|e| e.services.contains(&svc))
            .then_some(svc)
    }

    /// The service of a call to the shared endpoint `ep` that names no model: the card's
    /// `default-model` there, if any.
    pub(crate) fn default_on(&self, ep: u16) -> Option<u16> {
        self.endpoints.get(usize::from(ep))?.default
    }

    /// Whether service `svc` bills endpoint `ep`.
    pub(crate) fn model_on(&self, ep: u16, svc: u16) -> bool {
        self.endpoints
            .get(usize::from(ep))
            .is_some_and(|e| e.services.contains(&svc))
    }

    /// The service an id or alias names (a record's `service` field).
    pub(crate) fn service(&self, raw: &[u8]) -> Option<u16> {
        let name = std::str::from_utf8(raw).ok()?.to_ascii_lowercase();
        self.names.get(&name).copied()
    }

    /// The default model for shared endpoints (`--sd3-model ID`): a service that shares
    /// an endpoint with others.
    pub(crate) fn set_default_model(&mut self, name: &str) -> UserResult<()> {
        let svc = self.service(name.as_bytes()).ok_or_else(|| {
            let mut err = UserError::new(format!("unknown model '{name}' for --sd3-model"));
            if let Some(best) = self.cards.last().and_then(|c| c.closest(name)) {
                err = err.hint(format!("did you mean '{best}'?"));
            }
            err.hint("it takes a service served by the shared sd3 endpoint, such as sd3.5-large or sd3.5-medium")
        })?;
        if !self
            .endpoints
            .iter()
            .any(|e| e.services.len() > 1 && e.services.contains(&svc))
        {
            return Err(UserError::new(format!(
                "'{name}' is not served by a shared endpoint, so --sd3-model cannot name it"
            ))
            .hint("it takes a model of the sd3 endpoint, such as sd3.5-large or sd3.5-medium"));
        }
        self.default_model = Some(svc);
        Ok(())
    }

    /// The path of endpoint `ep`.
    pub(crate) fn path(&self, ep: u16) -> &str {
        self.endpoints
            .get(usize::from(ep))
            .map_or("", |e| e.path.as_str())
    }

    /// The first path service `svc` bills, if any (`--group-by endpoint` for a record
    /// that named its service).
    pub(crate) fn first_path(&self, svc: u16) -> Option<u16> {
        let id = self.services.get(usize::from(svc))?;
        let card = self.cards.iter().rev().find_map(|c| c.find(id))?;
        card.endpoints
            .first()
            .and_then(|p| self.exact.get(p.as_str()).copied())
    }

    /// The card that prices a call made on `day` (`None`: undated, the newest card):
    /// `None` when the day is before every built-in card.
    pub(crate) fn card_for(&self, day: Option<i32>) -> Option<u8> {
        let newest = self.cards.len().checked_sub(1)?;
        let index = match day {
            Some(d) if !self.starts.is_empty() => self.starts.iter().rposition(|&s| s <= d)?,
            _ => newest,
        };
        u8::try_from(index).ok()
    }

    /// Service `svc` on card `card`.
    pub(crate) fn offer(&self, card: u8, svc: u16) -> Option<Offer> {
        self.offers
            .get(usize::from(card))?
            .get(usize::from(svc))
            .copied()
            .flatten()
    }

    /// Card number `card`.
    pub(crate) fn card(&self, card: u8) -> Option<&RateCard> {
        self.cards.get(usize::from(card))
    }

    /// The day a card fixed by `--as-of` is priced for: undated calls are taken to be
    /// made then.
    pub(crate) fn undated_day(&self, card: u8) -> Option<i32> {
        self.card(card)?
            .as_of
            .and_then(|d: Date| i32::try_from(d.days()).ok())
    }

    /// The first day of the oldest card, when calls are priced by their day.
    pub(crate) fn oldest_start(&self) -> Option<i32> {
        self.starts.first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in() -> Catalog {
        let cards = crate::rates::all_built_in().unwrap();
        Catalog::new(cards, true).unwrap()
    }

    #[test]
    fn endpoints_models_and_free_paths() {
        let cat = built_in();
        let id = |c: Called| match c {
            Called::Service { svc, .. } => cat.services[usize::from(svc)].clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            id(cat.endpoint(b"/v2beta/stable-image/generate/ultra")),
            "ultra"
        );
        assert_eq!(
            id(cat.endpoint(b"https://api.stability.ai/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image?x")),
            "sdxl"
        );
        assert_eq!(
            id(cat.endpoint(b"/v2beta/audio/stable-audio-2/inpaint")),
            "stable-audio-2.5"
        );
        // Stable Audio 2.x is priced by model; a call that names none is the API's
        // default, stable-audio-2.
        let Called::Shared { ep } = cat.endpoint(b"/v2beta/audio/stable-audio-2/text-to-audio")
        else {
            panic!("text-to-audio is shared");
        };
        let name = |s: Option<u16>| s.map(|s| cat.services[usize::from(s)].as_str());
        assert_eq!(
            name(cat.model(ep, b"Stable-Audio-2.5")),
            Some("stable-audio-2.5")
        );
        assert_eq!(name(cat.default_on(ep)), Some("stable-audio-2"));
        let Called::Shared { ep } = cat.endpoint(b"/v2beta/stable-image/generate/sd3") else {
            panic!("sd3 is shared");
        };
        assert_eq!(
            cat.model(ep, b"SD3.5-Large")
                .map(|s| cat.services[usize::from(s)].as_str()),
            Some("sd35-large")
        );
        assert_eq!(
            cat.model(ep, b"medium")
                .map(|s| cat.services[usize::from(s)].as_str()),
            Some("sd35-medium")
        );
        assert_eq!(cat.model(ep, b"ultra"), None);
        assert_eq!(cat.endpoint(b"/v2beta/results/3f1c2a"), Called::NotBillable);
        assert_eq!(cat.endpoint(b"/v1/user/balance"), Called::NotBillable);
        assert_eq!(cat.endpoint(b"/v2beta/results"), Called::Unknown);
        assert_eq!(cat.endpoint(b"/v2beta/made-up"), Called::Unknown);
        assert_eq!(
            cat.service(b"RMBG")
                .map(|s| cat.services[usize::from(s)].as_str()),
            Some("remove-background")
        );
    }

    #[test]
    fn each_day_has_its_card() {
        let cat = built_in();
        let day = |s: &str| crate::usage::time::date(s.as_bytes());
        assert_eq!(cat.card_for(day("2024-12-29")), None);
        assert_eq!(cat.card_for(day("2024-12-30")), Some(0));
        assert_eq!(cat.card_for(day("2025-07-31")), Some(0));
        assert_eq!(cat.card_for(day("2025-08-01")), Some(1));
        assert_eq!(cat.card_for(None), Some(1));
        // Style Transfer is on the current card only; SD 1.6 was sold until 2025-07-24.
        let st = cat.service(b"style-transfer").unwrap();
        assert!(cat.offer(0, st).is_none() && cat.offer(1, st).is_some());
        let sd16 = cat.service(b"sd16").unwrap();
        assert_eq!(cat.offer(0, sd16).unwrap().until, day("2025-07-24"));
        assert!(cat.offer(0, sd16).unwrap().priced && !cat.offer(1, sd16).unwrap().priced);
    }
}

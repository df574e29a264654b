//! Finding a service on a card by what a user typed: ids and aliases in any case, a
//! close match for a typo, and the end date and replacement of a discontinued one.

use super::model::{Category, Origin, RateCard, Service};
use crate::error::{UserError, UserResult};
use crate::text::echo;

/// At most this many services are listed as the matching family of a word; a word
/// that matches more (`stable`) says too little to list.
const FAMILY_MAX: usize = 8;

impl RateCard {
    /// The service a name (id or alias, any case) refers to, deprecated ones included.
    pub fn find(&self, name: &str) -> Option<&Service> {
        self.index
            .get(&name.to_ascii_lowercase())
            .and_then(|&i| self.services.get(i))
    }

    /// The service a user asked for: unknown names get a close match as a hint, and a
    /// service discontinued by the card's day ([`RateCard::as_of`]) is an error naming
    /// its end date and replacement.
    pub fn resolve(&self, name: &str) -> UserResult<&Service> {
        let Some(service) = self.find(name) else {
            return Err(self.unknown_service(name));
        };
        if service.sold_on(self.as_of) {
            return Ok(service);
        }
        if let (Some(from), Some(day)) = (service.available_from, self.as_of) {
            if day < from {
                return Err(UserError::new(format!(
                    "'{}' ({}) was not yet available on {day}: the card prices it from {from}",
                    echo(name),
                    service.name
                ))
                .hint(format!("give --as-of {from} or later to price it")));
            }
        }
        if let Some((dep, to)) = service
            .deprecated
            .as_ref()
            .and_then(|d| Some((d, d.rerouted_to.as_ref()?)))
        {
            return Err(UserError::new(format!(
                "'{}' ({}) was discontinued on {}: since then the API runs its calls as '{to}', at that service's price",
                echo(name),
                service.name,
                dep.date
            ))
            .hint(format!("quote '{to}' instead")));
        }
        if let Some(dep) = &service.deprecated {
            let mut err = UserError::new(format!(
                "'{}' ({}) was discontinued on {} and can no longer be priced",
                echo(name),
                service.name,
                dep.date
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
        Err(UserError::new(format!(
            "'{}' ({}) has no price on this card",
            echo(name),
            service.name
        )))
    }

    /// The error for a name that is on the card under no id or alias: the family of
    /// services the word names (`audio`, `stable-audio`, `upscale`), else a close match.
    fn unknown_service(&self, name: &str) -> UserError {
        // An overlay may have dropped it from the built-in card on purpose.
        let removed = self.removed.iter().find(|r| {
            std::iter::once(&r.id)
                .chain(&r.aliases)
                .any(|n| n.eq_ignore_ascii_case(name))
        });
        if let Some(r) = removed {
            return UserError::new(format!(
                "'{}' ({}) is not on this card: the overlay {} removes it (`remove` in its [card])",
                echo(name),
                r.name,
                self.provenance.origin
            ))
            .hint(format!(
                "take '{}' out of `remove` to price it at the built-in card's price; `stabcost rates` lists the card's services",
                r.id
            ));
        }
        // An older built-in card (`--as-of`) may lack a service the current one prices.
        if let (Some(day), Origin::BuiltIn) = (self.as_of, &self.provenance.origin) {
            let current = RateCard::built_in().ok();
            if let Some(s) = current.as_ref().and_then(|c| c.find(name)) {
                return UserError::new(format!(
                    "'{}' ({}) has no price on the card in force on {day} (effective {})",
                    echo(name),
                    s.name,
                    self.provenance.effective
                ))
                .hint(format!(
                    "no source from that period prices it; the current card does, from {}",
                    current.map_or_else(String::new, |c| c.provenance.effective)
                ));
            }
        }
        let mut err = UserError::new(format!("unknown service '{}'", echo(name)));
        match self.family(name).as_slice() {
            // A word in the names of many services (`stable`) is too vague to guess from.
            many if many.len() > FAMILY_MAX => {}
            [] => {
                if let Some(best) = self.closest(name) {
                    err = err.hint(format!("did you mean '{best}'?"));
                }
            }
            [one] => err = err.hint(format!("did you mean '{one}'?")),
            several => {
                err = err.hint(format!(
                    "services matching '{}': {}",
                    echo(name.trim()),
                    several.join(", ")
                ));
            }
        }
        err.hint("`stabcost rates` lists every service")
    }

    /// The longest id or alias, in bytes: no typo of one is much longer.
    fn longest_name(&self) -> usize {
        self.index.keys().map(String::len).max().unwrap_or(0)
    }

    /// The ids of the current services whose id, alias or name contains `word` (in any
    /// case, `-`, `_` and `.` read as spaces), in card order; none when the word is
    /// shorter than three characters or far longer than any name.
    pub fn family(&self, word: &str) -> Vec<&str> {
        let words = |s: &str| -> String {
            s.trim()
                .chars()
                .map(|c| match c {
                    '-' | '_' | '.' => ' ',
                    c => c.to_ascii_lowercase(),
                })
                .collect()
        };
        if word.trim().len() < 3 || word.len() > 2 * self.longest_name().max(40) {
            return Vec::new();
        }
        let wanted = words(word);
        self.services
            .iter()
            .filter(|s| s.sold_on(self.as_of))
            .filter(|s| {
                std::iter::once(&s.id)
                    .chain(&s.aliases)
                    .chain(std::iter::once(&s.name))
                    .any(|n| words(n).contains(&wanted))
            })
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The id or alias closest to `name`, if any is close enough to be a likely typo.
    /// A name far longer than every id is no typo of one, and is not compared (the
    /// comparison grows with the product of the lengths).
    pub fn closest(&self, name: &str) -> Option<&str> {
        if name.len() > 2 * self.longest_name() {
            return None;
        }
        let names = self
            .services
            .iter()
            .filter(|s| s.sold_on(self.as_of))
            .flat_map(|s| std::iter::once(&s.id).chain(&s.aliases))
            .map(String::as_str);
        crate::text::closest(name, names)
    }

    /// Services that `compare` prices: every current generation service.
    pub fn generation_services(&self) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(|s| s.category == Category::Generate && s.sold_on(self.as_of))
    }
}

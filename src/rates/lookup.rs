//! Finding a service on a card by what a user typed: ids and aliases in any case, a
//! close match for a typo, and the end date and replacement of a discontinued one.

use super::model::{Category, RateCard, Service};
use crate::error::{UserError, UserResult};

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
        Err(UserError::new(format!(
            "'{name}' ({}) has no price on this card",
            service.name
        )))
    }

    /// The error for a name that is on the card under no id or alias.
    fn unknown_service(&self, name: &str) -> UserError {
        // An older built-in card (`--as-of`) may lack a service the current one prices.
        if let (Some(day), "built-in") = (self.as_of, self.provenance.origin.as_str()) {
            let current = RateCard::built_in().ok();
            if let Some(s) = current.as_ref().and_then(|c| c.find(name)) {
                return UserError::new(format!(
                    "'{name}' ({}) has no price on the card in force on {day} (effective {})",
                    s.name, self.provenance.effective
                ))
                .hint(format!(
                    "no source from that period prices it; the current card does, from {}",
                    current.map_or_else(String::new, |c| c.provenance.effective)
                ));
            }
        }
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
            .filter(|s| s.sold_on(self.as_of))
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
            .filter(|s| s.category == Category::Generate && s.sold_on(self.as_of))
    }
}

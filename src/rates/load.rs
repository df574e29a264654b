//! Loading a card: from a file or text to a validated [`RateCard`], with every problem
//! reported at once. The built-in cards stand alone; any other card takes its defaults
//! from the current built-in card, or extends it (`extends = "built-in"`).

use super::built_in::{self, BuiltInCard};
use super::model::{Origin, RateCard};
use super::{format, overlay, validate};
use crate::diagnostics::{Diagnostics, File, Files};
use crate::error::{UserError, UserResult};
use std::path::Path;

impl BuiltInCard {
    /// The card itself, parsed and validated: complete on its own, no defaults.
    pub fn load(&self) -> UserResult<RateCard> {
        let mut diags = Diagnostics::default();
        let draft = format::read(self.text, File::Own, &mut diags);
        validate::validate(draft, &Origin::BuiltIn, None, &mut diags).ok_or_else(|| {
            Files {
                own: (self.file, self.text),
                base: None,
            }
            .error("rate card", diags)
        })
    }
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
    pub fn parse(text: &str, origin: &str) -> UserResult<RateCard> {
        let base = built_in::current();
        let mut diags = Diagnostics::default();
        let draft = format::read(text, File::Own, &mut diags);
        let extends_built_in = draft
            .card
            .extends
            .as_ref()
            .is_some_and(|w| w.v == "built-in");
        let card = if extends_built_in {
            let base_draft = format::read(base.text, File::Base, &mut diags);
            let file_name = Path::new(origin)
                .file_name()
                .map_or_else(|| origin.to_owned(), |n| n.to_string_lossy().into_owned());
            let merged = overlay::merge(base_draft, draft, &file_name, &mut diags);
            validate::validate(merged, &Origin::File(origin.to_owned()), None, &mut diags)
        } else {
            let defaults = if draft.needs_defaults() {
                Some(base.load()?)
            } else {
                None
            };
            validate::validate(
                draft,
                &Origin::File(origin.to_owned()),
                defaults.as_ref(),
                &mut diags,
            )
        };
        card.ok_or_else(|| {
            Files {
                own: (origin, text),
                base: Some((base.file, base.text)),
            }
            .error("rate card", diags)
        })
    }
}

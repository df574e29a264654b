//! The fields `usage` reads from a record (the README's table of them), by the JSON keys or CSV
//! header names that carry them. Each name has a slot; within a group of names for one
//! field (`ts`, `timestamp`, `time`, `created_at`), the first in the list that a record
//! has wins, whatever the record's own key order.

/// `ts`, `timestamp`, `time`, `created_at`: slots `TIME..TIME + 4`.
pub(crate) const TIME: usize = 0;
/// `endpoint`, `path`, `url`: slots `ENDPOINT..ENDPOINT + 3`.
pub(crate) const ENDPOINT: usize = 4;
pub(crate) const SERVICE: usize = 7;
pub(crate) const MODEL: usize = 8;
pub(crate) const STATUS: usize = 9;
pub(crate) const STEPS: usize = 10;
pub(crate) const SAMPLES: usize = 11;
/// `tag`, `feature`, `user` (or the one `--tag-field` names): slots `TAG..TAG + 3`.
pub(crate) const TAG: usize = 12;
/// A call's prompt identity, read only when the reuse figure is asked for (the what-if
/// reports): `prompt_hash`, then `prompt` (or the one `--prompt-field` names), slots
/// `PROMPT..PROMPT + 2`. Named twice in a record, it is no identity: never malformed,
/// since plain `usage` does not read it.
pub(crate) const PROMPT: usize = 15;
/// How many slots a record has.
pub(crate) const SLOTS: usize = 17;

/// The names of the prompt identity's slots, unless `--prompt-field` names another.
pub(crate) const PROMPT_NAMES: [&str; 2] = ["prompt_hash", "prompt"];

/// Every field name stabcost reads by default, in slot order (the prompt's after them).
pub(crate) const NAMES: [&str; PROMPT] = [
    "ts",
    "timestamp",
    "time",
    "created_at",
    "endpoint",
    "path",
    "url",
    "service",
    "model",
    "status",
    "steps",
    "samples",
    "tag",
    "feature",
    "user",
];

/// One field's value in a record, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Val<'a> {
    /// Not in the record, `null`, or an empty CSV field.
    Absent,
    /// A JSON string's text (no escapes) or a CSV field.
    Str(&'a [u8]),
    /// A JSON number, as written.
    Num(&'a [u8]),
    /// A JSON string with escapes, raw and already validated: decoded before use.
    Esc(&'a [u8]),
    /// The date of a Common Log Format line, `10/Oct/2026:13:55:36 -0700`.
    ClfTime(&'a [u8]),
    /// `true`, `false`, an object or an array: a field of the wrong type.
    Other,
}

/// A record: one value per slot.
pub(crate) type Rec<'a> = [Val<'a>; SLOTS];

/// A record with no fields.
pub(crate) const EMPTY: Rec<'static> = [Val::Absent; SLOTS];

/// Which names map to which slot: the defaults, or `--tag-field NAME` as the only tag;
/// the prompt's names only when asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    tag_field: Option<Box<[u8]>>,
    prompt: Prompt,
}

/// Whether a record's prompt identity is read, and under which names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Prompt {
    /// Not read: plain `usage`.
    #[default]
    Off,
    /// `prompt_hash`, then `prompt`.
    Default,
    /// The one field `--prompt-field` names.
    Field(Box<[u8]>),
}

impl Fields {
    /// The default names, with `tag_field` (if given) as the only grouping label.
    pub(crate) fn new(tag_field: Option<&str>) -> Fields {
        Fields {
            tag_field: tag_field.map(|t| t.as_bytes().into()),
            prompt: Prompt::Off,
        }
    }

    /// The same names, and the prompt identity's too.
    #[must_use]
    pub(crate) fn with_prompt(self, prompt: Prompt) -> Fields {
        Fields { prompt, ..self }
    }

    /// Whether `name` is a field stabcost reads other than the grouping label, so
    /// `--tag-field` cannot name it.
    pub(crate) fn is_reserved(name: &str) -> bool {
        NAMES.get(..TAG).is_some_and(|n| n.contains(&name))
    }

    /// The slot a key fills, if stabcost reads it.
    #[inline]
    pub(crate) fn slot(&self, key: &[u8]) -> Option<usize> {
        if let Some(tag) = &self.tag_field {
            if key == &**tag {
                return Some(TAG);
            }
        }
        if let Prompt::Field(name) = &self.prompt {
            if key == &**name {
                return Some(PROMPT);
            }
        }
        Some(match key {
            b"ts" => 0,
            b"timestamp" => 1,
            b"time" => 2,
            b"created_at" => 3,
            b"endpoint" => 4,
            b"path" => 5,
            b"url" => 6,
            b"service" => SERVICE,
            b"model" => MODEL,
            b"status" => STATUS,
            b"steps" => STEPS,
            b"samples" => SAMPLES,
            b"tag" if self.tag_field.is_none() => TAG,
            b"feature" if self.tag_field.is_none() => TAG + 1,
            b"user" if self.tag_field.is_none() => TAG + 2,
            b"prompt_hash" if self.prompt == Prompt::Default => PROMPT,
            b"prompt" if self.prompt == Prompt::Default => PROMPT + 1,
            _ => return None,
        })
    }
}

/// The first present value among `slots` (a field's names in priority order).
#[inline]
pub(crate) fn first<'a>(rec: &Rec<'a>, slots: std::ops::Range<usize>) -> Val<'a> {
    rec.get(slots)
        .and_then(|vals| vals.iter().copied().find(|v| *v != Val::Absent))
        .unwrap_or(Val::Absent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_its_slot() {
        let fields = Fields::default();
        for (i, name) in NAMES.iter().enumerate() {
            assert_eq!(fields.slot(name.as_bytes()), Some(i), "{name}");
        }
        assert_eq!(fields.slot(b"prompt"), None);
        assert_eq!(fields.slot(b"prompt_hash"), None);
        // The prompt's names only when the reuse figure asks for them.
        let fields = Fields::default().with_prompt(Prompt::Default);
        assert_eq!(fields.slot(b"prompt_hash"), Some(PROMPT));
        assert_eq!(fields.slot(b"prompt"), Some(PROMPT + 1));
        for (i, name) in PROMPT_NAMES.iter().enumerate() {
            assert_eq!(fields.slot(name.as_bytes()), Some(PROMPT + i), "{name}");
        }
        let fields = Fields::default().with_prompt(Prompt::Field(b"request_hash"[..].into()));
        assert_eq!(fields.slot(b"request_hash"), Some(PROMPT));
        assert_eq!(fields.slot(b"prompt"), None);
    }

    #[test]
    fn a_tag_field_replaces_the_default_labels() {
        let fields = Fields::new(Some("team"));
        assert_eq!(fields.slot(b"team"), Some(TAG));
        assert_eq!(fields.slot(b"tag"), None);
        assert_eq!(fields.slot(b"user"), None);
        assert!(Fields::is_reserved("endpoint"));
        assert!(!Fields::is_reserved("user"));
    }
}

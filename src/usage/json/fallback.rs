//! `serde_json`'s reading of a line, for every line the scanner leaves to it: its
//! verdict, a record or malformed, is final.

use crate::usage::fields::{EMPTY, Fields, PROMPT, Rec, SLOTS, Val};
use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// A field's value as `serde_json` read it, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owned {
    Absent,
    Str(Vec<u8>),
    /// A number, exactly as written.
    Num(Vec<u8>),
    Other,
}

impl Owned {
    /// The value as the scanner would give it.
    pub(crate) fn borrow(&self) -> Val<'_> {
        match self {
            Owned::Absent => Val::Absent,
            Owned::Str(s) => Val::Str(s),
            Owned::Num(n) => Val::Num(n),
            Owned::Other => Val::Other,
        }
    }
}

/// Why `serde_json` did not give a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

/// `serde_json`'s reading of a line: the fields stabcost reads, each once. `Err`: not a
/// JSON object, not one `serde_json` reads, or one that repeats a field stabcost reads.
pub(crate) fn slow(line: &[u8], fields: &Fields) -> Result<Vec<(usize, Owned)>, Malformed> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let out = Fallback(fields)
        .deserialize(&mut de)
        .map_err(|_| Malformed)?;
    de.end().map_err(|_| Malformed)?;
    Ok(out)
}

/// A record from [`slow`]'s fields.
pub(crate) fn record(found: &[(usize, Owned)]) -> Rec<'_> {
    let mut rec = EMPTY;
    for (slot, v) in found {
        if let Some(r) = rec.get_mut(*slot) {
            *r = v.borrow();
        }
    }
    rec
}

/// Reads a top-level object's keys; each value is kept as its raw text and checked to be
/// a `serde_json::Value`, so the line is accepted exactly when `serde_json` accepts it.
struct Fallback<'f>(&'f Fields);

impl<'de> DeserializeSeed<'de> for Fallback<'_> {
    type Value = Vec<(usize, Owned)>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fallback<'_> {
    type Value = Vec<(usize, Owned)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut seen = [false; SLOTS];
        while let Some(key) = map.next_key::<String>()? {
            let raw: &RawValue = map.next_value()?;
            let value: serde_json::Value =
                serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
            let Some(slot) = self.0.slot(key.as_bytes()) else {
                continue;
            };
            if let Some(s) = seen.get_mut(slot) {
                if std::mem::replace(s, true) {
                    if slot < PROMPT {
                        return Err(A::Error::custom(format!("repeated field `{key}`")));
                    }
                    // A prompt named twice is no identity (as the scanner reads it).
                    out.push((slot, Owned::Other));
                    continue;
                }
            }
            out.push((
                slot,
                match value {
                    serde_json::Value::Null => Owned::Absent,
                    serde_json::Value::String(s) => Owned::Str(s.into_bytes()),
                    serde_json::Value::Number(_) => Owned::Num(raw.get().as_bytes().to_vec()),
                    _ => Owned::Other,
                },
            ));
        }
        Ok(out)
    }
}

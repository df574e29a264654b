//! What a plan says about a log (README, "Are we on plan?"): each workload's optional
//! `tags`, the labels of the calls it answers for besides its name, and the plan's
//! optional `start`, the month it was written for (its month 1, for growth).

use crate::date::Month;
use crate::diagnostics::{At, Diagnostics, line_col};
use crate::document::{Reader, W};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The plan's `start = "YYYY-MM"`.
pub(super) fn start(top: &Reader<'_, '_>, diags: &mut Diagnostics) -> Option<Month> {
    if let Some(v) = top.get("start").filter(|v| !v.get_ref().is_str()) {
        diags.push(
            top.at(v),
            format!(
                "start is a month in quotes, such as start = \"2026-10\", not {}",
                crate::document::type_name(v.get_ref())
            ),
        );
        return None;
    }
    let w = top.string("start", diags)?;
    match Month::parse(&w.v) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.push(
                w.at,
                format!("start {e}; it is the plan's first month, as in start = \"2026-10\""),
            );
            None
        }
    }
}

/// A workload's `tags = ["…", …]`, each a non-empty string written once.
pub(super) fn tags(r: &Reader<'_, '_>, name: &str, diags: &mut Diagnostics) -> Vec<W<String>> {
    let Some(items) = r.strings("tags", diags) else {
        return Vec::new();
    };
    let mut out: Vec<W<String>> = Vec::with_capacity(items.len());
    for item in items {
        if item.v.is_empty() {
            diags.push(
                item.at,
                format!("workload '{name}' has an empty tag; a tag is the label of its calls"),
            );
        } else if item.v.eq_ignore_ascii_case(name) {
            diags.push(
                item.at,
                format!(
                    "workload '{name}' lists its own name as a tag; it matches the calls tagged with its name already"
                ),
            );
        } else if let Some(first) = out
            .iter()
            .find(|t| t.v.to_lowercase() == item.v.to_lowercase())
        {
            let message = if first.v == item.v {
                format!("workload '{name}' lists the tag '{}' twice", item.v)
            } else {
                format!(
                    "workload '{name}' lists '{}' and '{}', one tag in any case (as workload names are compared)",
                    first.v, item.v
                )
            };
            diags.push(item.at, message);
        } else {
            out.push(item);
        }
    }
    out
}

/// Every tag of every workload matches one workload only: a tag that is another
/// workload's name or tag (in any case, as names are compared) would set the same calls
/// against two workloads. `workloads` are each workload's name and tags.
pub(super) fn check_unique(
    workloads: &[(&W<String>, &[W<String>])],
    text: &str,
    diags: &mut Diagnostics,
) {
    // Lower-cased label → the workload it belongs to, and where it is written.
    let mut owners: HashMap<String, (&str, At, bool)> = HashMap::new();
    for (name, _) in workloads {
        owners
            .entry(name.v.to_lowercase())
            .or_insert((name.v.as_str(), name.at, true));
    }
    for (name, tags) in workloads {
        for tag in *tags {
            match owners.entry(tag.v.to_lowercase()) {
                Entry::Occupied(first) => {
                    let (owner, at, is_name) = *first.get();
                    let (line, _) = line_col(text, at.start);
                    let what = if is_name {
                        format!("the name of workload '{owner}'")
                    } else {
                        format!("a tag of workload '{owner}'")
                    };
                    diags.push(
                        tag.at,
                        format!(
                            "tag '{}' of workload '{}' is {what} (line {line}); each tag's calls are set against one workload",
                            tag.v, name.v
                        ),
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert((name.v.as_str(), tag.at, false));
                }
            }
        }
    }
}

//! Reading what the user named on the command line: text given inline or a file, or `-`
//! for standard input (generated pipelines outgrow the 128 KiB a single argument may
//! hold, and CI pipes `git show main:plan.toml`).

use crate::error::{UserError, UserResult};
use std::io::Read;

/// `arg` itself, or all of standard input when `arg` is `-`; `what` names the text in
/// messages ("the workflow expression"). A byte-order mark that an editor put at the
/// start of the input is not part of the text.
pub fn text_or_stdin(arg: &str, what: &str) -> UserResult<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| UserError::new(format!("cannot read {what} from standard input: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        UserError::new(format!(
            "{what} on standard input is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// The text of the file `arg`, or all of standard input when `arg` is `-`; `what` names
/// it in messages ("plan").
pub fn file_or_stdin(arg: &str, what: &str) -> UserResult<String> {
    if arg == "-" {
        return text_or_stdin(arg, &format!("the {what}"));
    }
    let path = std::path::Path::new(arg);
    let bytes = std::fs::read(path).map_err(|e| {
        let detail = if path.is_dir() {
            "it is a directory, not a file".to_owned()
        } else {
            e.to_string()
        };
        UserError::new(format!("cannot read {what} '{arg}': {detail}"))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        UserError::new(format!(
            "invalid {what} '{arg}': not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

//! Reading what the user named on the command line: text given inline, or `-` for
//! standard input (generated pipelines outgrow the 128 KiB a single argument may hold).

use crate::error::{UserError, UserResult};
use std::io::Read;

/// `arg` itself, or all of standard input when `arg` is `-`; `what` names the text in
/// messages ("the workflow expression").
pub fn text_or_stdin(arg: &str, what: &str) -> UserResult<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| UserError::new(format!("cannot read {what} from standard input: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        UserError::new(format!(
            "{what} on standard input is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

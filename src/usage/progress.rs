//! The progress bar on standard error, for a log that takes more than a moment: bytes
//! read of the file's size, the rate and the time left (a spinner with the bytes read
//! when the size is unknown, as for standard input). Never when standard error is not
//! a terminal, so pipes, CI logs and tests see nothing.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Inputs smaller than this are read in well under a second: no bar.
const LARGE: u64 = 64 << 20;

/// A bar that appears once the input is known to be large.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    name: String,
    size: Option<u64>,
}

impl Progress {
    /// A bar for the log `name` of `size` bytes, if standard error is a terminal.
    pub(crate) fn new(name: &str, size: Option<u64>) -> Option<Progress> {
        if !std::io::stderr().is_terminal() || size.is_some_and(|s| s < LARGE) {
            return None;
        }
        Some(Progress {
            bar: None,
            name: name.to_owned(),
            size,
        })
    }

    /// `read` bytes of the file are read.
    pub(crate) fn update(&mut self, read: u64) {
        if self.bar.is_none() && (self.size.is_some() || read >= LARGE) {
            let bar = match self.size {
                Some(size) => {
                    ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr())
                        .with_style(
                        ProgressStyle::with_template(
                            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    )
                }
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template("{prefix} {spinner} {bytes} {bytes_per_sec}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    ),
            };
            self.bar = Some(bar.with_prefix(self.name.clone()));
        }
        if let Some(bar) = &self.bar {
            bar.set_position(read);
        }
    }

    /// Clears the bar, so the report's warnings start on a clean line.
    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

//! The progress bar on standard error, for a log that takes more than a moment: bytes
//! read of the file's size, the rate and the time left (the bytes read and the rate
//! when the size is unknown, as for standard input). It appears only after a second of
//! reading, so quick runs never flicker, and never when standard error is not a
//! terminal, so pipes, CI logs and tests see nothing.

use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long a read runs before the bar appears.
const MOMENT: Duration = Duration::from_secs(1);

/// A bar that appears once reading has taken more than a moment.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    size: Option<u64>,
}

impl Progress {
    /// A bar for a log of `size` bytes, if standard error is a terminal.
    pub(crate) fn new(size: Option<u64>) -> Option<Progress> {
        std::io::stderr().is_terminal().then(|| Progress {
            bar: None,
            started: Instant::now(),
            size,
        })
    }

    /// `read` bytes of the file are read.
    pub(crate) fn update(&mut self, read: u64) {
        if self.bar.is_none() && self.started.elapsed() >= MOMENT {
            let (bar, template) = match self.size {
                Some(size) => (
                    ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr()),
                    "[{bar:24}] {bytes}/{total_bytes} {msg}",
                ),
                None => (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                    "{spinner} {bytes} read, {msg}",
                ),
            };
            let style = ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            self.bar = Some(bar.with_style(style));
        }
        if let Some(bar) = &self.bar {
            // The average since the start: steadier than a window over 1 MiB chunks.
            let elapsed = self.started.elapsed();
            let rate = u64::try_from(u128::from(read) * 1000 / elapsed.as_millis().max(1))
                .unwrap_or(u64::MAX)
                .max(1);
            let msg = match self.size {
                Some(size) => {
                    let left = Duration::from_secs(size.saturating_sub(read) / rate);
                    format!("{}/s, {} left", HumanBytes(rate), HumanDuration(left))
                }
                None => format!("{}/s", HumanBytes(rate)),
            };
            bar.set_position(read);
            bar.set_message(msg);
        }
    }

    /// Clears the bar, so the report's warnings start on a clean line.
    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

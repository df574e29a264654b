//! A request's body as a blocking reader for the routes (which run on a thread of
//! their own), fed chunk by chunk by the connection's task through a small bounded
//! channel: a fast client waits for a slow reader, so an upload never piles up in
//! memory. Why a body stopped early (too large, stalled, broken) is kept, so that the
//! answer says so whatever the route made of the read error.

use hyper::body::Bytes;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use tokio::sync::mpsc;

/// Chunks in flight between the connection and the route.
pub(super) const IN_FLIGHT: usize = 4;

/// Why a body could not be read to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// More than `--max-upload` bytes: HTTP 413.
    TooLarge,
    /// The client sent nothing for the request timeout: HTTP 408.
    Stalled,
    /// The connection broke, or the body's framing was wrong: HTTP 400.
    Broken,
}

impl Failure {
    fn code(self) -> u8 {
        match self {
            Failure::TooLarge => 1,
            Failure::Stalled => 2,
            Failure::Broken => 3,
        }
    }

    fn from_code(code: u8) -> Option<Failure> {
        match code {
            1 => Some(Failure::TooLarge),
            2 => Some(Failure::Stalled),
            3 => Some(Failure::Broken),
            _ => None,
        }
    }

    /// What the error says to whoever read the body.
    fn message(self) -> &'static str {
        match self {
            Failure::TooLarge => "the upload is larger than the server's --max-upload",
            Failure::Stalled => "the client stopped sending the request",
            Failure::Broken => "the request's body is broken off",
        }
    }
}

/// Why the body stopped, shared by the connection's task and the route's thread.
#[derive(Debug, Clone, Default)]
pub(super) struct Stopped(Arc<AtomicU8>);

impl Stopped {
    pub(super) fn set(&self, f: Failure) {
        self.0.store(f.code(), Ordering::Relaxed);
    }

    pub(super) fn get(&self) -> Option<Failure> {
        Failure::from_code(self.0.load(Ordering::Relaxed))
    }
}

/// The receiving end: a `Read` that blocks for the next chunk.
pub(super) struct Body {
    rx: mpsc::Receiver<Result<Bytes, Failure>>,
    chunk: Bytes,
}

/// A body's two ends: the sender for the connection's task, the reader for the route.
pub(super) fn channel() -> (mpsc::Sender<Result<Bytes, Failure>>, Body) {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    (
        tx,
        Body {
            rx,
            chunk: Bytes::new(),
        },
    )
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(f)) => return Err(io::Error::other(f.message())),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        let taken = self.chunk.split_to(n);
        if let Some(to) = buf.get_mut(..n) {
            to.copy_from_slice(&taken);
        }
        Ok(n)
    }
}

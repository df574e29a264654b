//! Helpers shared by the integration tests: run the real `stabcost` binary.
#![allow(
    dead_code,
    reason = "each test crate uses a different subset of these helpers"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Stdio};

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Asserts a clean success and returns stdout.
    #[track_caller]
    pub(crate) fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success, stderr: {}", self.stderr);
        assert!(self.stderr.is_empty(), "unexpected stderr: {}", self.stderr);
        &self.stdout
    }

    /// Asserts a user error (exit 2, `error:` on stderr, nothing on stdout, no panic)
    /// and returns stderr.
    #[track_caller]
    pub(crate) fn user_error(&self) -> &str {
        assert_eq!(
            self.code, 2,
            "expected exit 2, got {}: stdout {} stderr {}",
            self.code, self.stdout, self.stderr
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr: {}",
            self.stderr
        );
        assert!(self.stdout.is_empty(), "stdout on error: {}", self.stdout);
        assert_no_panic(&self.stderr);
        &self.stderr
    }
}

/// Fails if `stderr` looks like a Rust panic.
#[track_caller]
pub(crate) fn assert_no_panic(stderr: &str) {
    for sign in [
        "panicked",
        "RUST_BACKTRACE",
        "stack overflow",
        "thread 'main'",
    ] {
        assert!(!stderr.contains(sign), "panic text on stderr: {stderr}");
    }
}

/// The path of the binary under test.
pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stabcost")
}

/// Runs `stabcost` with `args`, optional standard input, and no `STABCOST_RATES`.
pub(crate) fn run_with<A: AsRef<OsStr>>(
    args: &[A],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("STABCOST_RATES")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        // Write from a thread so a large input cannot deadlock against a full stdout.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `stabcost` with `args`.
pub(crate) fn run(args: &[&str]) -> Run {
    run_with(args, None, &[])
}

/// Runs `stabcost ARGS --format json`, asserts success, and parses the output.
#[track_caller]
pub(crate) fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = run(&all);
    serde_json::from_str(r.ok()).expect("output is JSON")
}

/// A string field of a JSON value, by a `/`-separated path (JSON pointer).
#[track_caller]
pub(crate) fn s<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v:#}"))
}

/// Writes `text` to a temporary file and returns it (kept alive by the caller).
pub(crate) fn temp_card(text: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(text).expect("write temp card");
    f
}

/// Asserts that `script` (a test-data generator run with `--check`) still writes the
/// files committed beside it.
pub(crate) fn assert_generator_writes(script: &str) {
    let done = Command::new("python3")
        .args([script, "--check"])
        .output()
        .expect("python3 runs the generator");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

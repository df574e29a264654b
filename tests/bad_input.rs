//! Bad inputs that only code can make: generated stress inputs and bytes a shell line
//! cannot carry. Every other bad input is a readable case in `tests/cmd/` (arguments,
//! expressions, cards), run by `tests/docs.rs` with its full output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;
use common::{assert_no_panic, run, run_with};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[test]
fn a_non_utf8_argument_is_a_clear_error() {
    let arg = OsString::from_vec(b"ul\xfftra".to_vec());
    let r = run_with(&[OsString::from("quote"), arg], None, &[]);
    let stderr = r.user_error();
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
}

#[test]
fn a_megabyte_expression_is_priced_or_rejected_quickly_with_a_short_excerpt() {
    // 200,000 steps of "core+" is 1 MB; a valid one is priced (through stdin)...
    let steps = 200_001;
    let valid = format!("{}core", "core+".repeat(steps - 1));
    assert!(valid.len() >= 1_000_000);
    let r = run_with(
        &["workflow", "-", "--format", "json"],
        Some(valid.as_bytes()),
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(r.ok()).unwrap();
    // 200,001 Core calls × 3 credits = 600,003 credits per asset, $6,000.03.
    assert_eq!(v["per_asset"]["credits"], "600003");
    assert_eq!(v["per_asset"]["usd"], "6000.03");
    // ...and one with a dangling '+' at the end is an error whose excerpt stays short.
    let invalid = format!("{}+", "core+".repeat(steps));
    let r = run_with(&["workflow", "-"], Some(invalid.as_bytes()), &[]);
    let stderr = r.user_error();
    assert!(stderr.contains("expected a service"), "{stderr}");
    assert!(
        stderr.len() < 500,
        "error message is {} bytes",
        stderr.len()
    );
    assert!(stderr.contains("…core+core+"), "{stderr}");
}

#[test]
fn ten_thousand_plus_signs_are_one_error() {
    let expr = "+".repeat(10_000);
    let r = run_with(&["workflow", &expr], None, &[]);
    let stderr = r.user_error();
    assert!(stderr.contains("expected a service, found '+'"), "{stderr}");
    assert!(stderr.contains("\n  ^\n"), "{stderr}");
}

#[test]
fn as_of_with_a_card_in_the_environment_is_a_clear_error() {
    // (Not a tests/cmd case: the harness pins STABCOST_RATES for every case.)
    let r = run_with(
        &["quote", "ultra", "--as-of", "2025-07-01"],
        None,
        &[("STABCOST_RATES", "examples/negotiated.toml")],
    );
    assert_eq!(
        r.user_error(),
        "error: --as-of prices with the built-in cards, but STABCOST_RATES names the card \
         'examples/negotiated.toml'\nhint: unset STABCOST_RATES to price as of a date, or drop --as-of\n"
    );
}

#[test]
fn a_five_megabyte_unknown_service_is_one_short_error() {
    // Through standard input, as a generated pipeline would arrive (an argument is
    // limited to 128 KiB). The token is echoed once, cut to a window, and the
    // did-you-mean search does not compare it with every id.
    let token = "x".repeat(5_000_000);
    let expr = format!("core+{token}+rmbg");
    let r = run_with(&["workflow", "-"], Some(expr.as_bytes()), &[]);
    let stderr = r.user_error();
    assert!(stderr.len() < 1_000, "stderr is {} bytes", stderr.len());
    assert!(
        stderr.starts_with(&format!("error: unknown service '{}…'", "x".repeat(40))),
        "{stderr}"
    );
    // The same through `compare --with -`.
    let r = run_with(
        &["compare", "--images", "1", "--with", "-"],
        Some(token.as_bytes()),
        &[],
    );
    let stderr = r.user_error();
    assert!(stderr.len() < 1_000, "stderr is {} bytes", stderr.len());
}

#[test]
fn a_long_argument_is_echoed_short_everywhere() {
    let token = "y".repeat(100_000);
    for args in [
        vec!["quote", &token],
        vec!["quote", "ultra", "--count", &token],
        vec!["quote", "ultra", &token],
        vec!["rates", "--category", &token],
        vec!["workflow", &token],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.len() < 1_000,
            "{:?}…: stderr is {} bytes",
            &args[..args.len() - 1],
            r.stderr.len()
        );
        assert_no_panic(&r.stderr);
    }
}

/// Runs `stabcost ARGS` with standard output on `/dev/full`, where every write fails.
fn run_into_a_full_disk(args: &[&str]) -> Option<(i32, String)> {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()?;
    let out = std::process::Command::new(common::bin())
        .args(args)
        .env_remove("STABCOST_RATES")
        .stdout(full)
        .output()
        .unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    ))
}

#[test]
fn a_failed_write_names_what_failed_and_exits_1() {
    for (args, what) in [
        (&["rates"][..], "cannot write the report: "),
        (
            &["quote", "ultra", "--format", "json"],
            "cannot write the report: ",
        ),
        (&["man"], "cannot write the output: "),
        (&["quote", "-h"], "cannot write the help: "),
        (&["--help"], "cannot write the help: "),
        (&["quote", "-V"], "cannot write the version: "),
    ] {
        let Some((code, stderr)) = run_into_a_full_disk(args) else {
            return; // no /dev/full on this system
        };
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {what}")),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_long_generated_workflow_is_summarised_in_one_short_line() {
    // 100,000 Core steps: 300,000 credits, $3,000.00 per asset. The summary names the
    // first steps and the count, not the 700 KB expression.
    let expr = vec!["core"; 100_000].join("+");
    let r = run_with(&["workflow", "-"], Some(expr.as_bytes()), &[]);
    let summary = r
        .ok()
        .lines()
        .find(|l| l.contains("per asset:"))
        .expect("a summary line");
    assert_eq!(
        summary,
        "core + core + core + … (100,000 steps) per asset: 300,000 credits = $3,000.00; \
         1 asset: 300,000 credits = $3,000.00"
    );
}

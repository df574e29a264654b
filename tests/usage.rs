//! `stabcost usage` on logs made by `bench/gen_usage.py` (a copy of the shared tool),
//! whose totals are worked out by the generator from the guide's prices, not by
//! stabcost; and the reader's invariants: the same report whatever the number of
//! threads, the buffer size (records cut across chunks) or the compression.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;

use common::{bin, json, run};
use serde_json::Value;
use stabcost::rates::RateCard;
use stabcost::usage::{GroupKey, Input, Kind, Options, Pricing, Usage};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `bench/gen_usage.py ROWS OUT [--csv]` and returns the totals it printed.
fn generate(rows: u32, out: &Path, csv: bool) -> Value {
    let mut cmd = Command::new("python3");
    cmd.arg("bench/gen_usage.py").arg(rows.to_string()).arg(out);
    if csv {
        cmd.arg("--csv");
    }
    let done = cmd.output().expect("python3 runs bench/gen_usage.py");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    serde_json::from_slice(&done.stderr).unwrap()
}

/// `usage LOG --format json`'s credits by service, its charged and not-charged calls.
fn by_service(report: &Value) -> (Vec<(String, String)>, u64, u64) {
    let lines = report["lines"].as_array().unwrap();
    let credits = lines
        .iter()
        .filter(|l| l["calls"].as_u64().unwrap() > 0)
        .map(|l| {
            (
                l["service"].as_str().unwrap().to_owned(),
                l["credits"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (
        credits,
        report["total"]["calls"].as_u64().unwrap(),
        report["total"]["not_charged"].as_u64().unwrap(),
    )
}

/// The generator's credits by service, as exact decimal strings without trailing zeros.
fn expected(totals: &Value) -> Vec<(String, String)> {
    totals["by_service"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let d: rust_decimal::Decimal = v.as_str().unwrap().parse().unwrap();
            (k.clone(), d.normalize().to_string())
        })
        .collect()
}

fn gzip(path: &Path, out: &Path) {
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(out).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(path).unwrap()).unwrap();
    enc.finish().unwrap();
}

#[test]
fn a_hundred_thousand_generated_calls_as_jsonl_csv_and_gzip_give_the_generators_totals() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("calls.jsonl");
    let csv = dir.path().join("calls.csv");
    let gz = dir.path().join("calls.jsonl.gz");
    let totals = generate(100_000, &jsonl, false);
    let csv_totals = generate(100_000, &csv, true);
    assert_eq!(
        totals, csv_totals,
        "the generator writes the same calls either way"
    );
    gzip(&jsonl, &gz);
    let want = expected(&totals);
    assert_eq!(want.len(), 13, "every service the generator calls");
    for log in [&jsonl, &csv, &gz] {
        let report = json(&["usage", log.to_str().unwrap()]);
        let (credits, charged, not_charged) = by_service(&report);
        assert_eq!(credits, want, "{}", log.display());
        assert_eq!(
            charged,
            totals["charged"].as_u64().unwrap(),
            "{}",
            log.display()
        );
        assert_eq!(
            not_charged,
            totals["failed"].as_u64().unwrap(),
            "{}",
            log.display()
        );
        let total: rust_decimal::Decimal = totals["credits"].as_str().unwrap().parse().unwrap();
        assert_eq!(report["total"]["credits"], total.normalize().to_string());
        assert_eq!(report["records"]["read"], 100_000);
        assert_eq!(report["records"]["malformed"], 0);
    }
}

#[test]
fn concatenated_gzip_members_are_read_to_the_end() {
    // logrotate and `cat a.gz b.gz` make multi-member files; a reader that stops after
    // the first member would silently drop calls.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.jsonl");
    // Ultra (8), Core (3) and SD3.5 Large (6.5): 17.5 credits.
    std::fs::write(
        &log,
        concat!(
            r#"{"ts":"2026-10-01T09:00:00Z","endpoint":"/v2beta/stable-image/generate/ultra","status":200}"#, "\n",
            r#"{"ts":"2026-10-01T09:01:00Z","endpoint":"/v2beta/stable-image/generate/core","status":200}"#, "\n",
            r#"{"ts":"2026-10-01T09:03:00Z","endpoint":"/v2beta/stable-image/generate/sd3","model":"sd3.5-large","status":200}"#, "\n",
        ),
    )
    .unwrap();
    let one = dir.path().join("one.jsonl.gz");
    gzip(&log, &one);
    let both = dir.path().join("both.jsonl.gz");
    let mut bytes = std::fs::read(&one).unwrap();
    bytes.extend(std::fs::read(&one).unwrap());
    std::fs::write(&both, bytes).unwrap();
    let report = json(&["usage", both.to_str().unwrap()]);
    assert_eq!(report["total"]["credits"], "35", "17.5 credits, twice");
    assert_eq!(report["records"]["read"], 6);
}

fn cards() -> Vec<RateCard> {
    stabcost::rates::all_built_in().unwrap()
}

/// Reads `path` through the library with `threads` workers of `buffer` bytes each.
fn read(path: &Path, kind: Kind, threads: usize, buffer: usize) -> Usage {
    read_daily(path, kind, threads, buffer, false)
}

/// [`read`], also counting the calls per day, tag and service when `daily`.
fn read_daily(path: &Path, kind: Kind, threads: usize, buffer: usize, daily: bool) -> Usage {
    let opts = Options {
        logs: Vec::new(),
        input: Some(kind),
        group_by: vec![
            GroupKey::Day,
            GroupKey::Service,
            GroupKey::Tag,
            GroupKey::Status,
            GroupKey::Endpoint,
        ],
        sd3_model: Some("sd3.5-medium".into()),
        threads: Some(threads),
        buffer: Some(buffer),
        daily,
        ..Options::default()
    };
    let input = Input::from_reader("log", kind, Box::new(std::fs::File::open(path).unwrap()));
    stabcost::usage::run_inputs(Pricing::ByDay(cards()), &opts, vec![input]).unwrap()
}

#[test]
fn the_report_is_the_same_whatever_the_threads_and_buffers() {
    let dir = PathBuf::from("tests/cmd/usage.in");
    for (file, kind) in [
        ("acceptance.jsonl", Kind::Jsonl),
        ("edge.jsonl", Kind::Jsonl),
        ("history.jsonl", Kind::Jsonl),
        ("acceptance.csv", Kind::Csv),
        ("edge.csv", Kind::Csv),
        ("acceptance.log", Kind::Clf),
    ] {
        let path = dir.join(file);
        let one = read(&path, kind, 1, 1 << 20);
        let a = one.accounting();
        assert_eq!(
            a.read,
            a.charged + a.not_charged + a.not_billable + a.unpriced + a.malformed + a.outside_range,
            "{file}: the counts add up"
        );
        // Buffers of a few bytes cut every record across chunks and grow for long ones.
        for (threads, buffer) in [(2, 1 << 20), (1, 7), (2, 16), (3, 64)] {
            let other = read(&path, kind, threads, buffer);
            assert_eq!(
                other.rows, one.rows,
                "{file}: {threads} threads, {buffer}-byte buffers"
            );
            assert_eq!(
                other.accounting(),
                a,
                "{file}: {threads} threads, {buffer}-byte buffers"
            );
            assert_eq!(other.unpriced, one.unpriced, "{file}");
            assert_eq!(other.malformed_lines, one.malformed_lines, "{file}");
        }
    }
}

#[test]
fn the_progress_bar_stays_off_when_stderr_is_not_a_terminal() {
    // A large log piped through: standard error holds the warnings and nothing else.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("big.jsonl");
    let line = br#"{"ts":"2026-10-01T09:00:00Z","endpoint":"/v2beta/stable-image/generate/core","status":200}"#;
    let mut f = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    for _ in 0..800_000 {
        f.write_all(line).unwrap();
        f.write_all(b"\n").unwrap();
    }
    drop(f);
    let out = Command::new(bin())
        .args(["usage", log.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "service,calls,not_charged,credits,usd\ncore,800000,0,2400000,24000.00\n,800000,0,2400000,24000.00\n"
    );
}

/// `usage LOG --format json`, whatever it warns about.
fn usage_json(log: &Path) -> Value {
    let r = run(&["usage", log.to_str().unwrap(), "--format", "json"]);
    serde_json::from_str(&r.stdout).unwrap()
}

/// A Core call (3 credits) on 2026-10-01, as a JSONL line.
const CORE: &str =
    r#"{"ts":"2026-10-01T09:00:00Z","endpoint":"/v2beta/stable-image/generate/core","status":200}"#;

/// A valid JSONL record of exactly `len` bytes, its newline not counted: a Core call
/// padded with a `note` field the reader skips.
fn padded(len: usize) -> String {
    let head = r#"{"ts":"2026-10-01T09:00:00Z","endpoint":"/v2beta/stable-image/generate/core","status":200,"note":""#;
    let pad = len - head.len() - 2;
    format!("{head}{}\"}}", "x".repeat(pad))
}

#[test]
fn a_record_longer_than_a_mebibyte_is_one_malformed_record() {
    assert_eq!(stabcost::usage::MAX_RECORD, 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    // A record of 1,048,575 bytes and its newline is 1 MiB: read and priced. One byte
    // more is malformed, as are 1.5 MiB and 3 MiB ones, and a last line of 3 MiB with
    // no newline. Core calls around them: line 1, then lines 3, 5, 7 and 9 between the
    // long ones; 1 + 4 = 5 Core calls priced at 3 credits, plus the 1 MiB one: 18.
    let mut text = format!("{CORE}\n");
    for (i, long) in [
        padded((1 << 20) - 1),
        padded(1 << 20),
        padded(3 << 19),
        padded(3 << 20),
    ]
    .iter()
    .enumerate()
    {
        text.push_str(long);
        text.push('\n');
        text.push_str(CORE);
        text.push('\n');
        assert!(i < 4);
    }
    text.push_str(&padded(3 << 20));
    let log = dir.path().join("long.jsonl");
    std::fs::write(&log, &text).unwrap();
    let report = usage_json(&log);
    assert_eq!(report["records"]["read"], 10, "{report}");
    assert_eq!(report["records"]["malformed"], 4);
    assert_eq!(report["total"]["calls"], 6);
    assert_eq!(report["total"]["credits"], "18");
    let out = Command::new(bin())
        .args(["usage", log.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lines 4, 6, 8 and 10 of"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same whatever the workers and their buffers.
    let one = read(&log, Kind::Jsonl, 1, 1 << 20);
    for (threads, buffer) in [(2, 1 << 20), (1, 7), (3, 4096)] {
        let other = read(&log, Kind::Jsonl, threads, buffer);
        assert_eq!(other.accounting(), one.accounting(), "{threads}, {buffer}");
        assert_eq!(
            other.malformed_lines, one.malformed_lines,
            "{threads}, {buffer}"
        );
        assert_eq!(other.rows, one.rows);
    }
}

#[test]
fn a_long_quoted_csv_field_is_one_malformed_row_whatever_its_newlines() {
    // Row 2 holds a quoted note of 2 MiB with newlines in it: one row, malformed, and
    // the rows after it still read. Two Core rows: 6 credits.
    let dir = tempfile::tempdir().unwrap();
    let row = "2026-10-01T09:00:00Z,/v2beta/stable-image/generate/core,200,";
    let note = "line\n".repeat((2 << 20) / 5);
    let text = format!("ts,endpoint,status,note\n{row}\n{row}\"{note}\"\n{row}\n");
    let log = dir.path().join("long.csv");
    std::fs::write(&log, &text).unwrap();
    let report = usage_json(&log);
    assert_eq!(report["records"]["read"], 3, "{report}");
    assert_eq!(report["records"]["malformed"], 1);
    assert_eq!(report["total"]["credits"], "6");
    let one = read(&log, Kind::Csv, 1, 1 << 20);
    for (threads, buffer) in [(2, 1 << 20), (1, 7), (3, 4096)] {
        let other = read(&log, Kind::Csv, threads, buffer);
        assert_eq!(other.accounting(), one.accounting(), "{threads}, {buffer}");
        assert_eq!(other.malformed_lines, one.malformed_lines);
    }
    // A header longer than any record is no usage log: an error, exit 2.
    let huge = dir.path().join("huge-header.csv");
    std::fs::write(&huge, format!("ts,endpoint,{}\n", "x".repeat(2 << 20))).unwrap();
    let out = Command::new(bin())
        .args(["usage", huge.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("longer than 1 MiB"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_calls_per_day_tag_and_service_add_up_to_the_report() {
    let dir = PathBuf::from("tests/cmd/usage.in");
    for (file, kind) in [
        ("acceptance.jsonl", Kind::Jsonl),
        ("history.jsonl", Kind::Jsonl),
        ("labels.jsonl", Kind::Jsonl),
        ("acceptance.csv", Kind::Csv),
    ] {
        let path = dir.join(file);
        let plain = read(&path, kind, 1, 1 << 20);
        assert!(plain.daily.is_empty(), "{file}: counted only when asked");
        for (threads, buffer) in [(1, 1 << 20), (3, 16)] {
            let counted = read_daily(&path, kind, threads, buffer, true);
            // Counting them changes nothing of the report.
            assert_eq!(counted.rows, plain.rows, "{file}");
            assert_eq!(counted.total, plain.total, "{file}");
            let d = &counted.daily;
            let charged: u64 = d.iter().map(|s| s.charged).sum();
            let not_charged: u64 = d.iter().map(|s| s.not_charged).sum();
            let usd: rust_decimal::Decimal = d.iter().map(|s| s.usd).sum();
            let credits: rust_decimal::Decimal = d.iter().map(|s| s.credits).sum();
            assert_eq!(
                (charged, not_charged, credits, usd),
                (
                    plain.total.charged,
                    plain.total.not_charged,
                    plain.total.credits,
                    plain.total.usd
                ),
                "{file}, {threads} threads"
            );
            // In order of day and tag, each day, tag and service once.
            let keys: Vec<_> = d.iter().map(|s| (s.day, &s.tag)).collect();
            assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{file}: {keys:?}");
            let mut each: Vec<_> = d.iter().map(|s| (s.day, &s.tag, &s.service)).collect();
            each.dedup();
            assert_eq!(each.len(), d.len(), "{file}");
        }
    }
}

#[test]
fn the_what_if_logs_are_what_their_generator_writes() {
    common::assert_generator_writes("tests/cmd/whatif/generate.py");
}

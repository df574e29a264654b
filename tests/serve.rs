//! `stabcost serve`'s pages, through the real binary on a free loopback port: each
//! page's figures, worked out by hand from the pricing guide as in tests/acceptance.rs,
//! the same answers as the CLI in each format, mistakes on the form with HTTP 400, and
//! no request reaching a file on the server.
//!
//! - quote ultra × 2,000: 8 credits × 2,000 = 16,000 credits = $160.00;
//! - workflow core+rmbg+upscale-conservative: 3 + 5 + 40 = 48 credits = $0.48;
//! - compare at 15,000: Core 3 × 15,000 = 45,000 credits = $450.00, Ultra 8 × 15,000 =
//!   120,000 credits = $1,200.00;
//! - examples/plan.toml: 2,000 × 3 + 100 × (6 × 3 + 5 + 40) + 3,000 × 3 = 21,300
//!   credits = $213.00 a month;
//! - the acceptance log: core 3 + sd3.5-large 6.5 + ultra 8 = 17.5 credits = $0.175;
//!   with examples/negotiated.toml (Ultra at 6): 15.5 credits = $0.155.

#![cfg(feature = "serve")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

#[path = "common/server.rs"]
mod server;

use server::{Server, cli, cli_any, file};

const LOG: &str = "tests/cmd/usage.in/acceptance.jsonl";
const ACCOUNTING: &str =
    "7 records read: 3 charged, 1 not charged (non-2xx), 1 not billable, 1 unpriced, 1 malformed";

#[test]
fn each_page_shows_the_guides_figures_with_its_form_filled_in() {
    let s = Server::start(&[]);
    let quote = s.get("/quote?service=ultra&count=2000");
    let page = quote.ok();
    assert_eq!(
        quote.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.contains("<title>stabcost quote: $160.00 in all</title>"),
        "{page}"
    );
    assert!(
        page.contains("data-value=\"160.00\">$160.00</td>"),
        "{page}"
    );
    assert!(page.contains("data-value=\"16000\">16,000</td>"), "{page}");
    // The form asks the same again, and links to the same answer in other formats.
    assert!(page.contains("name=\"service\" value=\"ultra\""), "{page}");
    assert!(page.contains("name=\"count\" value=\"2000\""), "{page}");
    for format in ["csv", "json", "markdown"] {
        assert!(
            page.contains(&format!(
                "href=\"/quote?service=ultra&amp;count=2000&amp;format={format}\""
            )),
            "{format}: {page}"
        );
    }

    let workflow = s.get("/workflow?expr=core%2Brmbg%2Bupscale-conservative");
    let page = workflow.ok();
    assert!(page.contains("data-value=\"0.48\">$0.48</td>"), "{page}");
    assert!(
        page.contains("value=\"core+rmbg+upscale-conservative\""),
        "{page}"
    );

    let compare = s.get("/compare?images=15%2C000");
    let page = compare.ok();
    assert!(
        page.contains("data-value=\"450.00\">$450.00</td>"),
        "{page}"
    );
    assert!(
        page.contains("data-value=\"1200.00\">$1,200.00</td>"),
        "{page}"
    );
    assert!(page.contains("value=\"15,000\""), "{page}");
    // --users 500 --per-user 30 is the same volume.
    let users = s.get("/compare?users=500&per-user=30&with=rmbg");
    // Core: (3 + 5) × 15,000 = 120,000 credits, $1,200.00.
    assert!(
        users.ok().contains("data-value=\"1200.00\""),
        "{}",
        users.body
    );

    let rates = s.get("/rates?category=upscale");
    assert!(
        rates.ok().contains(">upscale-conservative</"),
        "{}",
        rates.body
    );
    assert!(s.get("/rates?changes=1").ok().contains("2025-08-01"));
    assert!(s.get("/rates?history=1").ok().contains("2025-08-01"));

    let index = s.get("/");
    for page in [
        "/quote",
        "/workflow",
        "/compare",
        "/rates",
        "/plan",
        "/diff",
        "/usage",
    ] {
        assert!(index.ok().contains(&format!("href=\"{page}\"")), "{page}");
    }
}

#[test]
fn uploads_price_a_plan_a_diff_and_a_log_streamed() {
    let s = Server::start(&[]);
    let plan = file("examples/plan.toml");
    let r = s.post("/plan", &[("plan", Some("plan.toml"), &plan)]);
    let page = r.ok();
    assert!(
        page.contains("data-value=\"213.00\">$213.00</td>"),
        "{page}"
    );
    // The form holds the plan's text again, to change and send anew.
    assert!(page.contains("name = &quot;Storefront app&quot;"), "{page}");
    // The other formats are downloads of the same answer.
    assert!(
        page.contains("download=\"plan.csv\" href=\"data:text/csv"),
        "{page}"
    );

    // Pasted instead of uploaded, with a forecast.
    let r = s.post("/plan", &[("plan", None, &plan), ("months", None, b"12")]);
    assert!(r.ok().contains("$213.00"), "{}", r.body);

    let r = s.post("/usage", &[("log", Some("acceptance.jsonl"), &file(LOG))]);
    let page = r.ok();
    assert!(page.contains("data-value=\"0.175\">$0.175</td>"), "{page}");
    assert!(page.contains(ACCOUNTING), "{page}");

    // Gzipped, twice in one request, grouped by month then service: 2 × $0.175.
    let gz = gzip(&file(LOG));
    let r = s.post(
        "/usage",
        &[
            ("group-by", None, b"month"),
            ("group-by", None, b"service"),
            ("log", Some("a.jsonl.gz"), &gz),
            ("log", Some("b.jsonl"), &file(LOG)),
        ],
    );
    let page = r.ok();
    assert!(
        page.contains("data-value=\"0.350\">$0.350</td>")
            || page.contains("data-value=\"0.35\">$0.35"),
        "{page}"
    );
    assert!(page.contains(">2026-10</th>"), "{page}");

    // An overlay card uploaded with the log: Ultra at 6 credits.
    let r = s.post(
        "/usage",
        &[
            (
                "rates",
                Some("negotiated.toml"),
                &file("examples/negotiated.toml"),
            ),
            ("log", Some("acceptance.jsonl"), &file(LOG)),
        ],
    );
    assert!(
        r.ok().contains("data-value=\"0.155\">$0.155</td>"),
        "{}",
        r.body
    );

    // Are we on plan? tests/cmd/actual.md's October: avatars $120.00 against $90.00
    // planned, $243.00 spent against $213.00.
    let october = "tests/cmd/actual/october-2026.jsonl.gz";
    let r = s.post(
        "/usage",
        &[
            ("plan", None, &plan),
            ("log", Some("october-2026.jsonl.gz"), &file(october)),
        ],
    );
    let page = r.ok();
    assert!(
        page.contains("$243.00 spent, $213.00 planned (+$30.00, +14.08%)"),
        "{page}"
    );
    assert!(
        page.contains("data-value=\"120.00\">$120.00</td>"),
        "{page}"
    );

    // A diff of the plan against itself priced under the card before 2025-08-01.
    let r = s.post(
        "/diff",
        &[
            ("base", Some("plan.toml"), &plan),
            ("base-as-of", None, b"2025-07-01"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("stabcost diff"), "{}", r.body);
}

#[test]
fn a_servers_card_prices_every_page() {
    let s = Server::start_with(&["--rates", "examples/negotiated.toml"], &[], &[]);
    // Ultra at 6 credits: 12,000 credits, $120.00.
    let r = s.get("/quote?service=ultra&count=2000");
    assert!(
        r.ok().contains("data-value=\"120.00\">$120.00</td>"),
        "{}",
        r.body
    );
}

#[test]
fn every_format_is_the_clis_answer_with_its_content_type() {
    let s = Server::start(&[]);
    for (path, args) in [
        (
            "/quote?service=ultra&count=2000",
            vec!["quote", "ultra", "--count", "2000"],
        ),
        (
            "/workflow?expr=core*6%2Brmbg&count=100",
            vec!["workflow", "core*6+rmbg", "--count", "100"],
        ),
        (
            "/compare?images=15000&with=rmbg",
            vec!["compare", "--images", "15000", "--with", "rmbg"],
        ),
        ("/compare?budget=100", vec!["compare", "--budget", "100"]),
        (
            "/rates?category=upscale",
            vec!["rates", "--category", "upscale"],
        ),
        (
            "/rates?changes=1&since=2025-01-01",
            vec!["rates", "--changes", "--since", "2025-01-01"],
        ),
    ] {
        for (format, mime) in [
            ("json", "application/json"),
            ("csv", "text/csv; charset=utf-8"),
            ("markdown", "text/markdown; charset=utf-8"),
            ("html", "text/html; charset=utf-8"),
        ] {
            let r = s.get(&format!("{path}&format={format}"));
            let mut want = args.clone();
            want.extend(["--format", format]);
            assert_eq!(r.ok(), cli(&want), "{path} as {format}");
            assert_eq!(r.header("content-type"), Some(mime), "{path}");
        }
    }
    let plan = file("examples/plan.toml");
    let r = s.post(
        "/plan?format=json",
        &[("plan", Some("examples/plan.toml"), &plan)],
    );
    assert_eq!(
        r.ok(),
        cli(&["plan", "examples/plan.toml", "--format", "json"])
    );
    let r = s.post(
        "/usage",
        &[("format", None, b"csv"), ("log", Some(LOG), &file(LOG))],
    );
    assert_eq!(r.ok(), cli(&["usage", LOG, "--format", "csv"]));
    // usage --plan, the plan uploaded with the log.
    let october = "tests/cmd/actual/october-2026.jsonl.gz";
    for format in ["json", "csv", "markdown"] {
        let r = s.post(
            "/usage",
            &[
                ("format", None, format.as_bytes()),
                ("budget", None, b"240"),
                ("plan", Some("examples/plan.toml"), &plan),
                ("log", Some(october), &file(october)),
            ],
        );
        let want = cli_any(&[
            "usage",
            october,
            "--plan",
            "examples/plan.toml",
            "--budget",
            "240",
            "--format",
            format,
        ]);
        assert_eq!(r.ok(), want, "{format}");
    }
}

#[test]
fn usage_what_if_and_levers_are_the_clis_answers() {
    let s = Server::start(&[]);
    // usage --what-if (two swaps in one field) and --levers, the same as the CLI's.
    let whatif = "tests/cmd/whatif/october.jsonl.gz";
    let r = s.post(
        "/usage",
        &[
            ("format", None, b"csv"),
            (
                "what-if",
                None,
                b"ultra=core, upscale-creative=upscale-conservative",
            ),
            ("log", Some(whatif), &file(whatif)),
        ],
    );
    let csv = cli(&[
        "usage",
        whatif,
        "--what-if",
        "ultra=core",
        "--what-if",
        "upscale-creative=upscale-conservative",
        "--format",
        "csv",
    ]);
    // $380.00 → $30.00 + $200.00 = $230.00: the SPEC's figures; in credits 1,000 × 8 +
    // 500 × 60 = 38,000 → 3,000 + 20,000 = 23,000.
    assert!(
        csv.contains("\n,,,,1500,380.00,230.00,150.00,39.47,38000,23000,15000\n"),
        "{csv}"
    );
    assert_eq!(r.ok(), csv);
    let r = s.post(
        "/usage",
        &[
            ("format", None, b"json"),
            ("levers", None, b"on"),
            ("gpu-monthly", None, b"1800"),
            ("seconds-per-image", None, b"4"),
            ("log", Some(whatif), &file(whatif)),
        ],
    );
    let want = cli(&[
        "usage",
        whatif,
        "--levers",
        "--gpu-monthly",
        "1800",
        "--seconds-per-image",
        "4",
        "--format",
        "json",
    ]);
    assert_eq!(r.ok(), want);
    // A plan uploaded with a what-if: refused, as the command line refuses --plan with
    // --what-if.
    let plan = file("examples/plan.toml");
    let r = s.post(
        "/usage",
        &[
            ("format", None, b"csv"),
            ("what-if", None, b"ultra=core"),
            ("plan", Some("examples/plan.toml"), &plan),
            ("log", Some(whatif), &file(whatif)),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains("the argument '--what-if <FROM=TO>' cannot be used with '--plan <PLAN>'"),
        "{}",
        r.body
    );
}

#[test]
fn a_mistake_is_the_clis_message_on_the_form_with_http_400() {
    let s = Server::start(&[]);
    let r = s.get("/workflow?expr=core%2Brmbgg%2Bupscale-conservative");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("error: unknown service &#39;rmbgg&#39;"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("core+rmbgg+upscale-conservative\n       ^^^^^"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"core+rmbgg+upscale-conservative\""),
        "{}",
        r.body
    );
    // As text when a format was asked for: the CLI's standard error, word for word.
    let r = s.get("/quote?service=ultar&format=json");
    assert_eq!(r.status, 400);
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert!(
        r.body
            .starts_with("error: unknown service 'ultar'\nhint: did you mean 'ultra'?"),
        "{}",
        r.body
    );
    // clap's own messages too.
    let r = s.get("/quote?service=ultra&count=-5");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("error: "), "{}", r.body);
    let r = s.get("/compare?images=10&budget=5");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("cannot be used with"), "{}", r.body);
    // An empty form is a form, not a mistake.
    assert_eq!(s.get("/quote").status, 200);
    assert_eq!(s.get("/usage").status, 200);
    assert_eq!(s.post("/usage", &[("log", Some(""), b"")]).status, 400);
}

#[test]
fn text_from_a_request_is_shown_as_text() {
    let s = Server::start(&[]);
    let script = "<script>alert(1)</script>";
    let plan = format!("[[workloads]]\nname = \"{script}\"\npipeline = \"core\"\nper-month = 10\n");
    let r = s.post("/plan", &[("plan", None, plan.as_bytes())]);
    let page = r.ok();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains(script), "{page}");
    assert!(!page.contains("<script"), "{page}");
    let r = s.get("/quote?service=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(r.status, 400);
    assert!(!r.body.contains("<script"), "{}", r.body);
    let r = s.get("/quote?%22%3E%3Cscript%3E=1");
    assert_eq!(r.status, 400);
    assert!(!r.body.contains("<script"), "{}", r.body);
}

#[test]
fn no_request_names_a_file_on_the_server() {
    let s = Server::start(&[]);
    for path in [
        "/quote?service=ultra&rates=%2Fetc%2Fpasswd",
        "/workflow?expr=-",
        "/compare?images=10&with=-",
        "/rates?changes=1&against=%2Fetc%2Fpasswd",
        "/rates?changes=1&against=Cargo.toml",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
    }
    let plan = b"rates = \"/etc/passwd\"\n[[workloads]]\nname = \"a\"\npipeline = \"core\"\nper-month = 1\n";
    let r = s.post("/plan", &[("plan", None, plan)]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("reads no file"), "{}", r.body);
}

#[test]
fn the_help_examples_serve() {
    let help = cli(&["serve", "--help"]);
    let examples = help.rsplit_once("Examples:").unwrap().1;
    let dir = tempfile::tempdir().unwrap();
    // --open runs xdg-open with the address: a stand-in records it.
    let opened = dir.path().join("opened");
    let stub = dir.path().join("xdg-open");
    std::fs::write(
        &stub,
        format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&stub, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for line in examples
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("stabcost serve"))
    {
        let command = line.split("  ").next().unwrap();
        let words: Vec<&str> = command
            .split_whitespace()
            .skip(2)
            .map(|w| {
                if w == "negotiated.toml" {
                    "examples/negotiated.toml"
                } else {
                    w
                }
            })
            .collect();
        let (global, args): (Vec<&str>, Vec<&str>) =
            match words.iter().position(|w| *w == "--rates") {
                Some(i) => (
                    words[i..i + 2].to_vec(),
                    [&words[..i], &words[i + 2..]].concat(),
                ),
                None => (Vec::new(), words.clone()),
            };
        let s = Server::start_with(&global, &args, &[("PATH", &path)]);
        assert!(s.get("/").ok().contains("stabcost"), "{line}");
        if args.contains(&"--open") {
            for _ in 0..50 {
                if opened.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let url = std::fs::read_to_string(&opened).unwrap();
            assert_eq!(url.trim(), format!("http://{}/", s.addr), "{line}");
        }
        ran += 1;
    }
    assert!(ran >= 3, "{ran} examples");
    // The curl examples, with curl's requests made by hand.
    let s = Server::start(&[]);
    let r = s.get("/quote?service=ultra&count=2000&format=json");
    assert!(r.ok().contains("\"usd\": \"160.00\""), "{}", r.body);
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let s = Server::start(&[]);
    assert!(s.banner.contains("Ctrl-C stops it"), "{}", s.banner);
    assert_eq!(s.get("/").status, 200);
    let (status, out, err) = s.interrupt();
    assert!(status.success(), "{status:?}: {err}");
    assert!(out.contains("stopped"), "{out}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn stabcost_serve_is_its_own_binary_and_says_so_when_it_is_missing() {
    use std::process::Command;
    // The server is `stabcost-serve`, run in stabcost's place: the process answering
    // is that binary (its banner is the same).
    let s = Server::start(&[]);
    let comm = std::fs::read_to_string(format!("/proc/{}/comm", s.child.id())).unwrap_or_default();
    if !comm.is_empty() {
        assert_eq!(comm.trim(), "stabcost-serve");
    }
    drop(s);
    // A stabcost with no stabcost-serve beside it nor on PATH: exit 2, and how to get it.
    let dir = tempfile::tempdir().unwrap();
    let lonely = dir.path().join("stabcost");
    std::fs::copy(env!("CARGO_BIN_EXE_stabcost"), &lonely).unwrap();
    let out = Command::new(&lonely)
        .arg("serve")
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: stabcost serve runs stabcost-serve, which is neither beside this stabcost nor on PATH"),
        "{err}"
    );
    assert!(
        err.contains("hint: cargo install --path . installs both"),
        "{err}"
    );
    // stabcost-serve is for serve only.
    let out = Command::new(env!("CARGO_BIN_EXE_stabcost-serve"))
        .args(["quote", "ultra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: stabcost-serve runs the web calculator only"),
        "{err}"
    );
}

/// `bytes` gzipped.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

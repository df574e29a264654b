//! Acceptance tests for quote, rates, workflow and compare, driving the real binary.
//!
//! Every expected figure is worked out by hand from the pricing guide
//! (`shared/seed/stability-api-pricing-2026-06.txt`) or SPEC.md; the arithmetic is in the
//! comments. None is computed by the code under test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;
use common::{json, run, run_with, s};

// ------------------------------------------------------------------ quote

#[test]
fn quote_ultra_2000_is_16000_credits_160_dollars() {
    // Guide: Ultra 8 credits; 8 × 2,000 = 16,000 credits; × $0.01 = $160.
    let v = json(&["quote", "ultra", "--count", "2000"]);
    assert_eq!(s(&v, "/total/credits"), "16000");
    assert_eq!(s(&v, "/total/usd"), "160.00");
    assert_eq!(s(&v, "/lines/0/service"), "ultra");
    assert_eq!(s(&v, "/lines/0/credits_each"), "8");
    assert_eq!(s(&v, "/lines/0/usd_each"), "0.08");
    let table = run(&["quote", "ultra", "--count", "2000"]);
    assert!(table.ok().contains("16,000") && table.ok().contains("$160.00"));
}

#[test]
fn quote_figures_from_the_guide() {
    // (service, count, USD): guide's e-commerce table, avatar and 15,000-image examples.
    let cases = [
        ("core", "2000", "60.00"),          // 3 × 2,000 = 6,000 credits
        ("sd35-medium", "2000", "70.00"),   // 3.5 × 2,000 = 7,000
        ("sd35-large", "2000", "130.00"),   // 6.5 × 2,000 = 13,000
        ("core", "3000", "90.00"),          // 3 × 3,000 = 9,000
        ("sd35-medium", "15000", "525.00"), // 3.5 × 15,000 = 52,500
    ];
    for (service, count, usd) in cases {
        let v = json(&["quote", service, "--count", count]);
        assert_eq!(s(&v, "/total/usd"), usd, "{service} × {count}");
    }
}

#[test]
fn quote_sdxl_at_50_steps_is_one_and_a_half_credits() {
    // SPEC: 0.9 × 50 / 30 = 1.5 credits = $0.015.
    let v = json(&["quote", "sdxl", "--steps", "50"]);
    assert_eq!(s(&v, "/lines/0/credits_each"), "1.5");
    assert_eq!(s(&v, "/lines/0/usd_each"), "0.015");
    assert_eq!(
        v.pointer("/lines/0/steps")
            .and_then(serde_json::Value::as_u64),
        Some(50)
    );
    // At or under 30 steps the price is the flat 0.9.
    let v = json(&["quote", "sdxl", "--steps", "20"]);
    assert_eq!(s(&v, "/lines/0/credits_each"), "0.9");
}

#[test]
fn quote_resolves_aliases_case_insensitively() {
    // Guide: Remove Background is 5 credits.
    for name in ["rmbg", "RMBG", "remove-background", "Remove-Background"] {
        let v = json(&["quote", name]);
        assert_eq!(s(&v, "/lines/0/service"), "remove-background");
        assert_eq!(s(&v, "/lines/0/credits_each"), "5");
    }
}

#[test]
fn a_tenth_of_a_credit_times_three_is_exactly_three_tenths() {
    // 0.1 × 3 = 0.3 credits; 0.3 × $0.01 = $0.003.
    let v = json(&[
        "--rates",
        "tests/cards/tenth.toml",
        "quote",
        "tenth",
        "--count",
        "3",
    ]);
    assert_eq!(s(&v, "/total/credits"), "0.3");
    assert_eq!(s(&v, "/total/usd"), "0.003");
    // The same card through the environment variable.
    let r = run_with(
        &["quote", "tenth", "--count", "3", "--format", "csv"],
        None,
        &[("STABCOST_RATES", "tests/cards/tenth.toml")],
    );
    assert!(r.ok().contains("total,,,,3,0.3,0.003"), "{}", r.stdout);
}

#[test]
fn quantities_accept_separators() {
    for count in ["15000", "15_000", "15,000"] {
        let v = json(&["quote", "core", "--count", count]);
        assert_eq!(s(&v, "/total/usd"), "450.00"); // 3 × 15,000 = 45,000 credits
    }
}

#[test]
fn free_credits_default_to_the_signup_bonus() {
    // Ultra × 10 = 80 credits; the 25-credit bonus leaves 55 to buy: one 1,000-credit pack.
    let v = json(&["quote", "ultra", "--count", "10", "--free-credits"]);
    assert_eq!(s(&v, "/free_credits/available"), "25");
    assert_eq!(s(&v, "/free_credits/applied"), "25");
    assert_eq!(s(&v, "/topups/credits_to_buy"), "55");
    assert_eq!(s(&v, "/topups/packs"), "1");
    assert_eq!(s(&v, "/topups/usd"), "10.00");
    // The bill itself is unchanged: 80 credits, $0.80.
    assert_eq!(s(&v, "/total/usd"), "0.80");
    // One Ultra image (8 credits) fits inside the bonus: nothing to buy.
    let v = json(&["quote", "ultra", "--free-credits"]);
    assert_eq!(s(&v, "/free_credits/applied"), "8");
    assert_eq!(s(&v, "/topups/packs"), "0");
    // An explicit number replaces the bonus.
    let v = json(&["quote", "ultra", "--count", "10", "--free-credits", "100"]);
    assert_eq!(s(&v, "/free_credits/applied"), "80");
    let table = run(&["quote", "ultra", "--free-credits"]);
    assert!(
        table.ok().contains("free credits: 8 of 25 applied"),
        "{}",
        table.stdout
    );
}

#[test]
fn forty_eight_credits_still_need_one_ten_dollar_pack() {
    // Ultra × 6 = 48 credits: the minimum purchase is one 1,000-credit pack, $10.
    let v = json(&["quote", "ultra", "--count", "6"]);
    assert_eq!(s(&v, "/total/credits"), "48");
    assert_eq!(s(&v, "/topups/packs"), "1");
    assert_eq!(s(&v, "/topups/usd"), "10.00");
    // 16,000 credits is exactly 16 packs; 16,001 would be 17.
    let v = json(&["quote", "ultra", "--count", "2000"]);
    assert_eq!(s(&v, "/topups/packs"), "16");
    let v = json(&["quote", "sd35-large", "--count", "2462"]); // 6.5 × 2,462 = 16,003
    assert_eq!(s(&v, "/topups/packs"), "17");
}

#[test]
fn unknown_service_hints_the_close_match() {
    let err = run(&["quote", "ultar"]);
    let stderr = err.user_error();
    assert!(stderr.contains("unknown service 'ultar'"), "{stderr}");
    assert!(stderr.contains("hint: did you mean 'ultra'?"), "{stderr}");
}

#[test]
fn deprecated_services_name_their_end_date_and_replacement() {
    let err = run(&["quote", "sd16"]);
    let stderr = err.user_error();
    assert!(stderr.contains("2025-07-24"), "{stderr}");
    assert!(
        stderr.contains("'sdxl'") && stderr.contains("'sd35-medium'"),
        "{stderr}"
    );
    let err = run(&["quote", "image-to-video"]);
    let stderr = err.user_error();
    assert!(
        stderr.contains("2025-07-24") && stderr.contains("no replacement"),
        "{stderr}"
    );
}

// ------------------------------------------------------------------ JSON contract

/// Keys whose values are counts, not money, and so may be JSON numbers.
const INTEGER_KEYS: [&str; 11] = [
    "version",
    "count",
    "images",
    "users",
    "per_user",
    "steps",
    "included",
    "default",
    "min",
    "max",
    "volume_threshold_images_per_month",
];

fn assert_no_json_floats(key: &str, v: &serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            assert!(
                INTEGER_KEYS.contains(&key),
                "'{key}' is a JSON number ({n}); money must be a string"
            );
            assert!(n.is_u64(), "'{key}' is not a whole number: {n}");
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| assert_no_json_floats(key, i)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| assert_no_json_floats(k, v)),
        _ => {}
    }
}

#[test]
fn every_money_value_in_json_is_a_string() {
    let commands: [&[&str]; 6] = [
        &["quote", "sd35-large", "--count", "3", "--free-credits"],
        &[
            "workflow",
            "core*6+rmbg+upscale-conservative",
            "--count",
            "100",
        ],
        &[
            "compare",
            "--images",
            "15000",
            "--gpu-hourly",
            "2.5",
            "--seconds-per-image",
            "4",
        ],
        &[
            "compare",
            "--users",
            "500",
            "--per-user",
            "30",
            "--with",
            "rmbg",
        ],
        &["rates"],
        &["rates", "--category", "generate"],
    ];
    for args in commands {
        let v = json(args);
        assert_eq!(v["version"], 1);
        assert_eq!(v["command"], args[0]);
        assert_eq!(s(&v, "/rate_card/effective"), "2026-06");
        assert!(v["rate_card"]["name"].is_string());
        assert!(v["lines"].is_array());
        assert_no_json_floats("", &v);
    }
}

/// `$1,234.50` as the table shows a JSON dollar string `1234.50`.
fn usd_display(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("${grouped}.{frac}")
}

#[test]
fn json_figures_equal_the_table_and_csv() {
    let args = [
        "workflow",
        "core*6 + rmbg + upscale-conservative",
        "--count",
        "100",
    ];
    let v = json(&args);
    let table = run(&args);
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let csv = run(&csv_args);
    let csv_rows: Vec<Vec<&str>> = csv.ok().lines().map(|l| l.split(',').collect()).collect();
    let header = &csv_rows[0];
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (i, line) in v["lines"].as_array().unwrap().iter().enumerate() {
        let row = &csv_rows[i + 1];
        assert_eq!(row[col("service")], line["service"]);
        assert_eq!(row[col("credits")], line["credits"]);
        assert_eq!(row[col("usd")], line["usd"]);
        assert!(
            table
                .ok()
                .contains(&usd_display(line["usd"].as_str().unwrap()))
        );
    }
    let total = csv_rows.last().unwrap();
    assert_eq!(total[0], "total");
    assert_eq!(total[col("credits")], s(&v, "/total/credits"));
    assert_eq!(total[col("usd")], s(&v, "/total/usd"));
    assert!(table.ok().contains(&usd_display(s(&v, "/total/usd"))));
}

// ------------------------------------------------------------------ rates

#[test]
fn rates_lists_every_service_with_billing_facts() {
    let v = json(&["rates"]);
    assert_eq!(s(&v, "/billing/credit_usd"), "0.01");
    assert_eq!(s(&v, "/billing/topup_credits"), "1000");
    assert_eq!(s(&v, "/billing/topup_usd"), "10.00");
    assert_eq!(s(&v, "/billing/signup_bonus_credits"), "25");
    let services = v["services"].as_array().unwrap();
    // SPEC section 2: 26 current services and 2 deprecated ones.
    assert_eq!(services.len(), 28);
    let price = |id: &str| {
        services
            .iter()
            .find(|x| x["id"] == id)
            .and_then(|x| x["credits"].as_str())
            .map(str::to_owned)
    };
    // Spot checks against the guide and SPEC.
    assert_eq!(price("ultra").as_deref(), Some("8"));
    assert_eq!(price("sd35-large").as_deref(), Some("6.5"));
    assert_eq!(price("upscale-creative").as_deref(), Some("60"));
    assert_eq!(price("fast-3d").as_deref(), Some("10"));
    assert_eq!(price("spar3d").as_deref(), Some("4"));
    assert_eq!(price("sd16"), None);
    let v = json(&["rates", "--category", "upscale"]);
    assert_eq!(v["services"].as_array().unwrap().len(), 3);
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(common::bin())
        .args(["compare", "--images", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before the output is written
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "stderr: {stderr}");
    assert_eq!(out.status.code(), Some(0));
}

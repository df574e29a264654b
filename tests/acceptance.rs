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
    assert!(r.ok().contains("\n,,,,3,0.3,0.003"), "{}", r.stdout);
    // --rates wins over the variable, and an empty variable counts as unset.
    let r = run_with(
        &[
            "--rates",
            "tests/cards/tenth.toml",
            "quote",
            "tenth",
            "--format",
            "csv",
        ],
        None,
        &[("STABCOST_RATES", "/nonexistent.toml")],
    );
    assert!(r.ok().contains("\n,,,,1,0.1,0.001"), "{}", r.stdout);
    let r = run_with(
        &["quote", "ultra", "--format", "csv"],
        None,
        &[("STABCOST_RATES", "")],
    );
    assert!(r.ok().contains("\n,,,,1,8,0.08"), "{}", r.stdout);
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
        // The current card's prices took effect on 2025-08-01 (Stability's 9 July 2025
        // announcement: "Price (credits) effective August 1, 2025").
        assert_eq!(s(&v, "/rate_card/effective"), "2025-08-01");
        assert!(v["rate_card"]["name"].is_string());
        // SPEC section 4: every command has `lines`, except `rates`, which has `services`.
        let rows = if args[0] == "rates" {
            "services"
        } else {
            "lines"
        };
        assert!(v[rows].is_array(), "{args:?} has no {rows} array");
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
    assert_eq!(
        total[0], "",
        "the total row is the one with an empty first cell"
    );
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
    // SPEC section 2: 26 current services and 2 deprecated ones, except that Stable
    // Audio's three (text-to-audio, audio-to-audio, audio-inpaint) are priced by model
    // as two, stable-audio-2 and stable-audio-2.5, whose aliases the three ids are;
    // Stable Audio 3.0 (stable-audio-3) is new; and the three SD 3.0 models, re-routed
    // to SD 3.5 since 2025-04-17, are listed as discontinued.
    assert_eq!(services.len(), 31);
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
    // A step-scaled service lists its price at the default step count: Stable Audio
    // 2.0 at 50 steps is 17 + 0.06 × 50 = 20 (the guide's Text-to-Audio price).
    assert_eq!(price("stable-audio-2").as_deref(), Some("20"));
    assert_eq!(price("stable-audio-2.5").as_deref(), Some("20"));
    assert_eq!(price("stable-audio-3").as_deref(), Some("26"));
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

// ------------------------------------------------------------------ workflow

#[test]
fn the_guides_production_pipeline_is_48_credits_per_asset() {
    // Guide: "At Core rates that is 3 + 5 + 40 = 48 credits, or $0.48, for one finished asset".
    let v = json(&["workflow", "core+rmbg+upscale-conservative"]);
    assert_eq!(s(&v, "/per_asset/credits"), "48");
    assert_eq!(s(&v, "/per_asset/usd"), "0.48");
    let services: Vec<_> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["service"].clone())
        .collect();
    assert_eq!(
        services,
        ["core", "remove-background", "upscale-conservative"]
    );
    assert_eq!(s(&v, "/lines/2/usd_each"), "0.40");
    // 48 credits still need one $10 pack.
    assert_eq!(s(&v, "/topups/packs"), "1");
}

#[test]
fn the_guides_marketing_month_is_6300_credits() {
    // Guide: 600 Core drafts ($18) + 100 finals × (5 + 40) credits ($45) = $63.
    // Per asset: 3 × 6 + 5 + 40 = 63 credits; × 100 = 6,300 credits = $63.00.
    let v = json(&[
        "workflow",
        "core*6 + rmbg + upscale-conservative",
        "--count",
        "100",
    ]);
    assert_eq!(s(&v, "/per_asset/credits"), "63");
    assert_eq!(s(&v, "/total/credits"), "6300");
    assert_eq!(s(&v, "/total/usd"), "63.00");
    assert_eq!(s(&v, "/lines/0/multiplier"), "6");
    assert_eq!(s(&v, "/lines/0/usd"), "18.00");
    assert_eq!(v["count"], 100);
}

#[test]
fn step_counts_and_multipliers_combine() {
    // sdxl@50 = 0.9 × 50 / 30 = 1.5 credits, × 2 = 3; + Fast Upscale 2 = 5 credits.
    let v = json(&["workflow", "sdxl@50*2+upscale-fast"]);
    assert_eq!(s(&v, "/per_asset/credits"), "5");
    assert_eq!(s(&v, "/per_asset/usd"), "0.05");
    // MULT*SERVICE is the same step: 2 × 1.5 = 3 credits.
    let v = json(&["workflow", "2*sdxl@50"]);
    assert_eq!(s(&v, "/per_asset/credits"), "3");
    // A quarter of the assets redone on Ultra: 8 × 0.25 = 2 credits; 6.5 × 3 = 19.5.
    let v = json(&["workflow", "ultra*0.25 + large*3"]);
    assert_eq!(s(&v, "/lines/0/per_asset_credits"), "2");
    assert_eq!(s(&v, "/lines/1/per_asset_credits"), "19.5");
    assert_eq!(s(&v, "/per_asset/credits"), "21.5");
    assert_eq!(s(&v, "/per_asset/usd"), "0.215");
}

#[test]
fn expressions_are_case_insensitive_and_spacing_free() {
    for expr in [
        "CORE+RMBG",
        " core + rmbg ",
        "core\t+\trmbg",
        "Stable-Image-Core+Remove-Background",
    ] {
        let v = json(&["workflow", expr]);
        assert_eq!(s(&v, "/per_asset/credits"), "8", "{expr}"); // 3 + 5
    }
}

#[test]
fn a_dash_reads_the_expression_from_standard_input() {
    // 3 + 5 + 40 = 48 credits per asset; × 500 = 24,000 credits = $240.
    let r = run_with(
        &["workflow", "-", "--count", "500", "--format", "json"],
        Some(b"core\n+ rmbg\n+ upscale-conservative\n"),
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(r.ok()).unwrap();
    assert_eq!(s(&v, "/total/credits"), "24000");
    assert_eq!(s(&v, "/total/usd"), "240.00");
}

// ------------------------------------------------------------------ compare

fn compare_usd(v: &serde_json::Value) -> Vec<(String, String)> {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["service"].as_str().unwrap().to_owned(),
                l["usd"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn compare_15000_images_matches_the_guide() {
    // Guide: 15,000 images are $450 on Core, $525 on SD3.5 Medium and $1,200 on Ultra.
    // The rest by hand: SDXL 0.9 × 15,000 = 13,500 credits = $135; Flash 2.5 → $375;
    // Turbo 4 → $600; Large 6.5 → $975. Cheapest first.
    let v = json(&["compare", "--images", "15000"]);
    let expected = [
        ("sdxl", "135.00"),
        ("sd35-flash", "375.00"),
        ("core", "450.00"),
        ("sd35-medium", "525.00"),
        ("sd35-large-turbo", "600.00"),
        ("sd35-large", "975.00"),
        ("ultra", "1200.00"),
    ];
    let got = compare_usd(&v);
    let want: Vec<_> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["images"], 15000);
    // Ratio to the cheapest: 1,200 / 135 = 8.888… → 8.89; 450 / 135 = 3.333… → 3.33.
    let ratio = |id: &str| {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["service"] == id)
            .unwrap()["vs_cheapest"]
            .clone()
    };
    assert_eq!(ratio("ultra"), "8.89");
    assert_eq!(ratio("core"), "3.33");
    assert_eq!(ratio("sdxl"), "1.00");
    // Volume note at 10,000 images or more; none below.
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("volume pricing"))
    );
    let small = json(&["compare", "--images", "9999"]);
    assert!(
        !small["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("volume pricing"))
    );
    // The table shows the same figures, with thousands separators and a bar per row.
    let table = run(&["compare", "--images", "15000"]);
    assert!(
        table.ok().contains("$1,200.00")
            && table.ok().contains("8.89×")
            && table.ok().contains('█')
    );
}

#[test]
fn users_times_per_user_is_the_same_as_images() {
    // Guide: 500 monthly users × 30 images = 15,000 images.
    let by_users = json(&["compare", "--users", "500", "--per-user", "30"]);
    let by_images = json(&["compare", "--images", "15000"]);
    assert_eq!(compare_usd(&by_users), compare_usd(&by_images));
    assert_eq!(by_users["images"], 15000);
    assert_eq!(by_users["users"], 500);
}

#[test]
fn compare_with_post_processing_adds_the_steps_to_every_model() {
    // Core 3 + rmbg 5 + conservative upscale 40 = 48 credits; × 2,000 = 96,000 = $960.
    let v = json(&[
        "compare",
        "--images",
        "2000",
        "--with",
        "rmbg+upscale-conservative",
    ]);
    let core = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["service"] == "core")
        .unwrap();
    assert_eq!(core["credits"], "96000");
    assert_eq!(core["usd"], "960.00");
    assert_eq!(core["credits_each"], "48");
}

#[test]
fn compare_steps_applies_to_step_scaled_models() {
    // SDXL at 50 steps: 1.5 credits × 1,000 = 1,500 credits = $15; Core unchanged: $30.
    let v = json(&["compare", "--images", "1000", "--steps", "50"]);
    let usd = compare_usd(&v);
    assert!(
        usd.contains(&("sdxl".to_owned(), "15.00".to_owned())),
        "{usd:?}"
    );
    assert!(
        usd.contains(&("core".to_owned(), "30.00".to_owned())),
        "{usd:?}"
    );
}

#[test]
fn self_hosting_is_an_estimate_of_gpu_time() {
    // 15,000 × 4 s = 60,000 s = 16.666… GPU-hours × $2.50 = $41.666… → $41.67.
    let args = [
        "compare",
        "--images",
        "15000",
        "--gpu-hourly",
        "2.50",
        "--seconds-per-image",
        "4",
    ];
    let v = json(&args);
    assert_eq!(s(&v, "/self_host/compute_usd"), "41.67");
    assert_eq!(s(&v, "/self_host/gpu_hours"), "16.67");
    assert_eq!(v["self_host"]["gpu_hours_exact"], false);
    assert_eq!(v["self_host"]["estimate"], true);
    assert!(s(&v, "/self_host/license").contains("Community License"));
    let table = run(&args);
    assert!(table.ok().contains("≈ $41.67"), "{}", table.stdout);
    assert!(
        table.ok().contains("(≈ 16.67 GPU-hours at $2.50/hour)"),
        "{}",
        table.stdout
    );
    assert!(
        table.ok().contains("Enterprise License"),
        "{}",
        table.stdout
    );
    // Without the GPU figures there is no estimate.
    let v = json(&["compare", "--images", "15000"]);
    assert!(v["self_host"].is_null());
}

#[test]
fn gpu_hours_are_exact_where_they_can_be() {
    // 9 images × 1 s = 9 s = 0.0025 GPU-hours exactly (not "0.00"); × $2.50 = $0.00625.
    let args = [
        "compare",
        "--images",
        "9",
        "--gpu-hourly",
        "2.50",
        "--seconds-per-image",
        "1",
    ];
    let v = json(&args);
    assert_eq!(s(&v, "/self_host/gpu_hours"), "0.0025");
    assert_eq!(v["self_host"]["gpu_hours_exact"], true);
    assert_eq!(s(&v, "/self_host/compute_usd"), "0.01");
    let table = run(&args);
    assert!(
        table
            .ok()
            .contains("≈ $0.01 GPU compute (0.0025 GPU-hours at $2.50/hour)"),
        "{}",
        table.stdout
    );
    // 7 images × 1 s = 0.001944… GPU-hours, × $2.50 = $0.004861…: both estimates keep
    // two significant digits rather than show zero.
    let v = json(&[
        "compare",
        "--images",
        "7",
        "--gpu-hourly",
        "2.50",
        "--seconds-per-image",
        "1",
    ]);
    assert_eq!(s(&v, "/self_host/gpu_hours"), "0.0019");
    assert_eq!(v["self_host"]["gpu_hours_exact"], false);
    assert_eq!(s(&v, "/self_host/compute_usd"), "0.0049");
}

#[test]
fn the_user_pays_route_still_bills_the_with_steps() {
    // Puter serves generation only: 15,000 images × (rmbg 5 + upscale-conservative 40
    // = 45 credits) = 675,000 credits × $0.01 = $6,750.00 stay on the developer's bill.
    let v = json(&[
        "compare",
        "--images",
        "15000",
        "--with",
        "rmbg+upscale-conservative",
    ]);
    assert_eq!(s(&v, "/user_pays/developer_usd"), "6750.00");
    assert_eq!(s(&v, "/user_pays/generation_usd"), "0.00");
    assert_eq!(s(&v, "/user_pays/api_steps_usd"), "6750.00");
}

#[test]
fn the_user_pays_route_costs_the_developer_nothing() {
    let v = json(&["compare", "--images", "3000"]);
    assert_eq!(s(&v, "/user_pays/name"), "Puter.js");
    assert_eq!(s(&v, "/user_pays/developer_usd"), "0.00");
    let models: Vec<_> = v["user_pays"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        models,
        ["stable-diffusion-3-medium", "stable-diffusion-xl-base-1.0"]
    );
}

#[test]
fn compare_reads_its_routes_from_the_card() {
    // The tenth card has one model and neither route: no self-host, no user-pays.
    let v = json(&[
        "--rates",
        "tests/cards/tenth.toml",
        "compare",
        "--images",
        "10",
        "--gpu-hourly",
        "1",
        "--seconds-per-image",
        "1",
    ]);
    assert!(v["self_host"].is_null());
    assert!(v["user_pays"].is_null());
    assert_eq!(compare_usd(&v), [("tenth".to_owned(), "0.01".to_owned())]); // 0.1 × 10 = 1 credit
}

// ---------------------------------------------------------------- rate cards and history

#[test]
fn a_two_line_overlay_changes_one_price_and_keeps_the_rest() {
    // examples/negotiated.toml: extends the built-in card, Ultra at 6 credits.
    // 2,000 × 6 = 12,000 credits × $0.01 = $120.00; Core keeps its list price, 3 = $0.03.
    let v = json(&[
        "--rates",
        "examples/negotiated.toml",
        "quote",
        "ultra",
        "--count",
        "2000",
    ]);
    assert_eq!(s(&v, "/total/credits"), "12000");
    assert_eq!(s(&v, "/total/usd"), "120.00");
    let v = json(&["--rates", "examples/negotiated.toml", "quote", "core"]);
    assert_eq!(s(&v, "/total/usd"), "0.03");
    assert!(s(&v, "/rate_card/name").ends_with("+ negotiated.toml"));
}

#[test]
fn as_of_prices_with_the_card_in_force_that_day() {
    // Before 2025-08-01 a conservative upscale was 25 credits = $0.25 (Stability's API
    // reference, Dec 2024 copies); from then on 40 (the June 2026 guide).
    let v = json(&["quote", "upscale-conservative", "--as-of", "2025-07-01"]);
    assert_eq!(s(&v, "/total/credits"), "25");
    assert_eq!(s(&v, "/total/usd"), "0.25");
    assert_eq!(s(&v, "/rate_card/effective"), "2024-12-30");
    let v = json(&["quote", "upscale-conservative"]);
    assert_eq!(s(&v, "/total/credits"), "40");
    // core + rmbg + upscale-conservative then: 3 + 2 + 25 = 30 credits = $0.30.
    let v = json(&[
        "workflow",
        "core+rmbg+upscale-conservative",
        "--as-of",
        "2025-07-01",
    ]);
    assert_eq!(s(&v, "/per_asset/credits"), "30");
    assert_eq!(s(&v, "/per_asset/usd"), "0.30");
}

#[test]
fn rates_changes_lists_every_change_with_its_date_and_percent() {
    let v = json(&["rates", "--changes"]);
    let changes = v["changes"].as_array().unwrap();
    let find = |id: &str| changes.iter().find(|c| c["service"] == id).unwrap();
    // Hand-worked: (new - old) / old, rounded once to two decimals.
    for (id, before, after, percent) in [
        ("erase", "3", "5", "66.67"),
        ("remove-background", "2", "5", "150.00"),
        ("upscale-fast", "1", "2", "100.00"),
        ("upscale-conservative", "25", "40", "60.00"),
        ("upscale-creative", "25", "60", "140.00"),
        ("fast-3d", "2", "10", "400.00"),
        ("style", "4", "5", "25.00"),
    ] {
        let c = find(id);
        assert_eq!(c["date"], "2025-08-01", "{id}");
        assert_eq!(c["before_credits"], before, "{id}");
        assert_eq!(c["after_credits"], after, "{id}");
        assert_eq!(c["change_percent"], percent, "{id}");
    }
    assert_eq!(find("sd16")["kind"], "discontinued");
    assert_eq!(find("sd16")["date"], "2025-07-24");
    let prices = changes.iter().filter(|c| c["kind"] == "price").count();
    assert_eq!(
        prices, 11,
        "erase, inpaint, rmbg, s&r, sketch, structure, style, 3 upscales, fast-3d"
    );
}

// ---------------------------------------------------------------- plans (SPEC 7, 8)

#[test]
fn the_spec_plan_is_213_dollars_a_month() {
    // catalog 2,000 × 3 = 6,000 credits; marketing 100 × (6 × 3 + 5 + 40) = 6,300;
    // avatars 1,000 × 3 × 3 = 9,000: 21,300 credits = $213.00, 22 packs = $220.00.
    let v = json(&["plan", "examples/plan.toml"]);
    assert_eq!(s(&v, "/total/credits"), "21300");
    assert_eq!(s(&v, "/total/usd"), "213.00");
    assert_eq!(s(&v, "/topups/packs"), "22");
    assert_eq!(s(&v, "/topups/usd"), "220.00");
    let usd: Vec<&str> = (0..3).map(|i| s(&v, &format!("/lines/{i}/usd"))).collect();
    assert_eq!(usd, ["60.00", "63.00", "90.00"]);
    // Budget $250.00: 213 / 250 = 85.20% used, $37.00 left.
    assert_eq!(s(&v, "/budget/used_percent"), "85.20");
    assert_eq!(s(&v, "/budget/left_usd"), "37.00");
    assert_eq!(v["budget"]["over"], false);
    assert_eq!(s(&v, "/plan/name"), "Storefront app");
}

#[test]
fn over_budget_prints_the_report_then_exits_3() {
    let r = run(&[
        "plan",
        "examples/plan.toml",
        "--budget",
        "200",
        "--fail-if-over",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.contains("over budget by $13.00"), "{}", r.stdout);
    assert!(r.stdout.contains("$213.00"), "{}", r.stdout);
}

#[test]
fn the_forecast_grows_avatars_ten_percent_a_month() {
    // 3,000 → 3,300 → 3,630 avatars at 3 credits: $90.00, $99.00, $108.90; months
    // $213.00, $222.00, $231.90; cumulative $666.90.
    let v = json(&["plan", "examples/plan.toml", "--months", "3"]);
    let months = v["months"].as_array().unwrap();
    let avatars: Vec<u64> = months
        .iter()
        .map(|m| m["lines"][2]["assets"].as_u64().unwrap())
        .collect();
    assert_eq!(avatars, [3000, 3300, 3630]);
    let totals: Vec<&str> = months
        .iter()
        .map(|m| m["total"]["usd"].as_str().unwrap())
        .collect();
    assert_eq!(totals, ["213.00", "222.00", "231.90"]);
    assert_eq!(months[2]["cumulative"]["usd"], "666.90");
    assert_eq!(months[2]["lines"][2]["usd"], "108.90");
    // Each month's assets: 2,000 + 100 + 3,000 = 5,100; then 5,400 and 5,730.
    let assets: Vec<u64> = months
        .iter()
        .map(|m| m["assets"].as_u64().unwrap())
        .collect();
    assert_eq!(assets, [5100, 5400, 5730]);
    // `total` is one month (month 1: $213.00); the forecast has its own total, which
    // is what the top-ups buy for: 21,300 + 22,200 + 23,190 = 66,690 credits, $666.90,
    // 16,230 assets; 67 packs.
    assert_eq!(s(&v, "/total/usd"), "213.00");
    assert_eq!(s(&v, "/forecast_total/usd"), "666.90");
    assert_eq!(s(&v, "/forecast_total/credits"), "66690");
    assert_eq!(v["forecast_total"]["assets"].as_u64(), Some(16_230));
    assert_eq!(v["forecast_total"]["months"].as_u64(), Some(3));
    assert_eq!(s(&v, "/topups/credits_to_buy"), "66690");
    // Without --months there is no forecast, so no forecast total.
    let v = json(&["plan", "examples/plan.toml"]);
    assert!(v.get("forecast_total").is_none(), "{v}");
}

#[test]
fn a_forecasts_assets_are_counted_wider_than_any_one_workload() {
    // Three workloads of 9,000,000,000,000,000,000 assets each: 27 × 10^18 a month,
    // more than a u64 holds (about 18.4 × 10^18); 54 × 10^18 over two months, at 3
    // credits: 81 × 10^18 credits a month.
    let plan = "tests/cmd/edges.in/three-huge-workloads.toml";
    // JSON counts are numbers, written exactly (a reader with 64-bit floats rounds
    // them; the text does not).
    let raw = run(&["plan", plan, "--months", "2", "--format", "json"]);
    assert!(
        raw.ok().contains("\"assets\": 27000000000000000000,"),
        "{}",
        raw.stdout
    );
    let forecast = raw.ok().split("\"forecast_total\"").nth(1).unwrap();
    assert!(
        forecast.contains("\"assets\": 54000000000000000000,"),
        "{forecast}"
    );
    let v = json(&["plan", plan, "--months", "2"]);
    assert_eq!(s(&v, "/months/0/total/credits"), "81000000000000000000");
    let table = run(&["plan", plan, "--months", "2"]);
    assert!(
        table.ok().contains(" 27,000,000,000,000,000,000 "),
        "{}",
        table.stdout
    );
    assert!(table.ok().contains(" 54,000,000,000,000,000,000 "));
    let csv = run(&["plan", plan, "--months", "2", "--format", "csv"]);
    assert!(
        csv.ok()
            .contains("\n1,,27000000000000000000,81000000000000000000,"),
        "{}",
        csv.stdout
    );
}

#[test]
fn diff_shows_what_a_pull_request_does_to_the_bill() {
    // Catalog from Core (3) to Ultra (8): 2,000 × 5 = +10,000 credits = +$100.00, and
    // 100 / 60 = +166.67%; the total 213 → 313 is +46.95% (100 / 213 = 0.469483…).
    let v = json(&["diff", "examples/plan.toml", "examples/plan-ultra.toml"]);
    assert_eq!(s(&v, "/lines/0/workload"), "catalog");
    assert_eq!(s(&v, "/lines/0/status"), "changed");
    assert_eq!(s(&v, "/lines/0/change_usd"), "100.00");
    assert_eq!(s(&v, "/lines/0/change_percent"), "166.67");
    assert_eq!(s(&v, "/total/base_usd"), "213.00");
    assert_eq!(s(&v, "/total/head_usd"), "313.00");
    assert_eq!(s(&v, "/total/change_percent"), "46.95");
    let gate = |limit: &str| {
        run(&[
            "diff",
            "examples/plan.toml",
            "examples/plan-ultra.toml",
            "--max-increase",
            limit,
        ])
        .code
    };
    assert_eq!(gate("40%"), 3);
    assert_eq!(gate("100"), 0);
    assert_eq!(gate("99.99"), 3);
    assert_eq!(gate("47%"), 0);
}

/// Runs `stabcost ARGS` with `COLUMNS` set to `columns`, or unset when `None` (as from a
/// pipe, since the test's standard output is one).
fn run_at_width(args: &[&str], columns: Option<&str>) -> String {
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(args)
        .env_remove("STABCOST_RATES")
        .env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn tables_fit_60_80_and_100_columns_and_keep_every_figure() {
    let commands: [&[&str]; 15] = [
        &["quote", "ultra", "--count", "2000"],
        &[
            "workflow",
            "core*6 + rmbg + upscale-conservative",
            "--count",
            "100",
        ],
        &[
            "compare",
            "--images",
            "15000",
            "--gpu-hourly",
            "2.50",
            "--seconds-per-image",
            "4",
        ],
        &["rates"],
        &[
            "compare",
            "--images",
            "15000",
            "--with",
            "rmbg+upscale-conservative",
        ],
        &["plan", "examples/plan.toml", "--months", "3"],
        &["diff", "examples/plan.toml", "examples/plan-ultra.toml"],
        &["rates", "--history"],
        &["rates", "--changes"],
        &["plan", "examples/plan.toml"],
        &["compare", "--budget", "100"],
        &[
            "compare",
            "--images",
            "15000",
            "--gpu-monthly",
            "1800",
            "--seconds-per-image",
            "4",
        ],
        &["compare", "--images", "15000"],
        &[
            "usage",
            "tests/cmd/usage.in/history.jsonl",
            "--group-by",
            "month,service",
        ],
        &["rates", "--category", "upscale"],
    ];
    for args in commands {
        let full = run_at_width(args, None);
        for columns in [60, 80, 100] {
            let text = run_at_width(args, Some(&columns.to_string()));
            for line in text.lines() {
                assert!(
                    line.chars().count() <= columns,
                    "{args:?} at {columns}: {} columns: {line}",
                    line.chars().count()
                );
            }
            // Every figure of the full table is still there, whole.
            // (The chart's axis labels are drawn to fit, so they are not figures here.)
            for figure in full.split_whitespace().filter(|w| {
                (w.starts_with('$') || w.starts_with("+$") || w.ends_with('×') || w.ends_with('%'))
                    && !w.contains('┤')
                    && w.chars().any(|c| c.is_ascii_digit())
            }) {
                let figure = figure.trim_end_matches([',', ';', ')']);
                let figure = figure.trim_start_matches('(');
                assert!(
                    text.contains(figure),
                    "{args:?} at {columns} lost {figure}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn a_piped_table_keeps_full_width() {
    let text = run_at_width(&["compare", "--images", "15000"], None);
    assert!(text.contains("Stable Diffusion 3.5 Large Turbo"), "{text}");
    assert!(text.contains(" Credits per image "), "{text}");
    assert!(text.lines().any(|l| l.chars().count() > 150), "{text}");
    // An empty or unreadable COLUMNS is no width.
    for columns in ["", "wide", "0"] {
        assert_eq!(
            run_at_width(&["rates"], Some(columns)),
            run_at_width(&["rates"], None)
        );
    }
}

// ---------------------------------------------------------------- compare (SPEC 10)

#[test]
fn what_a_budget_buys() {
    // $100.00 / $0.03 = 3,333 Core images ($99.99, $0.01 left); / $0.065 = 1,538 SD3.5
    // Large ($99.97, $0.03 left); / $0.08 = 1,250 Ultra ($100.00, $0.00 left).
    let v = json(&["compare", "--budget", "100"]);
    let line = |id: &str| {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["service"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(line("core")["images"], 3333);
    assert_eq!(line("core")["left_usd"], "0.01");
    assert_eq!(line("sd35-large")["images"], 1538);
    assert_eq!(line("sd35-large")["left_usd"], "0.03");
    assert_eq!(line("ultra")["images"], 1250);
    assert_eq!(line("ultra")["left_usd"], "0.00");
    assert_eq!(s(&v, "/budget_usd"), "100.00");
}

#[test]
fn when_a_dedicated_gpu_pays_off() {
    // 2,592,000 s / 4 s = 648,000 images a GPU-month; 15,000 images need 1 GPU, $1,800.00.
    // Break-even: floor(1800 / price) + 1: Core 60,001, Ultra 22,501, SDXL 200,001.
    let v = json(&[
        "compare",
        "--images",
        "15000",
        "--gpu-monthly",
        "1800",
        "--seconds-per-image",
        "4",
    ]);
    assert_eq!(v["dedicated_gpu"]["capacity_images_per_gpu"], 648_000);
    assert_eq!(v["dedicated_gpu"]["gpus"], 1);
    assert_eq!(s(&v, "/dedicated_gpu/gpus_usd"), "1800.00");
    let be = |id: &str| {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["service"] == id)
            .unwrap()["break_even_images"]
            .clone()
    };
    assert_eq!(be("core"), 60_001);
    assert_eq!(be("ultra"), 22_501);
    assert_eq!(be("sdxl"), 200_001);
}

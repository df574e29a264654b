//! `stabcost usage --plan` in JSON (README, "Are we on plan?"), on the logs of
//! `tests/cmd/actual/`, which `tests/cmd/actual/generate.py` writes. Every expected
//! figure is worked out by hand in a comment from the guide's prices (Core 3 credits,
//! Remove Background 5, Conservative Upscale 40; 1 credit = $0.01) and
//! `examples/plan.toml` (catalog 2,000 Core = $60.00; marketing 100 × (6 × 3 + 5 + 40)
//! = $63.00; avatars 1,000 × 3 Core = $90.00; budget $250.00).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;

use common::{json, run, s};
use serde_json::Value;

const PLAN: &str = "examples/plan.toml";
const OCTOBER: &str = "tests/cmd/actual/october-2026.jsonl.gz";
const TO_THE_10TH: &str = "tests/cmd/actual/october-to-the-10th.jsonl.gz";
const TWO_DAYS: &str = "tests/cmd/actual/two-days.jsonl";
const SPIKE: &str = "tests/cmd/actual/spike.jsonl.gz";

/// `plan_vs_actual.lines[i]` as (workload, planned, actual, variance, variance %).
fn line(v: &Value, i: usize) -> (&str, &str, &str, &str, &str) {
    let p = format!("/plan_vs_actual/lines/{i}");
    (
        s(v, &format!("{p}/workload")),
        s(v, &format!("{p}/planned_usd")),
        s(v, &format!("{p}/actual_usd")),
        s(v, &format!("{p}/variance_usd")),
        s(v, &format!("{p}/variance_pct")),
    )
}

#[test]
fn the_logs_are_what_their_generator_writes() {
    common::assert_generator_writes("tests/cmd/actual/generate.py");
}

#[test]
fn october_against_the_plan() {
    let v = json(&["usage", OCTOBER, "--plan", PLAN]);
    assert_eq!(v["command"], "usage");
    assert_eq!(s(&v, "/plan/name"), "Storefront app");
    assert_eq!(s(&v, "/plan_vs_actual/month"), "2026-10");
    assert_eq!(v["plan_vs_actual"]["partial"], false);
    assert_eq!(v["plan_month"], 1);
    // catalog: $60.00 planned, 2,000 × $0.03 = $60.00 spent.
    assert_eq!(line(&v, 0), ("catalog", "60.00", "60.00", "0.00", "0.00"));
    // marketing: 600 × 3 + 100 × 5 + 100 × 40 = 6,300 credits, $63.00.
    assert_eq!(line(&v, 1), ("marketing", "63.00", "63.00", "0.00", "0.00"));
    // avatars: 4,000 × $0.03 = $120.00 against $90.00: +$30.00, 30 / 90 = +33.33%.
    assert_eq!(
        line(&v, 2),
        ("avatars", "90.00", "120.00", "30.00", "33.33")
    );
    let l = &v["plan_vs_actual"]["lines"];
    assert_eq!(l[1]["planned_assets"], 100);
    assert_eq!(l[1]["actual_calls"], 800);
    assert_eq!(l[2]["planned_assets"], 3000);
    assert_eq!(l[2]["tags"], serde_json::json!(["avatars"]));
    assert_eq!(l[0]["pro_rata_usd"], Value::Null);
    // The total: $213.00 / $243.00, +$30.00, 30 / 213 = +14.0845…%.
    let t = "/plan_vs_actual/total";
    assert_eq!(s(&v, &format!("{t}/planned_usd")), "213.00");
    assert_eq!(s(&v, &format!("{t}/actual_usd")), "243.00");
    assert_eq!(s(&v, &format!("{t}/variance_usd")), "30.00");
    assert_eq!(s(&v, &format!("{t}/variance_pct")), "14.08");
    assert_eq!(v["plan_vs_actual"]["total"]["actual_calls"], 6800);
    assert_eq!(v["plan_vs_actual"]["unplanned"]["actual_calls"], 0);
    // The month is over: its forecast is its actual, within the $250.00 budget.
    assert_eq!(s(&v, "/forecast/month_end_usd"), "243.00");
    assert_eq!(v["forecast"]["days_left"], 0);
    assert_eq!(s(&v, "/forecast/budget_usd"), "250.00");
    assert_eq!(v["forecast"]["over"], false);
    assert_eq!(v["runway"], Value::Null);
    assert_eq!(v["spikes"], serde_json::json!([]));
    // The usage report is there too: one Core, one Remove Background and one
    // Conservative Upscale line, $243.00 in all.
    assert_eq!(s(&v, "/total/usd"), "243.00");
    assert_eq!(v["records"]["charged"], 6800);
}

#[test]
fn over_a_budget_the_report_is_printed_whole_then_exit_3() {
    // $243.00 against $240.00.
    let r = run(&[
        "usage",
        OCTOBER,
        "--plan",
        PLAN,
        "--budget",
        "240",
        "--fail-if-over",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("the whole JSON report");
    assert_eq!(s(&v, "/forecast/budget_usd"), "240.00");
    assert_eq!(v["forecast"]["over"], true);
    assert_eq!(v["forecast"]["actual_over"], true);
    // Within $250.00 (the plan's own budget), the gate does not trip.
    let r = run(&["usage", OCTOBER, "--plan", PLAN, "--fail-if-over"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("budget $250.00: $243.00 spent (97.20%), $7.00 left")
    );
}

#[test]
fn ten_days_forecast_93_dollars_and_3000_credits_last_10_days() {
    let v = json(&["usage", TO_THE_10TH, "--plan", PLAN, "--balance", "3000"]);
    assert_eq!(v["plan_vs_actual"]["partial"], true);
    assert_eq!(v["plan_vs_actual"]["days_covered"], 10);
    // 100 Core calls a day, Oct 1–10: 10 × $3.00 = $30.00 to date; the last 7 days
    // spent $21.00, $3.00 a day; 30 + 3 × 21 days left = $93.00.
    let f = "/forecast";
    assert_eq!(s(&v, &format!("{f}/to_date_usd")), "30.00");
    assert_eq!(s(&v, &format!("{f}/usd_per_day")), "3.00");
    assert_eq!(v["forecast"]["window_days"], 7);
    assert_eq!(v["forecast"]["days_left"], 21);
    assert_eq!(s(&v, &format!("{f}/month_end_usd")), "93.00");
    assert_eq!(v["forecast"]["over"], false);
    // 3,000 credits at 300 a day: 10 days, gone on Oct 20; the 21 days left need 6,300
    // credits, 3,300 more: 4 packs of 1,000, $40.00.
    assert_eq!(s(&v, "/runway/balance_credits"), "3000");
    assert_eq!(s(&v, "/runway/credits_per_day"), "300");
    assert_eq!(v["runway"]["days"], 10);
    assert_eq!(s(&v, "/runway/runs_out_on"), "2026-10-20");
    assert_eq!(v["runway"]["packs_to_month_end"], 4);
    assert_eq!(s(&v, "/runway/packs_usd"), "40.00");
    // Planned to date, 10 of 31 days: 60 × 10 / 31 = 19.354… → $19.35; catalog's $30.00
    // is +$10.65 against it.
    assert_eq!(s(&v, "/plan_vs_actual/lines/0/pro_rata_usd"), "19.35");
    assert_eq!(s(&v, "/plan_vs_actual/lines/0/variance_usd"), "10.65");
    assert_eq!(s(&v, "/plan_vs_actual/against"), "pro_rata_usd");
    let text = run(&["usage", TO_THE_10TH, "--plan", PLAN, "--balance", "3000"]);
    assert!(text.ok().contains("forecast: ≈ $93.00 by 2026-10-31"));
}

#[test]
fn two_days_of_calls_are_not_enough_history() {
    let v = json(&["usage", TWO_DAYS, "--plan", PLAN, "--balance", "3000"]);
    // 20 Core calls: $0.60 to date, and no figure from two days.
    assert_eq!(s(&v, "/forecast/to_date_usd"), "0.60");
    assert_eq!(v["forecast"]["days_with_calls"], 2);
    assert_eq!(v["forecast"]["usd_per_day"], Value::Null);
    assert_eq!(v["forecast"]["month_end_usd"], Value::Null);
    assert_eq!(v["forecast"]["forecast_over"], Value::Null);
    assert_eq!(v["runway"]["credits_per_day"], Value::Null);
    assert_eq!(v["runway"]["days"], Value::Null);
    assert_eq!(v["runway"]["packs_to_month_end"], Value::Null);
    let text = run(&["usage", TWO_DAYS, "--plan", PLAN]);
    let out = text.ok();
    assert!(out.contains("forecast: not enough history"), "{out}");
    assert!(!out.contains("≈ $0.30 a day"), "{out}");
}

#[test]
fn a_day_of_100_avatars_after_twenty_quiet_days_is_the_one_spike() {
    // Oct 1–20: 10 Core calls, $0.30 a day; Oct 21: 100 Core calls, $3.00, tagged
    // avatars. The median of Oct 7–20 is $0.30; $3.00 > 3 × $0.30, 10.00 times it.
    let expected = serde_json::json!([{
        "day": "2026-10-21",
        "usd": "3.00",
        "median_usd": "0.30",
        "factor": "10.00",
        "top_service": "core",
        "top_tag": "avatars"
    }]);
    let by_day = json(&["usage", SPIKE, "--group-by", "day"]);
    assert_eq!(by_day["spikes"], expected);
    let planned = json(&["usage", SPIKE, "--plan", PLAN]);
    assert_eq!(planned["spikes"], expected);
    // Without --group-by day (or --plan), nothing looks for spikes.
    let plain = json(&["usage", SPIKE]);
    assert_eq!(plain.get("spikes"), None);
    // At 10 times the median, $3.00 is not more than $3.00.
    let strict = json(&["usage", SPIKE, "--group-by", "day", "--spike-factor", "10"]);
    assert_eq!(strict["spikes"], serde_json::json!([]));
}

#[test]
fn a_plan_on_standard_input_with_a_log_file() {
    let plan = std::fs::read(PLAN).unwrap();
    let r = common::run_with(
        &["usage", OCTOBER, "--plan", "-", "--format", "json"],
        Some(&plan),
        &[],
    );
    let v: Value = serde_json::from_str(r.ok()).unwrap();
    assert_eq!(s(&v, "/plan/file"), "<stdin>");
    assert_eq!(s(&v, "/plan_vs_actual/total/variance_usd"), "30.00");
}

#[test]
fn the_page_draws_the_month_to_its_end_at_the_forecasts_rate() {
    let html = |log: &str| {
        let r = run(&["usage", log, "--plan", PLAN, "--format", "html"]);
        r.ok().to_owned()
    };
    // Oct 1–10: $3.00 a day added up to $30.00, then $3.00 a day more to Oct 31:
    // 30 + 21 × 3 = $93.00, the month-end forecast.
    let page = html(TO_THE_10TH);
    assert!(page.contains("2026-10-01 $3.00 (spent $3.00, forecast (≈) $0.00)"));
    assert!(page.contains("2026-10-10 $30.00 (spent $30.00, forecast (≈) $0.00)"));
    assert!(page.contains("2026-10-11 $33.00 (spent $30.00, forecast (≈) $3.00)"));
    assert!(page.contains("2026-10-31 $93.00 (spent $30.00, forecast (≈) $63.00)"));
    assert!(page.contains("planned $213.00"));
    // Two days give no rate: the columns stop at the log's last day, and with nothing
    // forecast the legend does not name a forecast.
    let page = html(TWO_DAYS);
    assert!(page.contains("2026-10-10 $0.60"));
    assert!(!page.contains("2026-10-11"));
    assert!(!page.contains("forecast (≈)"));
    // A month the log covers to its end has nothing ahead either.
    let page = html(OCTOBER);
    assert!(page.contains("2026-10-31 $243.00"));
    assert!(!page.contains("forecast (≈)"));
}

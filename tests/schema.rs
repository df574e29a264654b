//! The JSON Schema in `rates/stabcost-card.schema.json` (which editors use to complete and
//! check cards) and the loader agree: every card the loader accepts, the schema accepts;
//! and dropping or misspelling any field of a minimal card is rejected by both or by
//! neither.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use stabcost::rates::{BUILT_IN_CARDS, RateCard};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string("rates/stabcost-card.schema.json").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

/// A TOML document as the JSON an editor's schema sees: dates become strings.
fn to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn schema_accepts(validator: &jsonschema::Validator, text: &str) -> bool {
    match text.parse::<toml::Table>() {
        Ok(table) => validator.is_valid(&to_json(&toml::Value::Table(table))),
        Err(_) => false,
    }
}

fn loader_accepts(text: &str) -> bool {
    RateCard::parse(text, "test.toml").is_ok()
}

#[test]
fn every_card_the_loader_accepts_the_schema_accepts() {
    let validator = schema();
    let mut texts: Vec<(String, String)> = BUILT_IN_CARDS
        .iter()
        .map(|c| (c.file.to_owned(), c.text.to_owned()))
        .collect();
    for dir in ["tests/cards", "tests/cmd/cards.in", "examples"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push((path.display().to_string(), text));
                }
            }
        }
    }
    let mut accepted = 0;
    for (name, text) in &texts {
        if BUILT_IN_CARDS.iter().any(|c| c.file == name) || loader_accepts(text) {
            accepted += 1;
            let json = to_json(&toml::Value::Table(text.parse().unwrap()));
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{name}: the schema rejects a card the loader accepts: {errors:?}"
            );
        }
    }
    assert!(accepted >= 6, "only {accepted} valid cards were checked");
}

/// A standalone card with every field, and the smallest overlay.
const FULL: &str = r#"[card]
name = "Full"
currency = "USD"
effective = "2026-06-01"
source = "test"

[sources]
test = "a test"

[billing]
credit-usd = "0.01"
topup-credits = 1000
topup-usd = 10
signup-bonus-credits = 25
signup-bonus-terms = "once"
volume-threshold-images-per-month = 10000
failed-generations-charged = false
not-billable-endpoints = ["/v1/balance", "/v2/results/{id}"]

[self-host]
name = "Self-host"
models = ["SD3.5"]
license = "Community"
license-free-below-annual-revenue-usd = 1000000
license-above = "Enterprise"
note = "GPU time only"

[user-pays]
name = "Puter.js"
developer-usd = 0
models = ["sd3-medium"]
note = "users pay"

[[services]]
id = "alpha"
name = "Alpha"
category = "generate"
credits = 0.9
aliases = ["a1"]
endpoint = "/v1/alpha"
per-sample = true
default-model = true
available-from = "2026-05-20"
source = "test"
note = "a note"
steps = { included = 30, default = 30, min = 10, max = 50 }

[[services]]
id = "old"
category = "generate"
deprecated = { date = "2025-07-24", replacements = ["alpha"] }
"#;

/// Every `key = value` line of `text` (not table headers), by line index.
fn key_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(" = ") && !l.starts_with('['))
        .map(|(i, _)| i)
        .collect()
}

fn without_line(text: &str, drop: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i != drop {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn loader_and_schema_agree_on_what_is_required() {
    let validator = schema();
    assert!(loader_accepts(FULL) && schema_accepts(&validator, FULL));
    // Only [card] name, a service's id, and its credits (or, for a discontinued
    // service, `deprecated`) are required; every other field has a default.
    let mut required = Vec::new();
    for i in key_lines(FULL) {
        let text = without_line(FULL, i);
        let (loader, schema) = (loader_accepts(&text), schema_accepts(&validator, &text));
        let line = FULL.lines().nth(i).unwrap();
        assert_eq!(
            loader, schema,
            "without `{line}`: loader {loader}, schema {schema}"
        );
        if !loader {
            required.push(line.split(" = ").next().unwrap().to_owned());
        }
    }
    assert_eq!(required, ["name", "id", "credits", "id", "deprecated"]);
}

#[test]
fn loader_and_schema_agree_on_unknown_fields() {
    let validator = schema();
    for i in key_lines(FULL) {
        let line = FULL.lines().nth(i).unwrap();
        let (key, value) = line.split_once(" = ").unwrap();
        if key == "test" {
            continue; // [sources] keys are names the card chooses, not fields
        }
        let text = FULL.replacen(line, &format!("{key}x = {value}"), 1);
        assert!(!loader_accepts(&text), "loader accepts `{key}x`");
        assert!(
            !schema_accepts(&validator, &text),
            "schema accepts `{key}x`"
        );
    }
}

#[test]
fn the_smallest_overlay_is_valid_to_both() {
    let validator = schema();
    let overlay = "[card]\nextends = \"built-in\"\n\n[[services]]\nid = \"ultra\"\ncredits = 6\n";
    assert!(loader_accepts(overlay));
    assert!(schema_accepts(&validator, overlay));
    let smallest = "[card]\nname = \"Mine\"\n\n[[services]]\nid = \"mine\"\ncredits = 1\n";
    assert!(loader_accepts(smallest));
    assert!(schema_accepts(&validator, smallest));
}

#[test]
fn loader_and_schema_agree_on_numbers_and_overlays() {
    let validator = schema();
    let card = |credits: &str| {
        format!("[card]\nname = \"x\"\n\n[[services]]\nid = \"a\"\ncredits = {credits}\n")
    };
    // Accepted by both: numbers, decimal strings, grouped digits.
    for ok in ["6.5", "\"6.5\"", "\"1,000\"", "\"0.1\"", "1_000"] {
        let text = card(ok);
        assert!(loader_accepts(&text), "loader rejects credits = {ok}");
        assert!(
            schema_accepts(&validator, &text),
            "schema rejects credits = {ok}"
        );
    }
    // Rejected by both: not a number, negative.
    for bad in ["\"\"", "\".\"", "\"-3\"", "-3", "\"three\"", "true"] {
        let text = card(bad);
        assert!(!loader_accepts(&text), "loader accepts credits = {bad}");
        assert!(
            !schema_accepts(&validator, &text),
            "schema accepts credits = {bad}"
        );
    }
    // remove without extends: nothing to remove from.
    let text =
        "[card]\nname = \"x\"\nremove = [\"ultra\"]\n\n[[services]]\nid = \"a\"\ncredits = 1\n";
    assert!(!loader_accepts(text));
    assert!(!schema_accepts(&validator, text));
}

#[test]
fn loader_and_schema_agree_on_step_prices() {
    let validator = schema();
    let card = |steps: &str| {
        format!("[card]\nname = \"x\"\n\n[[services]]\nid = \"a\"\ncredits = 17\nsteps = {steps}\n")
    };
    let accepted = [
        "{ included = 30, default = 30, min = 10, max = 50 }",
        "{ per-step = 0.06, default = 50, min = 30, max = 100 }",
        "{ included = 0, per-step = \"0.06\", default = 50, min = 30, max = 100 }",
        "{ included = 30, per-step = 0.5, default = 30, min = 10, max = 50 }",
    ];
    for ok in accepted {
        let text = card(ok);
        assert!(loader_accepts(&text), "loader rejects steps = {ok}");
        assert!(
            schema_accepts(&validator, &text),
            "schema rejects steps = {ok}"
        );
    }
    let rejected = [
        "{ default = 50, min = 30, max = 100 }",
        "{ included = 0, default = 50, min = 30, max = 100 }",
        "{ per-step = -0.06, default = 50, min = 30, max = 100 }",
        "{ per-step = 0.06, min = 30, max = 100 }",
        "{ per-step = 0.06, default = 50, min = 30, max = 100, base = 17 }",
    ];
    for bad in rejected {
        let text = card(bad);
        assert!(!loader_accepts(&text), "loader accepts steps = {bad}");
        assert!(
            !schema_accepts(&validator, &text),
            "schema accepts steps = {bad}"
        );
    }
}

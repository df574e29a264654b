//! Every bad input gets a clear error: exit 2, `error: …` naming the problem, a hint
//! where one helps, nothing on stdout, and never a panic, a hang or a silent figure.
//!
//! One table of cases across arguments, workflow expressions and rate cards. Each case
//! names the text its message must contain; workflow cases also pin the caret line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;
use common::{assert_no_panic, run_with, temp_card};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// A small valid card that the card cases mutate one line at a time.
const CARD: &str = r#"[card]
name = "Test card"
currency = "USD"
effective = "2026-06"
source = "test"

[billing]
credit-usd = 0.01
topup-credits = 1000
topup-usd = 10
signup-bonus-credits = 25
failed-generations-charged = false

[[services]]
id = "alpha"
name = "Alpha"
category = "generate"
credits = 3
aliases = ["a1"]
source = "test"

[[services]]
id = "beta"
name = "Beta"
category = "edit"
credits = 5
source = "test"
"#;

/// The test card with `from` replaced by `to` (which must change it).
fn card_with(from: &str, to: &str) -> Vec<u8> {
    assert!(CARD.contains(from), "the test card has no {from:?}");
    CARD.replacen(from, to, 1).into_bytes()
}

/// The test card with `extra` appended.
fn card_plus(extra: &str) -> Vec<u8> {
    format!("{CARD}{extra}").into_bytes()
}

struct Case {
    name: &'static str,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    card: Option<Vec<u8>>,
    needles: Vec<String>,
}

fn case(name: &'static str, args: &[&str], needles: &[&str]) -> Case {
    Case {
        name,
        args: args.iter().map(OsString::from).collect(),
        stdin: None,
        card: None,
        needles: needles.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// A case priced with a custom card.
fn card_case(name: &'static str, card: Vec<u8>, needles: &[&str]) -> Case {
    Case {
        card: Some(card),
        ..case(name, &["quote", "alpha"], needles)
    }
}

/// A workflow expression that must fail with `message` and a caret line `caret`
/// under the excerpt `excerpt`.
fn wf(name: &'static str, expr: &str, message: &str, excerpt: &str, caret: &str) -> Case {
    let pinned = format!("\n  {excerpt}\n  {caret}\n");
    Case {
        args: vec!["workflow".into(), expr.into()],
        ..case(name, &[], &[message, &pinned])
    }
}

fn stdin_case(name: &'static str, args: &[&str], stdin: Vec<u8>, needles: &[&str]) -> Case {
    Case {
        stdin: Some(stdin),
        ..case(name, args, needles)
    }
}

#[allow(clippy::too_many_lines, reason = "one table, one case a line")]
fn cases() -> Vec<Case> {
    let huge = format!("1{}", "0".repeat(40));
    let mut v = vec![
        // ---------------------------------------------------------- arguments
        case(
            "unknown subcommand",
            &["quotes"],
            &["unrecognized subcommand 'quotes'"],
        ),
        case(
            "unknown flag",
            &["quote", "ultra", "--bogus"],
            &["unexpected argument '--bogus'"],
        ),
        case("quote without a service", &["quote"], &["<SERVICE>"]),
        case(
            "unknown service",
            &["quote", "ultar"],
            &["unknown service 'ultar'", "hint: did you mean 'ultra'?"],
        ),
        case(
            "unknown service, no close match",
            &["quote", "zzzzzz"],
            &["unknown service 'zzzzzz'", "hint: `stabcost rates`"],
        ),
        case("empty service", &["quote", ""], &["unknown service ''"]),
        case(
            "deprecated sd16",
            &["quote", "sd16"],
            &[
                "discontinued on 2025-07-24",
                "hint: use 'sdxl' or 'sd35-medium'",
            ],
        ),
        case(
            "deprecated video",
            &["quote", "image-to-video"],
            &["2025-07-24", "no replacement"],
        ),
        case(
            "negative count",
            &["quote", "ultra", "--count", "-5"],
            &["'-5' is negative"],
        ),
        case(
            "non-numeric count",
            &["quote", "ultra", "--count", "abc"],
            &["'abc' is not a number"],
        ),
        case(
            "fractional count",
            &["quote", "ultra", "--count", "1.5"],
            &["'1.5' is not a whole number"],
        ),
        case(
            "scientific count",
            &["quote", "ultra", "--count", "1e3"],
            &["'1e3' is not a whole number"],
        ),
        case(
            "count past u64",
            &["quote", "ultra", "--count", &huge],
            &["is too large"],
        ),
        case(
            "empty count",
            &["quote", "ultra", "--count", ""],
            &["got nothing"],
        ),
        case(
            "misplaced commas",
            &["quote", "ultra", "--count", "1,50"],
            &["misplaced commas"],
        ),
        case(
            "steps on a flat-priced service",
            &["quote", "ultra", "--steps", "40"],
            &["'ultra' is not priced by steps"],
        ),
        case(
            "sdxl steps above range",
            &["quote", "sdxl", "--steps", "60"],
            &["'sdxl' takes 10 to 50 steps, not 60"],
        ),
        case(
            "sdxl steps below range",
            &["quote", "sdxl", "--steps", "5"],
            &["10 to 50 steps, not 5"],
        ),
        case(
            "negative steps",
            &["quote", "sdxl", "--steps", "-1"],
            &["'-1' is negative"],
        ),
        case(
            "absurd steps",
            &["quote", "sdxl", "--steps", "99999999999"],
            &["far more steps"],
        ),
        case(
            "bad format",
            &["quote", "ultra", "--format", "xml"],
            &["invalid value 'xml'"],
        ),
        case(
            "bad free credits",
            &["quote", "ultra", "--free-credits", "-3"],
            &["'-3' is negative"],
        ),
        case(
            "bad category",
            &["rates", "--category", "painting"],
            &["invalid value 'painting'"],
        ),
        // ---------------------------------------------------------- compare
        case("compare without a volume", &["compare"], &["--images"]),
        case(
            "compare with both volumes",
            &[
                "compare",
                "--images",
                "5",
                "--users",
                "2",
                "--per-user",
                "3",
            ],
            &["cannot be used with"],
        ),
        case(
            "users without per-user",
            &["compare", "--users", "3"],
            &["--per-user"],
        ),
        case(
            "per-user without users",
            &["compare", "--per-user", "3"],
            &["--users"],
        ),
        case(
            "per-user with images",
            &["compare", "--images", "3", "--per-user", "3"],
            &["'--images <N>' cannot be used with '--per-user <K>'"],
        ),
        case(
            "gpu hourly alone",
            &["compare", "--images", "5", "--gpu-hourly", "2"],
            &["--seconds-per-image"],
        ),
        case(
            "seconds alone",
            &["compare", "--images", "5", "--seconds-per-image", "2"],
            &["--gpu-hourly"],
        ),
        case(
            "zero gpu price",
            &[
                "compare",
                "--images",
                "5",
                "--gpu-hourly",
                "0",
                "--seconds-per-image",
                "2",
            ],
            &["'0' must be greater than zero"],
        ),
        case(
            "negative gpu seconds",
            &[
                "compare",
                "--images",
                "5",
                "--gpu-hourly",
                "2",
                "--seconds-per-image",
                "-4",
            ],
            &["'-4' must be greater than zero"],
        ),
        case(
            "non-numeric gpu price",
            &[
                "compare",
                "--images",
                "5",
                "--gpu-hourly",
                "cheap",
                "--seconds-per-image",
                "4",
            ],
            &["'cheap' is not a number"],
        ),
        case(
            "with names a generation model",
            &["compare", "--images", "5", "--with", "rmbg+core"],
            &[
                "'core' is a generation model",
                "hint: --with takes the steps after generation",
            ],
        ),
        case(
            "with is malformed",
            &["compare", "--images", "5", "--with", "rmbg+"],
            &["expected a service after '+'"],
        ),
        case(
            "users × per-user overflows",
            &[
                "compare",
                "--users",
                "18446744073709551615",
                "--per-user",
                "2",
            ],
            &["more images than stabcost can count"],
        ),
        // ---------------------------------------------------------- workflow expressions
        case(
            "empty expression",
            &["workflow", ""],
            &[
                "the workflow expression is empty",
                "hint: write steps joined by '+'",
            ],
        ),
        case(
            "whitespace expression",
            &["workflow", " \t "],
            &["the workflow expression is empty"],
        ),
        wf(
            "dangling plus",
            "core+",
            "expected a service after '+'",
            "core+",
            "    ^",
        ),
        wf(
            "leading plus",
            "+core",
            "expected a service, found '+'",
            "+core",
            "^",
        ),
        wf(
            "double plus",
            "core++rmbg",
            "expected a service, found '+'",
            "core++rmbg",
            "     ^",
        ),
        wf(
            "zero multiplier",
            "core*0+rmbg",
            "multiplier '0' must be greater than zero",
            "core*0+rmbg",
            "     ^",
        ),
        wf(
            "negative multiplier",
            "core*-2",
            "multiplier '-2' must be greater than zero",
            "core*-2",
            "     ^^",
        ),
        wf(
            "non-numeric multiplier",
            "core*abc",
            "multiplier 'abc' is not a number",
            "core*abc",
            "     ^^^",
        ),
        wf(
            "two multipliers",
            "2*core*3",
            "a step takes one multiplier",
            "2*core*3",
            "      ^^",
        ),
        wf(
            "missing plus",
            "core rmbg",
            "expected '+' between steps, found 'rmbg'",
            "core rmbg",
            "     ^^^^",
        ),
        wf(
            "steps on a flat service",
            "ultra@30",
            "'ultra' is not priced by steps",
            "ultra@30",
            "     ^^^",
        ),
        wf(
            "steps out of range",
            "rmbg+sdxl@70",
            "'sdxl' takes 10 to 50 steps, not 70",
            "rmbg+sdxl@70",
            "         ^^^",
        ),
        wf(
            "steps not a number",
            "sdxl@x",
            "expected a step count after '@'",
            "sdxl@x",
            "     ^",
        ),
        wf(
            "unknown service in a step",
            "core + ultar*2",
            "unknown service 'ultar'",
            "core + ultar*2",
            "       ^^^^^",
        ),
        wf(
            "deprecated service in a step",
            "sd16+rmbg",
            "'sd16' (Stable Diffusion 1.6) was discontinued on 2025-07-24",
            "sd16+rmbg",
            "^^^^",
        ),
        wf(
            "stray character",
            "core+rmbg;",
            "expected '+' between steps, found ';'",
            "core+rmbg;",
            "         ^",
        ),
        wf("non-ASCII character", "coré", "found 'é'", "coré", "   ^"),
        case(
            "multiplier overflow",
            &["workflow", "upscale-creative*79228162514264337593543950335"],
            &["too large to compute"],
        ),
        case(
            "count × multiplier overflow",
            &[
                "workflow",
                "upscale-creative*1000000000000000000",
                "--count",
                "18446744073709551615",
            ],
            &["too large to compute"],
        ),
        case(
            "multiplier with too many digits",
            &["workflow", "core*0.12345678901234567890123456789012"],
            &["multiplier '0.12345678901234567890123456789012' is not a number"],
        ),
        stdin_case(
            "empty standard input",
            &["workflow", "-"],
            Vec::new(),
            &["the workflow expression is empty"],
        ),
        stdin_case(
            "non-UTF-8 standard input",
            &["workflow", "-"],
            b"core+\xff\xfe".to_vec(),
            &["not UTF-8"],
        ),
        stdin_case(
            "NUL byte on standard input",
            &["workflow", "-"],
            b"core\0+rmbg".to_vec(),
            &["found '\\u{0}'"],
        ),
        // ---------------------------------------------------------- rate cards
        card_case(
            "malformed TOML",
            card_with("[billing]", "[billing"),
            &["invalid rate card", "line 7"],
        ),
        card_case(
            "price of the wrong type",
            card_with("credits = 3", "credits = true"),
            &[
                "the price of 'alpha' must be a number, got a boolean",
                "line 18, column 11",
            ],
        ),
        card_case(
            "name of the wrong type",
            card_with("name = \"Alpha\"", "name = 5"),
            &["invalid type"],
        ),
        card_case(
            "services not an array",
            card_plus("services = 3\n"),
            &["invalid rate card"],
        ),
        card_case(
            "negative price",
            card_with("credits = 3", "credits = -3"),
            &[
                "must be greater than zero, got negative",
                "line 18, column 11",
            ],
        ),
        card_case(
            "zero price",
            card_with("credits = 3", "credits = 0"),
            &["must be greater than zero, got zero"],
        ),
        card_case(
            "negative price as a string",
            card_with("credits = 3", "credits = \"-3\""),
            &["got negative"],
        ),
        card_case(
            "absurdly long price",
            card_with(
                "credits = 3",
                "credits = 0.1234567890123456789012345678901234567890",
            ),
            &["more digits than stabcost can hold exactly"],
        ),
        card_case(
            "absurdly large price",
            card_with("credits = 3", "credits = 1e40"),
            &["'1e40'"],
        ),
        card_case(
            "integer past Decimal",
            card_with("credits = 3", "credits = 99999999999999999999999999999999"),
            &["more digits than stabcost can hold exactly"],
        ),
        card_case(
            "price not a number",
            card_with("credits = 3", "credits = \"three\""),
            &["'three' is not a number"],
        ),
        card_case(
            "nan price",
            card_with("credits = 3", "credits = nan"),
            &["'nan' is not a number"],
        ),
        card_case(
            "infinite price",
            card_with("credits = 3", "credits = inf"),
            &["'inf' is not a number"],
        ),
        card_case(
            "duplicate id",
            card_with("id = \"beta\"", "id = \"alpha\""),
            &["duplicate service id: 'alpha'"],
        ),
        card_case(
            "duplicate id in another case",
            card_with("id = \"beta\"", "id = \"ALPHA\""),
            &["duplicate service id: 'ALPHA'"],
        ),
        card_case(
            "alias collides with an id",
            card_with("aliases = [\"a1\"]", "aliases = [\"beta\"]"),
            &["line 23, column 6: id 'beta' collides with an alias of service 'alpha'"],
        ),
        card_case(
            "alias collides with an alias",
            card_plus(
                "\n[[services]]\nid = \"gamma\"\nname = \"G\"\ncategory = \"edit\"\ncredits = 1\naliases = [\"A1\"]\nsource = \"test\"\n",
            ),
            &["alias 'A1' collides with an alias of service 'alpha'"],
        ),
        card_case(
            "unknown field in a service",
            card_with(
                "source = \"test\"\n\n[[services]]",
                "source = \"test\"\ncolour = \"red\"\n\n[[services]]",
            ),
            &["unknown field `colour`"],
        ),
        card_case(
            "unknown top-level table",
            card_plus("[extras]\nx = 1\n"),
            &["unknown field `extras`"],
        ),
        card_case(
            "unknown billing field",
            card_with("topup-usd = 10", "topup-usd = 10\ntopup-eur = 9"),
            &["unknown field `topup-eur`"],
        ),
        card_case(
            "missing name",
            card_with("name = \"Alpha\"\n", ""),
            &["missing field `name`"],
        ),
        card_case(
            "missing price",
            card_with("credits = 3\n", ""),
            &["service 'alpha' has no price: missing field `credits`"],
        ),
        card_case(
            "missing billing",
            CARD.replace("[billing]", "[billing-x]").into_bytes(),
            &["unknown field `billing-x`"],
        ),
        card_case(
            "no services",
            CARD.split("[[services]]")
                .next()
                .unwrap()
                .as_bytes()
                .to_vec(),
            &["the card has no services"],
        ),
        card_case("empty file", Vec::new(), &["missing field `card`"]),
        card_case(
            "whitespace-only file",
            b"  \n\t\n".to_vec(),
            &["missing field `card`"],
        ),
        card_case(
            "unknown category",
            card_with("category = \"edit\"", "category = \"painting\""),
            &["unknown variant `painting`"],
        ),
        card_case(
            "foreign currency",
            card_with("currency = \"USD\"", "currency = \"EUR\""),
            &["currency 'EUR' is not supported"],
        ),
        card_case(
            "bad step range",
            card_with(
                "source = \"test\"\n\n[[services]]",
                "source = \"test\"\nsteps = { included = 30, default = 30, min = 40, max = 50 }\n\n[[services]]",
            ),
            &["steps of 'alpha' need"],
        ),
        card_case(
            "unknown replacement",
            card_plus(
                "\n[[services]]\nid = \"old\"\nname = \"Old\"\ncategory = \"generate\"\nsource = \"test\"\ndeprecated = { date = \"2025-01-01\", replacements = [\"nope\"] }\n",
            ),
            &["names replacement 'nope'"],
        ),
        card_case(
            "undefined source",
            card_plus("\n[sources]\nguide = \"a guide\"\n"),
            &["cites source 'test', which [sources] does not define"],
        ),
        card_case(
            "id with a space",
            card_with("id = \"alpha\"", "id = \"al pha\""),
            &["id 'al pha' must start with a letter"],
        ),
        card_case(
            "id with a plus",
            card_with("id = \"alpha\"", "id = \"al+pha\""),
            &["id 'al+pha' must start with a letter"],
        ),
        card_case(
            "zero credit price",
            card_with("credit-usd = 0.01", "credit-usd = 0"),
            &["billing.credit-usd must be greater than zero"],
        ),
        card_case(
            "negative top-up",
            card_with("topup-credits = 1000", "topup-credits = -1000"),
            &["billing.topup-credits must be greater than zero"],
        ),
        card_case(
            "negative sign-up bonus",
            card_with("signup-bonus-credits = 25", "signup-bonus-credits = -25"),
            &["billing.signup-bonus-credits must not be negative"],
        ),
        card_case(
            "not UTF-8",
            b"[card]\nname = \"\xff\xfe\"\n".to_vec(),
            &["not UTF-8 text"],
        ),
        card_case(
            "NUL byte",
            card_with("name = \"Test card\"", "name = \"Test\0card\""),
            &["invalid rate card"],
        ),
        case(
            "missing card file",
            &["--rates", "/nonexistent/card.toml", "rates"],
            &[
                "cannot read rate card '/nonexistent/card.toml'",
                "hint: check the path",
            ],
        ),
        case(
            "a directory as the card",
            &["--rates", "tests", "rates"],
            &["cannot read rate card 'tests': it is a directory"],
        ),
        case(
            "an empty card path",
            &["--rates", "", "rates"],
            &["a value is required for '--rates <FILE>'"],
        ),
        case(
            "an empty STABCOST_RATES-like path",
            &["--rates=", "rates"],
            &["a value is required for '--rates <FILE>'"],
        ),
        card_case(
            "alias repeats its own id",
            card_with("aliases = [\"a1\"]", "aliases = [\"ALPHA\"]"),
            &["alias 'ALPHA' collides with the id of service 'alpha'"],
        ),
        card_case(
            "a price that overflows with the count",
            card_with("credits = 3", "credits = \"79228162514264337593543950335\""),
            &[],
        ),
    ];
    // That last card is valid; the overflow comes from pricing two calls of it.
    if let Some(last) = v.last_mut() {
        last.args = ["quote", "alpha", "--count", "2"]
            .iter()
            .map(OsString::from)
            .collect();
        last.needles = vec!["too large to compute".into()];
    }
    // An invalid UTF-8 argument.
    v.push(Case {
        args: vec!["quote".into(), OsString::from_vec(b"ul\xfftra".to_vec())],
        ..case("non-UTF-8 argument", &[], &["invalid UTF-8"])
    });
    v
}

fn run_case(c: &Case) -> common::Run {
    let card = c.card.as_deref().map(temp_card);
    let mut args: Vec<OsString> = Vec::new();
    if let Some(f) = &card {
        args.push("--rates".into());
        args.push(f.path().into());
    }
    args.extend(c.args.iter().cloned());
    run_with(&args, c.stdin.as_deref(), &[])
}

#[test]
fn no_subcommand_shows_usage_and_exits_2() {
    // clap's convention (like cargo and git): the help on stderr, exit 2.
    let r = common::run(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("Usage: stabcost"), "{}", r.stderr);
    assert_no_panic(&r.stderr);
}

#[test]
fn every_bad_input_is_a_clear_error() {
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for c in &cases {
        assert!(names.insert(c.name), "duplicate case name {}", c.name);
        let r = run_case(c);
        assert_no_panic(&r.stderr);
        let mut problems = Vec::new();
        if r.code != 2 {
            problems.push(format!("exit code {} (want 2)", r.code));
        }
        if !r.stderr.starts_with("error: ") {
            problems.push("stderr does not start with 'error: '".to_owned());
        }
        if !r.stdout.is_empty() {
            problems.push(format!("stdout is not empty: {}", r.stdout));
        }
        for needle in &c.needles {
            if !r.stderr.contains(needle.as_str()) {
                problems.push(format!("stderr lacks {needle:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}\n  stderr: {}",
                c.name,
                problems.join("\n  "),
                r.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
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

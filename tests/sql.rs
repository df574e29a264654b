//! `rates --format sql` in every dialect: the text splits on `;` into its statements, as
//! Spark's `spark.sql` and naive loaders need; and BigQuery's table has types BigQuery
//! takes, with `BIGNUMERIC` exactly when `NUMERIC`'s 9 decimals cannot hold a card's
//! credits times its dollars per credit. The statements are run in DuckDB, PostgreSQL and
//! Spark by `tests/sql/run`; BigQuery is only checked here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;

use common::{run, temp_card};

const DIALECTS: [&str; 4] = ["duckdb", "postgres", "spark", "bigquery"];

/// The SQL `rates --format sql ARGS` writes, with `card` as `--rates` when given.
fn sql(card: Option<&str>, args: &[&str]) -> String {
    let mut all = Vec::new();
    if let Some(card) = card {
        all.extend(["--rates", card]);
    }
    all.extend(["rates", "--format", "sql"]);
    all.extend(args);
    run(&all).ok().to_owned()
}

/// The statements of `text`, split on `;`, each without its comment lines.
#[track_caller]
fn statements(text: &str) -> Vec<String> {
    for line in text.lines() {
        if let Some(i) = line.find("--") {
            assert!(!line[i..].contains(';'), "a ';' in a comment: {line}");
        }
    }
    let mut parts: Vec<&str> = text.split(';').collect();
    let tail = parts.pop().unwrap();
    assert!(
        tail.trim().is_empty(),
        "text after the last statement: {tail:?}"
    );
    parts
        .iter()
        .map(|p| {
            p.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned()
        })
        .collect()
}

#[test]
fn every_dialect_is_one_statement_per_semicolon() {
    let named = temp_card(
        b"[card]\nname = \"Ours; with a ; and\\na new line\"\n\n[[services]]\nid = \"ultra\"\ncredits = 7\nendpoint = \"/v2beta/stable-image/generate/ultra\"\n",
    );
    let named = named.path().to_str().unwrap().to_owned();
    for dialect in DIALECTS {
        for card in [
            None,
            Some("tests/sql/ten-decimals.toml"),
            Some("tests/cards/hostile-text.toml"),
            Some(named.as_str()),
        ] {
            let table = statements(&sql(card, &["--dialect", dialect]));
            assert!(
                table[0].starts_with("CREATE TABLE stabcost_prices ("),
                "{dialect} {card:?}: {}",
                table[0]
            );
            assert!(table.len() >= 2, "{dialect} {card:?}: no INSERT");
            for insert in &table[1..] {
                assert!(
                    insert.starts_with("INSERT INTO stabcost_prices VALUES"),
                    "{dialect}: {insert}"
                );
            }
            let query = statements(&sql(card, &["--dialect", dialect, "--query"]));
            assert_eq!(query.len(), 1, "{dialect}: {query:?}");
            assert!(
                query[0].starts_with("WITH c AS ("),
                "{dialect}: {}",
                query[0]
            );
            assert!(query[0].contains("JOIN stabcost_prices AS p"), "{dialect}");
        }
        let qualified = sql(None, &["--dialect", dialect, "--table", "billing.prices"]);
        assert!(
            qualified.contains("CREATE TABLE billing.prices ("),
            "{dialect}"
        );
        assert!(
            qualified.contains("INSERT INTO billing.prices VALUES"),
            "{dialect}"
        );
        let query = sql(
            None,
            &["--dialect", dialect, "--table", "billing.prices", "--query"],
        );
        assert!(query.contains("JOIN billing.prices AS p"), "{dialect}");
    }
}

#[test]
fn spark_writes_a_data_source_table() {
    let table = statements(&sql(None, &["--dialect", "spark"]));
    assert!(table[0].ends_with(") USING parquet"), "{}", table[0]);
    for dialect in ["duckdb", "postgres", "bigquery"] {
        assert!(
            !sql(None, &["--dialect", dialect]).contains("USING"),
            "{dialect}"
        );
    }
}

/// A column of BigQuery's `CREATE TABLE`: its name and type.
fn columns(create: &str) -> Vec<(String, String)> {
    let body = &create[create.find('(').unwrap() + 1..create.rfind(')').unwrap()];
    body.lines()
        .map(|l| l.split(" --").next().unwrap().trim().trim_end_matches(','))
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, ty) = l.split_once(' ').unwrap();
            (
                name.to_owned(),
                ty.trim().trim_end_matches(" NOT NULL").to_owned(),
            )
        })
        .collect()
}

/// `(big, p, s)` of `NUMERIC(p, s)` or `BIGNUMERIC(p, s)`, checked against BigQuery's
/// limits: NUMERIC 0 <= s <= 9 and max(1, s) <= p <= s + 29; BIGNUMERIC 0 <= s <= 38 and
/// max(1, s) <= p <= s + 38.
#[track_caller]
fn decimal(ty: &str) -> (bool, u32, u32) {
    let (big, rest) = if let Some(rest) = ty.strip_prefix("BIGNUMERIC(") {
        (true, rest)
    } else {
        (
            false,
            ty.strip_prefix("NUMERIC(")
                .unwrap_or_else(|| panic!("not a decimal: {ty}")),
        )
    };
    let (p, s) = rest.strip_suffix(')').unwrap().split_once(", ").unwrap();
    let (p, s): (u32, u32) = (p.parse().unwrap(), s.parse().unwrap());
    let (max_s, max_int) = if big { (38, 38) } else { (9, 29) };
    assert!(
        s <= max_s && p >= s.max(1) && p <= s + max_int,
        "{ty} is not a type BigQuery has"
    );
    (big, p, s)
}

/// The table's decimal columns, `credits`' and `credit_usd`'s, with every value in the
/// INSERTs checked to fit its column and to be written as its type's literal.
fn bigquery_decimals(card: Option<&str>) -> ((bool, u32, u32), (bool, u32, u32)) {
    let text = sql(card, &["--dialect", "bigquery"]);
    let statements = statements(&text);
    let columns = columns(&statements[0]);
    for (name, ty) in &columns {
        match name.as_str() {
            "credits" | "step_credits" | "credit_usd" => {
                decimal(ty);
            }
            "steps_included" | "steps_default" | "steps_min" | "steps_max" => {
                assert_eq!(ty, "INT64");
            }
            "per_sample" => assert_eq!(ty, "BOOL"),
            "effective_from" | "effective_until" | "sold_until" | "undated_day" => {
                assert_eq!(ty, "DATE");
            }
            _ => assert_eq!(ty, "STRING", "{name}"),
        }
    }
    let ty = |n: &str| decimal(&columns.iter().find(|(c, _)| c == n).unwrap().1);
    let (credits, usd) = (ty("credits"), ty("credit_usd"));
    assert_eq!(ty("step_credits"), credits);
    for insert in &statements[1..] {
        for literal in insert.split("NUMERIC '").skip(1) {
            let value = literal.split('\'').next().unwrap();
            let (int, frac) = value.split_once('.').unwrap_or((value, ""));
            let fits = |(_, p, s): (bool, u32, u32)| {
                frac.len() <= s as usize && int.trim_start_matches('0').len() <= (p - s) as usize
            };
            assert!(fits(credits) || fits(usd), "{value} fits no decimal column");
        }
        let want = if credits.0 {
            "BIGNUMERIC '"
        } else {
            "NUMERIC '"
        };
        assert!(insert.contains(want), "{insert}");
        if !credits.0 {
            assert!(!insert.contains("BIGNUMERIC"), "{insert}");
        }
    }
    (credits, usd)
}

#[test]
fn bigquery_types_and_scales() {
    // The built-in cards: 0.03 credits a step (SDXL above 30 steps), $0.01 a credit; 2 + 2
    // decimals in a product.
    assert_eq!(bigquery_decimals(None), ((false, 18, 2), (false, 18, 2)));
    // 4 decimals of credits, 2 of dollars: a product has 6, NUMERIC keeps 9.
    let four = temp_card(b"[card]\nname = \"Four\"\n\n[[services]]\nid = \"large\"\ncredits = \"6.1499\"\nendpoint = \"/v2beta/x\"\n");
    assert_eq!(
        bigquery_decimals(four.path().to_str()),
        ((false, 18, 4), (false, 18, 2))
    );
    // 5 and 4: 9 decimals, still NUMERIC.
    let nine = temp_card(b"[card]\nname = \"Nine\"\n\n[billing]\ncredit-usd = \"0.0125\"\n\n[[services]]\nid = \"large\"\ncredits = \"6.14993\"\nendpoint = \"/v2beta/x\"\n");
    assert_eq!(
        bigquery_decimals(nine.path().to_str()),
        ((false, 18, 5), (false, 18, 4))
    );
    // 5 and 5: 10 decimals, past NUMERIC's 9.
    let ten = temp_card(b"[card]\nname = \"Ten\"\n\n[billing]\ncredit-usd = \"0.01251\"\n\n[[services]]\nid = \"large\"\ncredits = \"6.14993\"\nendpoint = \"/v2beta/x\"\n");
    assert_eq!(
        bigquery_decimals(ten.path().to_str()),
        ((true, 18, 5), (true, 18, 5))
    );
    // tests/sql/ten-decimals.toml: SDXL's 0.9000000003 over 30 steps is 0.03000000001 a
    // step, 11 decimals; $0.0100000001 a credit, 10.
    assert_eq!(
        bigquery_decimals(Some("tests/sql/ten-decimals.toml")),
        ((true, 18, 11), (true, 18, 10))
    );
}

#[test]
fn quotes_and_backslashes_in_a_path_are_escaped_for_each_engine() {
    let card = temp_card(
        b"[card]\nname = \"Odd\"\n\n[[services]]\nid = \"odd\"\ncredits = 1\nendpoint = \"/v2beta/it's\\\\here\"\n",
    );
    let card = card.path().to_str().unwrap();
    assert!(sql(Some(card), &[]).contains(r"'/v2beta/it''s\here'"));
    assert!(sql(Some(card), &["--dialect", "postgres"]).contains(r"'/v2beta/it''s\here'"));
    assert!(sql(Some(card), &["--dialect", "spark"]).contains(r"'/v2beta/it\'s\\here'"));
    assert!(sql(Some(card), &["--dialect", "bigquery"]).contains(r"'/v2beta/it\'s\\here'"));
}

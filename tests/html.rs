//! `--format html` for every command, driving the real binary: each page is one
//! self-contained document (no script, nothing fetched), its table is a real table whose
//! `data-value`s are the CSV's figures, and the commands with a figure draw it with a
//! text alternative. Whole pages are in `tests/cmd/html.md`; `tests/browser/` opens them
//! in Chromium. Expected figures are worked out by hand from the pricing guide.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;
use common::{run, run_with, temp_card};

/// Every command line with its page: (arguments, has a total row, draws a figure).
const PAGES: &[(&[&str], bool, bool)] = &[
    (&["quote", "ultra", "--count", "2000"], true, false),
    (&["workflow", "core+rmbg+upscale-conservative"], true, false),
    (&["compare", "--images", "15000"], false, true),
    (
        &[
            "compare",
            "--images",
            "15000",
            "--gpu-monthly",
            "1800",
            "--seconds-per-image",
            "4",
        ],
        false,
        true,
    ),
    (
        &[
            "compare",
            "--images",
            "1000",
            "--gpu-hourly",
            "2",
            "--seconds-per-image",
            "3",
        ],
        false,
        true,
    ),
    (
        &["compare", "--budget", "100", "--with", "rmbg"],
        false,
        true,
    ),
    (&["rates"], false, false),
    (&["rates", "--history"], false, false),
    (&["rates", "--changes"], false, false),
    (&["plan", "examples/plan.toml"], true, false),
    (&["plan", "examples/plan.toml", "--months", "3"], true, true),
    (
        &["diff", "examples/plan.toml", "examples/plan-ultra.toml"],
        true,
        true,
    ),
    (
        &["usage", "tests/cmd/usage.in/acceptance.jsonl"],
        true,
        false,
    ),
    (
        &[
            "usage",
            "tests/cmd/usage.in/history.jsonl",
            "--group-by",
            "month",
        ],
        true,
        true,
    ),
    (
        &[
            "usage",
            "tests/cmd/whatif/october.jsonl.gz",
            "--what-if",
            "ultra=core",
            "--what-if",
            "upscale-creative=upscale-conservative",
        ],
        true,
        true,
    ),
    (
        &[
            "usage",
            "tests/cmd/whatif/october.jsonl.gz",
            "--what-if-rates",
            "examples/negotiated.toml",
        ],
        true,
        true,
    ),
    (
        &[
            "usage",
            "tests/cmd/whatif/october.jsonl.gz",
            "--levers",
            "--gpu-monthly",
            "1800",
            "--seconds-per-image",
            "4",
        ],
        false,
        true,
    ),
];

/// `stabcost ARGS --format FORMAT`'s standard output; the command must succeed.
fn page(args: &[&str], format: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", format]);
    let r = run(&all);
    assert_eq!(r.code, 0, "stabcost {all:?}: {}", r.stderr);
    r.stdout
}

/// How many times `needle` occurs in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("the start marker") + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"));
    &text[from..from + to]
}

/// The `data-value`s of each row of the table's body and foot, in order.
fn data_values(html: &str) -> Vec<Vec<String>> {
    let table = between(html, "<tbody>", "</table>");
    table
        .lines()
        .filter(|l| l.starts_with("<tr>"))
        .map(|row| {
            row.split("data-value=\"")
                .skip(1)
                .map(|v| v[..v.find('"').unwrap()].to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn every_command_writes_one_self_contained_page_with_a_real_table() {
    for (args, has_total, draws) in PAGES {
        let html = page(args, "html");
        let what = args.join(" ");
        assert!(
            html.starts_with(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            ),
            "{what}"
        );
        assert!(html.ends_with("</body>\n</html>\n"), "{what}");
        let title = between(&html, "<title>", "</title>");
        assert!(
            title.starts_with(&format!("stabcost {}: ", args[0])),
            "{what}: {title}"
        );
        // Nothing to run, nothing to fetch: the only URL is the empty icon's.
        assert_eq!(count(&html, "<script"), 0, "{what}");
        assert_eq!(count(&html, "src="), 0, "{what}");
        assert_eq!(
            count(&html, "href="),
            count(&html, "href=\"data:,\""),
            "{what}"
        );
        assert_eq!(count(&html, "<link "), 1, "{what}");
        assert_eq!(count(&html, "<style>"), 1, "{what}");
        for part in ["<table>", "<thead>", "<tbody>", "</tbody>", "</table>"] {
            assert_eq!(count(&html, part), 1, "{what}: {part}");
        }
        assert_eq!(count(&html, "<tfoot>"), usize::from(*has_total), "{what}");
        // The prices line, as the table format writes it, is the summary's last.
        let table = page(args, "table");
        let prices = table.lines().find(|l| l.starts_with("prices: ")).unwrap();
        assert!(
            html.contains(&format!("<li class=\"prices\">{prices}</li>\n</ul>")),
            "{what}"
        );
        for note in table.lines().filter(|l| l.starts_with("note: ")) {
            assert!(html.contains(&format!("<li>{note}</li>")), "{what}: {note}");
        }
        // A figure is drawn with its text alternative, or there is none.
        assert_eq!(count(&html, "<figure>"), usize::from(*draws), "{what}");
        if *draws {
            assert!(html.contains("role=\"img\" aria-labelledby=\"figure-1-title\" aria-describedby=\"figure-1-desc\">"), "{what}");
            assert!(html.contains("<desc id=\"figure-1-desc\">"), "{what}");
            assert_eq!(count(&html, "<figcaption>"), 1, "{what}");
        }
    }
}

#[test]
fn each_figure_carries_the_csv_value_exactly() {
    // Every page but the forecast's, whose CSV has a line a workload a month instead.
    for (args, _, _) in PAGES.iter().filter(|p| !p.0.contains(&"--months")) {
        let html = page(args, "html");
        let csv = page(args, "csv");
        let rows: Vec<Vec<&str>> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect())
            .collect();
        let values = data_values(&html);
        assert_eq!(values.len(), rows.len(), "{args:?}");
        for (shown, cells) in values.iter().zip(&rows) {
            // The row's data-values are among its CSV cells, in the same order.
            let mut rest = cells.iter();
            for value in shown {
                assert!(
                    rest.any(|c| c == value),
                    "{args:?}: data-value {value} is not in the CSV row {cells:?}"
                );
            }
            // A row without one (a discontinued service) has no figure in the CSV.
            if shown.is_empty() {
                assert!(
                    !cells.iter().any(|c| c.parse::<u64>().is_ok()),
                    "{args:?}: a figure without its data-value: {cells:?}"
                );
            }
        }
    }
}

#[test]
fn the_guides_figures_read_on_the_page() {
    // Ultra: 8 credits × 2,000 = 16,000 credits = $160.00.
    let quote = page(&["quote", "ultra", "--count", "2000"], "html");
    assert!(quote.contains("<title>stabcost quote: $160.00 in all</title>"));
    assert!(quote.contains(
        "<td class=\"num\" data-label=\"USD\" data-value=\"160.00\">$160.00</td></tr>\n</tfoot>"
    ));
    // 3 + 5 + 40 = 48 credits = $0.48.
    let workflow = page(&["workflow", "core+rmbg+upscale-conservative"], "html");
    assert!(workflow.contains("data-value=\"0.48\">$0.48</td></tr>\n</tfoot>"));
    // At 15,000 images: Core 45,000 credits = $450.00, Ultra 120,000 = $1,200.00; SDXL
    // at 30 steps (0.9 credits) is the cheapest, $135.00.
    let compare = page(&["compare", "--images", "15000"], "html");
    assert!(compare.contains(
        "<title>stabcost compare: 15,000 images: $135.00 (sdxl@30) to $1,200.00 (ultra)</title>"
    ));
    assert!(compare.contains("core $450.00;"), "{compare}");
    assert!(compare.contains("ultra $1,200.00."), "{compare}");
    // Without a total or a figure, a summary that leads with a figure is the headline.
    let changes = page(&["rates", "--changes"], "html");
    let title = between(&changes, "<title>", "</title>");
    assert!(title.starts_with("stabcost rates: "), "{title}");
    assert!(
        title.contains(" price changes between the built-in card of "),
        "{title}"
    );
    // $60.00 + $63.00 + $90.00 = $213.00 a month.
    let plan = page(&["plan", "examples/plan.toml"], "html");
    assert!(plan.contains("<title>stabcost plan: $213.00 in all</title>"));
    // 1,000 Ultra (8 credits) and 500 Creative Upscale (60) calls, $380.00; on Core (3)
    // and Conservative (40): $30.00 + $200.00 = $230.00, saving $150.00, 150 / 380 =
    // 39.47%. The chart holds both sides of each swap.
    let what_if = page(
        &[
            "usage",
            "tests/cmd/whatif/october.jsonl.gz",
            "--what-if",
            "ultra=core",
            "--what-if",
            "upscale-creative=upscale-conservative",
        ],
        "html",
    );
    assert!(what_if.contains(
        "<title>stabcost usage: What if: $380.00 → $230.00, saving $150.00 (39.47%)</title>"
    ));
    assert!(what_if.contains("ultra → core: actual $80.00, what-if $30.00;"));
    assert!(what_if.contains("the whole log: actual $380.00, what-if $230.00"));
}

#[test]
fn a_compare_chart_marks_the_volume_and_draws_the_gpus_as_steps() {
    // 2,592,000 s / 4 s = 648,000 images a GPU; one GPU at $1,800 a month.
    let html = page(
        &[
            "compare",
            "--images",
            "15000",
            "--gpu-monthly",
            "1800",
            "--seconds-per-image",
            "4",
        ],
        "html",
    );
    assert_eq!(count(&html, "<path class=\"line steps gpu\""), 1);
    // The staircase's class starts `line s` too: seven models and the GPUs.
    assert_eq!(count(&html, "<path class=\"line s"), 8);
    assert_eq!(count(&html, "<circle class=\"dot s"), 7);
    assert!(html.contains(
        "At 15,000 images a month: GPUs at $1,800.00 a month $1,800.00; sdxl@30 $135.00;"
    ));
    // Without GPUs the lines are each model's whole pipeline: with rmbg ($0.05) Ultra
    // is $0.13 an image, $1,950.00 for 15,000.
    let with = page(&["compare", "--images", "15000", "--with", "rmbg"], "html");
    assert!(with.contains("ultra $1,950.00."), "{with}");
    assert!(with.contains("each model followed by the --with steps"));
}

#[test]
fn a_budget_is_drawn_as_images_per_model() {
    // $100 / $0.08 = 1,250 Ultra images; $100 / $0.009 = 11,111 SDXL images.
    let html = page(&["compare", "--budget", "100"], "html");
    assert!(html.contains("<h1>What $100.00 buys: images on each model</h1>"));
    assert!(html.contains("sdxl@30 11,111; "));
    assert!(html.contains("; ultra 1,250.</figcaption>"));
    assert_eq!(count(&html, "<rect class=\"bar s0\""), 7);
}

#[test]
fn usage_by_month_draws_each_month_in_time_order() {
    let html = page(
        &[
            "usage",
            "tests/cmd/usage.in/history.jsonl",
            "--group-by",
            "month,service",
        ],
        "html",
    );
    let desc = between(&html, "<desc id=\"figure-1-desc\">", "</desc>");
    let months: Vec<&str> = desc
        .split("; ")
        .map(|p| p.split(' ').nth(1).unwrap())
        .collect();
    let mut sorted = months.clone();
    sorted.sort_unstable();
    assert_eq!(months, sorted, "{desc}");
    assert!(months.len() > 1, "{desc}");
    // A log without a charged call has nothing to draw.
    let empty = run_with(
        &["usage", "-", "--group-by", "day", "--format", "html"],
        Some(b""),
        &[],
    );
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    assert!(empty.stdout.contains("<tbody>\n</tbody>"));
    assert!(!empty.stdout.contains("<figure>"));
    // Without a period there is nothing over time to draw.
    let by_service = page(&["usage", "tests/cmd/usage.in/history.jsonl"], "html");
    assert!(!by_service.contains("<figure>"));
}

#[test]
fn text_from_a_plan_stays_text_everywhere_on_the_page() {
    let plan = temp_card(
        b"name = \"<img src=x onerror=alert(2)>\"\n\n[[workloads]]\nname = \"<script>alert(1)</script>\"\npipeline = \"core\"\nper-month = 100\n\n[[workloads]]\nname = \"b\"\npipeline = \"ultra\"\nper-month = 10\n",
    );
    let path = plan.path().to_str().unwrap();
    for args in [vec!["plan", path], vec!["plan", path, "--months", "2"]] {
        let html = page(&args, "html");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    }
}

#[test]
fn a_tripped_gate_still_writes_the_whole_page_then_exits_3() {
    let r = run(&[
        "diff",
        "examples/plan.toml",
        "examples/plan-ultra.toml",
        "--max-increase",
        "40%",
        "--format",
        "html",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.ends_with("</html>\n"));
    assert!(
        r.stdout.contains(
            "note: the monthly total grows by $100.00 (+46.95%), more than the 40% allowed"
        )
    );
}

"""Every command's `--format html` page, opened as a file:// URL in headless Chromium.

Each page passes the harness's `check_page` (no request, no script, exact values, a
phone's width, the dark scheme, print), then its own figures, worked out by hand from
the pricing guide, as in tests/acceptance.rs:
- quote ultra × 2,000: 8 credits × 2,000 = 16,000 credits = $160.00;
- workflow core+rmbg+upscale-conservative: 3 + 5 + 40 = 48 credits = $0.48;
- compare at 15,000 images: Core 3 × 15,000 = 45,000 credits = $450.00, Ultra
  8 × 15,000 = 120,000 credits = $1,200.00;
- examples/plan.toml: $60.00 + $63.00 + $90.00 = $213.00 a month (README, Plans);
- the usage acceptance log: 3 + 6.5 + 8 = 17.5 credits = $0.175, 7 records read;
- usage --what-if on 1,000 Ultra and 500 Creative Upscale calls: $380.00 → $30.00 +
  $200.00 = $230.00 on Core and Conservative.
"""

import pathlib
import subprocess

from harness import OUT, ROOT, caption, cell, check_page, run_checks, stabcost, summary, total

PAGES = OUT / "pages"
SCRIPT = "<script>alert(1)</script>"


def page(name, *args):
    """Writes `stabcost ARGS --format html` to target/browser/pages/NAME.html; its URL."""
    PAGES.mkdir(parents=True, exist_ok=True)
    path = PAGES / f"{name}.html"
    run = subprocess.run(
        [stabcost(), *args, "--format", "html"],
        cwd=ROOT,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "STABCOST_RATES": ""},
        timeout=60,
    )
    assert run.returncode in (0, 3), f"stabcost {' '.join(args)}: exit {run.returncode}: {run.stderr.decode()}"
    path.write_bytes(run.stdout)
    return path.as_uri()


def quote(browser):
    url = page("quote", "quote", "ultra", "--count", "2000")
    check_page(browser, url, "quote")
    assert total(browser, "USD") == "$160.00"
    assert total(browser, "Credits") == "16,000"
    assert browser.find("tfoot td:last-child").get_attribute("data-value") == "160.00"
    assert "$160.00" in browser.driver.title
    assert summary(browser)[-1].startswith("prices: Stability AI API list prices")


def workflow(browser):
    url = page("workflow", "workflow", "core+rmbg+upscale-conservative")
    check_page(browser, url, "workflow")
    assert total(browser, "USD") == "$0.48"
    assert cell(browser, "upscale-conservative", "Credits each") == "40"


def compare(browser):
    url = page("compare", "compare", "--images", "15000")
    check_page(browser, url, "compare")
    assert cell(browser, "core", "USD") == "$450.00"
    assert cell(browser, "ultra", "USD") == "$1,200.00"
    text = caption(browser)
    assert "At 15,000 images a month:" in text and "core $450.00" in text and "ultra $1,200.00" in text, text
    # One line a model, and a dot on each at 15,000 images.
    assert len(browser.find_all("figure path.line")) == 7
    assert len(browser.find_all("figure circle.dot")) == 7


def compare_gpu(browser):
    url = page("compare-gpu", "compare", "--images", "15000", "--gpu-monthly", "1800", "--seconds-per-image", "4")
    check_page(browser, url, "compare-gpu")
    # 2,592,000 s a month / 4 s = 648,000 images a GPU; $1,800 / $0.08 = 22,500 for
    # Ultra, so one GPU pays off from 22,501 images.
    assert cell(browser, "ultra", "Break even") == "22,501"
    assert len(browser.find_all("figure path.steps")) == 1
    assert "GPUs at $1,800.00 a month $1,800.00" in caption(browser)


def compare_budget(browser):
    url = page("compare-budget", "compare", "--budget", "100")
    check_page(browser, url, "compare-budget")
    # $100 / $0.08 = 1,250 Ultra images; $100 / $0.009 = 11,111 SDXL images ($99.999).
    assert cell(browser, "ultra", "Images") == "1,250"
    assert cell(browser, "sdxl@30", "Spent") == "$99.999"
    assert "sdxl@30 11,111" in caption(browser) and "ultra 1,250" in caption(browser)
    assert len(browser.find_all("figure rect.bar")) == 7


def rates(browser):
    url = page("rates", "rates")
    check_page(browser, url, "rates")
    assert cell(browser, "ultra", "Credits") == "8"
    assert cell(browser, "image-to-video", "USD") == "—"
    assert browser.find(".preface").text.startswith("Stability AI API list prices (effective")


def rates_history(browser):
    check_page(browser, page("rates-history", "rates", "--history"), "rates-history")
    assert cell(browser, "2025-08-01", "Until") == "today"


def rates_changes(browser):
    check_page(browser, page("rates-changes", "rates", "--changes"), "rates-changes")
    assert "price change" in summary(browser)[0]


def plan(browser):
    url = page("plan", "plan", "examples/plan.toml")
    check_page(browser, url, "plan")
    assert total(browser, "USD a month") == "$213.00"
    assert "$213.00" in browser.driver.title


def plan_months(browser):
    url = page("plan-months", "plan", "examples/plan.toml", "--months", "3", "--budget", "250")
    check_page(browser, url, "plan-months")
    assert cell(browser, "1", "USD") == "$213.00"
    assert browser.find_all("figure line.limit"), "no budget line"
    text = caption(browser)
    assert "month 1 $213.00 (catalog $60.00, marketing $63.00, avatars $90.00)" in text, text
    assert "budget $250.00" in text


def diff(browser):
    url = page("diff", "diff", "examples/plan.toml", "examples/plan-ultra.toml")
    check_page(browser, url, "diff")
    # catalog: 2,000 × Core $0.03 = $60.00 becomes 2,000 × Ultra $0.08 = $160.00.
    assert cell(browser, "catalog", "Head a month") == "$160.00"
    assert browser.find("h1").text == "Monthly cost: $213.00 → $313.00 (+$100.00, +46.95%)"
    assert "catalog: base $60.00, head $160.00" in caption(browser)


def usage(browser):
    url = page("usage", "usage", "tests/cmd/usage.in/acceptance.jsonl")
    check_page(browser, url, "usage")
    assert total(browser, "USD") == "$0.175"
    assert summary(browser)[0] == (
        "7 records read: 3 charged, 1 not charged (non-2xx), 1 not billable, 1 unpriced, 1 malformed"
    )


def usage_by_day(browser):
    log = OUT / "pages" / "usage-by-day.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["python3", "bench/gen_usage.py", "3000", str(log)], cwd=ROOT, check=True, capture_output=True, timeout=60
    )
    url = page("usage-by-day", "usage", str(log), "--group-by", "day,service")
    check_page(browser, url, "usage-by-day")
    columns = browser.find_all("figure rect.bar")
    assert columns, "no columns"
    # Thirteen services are folded into seven and `other`, a colour each.
    assert len(browser.find_all("figure .legend li")) == 8


def usage_what_if(browser):
    url = page(
        "usage-what-if",
        "usage",
        "tests/cmd/whatif/october.jsonl.gz",
        "--what-if",
        "ultra=core",
        "--what-if",
        "upscale-creative=upscale-conservative",
    )
    check_page(browser, url, "usage-what-if")
    # 1,000 Ultra on Core: 1,000 × (8 − 3) = 5,000 credits, $50.00 of $80.00 (62.50%);
    # 500 Creative on Conservative: 500 × (60 − 40) = 10,000 credits, $100.00; the bill
    # $380.00 → $230.00, saving $150.00, 150 / 380 = 39.47%.
    assert browser.find("h1").text == "What if: $380.00 → $230.00, saving $150.00 (39.47%)"
    assert cell(browser, "ultra → core", "Saving") == "$50.00"
    assert cell(browser, "ultra → core", "Saving %") == "62.50%"
    assert cell(browser, "upscale-creative → upscale-conservative", "Saving") == "$100.00"
    assert total(browser, "What-if") == "$230.00"
    assert total(browser, "Saving %") == "39.47%"
    # Each swap and the whole log, as it cost and what if: six bars.
    assert len(browser.find_all("figure rect.bar")) == 6
    assert "ultra → core: actual $80.00, what-if $30.00" in caption(browser)


def hostile_names(browser):
    plan_file = PAGES / "script.toml"
    PAGES.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(
        'name = "<img src=x onerror=alert(2)>"\n\n'
        f"[[workloads]]\nname = \"{SCRIPT}\"\npipeline = \"core\"\nper-month = 100\n"
    )
    url = page("script", "plan", str(plan_file))
    check_page(browser, url, "script")
    assert browser.find("tbody th").text == SCRIPT
    assert not browser.alert_open()
    assert browser.js("return document.querySelectorAll('img, script').length") == 0
    assert "<img src=x onerror=alert(2)>" in summary(browser)[0]


def the_harness_fails_a_page_that_fetches_or_runs_something(browser):
    # A page without stabcost's policy that asks for an image on this machine's
    # loopback (nothing answers on the discard port) and runs a script: check_page
    # must fail it, or its passes would mean nothing.
    for name, body in [
        ("fetches", '<img src="http://127.0.0.1:9/x.png" alt="">'),
        ("runs", "<script>document.title = 'stabcost x: ran'</script>"),
    ]:
        path = PAGES / f"harness-{name}.html"
        PAGES.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>stabcost x: y</title></head>"
            f"<body><table><thead><tr><th>a</th></tr></thead></table>{body}</body></html>"
        )
        try:
            check_page(browser, path.as_uri(), f"harness-{name}")
        except AssertionError as e:
            assert "asked for" in str(e) or "script" in str(e), e
        else:
            raise AssertionError(f"check_page passed a page that {name} something")


if __name__ == "__main__":
    run_checks(
        [
            ("the harness fails a page that fetches or runs something", the_harness_fails_a_page_that_fetches_or_runs_something),
            ("quote ultra × 2,000 reads $160.00", quote),
            ("workflow core+rmbg+upscale-conservative reads $0.48", workflow),
            ("compare at 15,000 reads Core $450.00 and Ultra $1,200.00", compare),
            ("compare with GPUs draws the staircase", compare_gpu),
            ("compare --budget draws images per model", compare_budget),
            ("rates", rates),
            ("rates --history", rates_history),
            ("rates --changes", rates_changes),
            ("examples/plan.toml reads $213.00", plan),
            ("plan --months stacks workloads under the budget", plan_months),
            ("diff draws base against head", diff),
            ("the acceptance log reads $0.175 with its accounting line", usage),
            ("usage by day draws spend over time", usage_by_day),
            ("usage --what-if reads $380.00 → $230.00, saving $150.00", usage_what_if),
            ("a workload named <script>alert(1)</script> shows as text", hostile_names),
        ]
    )

"""`stabcost usage --plan` as a `--format html` page (README, "Are we on plan?"), opened
in headless Chromium: the harness's `check_page`, then the figures of
tests/cmd/actual.md, worked out there by hand from the pricing guide:
- October 2026 against examples/plan.toml: catalog $60.00 / $60.00, marketing $63.00 /
  $63.00, avatars $90.00 / $120.00 (+$30.00, +33.33%), total $213.00 / $243.00;
- Oct 1-10, 100 Core calls a day ($3.00): $30.00 to date, ≈ $93.00 by Oct 31, and a
  column a day to Oct 31, under the plan's $213.00.
"""

from harness import caption, cell, check_page, run_checks, summary, total
from reports import page

OCTOBER = "tests/cmd/actual/october-2026.jsonl.gz"
TO_THE_10TH = "tests/cmd/actual/october-to-the-10th.jsonl.gz"


def october(browser):
    url = page("usage-plan", "usage", OCTOBER, "--plan", "examples/plan.toml")
    check_page(browser, url, "usage-plan")
    assert cell(browser, "avatars", "Planned") == "$90.00"
    assert cell(browser, "avatars", "Actual") == "$120.00"
    assert cell(browser, "avatars", "Variance") == "+$30.00"
    assert cell(browser, "avatars", "Variance %") == "+33.33%"
    assert total(browser, "Planned") == "$213.00"
    assert total(browser, "Actual") == "$243.00"
    assert browser.find("h1").text.startswith("Storefront app, October 2026: $243.00 spent, $213.00 planned")
    assert summary(browser)[0] == "budget $250.00: $243.00 spent (97.20%), $7.00 left"
    # A column a day of October's 31, under the plan's month as a line across.
    assert browser.find_all("figure line.limit"), "no planned line"
    assert "planned $213.00" in caption(browser)
    # The month is complete: nothing forecast, so one series and no legend naming one.
    legend = [li.text for li in browser.find_all("figure .legend li")]
    assert "forecast (≈)" not in legend, legend


def to_the_10th(browser):
    url = page("usage-plan-to-date", "usage", TO_THE_10TH, "--plan", "examples/plan.toml", "--balance", "3000")
    check_page(browser, url, "usage-plan-to-date")
    assert cell(browser, "catalog", "Planned to date") == "≈ $19.35"
    assert total(browser, "Actual") == "$30.00"
    lines = summary(browser)
    assert any(line.startswith("forecast: ≈ $93.00 by 2026-10-31") for line in lines), lines
    assert any("gone on 2026-10-20" in line for line in lines), lines
    # The legend names what was spent and what is forecast.
    legend = [li.text for li in browser.find_all("figure .legend li")]
    assert legend == ["spent", "forecast (≈)"], legend


if __name__ == "__main__":
    run_checks(
        [
            ("October 2026 against the plan reads $243.00 of $213.00", october),
            ("Oct 1-10 forecasts ≈ $93.00 and draws the month to its end", to_the_10th),
        ]
    )

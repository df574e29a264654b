"""`stabcost serve` in headless Chromium: each form filled in and sent with the keyboard
(Tab between fields, Enter or Space to send), the answers' figures, worked out by hand
from the pricing guide as in tests/serve.rs:
- quote ultra × 2,000: 8 credits × 2,000 = 16,000 credits = $160.00;
- workflow core+rmbg+upscale-conservative: 3 + 5 + 40 = 48 credits = $0.48;
- compare at 15,000 images: Core 3 × 15,000 = $450.00, Ultra 8 × 15,000 = $1,200.00;
- examples/plan.toml: $60.00 + $63.00 + $90.00 = $213.00 a month;
- the acceptance log: 3 + 6.5 + 8 = 17.5 credits = $0.175, 7 records read.
Every GET answer passes the harness's check_page (no request, no script, exact values,
a phone's width, dark, print); a posted answer, which has no address to reopen, is
checked where it stands. Screenshots land in target/browser/serve-*.png.
"""

import re
import subprocess
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from harness import OUT, PHONE, ROOT, cell, check_page, run_checks, stabcost, total

SCRIPT = "<script>alert(1)</script>"
ACCOUNTING = "7 records read: 3 charged, 1 not charged (non-2xx), 1 not billable, 1 unpriced, 1 malformed"


class Server:
    """`stabcost serve` on a free loopback port."""

    def __init__(self):
        self.process = subprocess.Popen(
            [stabcost(), "serve", "--listen", "127.0.0.1:0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "STABCOST_RATES": ""},
        )
        line = self.process.stdout.readline().decode()
        found = re.search(r"http://\S+/", line)
        assert found, f"no address in {line!r}: {self.process.stderr.read().decode()}"
        self.url = found.group(0).rstrip("/")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


SERVER = None


def at(path):
    return SERVER.url + path


def status(path):
    """The HTTP status of a GET of `path`."""
    try:
        with urllib.request.urlopen(at(path), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def type_into(browser, css, text):
    """Types `text` into the field at `css` (which focuses it, as a click would)."""
    field = browser.find(css)
    field.clear()
    field.send_keys(text)
    return field


def tab_order(browser):
    """The ids of the form's controls, in the order Tab reaches them from the top."""
    browser.js("document.activeElement.blur()")
    order = []
    for _ in range(60):
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
        el = browser.driver.switch_to.active_element
        if el.tag_name == "button":
            order.append("button")
            break
        order.append(el.get_attribute("id") or el.get_attribute("href") or el.tag_name)
    return order


def labelled(browser):
    """Every input, select and text area has a label that names it."""
    unlabelled = browser.js(
        "return [...document.querySelectorAll('form input, form select, form textarea')]"
        ".filter(e => !e.labels || e.labels.length === 0 || !e.labels[0].textContent.trim()).map(e => e.name)"
    )
    assert unlabelled == [], f"unlabelled: {unlabelled}"


def answered(browser):
    """Waits for the answer that the form's sending asked for: a report or a problem."""
    WebDriverWait(browser.driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "tfoot, .problem, main > header")
    )


def submit_with_keyboard(field, browser):
    field.send_keys(Keys.ENTER)
    answered(browser)


def the_quote_form(browser):
    browser.open(at("/quote"))
    labelled(browser)
    order = tab_order(browser)
    fields = [i for i in order if i.startswith("f-") or i == "summary"]
    # The fields in the form's order, the folded options, then the button.
    assert fields == ["f-service", "f-count", "summary"], order
    assert order[-1] == "button", order
    browser.screenshot("serve-quote-form")
    type_into(browser, "#f-service", "ultra")
    count = browser.driver.switch_to.active_element
    count.send_keys(Keys.TAB)
    count = browser.driver.switch_to.active_element
    assert count.get_attribute("id") == "f-count"
    count.send_keys("2000")
    submit_with_keyboard(count, browser)
    assert "service=ultra" in browser.driver.current_url and "count=2000" in browser.driver.current_url
    assert total(browser, "USD") == "$160.00"
    assert browser.find("#f-service").get_attribute("value") == "ultra"
    # The address is the answer: opened afresh, it passes every page check.
    check_page(browser, browser.driver.current_url, "serve-quote")
    assert total(browser, "USD") == "$160.00"
    links = [a.get_attribute("href") for a in browser.find_all(".formats a")]
    assert any(l.endswith("format=csv") for l in links), links


def the_workflow_form(browser):
    browser.open(at("/workflow"))
    labelled(browser)
    field = type_into(browser, "#f-expr", "core+rmbg+upscale-conservative")
    submit_with_keyboard(field, browser)
    assert total(browser, "USD") == "$0.48"
    check_page(browser, browser.driver.current_url, "serve-workflow")


def the_compare_form(browser):
    browser.open(at("/compare"))
    labelled(browser)
    field = type_into(browser, "#f-images", "15,000")
    submit_with_keyboard(field, browser)
    assert cell(browser, "core", "USD") == "$450.00"
    assert cell(browser, "ultra", "USD") == "$1,200.00"
    check_page(browser, browser.driver.current_url, "serve-compare")


def the_rates_form(browser):
    browser.open(at("/rates"))
    labelled(browser)
    box = browser.find("#f-changes")
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    submit_with_keyboard(browser.find("form.calc button"), browser)
    assert "changes=1" in browser.driver.current_url
    check_page(browser, browser.driver.current_url, "serve-rates-changes")


def check_here(browser, name):
    """The checks of check_page that need no reload, on a posted answer."""
    assert browser.js("return document.scripts.length") == 0, f"{name}: a script element"
    assert not browser.alert_open()
    cells = browser.js(
        "return [...document.querySelectorAll('[data-value]')].map(c => getComputedStyle(c).textAlign)"
    )
    assert cells and all(a == "right" for a in cells), f"{name}: {cells}"
    browser.screenshot(name)
    browser.cdp("Emulation.setDeviceMetricsOverride", {"width": PHONE, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    wide = browser.js("return document.documentElement.scrollWidth")
    assert wide <= PHONE, f"{name}: {wide} px wide at {PHONE} px"
    browser.screenshot(f"{name}-phone")
    browser.cdp("Emulation.setDeviceMetricsOverride", {"width": 1024, "height": 800, "deviceScaleFactor": 1, "mobile": False})


def the_plan_upload(browser):
    browser.open(at("/plan"))
    labelled(browser)
    browser.find("#f-plan").send_keys(str(ROOT / "examples" / "plan.toml"))
    submit_with_keyboard(browser.find("form.calc button"), browser)
    assert total(browser, "USD a month") == "$213.00"
    # The plan's text fills the form again, to change and send anew.
    assert 'name = "Storefront app"' in browser.find("#f-plan-text").get_attribute("value")
    check_here(browser, "serve-plan")
    downloads = [a.get_attribute("download") for a in browser.find_all(".formats a")]
    assert downloads == ["plan.csv", "plan.json", "plan.md"], downloads


def the_usage_upload(browser):
    browser.open(at("/usage"))
    labelled(browser)
    browser.find("#f-log").send_keys(str(ROOT / "tests" / "cmd" / "usage.in" / "acceptance.jsonl"))
    submit_with_keyboard(browser.find("form.calc button"), browser)
    assert total(browser, "USD") == "$0.175"
    summary = [li.text for li in browser.find_all(".summary li")]
    assert summary[0] == ACCOUNTING, summary
    check_here(browser, "serve-usage")


def the_usage_upload_against_a_plan(browser):
    # tests/cmd/actual.md's October: $243.00 spent against $213.00 planned.
    browser.open(at("/usage"))
    summary = browser.find("details.more summary")
    summary.send_keys(Keys.ENTER)  # opened by keyboard
    browser.find("#f-plan").send_keys(str(ROOT / "examples" / "plan.toml"))
    browser.find("#f-log").send_keys(str(ROOT / "tests" / "cmd" / "actual" / "october-2026.jsonl.gz"))
    submit_with_keyboard(browser.find("form.calc button"), browser)
    heading = browser.find("main > header h1").text
    assert "$243.00 spent, $213.00 planned (+$30.00, +14.08%)" in heading, heading
    check_here(browser, "serve-usage-plan")


def a_pasted_script_shows_as_text(browser):
    browser.open(at("/plan"))
    area = browser.find("#f-plan-text")
    area.send_keys(f'[[workloads]]\nname = "{SCRIPT}"\npipeline = "core"\nper-month = 100\n')
    submit_with_keyboard(browser.find("form.calc button"), browser)
    assert browser.find("tbody th").text == SCRIPT
    assert not browser.alert_open()
    assert browser.js("return document.scripts.length") == 0
    check_here(browser, "serve-script")


def a_bad_expression_shows_the_caret_with_http_400(browser):
    browser.open(at("/workflow"))
    field = type_into(browser, "#f-expr", "core+rmbgg+upscale-conservative")
    submit_with_keyboard(field, browser)
    problem = browser.find(".problem pre").text
    assert problem.startswith("error: unknown service 'rmbgg'"), problem
    assert "core+rmbgg+upscale-conservative\n       ^^^^^" in problem, problem
    assert browser.find("#f-expr").get_attribute("value") == "core+rmbgg+upscale-conservative"
    path = browser.driver.current_url[len(SERVER.url):]
    assert status(path) == 400, status(path)
    browser.screenshot("serve-bad-expression")
    browser.open(browser.driver.current_url, width=PHONE, height=740)
    assert browser.js("return document.documentElement.scrollWidth") <= PHONE
    browser.screenshot("serve-bad-expression-phone")


def the_index(browser):
    asked = browser.open(at("/"))
    assert asked == [], asked
    labelled(browser)
    links = [a.get_attribute("href")[len(SERVER.url):] for a in browser.find_all(".pages a")]
    assert links == ["/quote", "/workflow", "/compare", "/plan", "/diff", "/usage", "/rates"], links
    browser.screenshot("serve-index")
    for path in links:
        assert status(path) == 200, path
        asked = browser.open(at(path), width=PHONE, height=740)
        assert asked == [], f"{path}: {asked}"
        assert browser.js("return document.scripts.length") == 0
        labelled(browser)
        wide = browser.js("return document.documentElement.scrollWidth")
        assert wide <= PHONE, f"{path}: {wide} px at {PHONE} px"
        browser.screenshot(f"serve-form{path.replace('/', '-')}-phone")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    SERVER = Server()
    try:
        run_checks(
            [
                ("serve: the index and every empty form, at a phone's width", the_index),
                ("serve: quote ultra × 2,000 by keyboard reads $160.00", the_quote_form),
                ("serve: workflow reads $0.48", the_workflow_form),
                ("serve: compare at 15,000 reads Core $450.00 and Ultra $1,200.00", the_compare_form),
                ("serve: rates with changes, the box ticked by keyboard", the_rates_form),
                ("serve: uploading examples/plan.toml reads $213.00", the_plan_upload),
                ("serve: uploading the acceptance log reads $0.175 with its accounting line", the_usage_upload),
                ("serve: uploading a plan beside the log sets the calls against it", the_usage_upload_against_a_plan),
                ("serve: a workload named <script>alert(1)</script> shows as text", a_pasted_script_shows_as_text),
                ("serve: a bad expression shows the caret with HTTP 400", a_bad_expression_shows_the_caret_with_http_400),
            ]
        )
    finally:
        SERVER.stop()

"""The browser harness: a headless Chromium that cannot reach the network, and the checks
every stabcost page must pass, whoever made it (`--format html` pages as file:// URLs,
or a server's pages).

A test module makes a `Browser`, opens pages with `Browser.open`, and runs its checks
with `run_checks`, which prints one line a check and closes with `N passed, N failed`.
`check_page` is what every page must do: no request, no script, exact `data-value`s,
and no figure cut at a phone's width, in print or in the dark scheme, with a
screenshot of each under target/browser/.
"""

import base64
import json
import os
import pathlib
import re
import shutil
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "browser"

# Without these, Chromium tries to reach its own services and, on a closed network,
# hangs on the connections.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]

DESKTOP = 1024
PHONE = 375
# A4's width less 12 mm margins each side (the page's print CSS), in CSS pixels at
# 96 per inch; Letter is wider (8.5 in), so a page that fits A4 fits Letter.
A4_PRINTABLE = round((210 - 2 * 12) / 25.4 * 96)


class Browser:
    """One headless Chromium with a fresh profile, driven by chromedriver."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="stabcost-chromium-")
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        service = Service("/usr/bin/chromedriver", log_output=str(OUT / "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.url = None

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def cdp(self, command, params=None):
        return self.driver.execute_cdp_cmd(command, params or {})

    def open(self, url, width=DESKTOP, height=800, scheme="light", media=""):
        """Loads `url` at `width` CSS pixels, in the light or dark scheme, for the screen
        or (`media="print"`) for print; returns the requests the page made itself."""
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        self.cdp(
            "Emulation.setEmulatedMedia",
            {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        self.driver.get_log("performance")  # drop what came before
        self.driver.get(url)
        self.url = url
        return self.requests()

    def requests(self):
        """Every URL the page asked for besides itself (its Network.requestWillBeSent
        events in Chromium's log), with the resource timing API's entries."""
        asked = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if url != self.url:
                    asked.append(url)
        timed = self.js("return performance.getEntriesByType('resource').map(e => e.name)")
        return asked + timed

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def alert_open(self):
        try:
            self.driver.switch_to.alert.text
            return True
        except NoAlertPresentException:
            return False

    def screenshot(self, name):
        """The whole page, not only the window, as target/browser/NAME.png."""
        size = self.cdp("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.cdp(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            },
        )
        path = OUT / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def pdf(self, name, size):
        """The page printed on `size` ("A4" or "Letter"), as target/browser/NAME.pdf."""
        options = PrintOptions()
        if size == "A4":
            options.page_width, options.page_height = 21.0, 29.7
        else:
            options.page_width, options.page_height = 21.59, 27.94
        path = OUT / f"{name}.pdf"
        path.write_bytes(base64.b64decode(self.driver.print_page(options)))
        return path


def figure_text(text):
    """A figure as the page shows it, as the bare decimal `data-value` must hold:
    `$1,200.00` -> `1200.00`, `+$100.00` -> `100.00`, `2.78×` -> `2.78`; None for words
    (`beyond 1 GPU`, `<0.01%`, `—`)."""
    bare = text.replace("$", "").replace(",", "").replace("×", "").replace("≈", "").strip()
    bare = bare.rstrip("%").lstrip("+")
    return bare if re.fullmatch(r"-?\d+(\.\d+)?", bare) else None


def check_page(browser, url, name):
    """What every report page must do, checked on the page at `url`; screenshots named
    after `name`."""
    asked = browser.open(url)
    assert asked == [], f"{name}: the page asked for {asked}"
    assert browser.js("return document.scripts.length") == 0, f"{name}: a script element"
    assert not browser.alert_open(), f"{name}: an alert opened"
    assert browser.js("return document.characterSet") == "UTF-8"
    title = browser.driver.title
    assert title.startswith("stabcost "), f"{name}: title {title!r}"
    # A real table: a header, a body, and each figure's exact value beside its text.
    assert browser.find_all("table thead th"), f"{name}: no table header"
    cells = browser.js(
        "return [...document.querySelectorAll('[data-value]')].map(c => [c.textContent, c.dataset.value, getComputedStyle(c).textAlign])"
    )
    for text, value, align in cells:
        assert align == "right", f"{name}: {text!r} is not right-aligned"
        shown = figure_text(text)
        if shown is not None:
            assert shown == value.lstrip("+"), f"{name}: {text!r} has data-value {value!r}"
    browser.screenshot(name)

    # At a phone's width the page does not scroll sideways (only the table may), and
    # no figure is cut inside its cell.
    browser.open(url, width=PHONE, height=740)
    wide = browser.js("return document.documentElement.scrollWidth")
    assert wide <= PHONE, f"{name}: {wide} px wide at {PHONE} px"
    cut = browser.js(
        "return [...document.querySelectorAll('tbody td, tbody th, tfoot td, tfoot th')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
    )
    assert cut == [], f"{name}: cut at {PHONE} px: {cut}"
    for svg in browser.find_all("figure svg"):
        assert svg.rect["x"] >= 0 and svg.rect["x"] + svg.rect["width"] <= PHONE + 0.5, f"{name}: the figure is wider than the phone"
    browser.screenshot(f"{name}-phone")

    # The dark scheme: light text on a dark page.
    browser.open(url, scheme="dark")
    background = browser.js("return getComputedStyle(document.body).backgroundColor")
    colour = browser.js("return getComputedStyle(document.body).color")
    assert luminance(background) < 0.2 < luminance(colour), f"{name}: dark scheme {background} on {colour}"
    browser.screenshot(f"{name}-dark")

    # Print: at A4's printable width nothing sticks out of the page, and it prints.
    browser.open(url, width=A4_PRINTABLE, media="print", scheme="dark")
    right = browser.js(
        "return Math.max(...[...document.querySelectorAll('table, figure svg, h1, li, p')].map(e => e.getBoundingClientRect().right))"
    )
    assert right <= A4_PRINTABLE + 0.5, f"{name}: {right} px wide in print, {A4_PRINTABLE} px fit A4"
    print_background = browser.js("return getComputedStyle(document.body).backgroundColor")
    assert luminance(print_background) > 0.9, f"{name}: prints on {print_background}"
    browser.open(url)
    for size in ("A4", "Letter"):
        assert browser.pdf(f"{name}-{size}", size).stat().st_size > 1000


def luminance(css_colour):
    """The relative luminance of an `rgb(…)`/`rgba(…)` colour, 0 (black) to 1 (white)."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# Reading an answer's page: the same in the reports' checks and serve's.


def cell(browser, row_label, header, part="tbody"):
    """The text of the cell in the row whose first cell is `row_label`, under `header`."""
    return browser.js(
        """
        const [part, label, header] = arguments;
        const heads = [...document.querySelectorAll('thead th')].map(h => h.textContent);
        const at = heads.indexOf(header);
        const row = [...document.querySelectorAll(part + ' tr')].find(r => r.cells[0].textContent === label);
        return row && at >= 0 ? row.cells[at].textContent : null;
        """,
        part,
        row_label,
        header,
    )


def total(browser, header):
    """The total row's cell under `header`."""
    return cell(browser, "total", header, part="tfoot")


def summary(browser):
    return [li.text for li in browser.find_all(".summary li")]


def caption(browser):
    return browser.find("figure figcaption").text


def run_checks(checks):
    """Runs each `(name, function)`; prints a line each and the closing count; exits 1
    if any failed."""
    OUT.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    started = time.monotonic()
    browser = Browser()
    try:
        for name, check in checks:
            try:
                check(browser)
                passed += 1
                print(f"ok   {name}")
            except Exception:  # noqa: BLE001 - a failed check is reported, the rest go on
                failed += 1
                print(f"FAIL {name}")
                traceback.print_exc(file=sys.stdout)
    finally:
        browser.close()
    print(f"browser checks took {time.monotonic() - started:.1f} s; screenshots in {OUT.relative_to(ROOT)}/")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def stabcost():
    """The binary under test: $STABCOST, relative to the repository."""
    return str(ROOT / os.environ.get("STABCOST", "target/release/stabcost"))

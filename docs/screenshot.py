"""Makes docs/serve.png, the README's picture of `stabcost serve`, from the real page:
starts the release build's server, opens a compare answer in headless Chromium (the
harness of tests/browser/) at 1024 px, and saves the top of the page.

    bash tests/browser/run                          # installs chromium and selenium once
    target/browser-venv/bin/python docs/screenshot.py
"""

import base64
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from harness import OUT, Browser  # noqa: E402
from serve import Server  # noqa: E402

PAGE = "/compare?images=15%2C000&with=rmbg"
HEIGHT = 1620


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    server = Server()
    browser = Browser()
    try:
        browser.open(server.url + PAGE, width=1024, height=HEIGHT)
        shot = browser.cdp(
            "Page.captureScreenshot",
            {"format": "png", "clip": {"x": 0, "y": 0, "width": 1024, "height": HEIGHT, "scale": 1}},
        )
        path = ROOT / "docs" / "serve.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        print(path.relative_to(ROOT))
    finally:
        browser.close()
        server.stop()


if __name__ == "__main__":
    main()

"""Take docs/demo.png: the real app.py with the shipped weights, in headless Chromium, on the seed map.

    .venv/bin/python docs/screenshot.py
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from appserver import running_app  # noqa: E402
from test_browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    with running_app("--device", "cpu") as (url, _), sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM, headless=True,
                                                       args=CHROMIUM_FLAGS, viewport={"width": 1200, "height": 820})
        page = browser.pages[0] if browser.pages else browser.new_page()
        page.goto(url)
        page.locator("#generated img").wait_for(state="visible", timeout=30_000)
        page.get_by_role("tab", name="Seed map").click()
        board = page.locator("#seed-map img").first
        board.wait_for(state="visible", timeout=30_000)
        box = board.bounding_box()
        scale = box["width"] / page.evaluate("() => document.querySelector('#seed-map img').naturalWidth")
        page.mouse.click(box["x"] + (4 * 56 + 42) * scale, box["y"] + (2 * 56 + 20) * scale)  # between seeds
        page.locator("#map-point img").wait_for(state="visible", timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ROOT / "docs" / "demo.png"))
        browser.close()
    print("wrote docs/demo.png")


if __name__ == "__main__":
    main()

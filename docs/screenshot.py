"""Take docs/demo.png: the real app.py with the shipped weights, in headless Chromium, on the seed map.

    .venv/bin/python docs/screenshot.py

The language button reads "🌐 한국어": without fonts for Hangul and emoji it shows empty boxes
(Debian: apt-get install fonts-nanum fonts-noto-color-emoji).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from appserver import running_app  # noqa: E402
from chromium import open_page  # noqa: E402


def main() -> None:
    with running_app("--device", "cpu") as (url, _), open_page(url, width=1200, height=820) as page:
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
    print("wrote docs/demo.png")


if __name__ == "__main__":
    main()

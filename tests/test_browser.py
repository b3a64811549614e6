"""Browser level: headless Chromium (Debian's) driven by Playwright against the real app.py."""

import shutil
import tempfile
from pathlib import Path

import pytest

from appserver import running_app
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page_url(tiny_generators):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./dev.sh test installs it)")
    root = tiny_generators
    with running_app("--weights", root / "cgan", "--gan-weights", root / "gan", "--device", "cpu") as (url, _):
        yield url


@pytest.fixture
def page(page_url):
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                       args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 1000})
        page = browser.new_page() if not browser.pages else browser.pages[0]
        page.goto(page_url)
        yield page
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


def image_src(page, selector: str) -> str:
    locator = page.locator(f"{selector} img").first
    locator.wait_for(state="visible", timeout=30_000)
    return locator.get_attribute("src")


def wait_for_new_src(page, selector: str, old: str) -> str:
    page.wait_for_function(
        "([sel, old]) => { const i = document.querySelector(sel + ' img'); return i && i.src && i.src !== old; }",
        arg=[selector, old], timeout=30_000)
    return image_src(page, selector)


def test_generate_and_interpolate_in_a_real_browser(page):
    first = image_src(page, "#generated")  # the page generates one picture on load

    page.get_by_label("Class", exact=True).first.click()
    page.get_by_role("option", name="Bag", exact=True).click()
    after_class = wait_for_new_src(page, "#generated", first)

    seed_box = page.locator("#generated").page.get_by_label("number input for Seed").first
    seed_box.fill("1234")
    seed_box.press("Enter")
    page.get_by_role("button", name="Generate", exact=True).first.click()
    after_seed = wait_for_new_src(page, "#generated", after_class)
    assert len({first, after_class, after_seed}) == 3
    page.wait_for_function("() => document.body.innerText.includes('--seed 1234')", timeout=30_000)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "generate.png"), full_page=True)

    page.get_by_role("tab", name="Interpolate").click()
    page.get_by_role("button", name="Interpolate", exact=True).click()
    frames = image_src(page, "#frames")
    assert frames
    page.screenshot(path=str(ARTIFACTS / "interpolate.png"), full_page=True)

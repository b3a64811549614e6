"""Browser level: headless Chromium (Debian's) driven by Playwright against the real app.py."""

import io
import time

import numpy as np
import pytest
from gradio_client import Client
from PIL import Image

from appserver import running_app
from chromium import open_page, require_chromium, screenshot
from conftest import write_dataset
from fashion_gan.demo import side_by_side


@pytest.fixture(scope="module")
def page_url(tiny_generators, tmp_path_factory):
    require_chromium()
    root = tiny_generators
    data = write_dataset(tmp_path_factory.mktemp("browser") / "fmnist")  # Is it copying?'s training images
    with running_app("--weights", root / "cgan", "--gan-weights", root / "gan", "--device", "cpu",
                     "--data-dir", data) as (url, _):
        yield url


@pytest.fixture
def page(page_url):
    with open_page(page_url) as page:
        yield page


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

    seed_box = page.locator("#seed input")
    seed_box.fill("1234")
    seed_box.press("Enter")
    page.get_by_role("button", name="Generate", exact=True).first.click()
    after_seed = wait_for_new_src(page, "#generated", after_class)
    assert len({first, after_class, after_seed}) == 3
    page.wait_for_function("() => document.body.innerText.includes('--seed 1234')", timeout=30_000)

    screenshot(page, "generate.png")

    page.get_by_role("tab", name="Interpolate").click()
    page.get_by_role("button", name="Interpolate", exact=True).click()
    frames = image_src(page, "#frames")
    assert frames
    screenshot(page, "interpolate.png")


def frames_seen(page, selector: str, seconds: float = 2.0) -> set:
    """The distinct pictures an <img> shows over a few seconds, by screenshots: more than one means it plays."""
    img = page.locator(f"{selector} img").first
    img.wait_for(state="visible", timeout=30_000)
    page.wait_for_function(f"() => document.querySelector('{selector} img').complete", timeout=30_000)
    seen = set()
    for _ in range(int(seconds / 0.1)):
        seen.add(img.screenshot(animations="allow"))
        page.wait_for_timeout(100)
    return seen


def test_animations_play_in_the_page(page):
    page.get_by_role("tab", name="Interpolate").click()
    page.get_by_role("button", name="Interpolate", exact=True).click()
    assert len(frames_seen(page, "#interpolation")) > 3
    page.get_by_role("tab", name="Walk").click()
    page.get_by_role("button", name="Walk", exact=True).click()
    assert len(frames_seen(page, "#walk")) > 3
    screenshot(page, "walk.png")


def test_click_on_the_seed_map_shows_that_point(page):
    page.get_by_role("tab", name="Seed map").click()
    board = page.locator("#seed-map img").first
    board.wait_for(state="visible", timeout=30_000)
    box = board.bounding_box()
    natural = page.evaluate("() => document.querySelector('#seed-map img').naturalWidth")
    scale = box["width"] / natural  # the page may show the 560-pixel map smaller
    # The centre of the tile in column 3, row 2 (x = 3, y = 2: seed 203), then a quarter tile right of it.
    page.mouse.click(box["x"] + (3 * 56 + 28) * scale, box["y"] + (2 * 56 + 28) * scale)
    page.wait_for_function("() => document.querySelector('#map-position').innerText.includes('nearest seed is 203')",
                           timeout=30_000)
    assert map_position(page) == pytest.approx((3, 2), abs=0.03)  # within a pixel of the tile's centre
    first = image_src(page, "#map-point")
    page.mouse.click(box["x"] + (3 * 56 + 42) * scale, box["y"] + (2 * 56 + 28) * scale)
    page.wait_for_function("() => !document.querySelector('#map-position').innerText.includes('x = 3,')", timeout=30_000)
    assert map_position(page) == pytest.approx((3.25, 2), abs=0.03)
    x, y = map_position(page)
    page.wait_for_function(f"() => document.body.innerText.includes('--x {x:g} --y {y:g} ')", timeout=30_000)
    assert wait_for_new_src(page, "#map-point", first) != first
    screenshot(page, "seed_map.png")


def map_position(page) -> tuple[float, float]:
    """(x, y) from the page's "Position: x = 3.25, y = 2" line."""
    text = page.locator("#map-position").inner_text()
    x = text.split("x = ")[1].split(",")[0]
    y = text.split("y = ")[1].split(" ")[0]
    return float(x), float(y)


def test_a_gallery_tile_opens_in_generate(page):
    page.get_by_role("tab", name="Browse seeds").click()
    tiles = page.locator("#seed-gallery button.thumbnail-item")
    tiles.nth(5).wait_for(state="visible", timeout=30_000)
    before = page.locator("#generated img").first.get_attribute("src")  # on the hidden Generate tab
    tiles.nth(5).click()  # seed 5 of the class shown (Bag)
    page.wait_for_function("() => document.body.innerText.includes('--seed 5 ')", timeout=30_000)
    assert page.get_by_role("tab", name="Generate").get_attribute("aria-selected") == "true"
    assert wait_for_new_src(page, "#generated", before) != before
    assert page.locator("#seed input").input_value() == "5"
    assert page.locator("#seed-scrub input[type=range]").input_value() == "5"  # the drag slider moved to it
    screenshot(page, "browse_to_generate.png")


def test_dragging_the_seed_slider_redraws_before_release(page):
    first = image_src(page, "#generated")
    slider = page.locator("#seed-scrub input[type=range]")
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == ("0", "199")  # one step, one seed
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 42 / 199, y)
    page.mouse.down()
    for i in range(1, 8):
        page.mouse.move(box["x"] + box["width"] * (42 + 8 * i) / 199, y)
        page.wait_for_timeout(60)
    changed = wait_for_new_src(page, "#generated", first)  # still holding the mouse button
    seed = int(page.locator("#seed input").input_value())
    page.mouse.up()
    assert changed != first and seed > 42
    page.wait_for_function(f"() => document.body.innerText.includes('--seed {seed} ')", timeout=30_000)

    page.locator("#seed input").fill("123456")  # a typed seed moves the window to the seeds around it
    page.locator("#seed input").press("Enter")
    page.wait_for_function("() => document.querySelector('#seed-scrub input[type=range]').max === '123599'", timeout=30_000)
    assert slider.get_attribute("min") == "123400" and slider.input_value() == "123456"


def shown_picture(page, selector: str) -> np.ndarray:
    """The pixels of the picture an <img> shows, fetched from the server as the browser did."""
    src = image_src(page, selector)
    return np.array(Image.open(io.BytesIO(page.request.get(src).body())))


def wait_for_picture(page, selector: str, want: np.ndarray, seconds: float = 30) -> None:
    """Until the <img> shows `want` (a picture the API made): pictures arrive after the fields they come from."""
    deadline = time.monotonic() + seconds
    while not np.array_equal(shown_picture(page, selector), want):
        assert time.monotonic() < deadline, f"{selector} never showed the expected picture"
        page.wait_for_timeout(200)


def test_the_training_tab_moves_through_epochs_and_plays(page):
    page.get_by_role("tab", name="Training").click()
    grey = lambda: shown_picture(page, "#timelapse")[10, 10]  # noqa: E731 (the tiny record: epoch e is 40 * e, flat)
    page.wait_for_function("() => document.querySelector('#training-summary').innerText.includes('Epoch 3 of 3')",
                           timeout=30_000)
    assert grey() == 120  # the last epoch: the weights served
    slider = page.locator("#training-epoch input[type=range]")
    slider.fill("1")  # as a drag to the left end does: an input event
    page.wait_for_function("() => document.querySelector('#training-summary').innerText.includes('Epoch 1 of 3')",
                           timeout=30_000)
    deadline = time.monotonic() + 30
    while grey() != 40:
        assert time.monotonic() < deadline, "the picture never showed epoch 1"
        page.wait_for_timeout(200)
    screenshot(page, "training.png")
    page.get_by_role("button", name="▶ Play").click()  # from epoch 1: the time-lapse runs to the last and stops
    page.wait_for_function("() => document.querySelector('#training-epoch input[type=range]').value === '3'",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#training-summary').innerText.includes('Epoch 3 of 3')",
                           timeout=30_000)
    assert grey() == 120


def test_generate_shows_the_chapter_network_beside_ours(page, page_url):
    client = Client(page_url, verbose=False)
    ours = np.array(Image.open(client.predict("Sneaker", 42, 0, 1, api_name="/generate")))
    chapter = np.array(Image.open(client.predict("Sneaker", 42, 0, 1, api_name="/chapter")))
    page.get_by_text("The chapter's MLP", exact=True).click()
    wait_for_picture(page, "#generated", chapter)
    page.wait_for_function("() => document.body.innerText.includes('--weights weights/chapter_cgan')", timeout=30_000)
    page.get_by_text("Both, side by side", exact=True).click()
    wait_for_picture(page, "#generated", side_by_side([ours, chapter]))


def test_a_link_opens_its_view_with_its_values(page_url):
    with open_page(f"{page_url}?tab=generate&class=Bag&seed=7") as page:
        page.wait_for_function("() => document.body.innerText.includes('--seed 7 ')", timeout=30_000)
        assert page.get_by_role("tab", name="Generate").get_attribute("aria-selected") == "true"
        assert page.locator("#seed input").input_value() == "7"
        want = np.array(Image.open(Client(page_url, verbose=False).predict("Bag", 7, api_name="/generate")))
        wait_for_picture(page, "#generated", want)
        assert page.locator("#seed-scrub input[type=range]").get_attribute("min") == "0"
        screenshot(page, "link_generate.png")


def test_copy_link_gives_a_link_to_the_same_picture(page):
    page.get_by_role("tab", name="Directions").click()
    amount = page.get_by_label("number input for Amount (standard deviations)")
    amount.fill("-1.5")
    amount.press("Enter")  # a number typed into a slider's box draws, with no click on Edit
    want = np.array(Image.open(Client(page.url, verbose=False).predict("Pullover", 11, 0, -1.5, api_name="/edit")))
    wait_for_picture(page, "#edited", want)
    page.locator("#directions-copy-link").click()
    box = page.locator("#directions-link input, #directions-link textarea").first
    page.wait_for_function("() => { const b = document.querySelector('#directions-link input, #directions-link textarea');"
                           " return b && b.value.includes('tab=directions'); }", timeout=10_000)
    link = box.input_value()
    assert "amount=-1.5" in link and "class=Pullover" in link and "seed=11" in link
    other = page.context.new_page()  # a new tab of the same browser, as a visitor pastes a link
    other.goto(link)
    other.wait_for_function("() => document.body.innerText.includes('--amount -1.5 ')", timeout=30_000)
    assert other.get_by_role("tab", name="Directions").get_attribute("aria-selected") == "true"
    wait_for_picture(other, "#edited", want)


def test_a_bad_link_opens_the_page_and_says_what_it_ignored(page_url):
    with open_page(f"{page_url}?tab=generate&seed=abc&colour=red&class=Coat") as page:
        notice = page.locator("#link-notice")
        notice.wait_for(state="visible", timeout=30_000)
        assert notice.inner_text().strip() == ("Ignored in this link: seed=abc (not a number) · colour (not a parameter "
                                               "of the generate view)")
        page.wait_for_function("() => document.body.innerText.includes('--class \"Coat\" --seed 42 ')", timeout=30_000)
        image_src(page, "#generated")  # the page works: the default seed, the link's class


TAB_NAMES = "() => [...document.querySelectorAll('[role=tab]')].map((tab) => tab.innerText.trim())"


def toast_text(page) -> str:
    toast = page.locator('[data-testid="toast-body"]').first
    toast.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(300)  # the translation follows the toast's own drawing
    return toast.inner_text()


def test_a_korean_browser_gets_the_page_in_korean(page_url):
    with open_page(f"{page_url}?tab=walk&seeds=3,x&colour=red", locale="ko-KR") as page:
        image_src(page, "#walk")
        assert page.evaluate(TAB_NAMES)[:4] == ["생성", "찾기", "보간", "걷기"]
        assert page.get_by_role("button", name="걷기", exact=True).is_visible()  # the Walk button
        assert page.get_by_role("button", name="🌐 English").is_visible()  # the switch names the other language
        # what the server writes arrives in English and is shown in Korean: the link notice, an error, the lines
        page.wait_for_function("() => document.querySelector('#link-notice').innerText.includes('무시한 것')",
                               timeout=10_000)
        notice = page.locator("#link-notice").inner_text()
        assert "seeds=3,x (시드 목록: 'x'은(는) 시드도, 42-45 같은 범위도 아닙니다)" in notice
        assert "colour (walk 화면의 매개변수가 아님)" in notice
        assert "다시 만들기" in page.locator("body").inner_text()  # the heading of the reproduce lines
        seeds = page.get_by_label("키프레임 시드 (예: 3, 17, 42-45)")
        seeds.fill("5, 9-3")
        page.get_by_role("button", name="걷기", exact=True).click()
        assert "시드 목록: 범위 9-3이(가) 거꾸로입니다; 3-9로 쓰세요" in toast_text(page)
        screenshot(page, "korean.png")


def test_an_english_browser_gets_the_page_in_english(page_url):
    with open_page(f"{page_url}?tab=walk", locale="en-US") as page:
        image_src(page, "#walk")
        assert page.evaluate(TAB_NAMES)[:4] == ["Generate", "Find it", "Interpolate", "Walk"]
        assert page.get_by_role("button", name="🌐 한국어").is_visible()
        page.get_by_label("Keyframe seeds (e.g. 3, 17, 42-45)").fill("5, 9-3")
        page.get_by_role("button", name="Walk", exact=True).click()
        assert "seeds: the range 9-3 runs backwards; write 3-9" in toast_text(page)


def test_the_language_button_switches_the_page_and_its_class_menu_keeps_working(page_url):
    with open_page(page_url, locale="en-US") as page:
        image_src(page, "#generated")
        page.get_by_role("button", name="🌐 한국어").click()
        page.wait_for_function("() => document.documentElement.lang === 'ko'", timeout=10_000)
        page.wait_for_function(f"() => ({TAB_NAMES})().includes('비조건부 GAN')", timeout=30_000)  # every tab, not one
        assert page.evaluate(TAB_NAMES)[:3] == ["생성", "찾기", "보간"]
        page.get_by_role("button", name="🌐 English").click()
        page.wait_for_function(f"() => ({TAB_NAMES})().includes('Unconditional GAN')", timeout=30_000)
        page.get_by_role("button", name="🌐 한국어").click()
        page.wait_for_function("() => document.documentElement.lang === 'ko'", timeout=10_000)
        # After switching back and forth the menu still sends the class's English name (Gradio translated a menu's
        # value equal to a translation key: "Sneaker" became "스니커즈"), so a new seed draws, with no error.
        page.locator("#seed input").fill("77")
        page.locator("#seed input").press("Enter")
        want = np.array(Image.open(Client(page_url, verbose=False).predict("Sneaker", 77, api_name="/generate")))
        wait_for_picture(page, "#generated", want)
        assert page.locator('[data-testid="toast-body"]').count() == 0


def test_a_drawn_garment_is_found_and_its_code_opens_in_directions(page, page_url):
    page.get_by_role("tab", name="Find it").click()
    page.get_by_role("tab", name="Draw", exact=True).click()
    canvas = page.locator("#find-sketch canvas").last
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + 0.35 * w, y + 0.2 * h)  # a stroke down, across and up: a pair of trousers, roughly
    page.mouse.down()
    for fx, fy in ((0.35, 0.8), (0.5, 0.8), (0.5, 0.4), (0.65, 0.8), (0.65, 0.2), (0.35, 0.2)):
        page.mouse.move(x + fx * w, y + fy * h, steps=8)
    page.mouse.up()
    page.locator("#find-sketch-go").click()
    page.wait_for_function("() => (document.querySelector('#find-code textarea')?.value || '').startsWith('z1.')",
                           timeout=60_000)
    code = page.locator("#find-code textarea").input_value()
    summary = page.locator("#find-summary").inner_text()
    assert summary.startswith("Found in class ") and "grey levels from the picture" in summary
    class_name = summary.removeprefix("Found in class ").split(":")[0]
    page.wait_for_function("() => document.querySelector('#find-scale').innerText.includes('Nearest training image')",
                           timeout=60_000)  # Is it copying? follows the find by itself
    screenshot(page, "find.png")
    page.locator("#find-to-directions").click()
    page.wait_for_function("([code]) => document.querySelector('#directions-code input, #directions-code textarea')"
                           "?.value === code", arg=[code], timeout=30_000)
    assert page.get_by_role("tab", name="Directions").get_attribute("aria-selected") == "true"
    want = np.array(Image.open(Client(page_url, verbose=False).predict(class_name, code, 0, 2, api_name="/edit_code")))
    wait_for_picture(page, "#edited", want)  # the view's own direction 0 and amount 2, from the found latent

"""The static site: its build, the exported ONNX generators against torch, and the page in real Chromium
served by a plain static file server on localhost."""

import json
import re

import numpy as np
import pytest
import torch
from PIL import Image

from appserver import free_port, serving
from chromium import open_page, require_chromium, screenshot
from conftest import PYTHON, require_onnxruntime_web, run_cli
from fashion_gan import hub, latent, sampling, web
from fashion_gan.data import CLASS_NAMES

SITE_FILES = sorted(["index.html", "style.css", "app.js", "latent.js", "models.js", "site.json", "cgan.onnx", "gan.onnx",
                     *(f"ort/{name}" for name in web.ORT_FILES)])


def build_site(out, *args):
    require_onnxruntime_web()
    r = run_cli("-m", "fashion_gan.web", "build", out, *args)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory, tiny_generators):
    """The site of the tiny test generators (a narrow DCGAN cGAN, the chapter's MLP GAN)."""
    out = tmp_path_factory.mktemp("tiny_site") / "site"
    return build_site(out, "--weights", tiny_generators / "cgan", "--gan-weights", tiny_generators / "gan")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of the shipped weights, as `./dev.sh web` builds it."""
    return build_site(tmp_path_factory.mktemp("site") / "site")


def test_the_site_holds_the_page_the_models_and_the_runtime(tiny_site, tiny_generators):
    files = sorted(str(p.relative_to(tiny_site)) for p in tiny_site.rglob("*") if p.is_file())
    assert files == SITE_FILES
    config = json.loads((tiny_site / "site.json").read_text())
    cgan = hub.load_network(tiny_generators / "cgan")
    assert config["classes"] == list(CLASS_NAMES) and config["seedMax"] == latent.SEED_MAX
    assert config["cgan"]["zDim"] == cgan.z_dim and config["gan"]["zDim"] == 64
    # the label embedding and the SeFa directions, exactly as the Gradio app computes them
    assert torch.equal(torch.tensor(config["cgan"]["embedding"]), cgan.embed(torch.arange(10)).detach())
    assert torch.equal(torch.tensor(config["cgan"]["directions"]), latent.principal_directions(cgan, 10))
    assert config["limits"]["maxCount"] == 64 and config["limits"]["mapColumns"] * config["limits"]["mapRows"] == 80


def test_the_shipped_site_fits_its_budget(site):
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size <= web.BUDGET_BYTES
    assert (site / "cgan.onnx").stat().st_size < 0.6 * (web.DEFAULT_CGAN / "model.safetensors").stat().st_size  # fp16


def test_build_refuses_a_folder_in_use_and_a_wrong_model(tmp_path, tiny_generators):
    require_onnxruntime_web()
    (tmp_path / "mine.txt").write_text("keep me")
    r = run_cli("-m", "fashion_gan.web", "build", tmp_path)
    assert r.returncode == 2 and "not an empty folder" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]
    r = run_cli("-m", "fashion_gan.web", "build", tmp_path / "site", "--weights", tiny_generators / "gan")
    assert r.returncode == 2 and "class-conditional" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("-m", "fashion_gan.web", "build", tmp_path / "site", "--weights", tmp_path / "nothing")
    assert r.returncode == 2 and "no such model folder" in r.stderr
    assert not (tmp_path / "site").exists()


def onnx_pictures(path, z: np.ndarray, label_vectors: np.ndarray | None = None) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {"z": z} if label_vectors is None else {"z": z, "label_vector": label_vectors}
    out = torch.from_numpy(session.run(None, feeds)[0]).view(-1, 1, 28, 28)
    return sampling.to_uint8(out).astype(int)


@pytest.mark.slow
def test_onnx_generators_match_torch_within_one_grey_level(site):
    """1,000 seeds of each class through the fp16-stored cGAN, and 1,000 through the GAN."""
    seeds = list(range(1000))
    z = latent.latents_from_seeds(seeds, 100)
    cgan = hub.load_network(web.DEFAULT_CGAN)
    off_by_one = []
    for label in range(10):
        vectors = cgan.embed(torch.full((1000,), label)).detach().numpy()
        difference = np.abs(onnx_pictures(site / "cgan.onnx", z.numpy(), vectors)
                            - sampling.generate(cgan, seeds, [label] * 1000).astype(int))
        assert difference.max() <= 1, CLASS_NAMES[label]
        off_by_one.append(difference.mean())
    assert np.mean(off_by_one) < 0.05  # most pixels are equal, not merely close
    gan = hub.load_network(web.DEFAULT_GAN)
    difference = np.abs(onnx_pictures(site / "gan.onnx", z.numpy()) - sampling.generate(gan, seeds).astype(int))
    assert difference.max() <= 1 and difference.mean() < 0.05


# --- the page in Chromium, from a static server ------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(site):
    require_chromium()
    port = free_port()
    with serving([PYTHON, "-m", "http.server", "--bind", "127.0.0.1", "--directory", site, port], port=port) as (url, _, _):
        yield url


@pytest.fixture
def page(site_url):
    with open_page() as page:
        page.goto(site_url)
        page.wait_for_function("window.fashionGan && window.fashionGan.ready", timeout=30_000)
        page.evaluate("window.fashionGan.ready")
        yield page


def canvas_pixels(page, selector: str) -> np.ndarray:
    """The grey values of a canvas, (height, width)."""
    data = page.evaluate("""sel => { const c = document.querySelector(sel);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return {w: c.width, h: c.height, grey: Array.from(d).filter((_, i) => i % 4 === 0)}; }""", selector)
    return np.array(data["grey"], dtype=int).reshape(data["h"], data["w"])


def api_picture(page, call: str) -> np.ndarray:
    return np.array(page.evaluate(f"async () => Array.from(await window.fashionGan.{call})"), dtype=int).reshape(28, 28)


@pytest.mark.slow
def test_the_browser_makes_pythons_pictures(page):
    cgan, gan = hub.load_network(web.DEFAULT_CGAN), hub.load_network(web.DEFAULT_GAN)
    directions = latent.principal_directions(cgan, 10)
    for label, name in enumerate(CLASS_NAMES):
        for seed, truncation in ((label, 0), (1000 + label, 0.7), (2**31 - 1 - label, 0)):
            want = sampling.generate(cgan, [seed], [label], truncation or None)[0]
            got = api_picture(page, f"generate({json.dumps(name)}, {seed}, {truncation})")
            assert np.abs(got - want).max() <= 1, (name, seed, truncation)
    for seed, truncation in ((1, 0), (77, 0.5)):
        assert np.abs(api_picture(page, f"gan({seed}, {truncation})")
                      - sampling.generate(gan, [seed], None, truncation or None)[0]).max() <= 1
    for x, y in ((3, 2), (3.25, 2.5), (0.5, 0.01)):
        want = sampling.render(cgan, latent.plane_latent(x, y, 100).unsqueeze(0), 8)[0]
        assert np.abs(api_picture(page, f"mapPoint('Bag', {x}, {y})") - want).max() <= 1
    for seed, k, amount in ((11, 0, 2), (5, 9, -3.5)):
        want = sampling.render(cgan, latent.edit_latent(latent.latent_from_seed(seed, 100), directions[k], amount)
                               .unsqueeze(0), 2)[0]
        assert np.abs(api_picture(page, f"edit('Pullover', {seed}, {k}, {amount})") - want).max() <= 1
    # the page's own first picture: Generate's defaults, Sneaker seed 42, and its PNG download
    page.wait_for_function("document.querySelector('#generate canvas.picture').dataset.draws >= 1")
    want = sampling.generate(cgan, [42], [7])[0]
    assert np.abs(canvas_pixels(page, "#generate canvas.picture") - want).max() <= 1
    with page.expect_download() as download:
        page.locator("#generate .download").click()
    assert download.value.suggested_filename == "Sneaker_seed42.png"
    png = np.asarray(Image.open(download.value.path()).convert("L"), dtype=int)
    assert png.shape == (28, 28) and np.abs(png - want).max() <= 1


def draws(page, selector: str) -> int:
    return int(page.evaluate(f"Number(document.querySelector('{selector}').dataset.draws || 0)"))


@pytest.mark.slow
def test_dragging_the_seed_slider_redraws_before_release(page):
    picture = "#generate canvas.picture"
    page.wait_for_function(f"document.querySelector('{picture}').dataset.draws >= 1")
    before, count = canvas_pixels(page, picture), draws(page, picture)
    slider = page.locator('#generate input[name="scrub"]').bounding_box()
    y = slider["y"] + slider["height"] / 2
    page.mouse.move(slider["x"] + 0.2 * slider["width"], y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(slider["x"] + (0.2 + 0.05 * i) * slider["width"], y)
        page.wait_for_timeout(50)
    page.wait_for_function(f"Number(document.querySelector('{picture}').dataset.draws) > {count + 3}")
    seed = int(page.locator('#generate input[name="seed"]').input_value())
    assert seed > 42 and not np.array_equal(canvas_pixels(page, picture), before)  # still holding the mouse
    page.mouse.up()
    assert f"--seed {seed} " in page.locator("#generate .reproduce").inner_text()


@pytest.mark.slow
def test_hovering_the_seed_map_shows_the_blended_point(page):
    page.locator('#tabs [data-view="map"]').click()
    page.wait_for_function("document.querySelector('#map canvas.board').dataset.draws >= 1")
    board = page.locator("#map canvas.board").bounding_box()
    tile = board["width"] / 10
    page.mouse.move(board["x"] + 3.5 * tile + 0.25 * tile, board["y"] + 2.5 * tile + 0.5 * tile)  # (3.25, 2.5)
    page.wait_for_function("document.querySelector('#map .position').innerText.includes('x = 3.25')", timeout=10_000)
    text = page.locator("#map .position").inner_text()
    x, y = (float(v) for v in re.search(r"x = ([\d.]+), y = ([\d.]+)", text).groups())
    assert x == pytest.approx(3.25, abs=0.02) and y == pytest.approx(2.5, abs=0.02)
    cgan = hub.load_network(web.DEFAULT_CGAN)
    want = sampling.render(cgan, latent.plane_latent(x, y, 100).unsqueeze(0), 0)[0]
    page.wait_for_function(f"document.querySelector('#map .reproduce').innerText.includes('--x {x:g} --y {y:g}')")
    assert np.abs(canvas_pixels(page, "#map canvas.point") - want).max() <= 1
    board_pixels = canvas_pixels(page, "#map canvas.board")
    assert board_pixels.shape == (8 * 28, 10 * 28)
    first_tile = sampling.generate(cgan, [0], [0])[0]
    assert np.abs(board_pixels[:28, :28] - first_tile).max() <= 1
    screenshot(page, "web_map.png")


@pytest.mark.slow
@pytest.mark.parametrize("view", ["interpolate", "walk"])
def test_animations_play(page, view):
    page.locator(f'#tabs [data-view="{view}"]').click()
    canvas = f"#{view} canvas.animation"
    page.wait_for_function(f"document.querySelector('{canvas}').dataset.frame !== undefined", timeout=10_000)
    seen = set()
    for _ in range(12):
        seen.add(canvas_pixels(page, canvas).tobytes())
        page.wait_for_timeout(100)
    assert len(seen) >= 5  # a new frame every 90 ms
    screenshot(page, f"web_{view}.png")


@pytest.mark.slow
def test_directions_redraw_while_the_slider_moves(page):
    page.locator('#tabs [data-view="directions"]').click()
    picture = "#directions canvas.picture"
    page.wait_for_function(f"document.querySelector('{picture}').dataset.draws >= 1")
    before = canvas_pixels(page, picture)
    page.locator('#directions input[name="amount"]').fill("-3")  # fires `input`, as a drag does
    page.wait_for_function("document.querySelector('#directions .reproduce').innerText.includes('--amount -3 ')")
    cgan = hub.load_network(web.DEFAULT_CGAN)
    z = latent.edit_latent(latent.latent_from_seed(11, 100), latent.principal_directions(cgan, 10)[0], -3)
    after = canvas_pixels(page, picture)
    assert not np.array_equal(after, before)
    assert np.abs(after - sampling.render(cgan, z.unsqueeze(0), 2)[0]).max() <= 1


@pytest.mark.slow
def test_bad_arguments_give_one_line_naming_them_and_the_page_goes_on(page):
    calls = {
        "generate('Hat', 1)": "className",
        "generate('Bag', -1)": "seed",
        "generate('Bag', 1.5)": "seed",
        "generate('Bag', 1, 'high')": "truncation",
        "generate('Bag', 1, 99)": "truncation",
        "gan(2**31)": "seed",
        "mapPoint('Bag', NaN, 0)": "x",
        "mapPoint('Bag', 0, -1)": "y",
        "edit('Bag', 1, 10, 1)": "direction",
        "edit('Bag', 1, 0, 7)": "amount",
        "edit('Bag', 1, 0, null)": "amount",
    }
    for call, name in calls.items():
        message = page.evaluate(f"window.fashionGan.{call}.then(() => 'resolved', e => e.message)")
        assert message.startswith(name) and "\n" not in message, (call, message)
        assert page.locator("#error").inner_text() == message
    assert api_picture(page, "generate('Bag', 1)").max() > 0  # still working
    seed = page.locator('#generate input[name="seed"]')
    seed.fill("3000000000")
    page.wait_for_function("document.querySelector('#error').innerText.includes('seed must be an integer from 0 to 2,147,483,647')")
    seed.fill("5")
    page.wait_for_function("document.querySelector('#error').hidden")
    assert "--seed 5 " in page.locator("#generate .reproduce").inner_text()


@pytest.mark.slow
def test_a_phone_sized_page_has_no_overflow_and_nothing_leaves_the_origin(site_url):
    with open_page(width=390, height=844, is_mobile=True, has_touch=True) as page:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(site_url)
        page.evaluate("window.fashionGan.ready")
        for view in ("generate", "interpolate", "walk", "map", "directions", "gan"):
            page.goto(f"{site_url}#{view}")
            page.wait_for_function(f"document.querySelector('#{view} canvas').dataset.draws >= 1", timeout=10_000)
            width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
            assert width <= 390, view
        assert requests and all(url.startswith(site_url) for url in requests), requests
        screenshot(page, "web_phone_gan.png")
        page.goto(f"{site_url}#generate")
        page.wait_for_timeout(300)
        screenshot(page, "web_phone_generate.png")

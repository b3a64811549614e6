"""The static site's speed in headless Chromium, beside the Gradio app's, measured the same way on one machine.

    python benchmarks/web_speed.py [--pictures 300] [--seconds 4] [--loads 3] [--json FILE]

Builds the site from weights/ (as `./dev.sh web` does), serves it with a plain static
server on localhost and measures, each in the page itself:
- time to first picture: from navigation to the first picture on screen, a fresh browser profile each load;
- pictures per second through window.fashionGan.generate, one call after another;
- the seed map's 80 thumbnails in one batch;
- frames per second while the Generate view's seed slider is scrubbed: every animation frame moves
  it one seed (an `input` event, as a drag makes), and the pictures actually drawn are counted;
- a click on "Random seed" to its new picture on screen, beside the same click in the Gradio app
  (`app.py` with the same weights, its "Random" button, until the new image has loaded).
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import common

sys.path.insert(0, str(common.ROOT / "tests"))
from appserver import free_port, running_app, serving  # noqa: E402
from chromium import open_page  # noqa: E402

SCRUB = """async seconds => {
  const view = document.querySelector('#generate'), slider = view.querySelector('input[name="scrub"]');
  const canvas = view.querySelector('canvas.picture');
  const start = Number(canvas.dataset.draws), t0 = performance.now();
  await new Promise(done => {
    const step = now => {
      if (now - t0 >= seconds * 1000) return done();
      slider.value = String(Number(slider.value) >= Number(slider.max) ? slider.min : Number(slider.value) + 1);
      slider.dispatchEvent(new Event('input', {bubbles: true}));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const frames = await new Promise(r => { let n = 0; const count = () => (++n < 60 ? requestAnimationFrame(count) : r(n)); requestAnimationFrame(count); });
  return {draws: Number(canvas.dataset.draws) - start, seconds: (performance.now() - t0) / 1000 - frames / 60};
}"""

CLICK_TO_PICTURE = """async button => {
  const before = changed();
  const t0 = performance.now();
  document.querySelector(button).click();
  return await new Promise(done => {
    const poll = () => (changed() !== before && changed() !== null ? done(performance.now() - t0) : requestAnimationFrame(poll));
    requestAnimationFrame(poll);
  });
}"""


def click_times(page, button: str, changed: str, clicks: int) -> list[float]:
    """ms from a click on `button` until the JS function `changed` returns something new (and not null)."""
    script = CLICK_TO_PICTURE.replace("changed()", f"({changed})()")
    times = []
    for _ in range(clicks):
        times.append(page.evaluate(script, button))
        page.wait_for_timeout(100)
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pictures", type=int, default=300)
    p.add_argument("--seconds", type=float, default=4.0)
    p.add_argument("--loads", type=int, default=3)
    p.add_argument("--clicks", type=int, default=20)
    p.add_argument("--json", type=Path)
    args = p.parse_args()

    from fashion_gan import web

    site = Path(tempfile.mkdtemp(prefix="fashion-gan-site-")) / "site"
    web.build(site)
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    results = {"machine": common.machine(), "site_mb": size / 2**20}
    port = free_port()
    with serving([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", site, port], port=port) as (url, _, _):
        first = []
        for _ in range(args.loads):
            with open_page(url) as page:  # a fresh profile: nothing cached
                page.wait_for_function("window.fashionGan && window.fashionGan.timings.firstPicture", timeout=60_000)
                first.append(page.evaluate("window.fashionGan.timings.firstPicture"))
        results["first_picture_ms"] = statistics.median(first)
        with open_page(url) as page:
            page.evaluate("window.fashionGan.ready")
            browser = page.evaluate("navigator.userAgent")
            page.evaluate("window.fashionGan.generate('Bag', 0)")  # warm
            seconds = page.evaluate("""async n => { const t0 = performance.now();
                for (let i = 0; i < n; i++) await window.fashionGan.generate('Bag', i);
                return (performance.now() - t0) / 1000; }""", args.pictures)
            results["pictures_per_s"] = args.pictures / seconds
            maps = page.evaluate("""async () => { const times = [];
                for (let i = 0; i < 10; i++) { const t0 = performance.now(); await window.fashionGan.seedMap('Dress', 10 * i, 0);
                  times.push(performance.now() - t0); } return times; }""")
            results["seed_map_ms"] = statistics.median(maps)
            scrub = page.evaluate(SCRUB, args.seconds)
            results["scrub_fps"] = scrub["draws"] / scrub["seconds"]
            picture = "() => document.querySelector('#generate canvas.picture').dataset.draws"
            results["site_click_ms"] = statistics.median(click_times(page, '#generate [name="random"]', picture, args.clicks))
    results["browser"] = browser
    with running_app("--device", "cpu") as (gradio_url, _), open_page(gradio_url) as page:
        page.locator("#generated img").wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(1000)
        image = "() => { const i = document.querySelector('#generated img'); return i && i.complete ? i.src : null; }"
        # the Generate tab's "🎲 Random" button has no id of its own: give it one for the click
        page.evaluate("document.querySelectorAll('button').forEach(b => { if (b.innerText.includes('Random')) b.id = 'random'; })")
        results["gradio_click_ms"] = statistics.median(click_times(page, "#random", image, args.clicks))
    print(f"machine: {results['machine']}")
    print(f"browser: {results['browser']}")
    common.print_table(["measure", "value"], [
        ["site size (MB)", results["site_mb"]],
        ["time to first picture (ms, median of loads)", results["first_picture_ms"]],
        ["pictures per second, fashionGan.generate one after another", results["pictures_per_s"]],
        ["seed map, 80 thumbnails in one batch (ms)", results["seed_map_ms"]],
        ["frames per second while scrubbing the seed slider", results["scrub_fps"]],
        ["click Random -> new picture, in the browser (ms)", results["site_click_ms"]],
        ["click Random -> new picture, Gradio app on this machine (ms)", results["gradio_click_ms"]],
    ])
    if args.json:
        common.write_json(args.json, results)


if __name__ == "__main__":
    main()

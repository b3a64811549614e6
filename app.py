"""fashion-gan demo: make Fashion-MNIST clothes by class and seed, and walk the latent space.

    python app.py [--weights DIR | --hub-repo USER/REPO] [--device auto|cpu|cuda]
                  [--host 127.0.0.1] [--port 7860] [--share] [--mcp]

GRADIO_SERVER_NAME and GRADIO_SERVER_PORT are honoured (Hugging Face Spaces sets them).
"""

import argparse
import asyncio
import json
import os
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import numpy as np
import torch

from fashion_gan import zerogpu  # first of ours: on ZeroGPU, `spaces` must patch torch before anything uses CUDA
from fashion_gan import fields, links, words
from fashion_gan.data import CLASS_NAMES
from fashion_gan.demo import (DIRECTIONS, GALLERY_SEEDS, MAP_COLUMNS, MAP_ROWS, MAX_AMOUNT, MAX_BATCH, MAX_COUNT,
                             MAX_STEPS, MIN_STEPS, Demo, map_position)
from fashion_gan.device import DEVICE_CHOICES, resolve_device
from fashion_gan.errors import UserError, exit_with
from fashion_gan.latent import ROW, SEED_MAX, seed_at
from fashion_gan.words import _

HERE = Path(__file__).resolve().parent
DEFAULT_CGAN, DEFAULT_GAN, DEFAULT_CHAPTER, DEFAULT_CLASSIFIER = (
    HERE / "weights" / name for name in ("cgan", "gan", "chapter_cgan", "classifier"))
PRIVATE = dict(api_visibility="private")  # UI conveniences that should not clutter the API page
# The Unconditional GAN tab opens on a seed that shows a clear garment (our classifier: Ankle boot
# at 1.00 confidence; tests/test_shipped_weights.py holds it to >= 0.9).
DEFAULT_GAN_SEED = 1


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = p.add_mutually_exclusive_group()
    source.add_argument("--weights", default=str(DEFAULT_CGAN), help="cGAN generator folder (default weights/cgan)")
    source.add_argument("--hub-repo", metavar="USER/REPO", help="load the cGAN generator from the Hugging Face Hub")
    p.add_argument("--gan-weights", default=str(DEFAULT_GAN),
                   help="unconditional GAN folder for its tab (default weights/gan; 'none' hides the tab)")
    p.add_argument("--chapter-weights", default=str(DEFAULT_CHAPTER),
                   help="the chapter's MLP cGAN, beside ours in Generate and Interpolate (default weights/chapter_cgan; "
                        "'none' leaves it out)")
    p.add_argument("--data-dir", default=None,
                   help="Fashion-MNIST's files, for Is it copying? (default: ./data, $FASHION_MNIST_DIR, Debian's package)")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    p.add_argument("--share", action="store_true", help="also open a public gradio.live link")
    p.add_argument("--mcp", action=argparse.BooleanOptionalAction, default=None,
                   help="also serve the API names as MCP tools at /gradio_api/mcp/ (default: on in a Hugging Face Space)")
    return p.parse_args(argv)


class Reproduce:
    """The lines under every picture: the CLI command and the gradio_client call that make it again."""

    def __init__(self, client_target: str, weights: str, chapter: str | None = None):
        self.client_target, self.weights, self.chapter = client_target, weights, chapter

    def __call__(self, command: str | None, api_name: str, *args) -> str:
        """command: the `python -m fashion_gan.…` part, or None where only the API makes this view."""
        call = ", ".join(repr(a) for a in args)
        cli = f"```\npython -m fashion_gan.{command}\n```\n" if command else ""
        return (f"**Reproduce it**\n\n{cli}"
                f"```python\nfrom gradio_client import Client\n"
                f"Client(\"{self.client_target}\").predict({call}, api_name=\"/{api_name}\")\n```")

    def safely(self, describe):
        """describe(...) -> markdown; while a field holds something that is not a number yet, no lines."""
        def text(*values):
            try:
                return describe(*values)
            except (TypeError, ValueError):
                return ""
        return text


def plain(text: str) -> str:
    """`text` shown as it is in Markdown: a link's values may hold *, _ or ` and must not turn into formatting."""
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", text)


def shown(weights: str) -> str:
    """weights/cgan rather than /long/path/to/repo/weights/cgan for folders inside the repository."""
    path = Path(weights).resolve()
    return str(path.relative_to(HERE)) if path.is_relative_to(HERE) else weights


def class_menu(value: str, label: str = "Class") -> fields.Dropdown:
    """The class names in the visitor's language; the value (and the API's) stays the English name."""
    return fields.Dropdown([(words.class_label(name), name) for name in CLASS_NAMES], value=value, label=_(label))


def seed_number(value: int, label: str = "Seed", **options) -> fields.Number:
    return fields.Number(value=value, precision=0, minimum=0, maximum=SEED_MAX, label=_(label), **options)


def code_box(elem_id: str) -> fields.Textbox:
    """A latent code (Find it gives one for a found garment), drawn in place of the seed while the box holds it."""
    return fields.Textbox(value="", label=_("Latent code (in place of the seed; empty: the seed)"), max_lines=2,
                          placeholder="z1.…", elem_id=elem_id)


# A slider over all 2,147,483,648 seeds skips about three million of them a pixel: nobody can explore
# by dragging it. Beside the box that takes any seed, a slider spans the SCRUB_WINDOW seeds around it,
# so each step of a drag is the next seed, and the picture follows the drag as fast as the server answers.
SCRUB_WINDOW = 200


def window_around(seed: int) -> tuple[int, int]:
    """The first and last seed of the SCRUB_WINDOW seeds that hold `seed`."""
    first = min(seed // SCRUB_WINDOW * SCRUB_WINDOW, SEED_MAX - SCRUB_WINDOW + 1)
    return first, first + SCRUB_WINDOW - 1


def scrub_window(seed) -> gr.Slider:
    """The drag slider's update for a typed seed: the window that holds it (no change for a bad seed)."""
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        return gr.Slider()
    if not 0 <= seed <= SEED_MAX:
        return gr.Slider()
    first, last = window_around(seed)
    return gr.Slider(minimum=first, maximum=last, value=seed)


def seed_controls(value: int, elem_id: str, dice: bool = False) -> tuple[fields.Number, fields.Slider, gr.Button | None]:
    """A seed box (any seed), a Random button if asked, and the drag slider (the nearby seeds, one a step)."""
    with gr.Row(equal_height=True):
        seed = seed_number(value, elem_id=elem_id, scale=3)
        button = gr.Button(_("🎲 Random"), scale=1, min_width=90) if dice else None
    first, last = window_around(value)
    scrub = fields.Slider(first, last, value=value, step=1, elem_id=f"{elem_id}-scrub",
                          label=_("Nearby seeds (drag: one step is one seed)"))
    return seed, scrub, button


def follow_drag(seed: gr.Number, scrub: gr.Slider, fn, inputs: list, output, after: dict | None = None) -> None:
    """Wire a seed box and its drag slider to a picture: a drag redraws while it moves (one request at a time,
    the latest position next), and a seed typed into the box moves the slider's window to it."""
    drag_inputs = [scrub if c is seed else c for c in inputs]
    where = drag_inputs.index(scrub)

    def dragged(*values):
        return int(values[where]), fn(*values)
    moved = scrub.input(dragged, drag_inputs, [seed, output], trigger_mode="always_last", **PRIVATE)
    typed = [event(scrub_window, seed, scrub, **PRIVATE, queue=False).then(fn, inputs, output, **PRIVATE)
             for event in (seed.submit, seed.blur)]
    if after:
        for event in (moved, *typed):
            event.then(**after)


@dataclass
class View:
    """A tab as build() sees it: its fields by link parameter (fashion_gan.links.VIEWS), and its drawing."""
    fields: dict
    draw: Callable  # draw(event, opened): draw the view after `event` (the page's load); `opened`: the tab a link opened


def if_opened(tab: str, fn, outputs: int = 1):
    """`fn`, run only when a link opened `tab`. The animated views are drawn on load only then: drawing them for
    every visitor would cost each page load about 0.2 s of the server's CPU (interpolate, morph, walk, edit)."""
    def run(opened, *values):
        if opened != tab:
            return gr.skip() if outputs == 1 else (gr.skip(),) * outputs
        return fn(*values)
    return run


# The link to what is on screen, written in the browser: it knows the address the visitor sees (a Space's too).
LINK_JS = """(...values) => {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("tab", %s);
  %s.forEach((name, i) => url.searchParams.set(name, String(values[i])));
  navigator.clipboard?.writeText(url.href).catch(() => {});
  return url.href;
}"""


def link_row(tab: str, components: dict) -> None:
    """A "Copy link" button for a view, and the link it made (copied to the clipboard where the browser allows)."""
    assert list(components) == list(links.VIEWS[tab]), tab  # the page writes what links.read reads
    with gr.Row():
        button = gr.Button(_("🔗 Copy link to this view"), size="sm", scale=0, min_width=220, elem_id=f"{tab}-copy-link")
        box = gr.Textbox(show_label=False, container=False, interactive=False, scale=3, elem_id=f"{tab}-link",
                         placeholder=_("a link that opens this view with these values"))
    button.click(None, list(components.values()), box, js=LINK_JS % (json.dumps(tab), json.dumps(list(components))),
                 **PRIVATE)


def network_choice(model: Demo) -> fields.Radio:
    """Ours, the chapter's MLP, or both side by side (hidden when the chapter's network is not loaded)."""
    return fields.Radio([(_("Ours (DCGAN)"), "dcgan"), (_("The chapter's MLP"), "chapter"), (_("Both, side by side"), "both")],
                        value="dcgan", label=_("Network"), visible=model.chapter is not None)


def generate_tab(model: Demo, lines: Reproduce) -> View:
    """Class, seed, truncation, count -> a picture; Browse seeds steers its fields and draws it."""
    with gr.Tab(_("Generate"), id="generate") as tab:
        with gr.Row():
            with gr.Column():
                network = network_choice(model)
                class_name = class_menu("Sneaker")
                seed, scrub, dice = seed_controls(42, "seed", dice=True)
                truncation = fields.Slider(0, 3, value=0, step=0.05, label=_("Truncation (0 = off; lower = more typical)"))
                count = fields.Slider(1, MAX_COUNT, value=1, step=1, label=_("Count (seeds S, S+1, …)"))
                code = code_box("generate-code")
                go = gr.Button(_("Generate"), variant="primary")
                with gr.Accordion(_("Batch download (.npz, up to 10,000 images)"), open=False):
                    with gr.Row():
                        b_count = fields.Number(value=1000, precision=0, minimum=1, maximum=MAX_BATCH, label=_("Images (seeds S, S+1, …)"))
                        b_go = gr.Button(_("Make the batch"))
                    b_file = gr.File(label=_("images, labels, seeds (numpy .npz)"))
            with gr.Column():
                image = gr.Image(label=_("Generated"), format="png", interactive=False, elem_id="generated")
                native = gr.File(label=_("Native 28×28 PNG"))
                g_code = gr.Markdown(elem_classes="say")
                with gr.Accordion(_("Is it copying?"), open=False):
                    g_check = gr.Button(_("Show the nearest training images"), size="sm", elem_id="generate-copying-go")
                    g_scale = gr.Markdown(elem_id="generate-scale", elem_classes="say")
                    g_nearest = gr.Gallery(label=_("Nearest by pixels"), columns=4, height=400, allow_preview=False,
                                           elem_id="generate-neighbours", elem_classes="say")
    inputs = [class_name, seed, truncation, count, network, code]
    parts = dict(zip(("class", "seed", "truncation", "count", "network", "code"), inputs))
    with tab:
        link_row("generate", parts)
        # The API names keep the inputs they always had (a raw HTTP call must send every one): ours in `generate`,
        # the chapter's in `chapter`, a latent code's picture in `from_code`. The page's Network choice and code
        # box draw through the private events below.
        api_image = gr.Image(visible=False, format="png")
        gr.Button(visible=False).click(model.generate, inputs[:4], api_image, api_name="generate")
        if model.chapter is not None:
            gr.Button(visible=False).click(model.chapter_image, inputs[:4], api_image, api_name="chapter")
        gr.Button(visible=False).click(model.from_code, [class_name, code], api_image, api_name="from_code")
    after = dict(fn=model.native_png, inputs=inputs, outputs=native, **PRIVATE)
    go.click(model.generate, inputs, image, **PRIVATE).then(**after)
    for event in (class_name.change, truncation.release, count.release, network.change, code.submit):
        event(model.generate, inputs, image, **PRIVATE).then(**after)
    # A seed chosen by hand draws that seed: the code box empties, and these events do not read it
    follow_drag(seed, scrub, model.generate, inputs[:5], image, dict(after, inputs=inputs[:5]))
    for event in (scrub.input, seed.input):
        event(lambda: "", None, code, **PRIVATE, queue=False)

    def random_seed(class_name, truncation, count, network):
        """One round trip: a new seed (the code box emptied: the seed draws again), its window, and its picture."""
        new = random.randint(0, SEED_MAX - MAX_COUNT + 1)  # room for a grid of up to MAX_COUNT seeds after it
        return new, scrub_window(new), "", model.generate(class_name, new, truncation, count, network)
    dice.click(random_seed, [class_name, truncation, count, network], [seed, scrub, code, image], **PRIVATE).then(**after)
    g_check.click(model.seed_copying, [class_name, seed, truncation, code], [g_nearest, g_scale], **PRIVATE)
    # The one handler worth a GPU: see fashion_gan/zerogpu.py for why only this one.
    b_go.click(zerogpu.gpu(model.batch), [class_name, seed, b_count], b_file, api_name="batch")

    def describe(class_name, seed, truncation, count, network, code):
        if code:
            return lines(None, "from_code", class_name, code)
        trunc = f" --truncation {truncation:g}" if truncation else ""
        folders = {"dcgan": [lines.weights], "chapter": [lines.chapter], "both": [lines.weights, lines.chapter]}[network]
        commands = "\npython -m fashion_gan.".join(
            f"sample --weights {folder} --class \"{class_name}\" --seed {int(seed)} --count {int(count)}{trunc} "
            f"--out {'chapter' if folder == lines.chapter else 'samples'}.png" for folder in folders)
        # "both": the API draws each half (generate, chapter); the CLI lines above make both
        return lines(commands, "chapter" if network == "chapter" else "generate", class_name, int(seed), truncation,
                     int(count))
    for event in (go.click, class_name.change, seed.change, truncation.change, count.change, network.change, code.change):
        event(lines.safely(describe), inputs, g_code, **PRIVATE, queue=False)

    def draw(event, opened=None):
        event.then(scrub_window, seed, scrub, **PRIVATE, queue=False)
        event.then(model.generate, inputs, image, **PRIVATE).then(**after)
        event.then(lines.safely(describe), inputs, g_code, **PRIVATE, queue=False)
    return View(parts, draw)


def interpolate_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("Interpolate"), id="interpolate"):
        with gr.Row():
            with gr.Column():
                gr.Markdown(_("**Noise interpolation**: one class, the latent walking from seed A to seed B."))
                i_network = network_choice(model)
                i_class = class_menu("Dress")
                seed_a, seed_b = seed_number(1, "Seed A"), seed_number(2, "Seed B")
                steps = fields.Slider(MIN_STEPS, MAX_STEPS, value=10, step=1, label=_("Steps"))
                method = fields.Radio(["slerp", "lerp"], value="slerp", label=_("Method"))
                i_go = gr.Button(_("Interpolate"), variant="primary")
            with gr.Column():
                i_anim = gr.Image(label=_("Animation"), interactive=False, elem_id="interpolation")
                frames = gr.Image(label=_("Frames"), format="png", interactive=False, elem_id="frames")
                gif = gr.File(label=_("Animated GIF"), interactive=False)  # read by the animation step, never an upload
                i_code = gr.Markdown(elem_classes="say")
        i_inputs = [i_class, seed_a, seed_b, steps, method, i_network]
        # The API name keeps its inputs (ours); the page's Network choice goes through a private event.
        gr.Button(visible=False).click(model.interpolate, i_inputs[:5], [gr.Image(visible=False, format="png"),
                                       gr.File(visible=False)], api_name="interpolate")
        i_go.click(model.interpolate, i_inputs, [frames, gif], **PRIVATE).then(lambda f: f, gif, i_anim, **PRIVATE)

        def i_lines(c, a, b, n, m, network):
            if network == "dcgan":
                return lines(None, "interpolate", c, int(a), int(b), int(n), m)
            label = CLASS_NAMES.index(c)  # the API interpolates ours only: the chapter's frames, from Python
            return (f"**Reproduce it**\n\n```python\nfrom fashion_gan import hub, sampling\n"
                    f"frames = sampling.interpolate_latents(hub.load_network(\"{lines.chapter}\"), {int(a)}, {int(b)}, "
                    f"{int(n)}, {label}, \"{m}\")  # uint8 (steps, 28, 28): class {c}\n```")
        i_describe = lines.safely(i_lines)
        i_go.click(i_describe, i_inputs, i_code, **PRIVATE, queue=False)
        with gr.Row():
            with gr.Column():
                gr.Markdown(_("**Class morph**: one seed, the label embedding moving from class A to class B."))
                m_seed = seed_number(7)
                class_a, class_b = class_menu("Sneaker", "Class A"), class_menu("Ankle boot", "Class B")
                m_steps = fields.Slider(MIN_STEPS, MAX_STEPS, value=10, step=1, label=_("Steps"))
                m_go = gr.Button(_("Morph"), variant="primary")
            with gr.Column():
                m_anim = gr.Image(label=_("Animation"), interactive=False)
                m_frames = gr.Image(label=_("Frames"), format="png", interactive=False)
                m_gif = gr.File(label=_("Animated GIF"), interactive=False)
                m_code = gr.Markdown(elem_classes="say")
        m_inputs = [m_seed, class_a, class_b, m_steps]
        m_go.click(model.morph, m_inputs, [m_frames, m_gif], api_name="morph").then(
            lambda f: f, m_gif, m_anim, **PRIVATE)
        m_describe = lines.safely(lambda seed, a, b, n: lines(None, "morph", int(seed), a, b, int(n)))
        m_go.click(m_describe, m_inputs, m_code, **PRIVATE, queue=False)
        names = ("class", "a", "b", "steps", "method", "morph_seed", "from", "to", "morph_steps", "network")
        parts = dict(zip(names, i_inputs[:-1] + m_inputs + [i_network]))
        link_row("interpolate", parts)

    def draw(event, opened):
        event.then(if_opened("interpolate", model.interpolate, 2), [opened, *i_inputs], [frames, gif], **PRIVATE).then(
            lambda f: f, gif, i_anim, **PRIVATE)
        event.then(i_describe, i_inputs, i_code, **PRIVATE, queue=False)
        event.then(if_opened("interpolate", model.morph, 2), [opened, *m_inputs], [m_frames, m_gif], **PRIVATE).then(
            lambda f: f, m_gif, m_anim, **PRIVATE)
        event.then(m_describe, m_inputs, m_code, **PRIVATE, queue=False)
    return View(parts, draw)


def walk_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("Walk"), id="walk"):
        gr.Markdown(_("A looping walk through keyframe seeds and back to the first, with no jump."))
        with gr.Row():
            with gr.Column():
                w_class = class_menu("Ankle boot")
                seeds = fields.Textbox(value="3, 17, 42-45", label=_("Keyframe seeds (e.g. 3, 17, 42-45)"))
                w_steps = fields.Slider(1, MAX_STEPS, value=10, step=1, label=_("Frames from one keyframe to the next"))
                w_method = fields.Radio(["slerp", "lerp"], value="slerp", label=_("Method"))
                everyone = fields.Checkbox(value=False, label=_("All ten classes walk the same latents"))
                w_go = gr.Button(_("Walk"), variant="primary")
            with gr.Column():
                w_anim = gr.Image(label=_("Walk"), interactive=False, elem_id="walk")
                w_strip = gr.Image(label=_("Keyframes"), format="png", interactive=False)
                w_code = gr.Markdown(elem_classes="say")
        inputs = [w_class, seeds, w_steps, w_method, everyone]
        w_go.click(model.walk, inputs, [w_anim, w_strip], api_name="walk")

        def describe(class_name, seeds, steps, method, everyone):
            flag = " --all-classes" if everyone else ""
            return lines(f"explore walk --weights {lines.weights} --class \"{class_name}\" --seeds \"{seeds}\" "
                         f"--steps {int(steps)} --method {method}{flag} --out walk.gif", "walk",
                         class_name, seeds, int(steps), method, *([True] if everyone else []))
        w_go.click(lines.safely(describe), inputs, w_code, **PRIVATE, queue=False)
        parts = dict(zip(("class", "seeds", "steps", "method", "all"), inputs))
        link_row("walk", parts)

    def draw(event, opened):
        event.then(if_opened("walk", model.walk, 2), [opened, *inputs], [w_anim, w_strip], **PRIVATE)
        event.then(lines.safely(describe), inputs, w_code, **PRIVATE, queue=False)
    return View(parts, draw)


def map_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("Seed map"), id="map"):
        gr.Markdown(_(f"Every point (x, y) of the plane is a latent. Integer points are seeds: (x, y) is seed "
                      f"x + {ROW}·y, so (x, 0) is seed x. Between them the four neighbouring seeds' latents are blended "
                      f"(bilinear weights, rescaled to a standard normal's spread). Click anywhere on the map."))
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Row():
                    p_class = class_menu("T-shirt/top")
                    x0 = fields.Number(value=0, precision=0, minimum=0, label=_("Left x"))
                    y0 = fields.Number(value=0, precision=0, minimum=0, label=_("Top y"))
                with gr.Row():
                    moves = {name: gr.Button(name, min_width=60) for name in ("← x−10", "x+10 →", "↑ y−8", "↓ y+8")}
                board = gr.Image(label=_("Seed map (click a point)"), format="png", interactive=False,
                                 elem_id="seed-map", show_label=True)
            with gr.Column(scale=2):
                position = gr.Markdown(_("Position: click the map"), elem_id="map-position", elem_classes="say")
                point = gr.Image(label=_("At that point"), format="png", interactive=False, elem_id="map-point")
                p_code = gr.Markdown(elem_classes="say")
        view = [p_class, x0, y0]
        for event in (p_class.change, x0.submit, y0.submit):
            event(model.seed_map, view, board, **PRIVATE)
        for name, (dx, dy) in zip(moves, ((-MAP_COLUMNS, 0), (MAP_COLUMNS, 0), (0, -MAP_ROWS), (0, MAP_ROWS))):
            moves[name].click(lambda x, y, dx=dx, dy=dy: (max(0, int(x) + dx), max(0, int(y) + dy)), [x0, y0], [x0, y0],
                              **PRIVATE, queue=False).then(model.seed_map, view, board, **PRIVATE)
        hidden_x, hidden_y = fields.Number(visible=False, label=_("map x")), fields.Number(visible=False, label=_("map y"))
        # The API name: the same picture from (class, x, y) alone.
        gr.Button(visible=False).click(model.map_point, [p_class, hidden_x, hidden_y], point, api_name="map_point")

        def position_line(x, y) -> str:
            return f"Position: **x = {x:g}, y = {y:g}** (the nearest seed is {seed_at(round(x), round(y))})"

        def clicked(class_name, left, top, evt: gr.SelectData):
            x, y = map_position(left, top, *evt.index)
            return x, y, position_line(x, y)
        board.select(clicked, view, [hidden_x, hidden_y, position], **PRIVATE, queue=False).then(
            model.map_point, [p_class, hidden_x, hidden_y], point, **PRIVATE)

        def linked_point(class_name, x, y):
            """The point a link names (with its position line), or nothing until a point is chosen."""
            if x is None or y is None:
                return gr.skip(), gr.skip()
            return model.map_point(class_name, x, y), position_line(x, y)

        def describe(class_name, x, y):
            return lines(f"explore map --weights {lines.weights} --class \"{class_name}\" --x {x:g} --y {y:g} --out point.png",
                         "map_point", class_name, x, y)
        for event in (hidden_x.change, hidden_y.change, p_class.change):  # a click may move x alone
            event(lines.safely(describe), [p_class, hidden_x, hidden_y], p_code, **PRIVATE, queue=False)
        parts = dict(zip(("class", "left", "top", "x", "y"), (p_class, x0, y0, hidden_x, hidden_y)))
        link_row("map", parts)

    def draw(event, opened):
        event.then(model.seed_map, view, board, **PRIVATE)
        event.then(linked_point, [p_class, hidden_x, hidden_y], [point, position], **PRIVATE)
    return View(parts, draw)


def directions_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("Directions"), id="directions"):
        gr.Markdown(_("Slide a seed along the generator's principal latent directions (SeFa: the eigenvectors of "
                      "WᵀW for the first layer W that the latent feeds; 0 is the strongest). The class stays fixed."))
        with gr.Row():
            with gr.Column():
                e_class = class_menu("Pullover")
                e_seed = seed_number(11)
                e_latent = code_box("directions-code")
                direction = fields.Slider(0, DIRECTIONS - 1, value=0, step=1, label=_("Direction (0 = strongest)"))
                amount = fields.Slider(-MAX_AMOUNT, MAX_AMOUNT, value=2, step=0.25, label=_("Amount (standard deviations)"))
            with gr.Column():
                edited = gr.Image(label=_("Edited"), format="png", interactive=False, elem_id="edited")
                strip = gr.Image(label=_("That direction at −3 … +3"), format="png", interactive=False)
                e_code = gr.Markdown(elem_classes="say")
        inputs = [e_class, e_seed, direction, amount, e_latent]
        strip_inputs = [e_class, e_seed, direction, e_latent]
        e_go = gr.Button(_("Edit"), variant="primary")
        # The API names: `edit` keeps its inputs (a seed), `edit_code` moves a latent code; the page sends both
        api_edited = gr.Image(visible=False, format="png")
        gr.Button(visible=False).click(model.edit, inputs[:4], api_edited, api_name="edit")
        gr.Button(visible=False).click(model.edit_code, [e_class, e_latent, direction, amount], api_edited,
                                       api_name="edit_code")
        e_seed.input(lambda: "", None, e_latent, **PRIVATE, queue=False)  # a seed typed by hand: the seed is edited
        for event in (e_go.click, e_class.change, e_seed.submit, e_latent.submit):
            event(model.edit, inputs, edited, **PRIVATE)
            event(model.edit_strip, strip_inputs, strip, **PRIVATE)
        # A slider redraws while it moves, and for a number typed into its box (on release alone, a typed
        # number drew nothing): one request at a time, the latest position next.
        for slider in (direction, amount):
            slider.input(model.edit, inputs, edited, **PRIVATE, trigger_mode="always_last")
        direction.input(model.edit_strip, strip_inputs, strip, **PRIVATE, trigger_mode="always_last")

        def describe(class_name, seed, k, amount, code):
            if code:
                return lines(f"explore edit --weights {lines.weights} --class \"{class_name}\" --code {code} "
                             f"--direction {int(k)} --amount {amount:g} --out edit.png", "edit_code",
                             class_name, code, int(k), amount)
            return lines(f"explore edit --weights {lines.weights} --class \"{class_name}\" --seed {int(seed)} "
                         f"--direction {int(k)} --amount {amount:g} --out edit.png", "edit",
                         class_name, int(seed), int(k), amount)
        for event in (e_go.click, e_class.change, e_seed.change, direction.change, amount.change, e_latent.change):
            event(lines.safely(describe), inputs, e_code, **PRIVATE, queue=False)
        parts = dict(zip(("class", "seed", "direction", "amount", "code"), inputs))
        link_row("directions", parts)

    def draw(event, opened):
        event.then(if_opened("directions", model.edit), [opened, *inputs], edited, **PRIVATE)
        event.then(if_opened("directions", model.edit_strip), [opened, *strip_inputs], strip, **PRIVATE)
        event.then(lines.safely(describe), inputs, e_code, **PRIVATE, queue=False)
    return View(parts, draw)


def browse_tab(model: Demo, lines: Reproduce, tabs: gr.Tabs, generate: View) -> View:
    with gr.Tab(_("Browse seeds"), id="browse"):
        gr.Markdown(_(f"{GALLERY_SEEDS} seeds of one class. Click one to open it in Generate."))
        with gr.Row():
            s_class = class_menu("Bag")
            first = seed_number(0, "First seed")
            s_go = gr.Button(_("Show"), variant="primary")
        gallery = gr.Gallery(label=_("Seeds"), columns=8, height="auto", allow_preview=False, elem_id="seed-gallery",
                             elem_classes="say")
        s_code = gr.Markdown(elem_classes="say")
        s_go.click(model.seed_gallery, [s_class, first], gallery, **PRIVATE)
        s_describe = lines.safely(lambda c, seed: lines(
            f"sample --weights {lines.weights} --class \"{c}\" --seed {int(seed)} --count {GALLERY_SEEDS} --out seeds.png",
            "generate", c, int(seed), 0, GALLERY_SEEDS))
        s_go.click(s_describe, [s_class, first], s_code, **PRIVATE, queue=False)
        link_row("browse", {"class": s_class, "first": first})

        def picked(class_name, start, evt: gr.SelectData):
            return class_name, int(start) + evt.index, gr.Tabs(selected="generate")
        generate.draw(gallery.select(picked, [s_class, first], [generate.fields["class"], generate.fields["seed"], tabs],
                                     **PRIVATE))

    def draw(event, opened):
        event.then(model.seed_gallery, [s_class, first], gallery, **PRIVATE)
        event.then(s_describe, [s_class, first], s_code, **PRIVATE, queue=False)
    return View({"class": s_class, "first": first}, draw)


def classes_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("All classes"), id="classes"):
        with gr.Row():
            g_seed = fields.Slider(0, SEED_MAX, value=0, step=1, label=_("Seed"), scale=4)
            g_go = gr.Button(_("Show all ten classes"), variant="primary", scale=1)
        gallery = gr.Gallery(label=_("One latent, ten classes"), columns=5, height="auto", allow_preview=False,
                             elem_id="class-gallery", elem_classes="say")
        g_code = gr.Markdown(elem_classes="say")
        g_go.click(model.class_gallery, g_seed, gallery, **PRIVATE)
        g_describe = lines.safely(lambda seed: lines(None, "class_grid", int(seed)))
        g_go.click(g_describe, g_seed, g_code, **PRIVATE, queue=False)
        link_row("classes", {"seed": g_seed})
        g_grid = gr.Image(visible=False, format="png")  # the API name class_grid keeps answering one grid image
        gr.Button(visible=False).click(model.class_grid, g_seed, g_grid, api_name="class_grid")

    def draw(event, opened):
        event.then(model.class_gallery, g_seed, gallery, **PRIVATE)
        event.then(g_describe, g_seed, g_code, **PRIVATE, queue=False)
    return View({"seed": g_seed}, draw)


def gan_tab(model: Demo, lines: Reproduce) -> View:
    with gr.Tab(_("Unconditional GAN"), id="gan"):
        gr.Markdown(_("A DCGAN trained without labels (not the chapter's MLP, which is in `--arch mlp`): noise in, "
                      "a garment out, no say in which. Truncation trades variety for typical garments."))
        with gr.Row():
            with gr.Column():
                u_seed, u_scrub = seed_controls(DEFAULT_GAN_SEED, "gan-seed")[:2]
                u_trunc = fields.Slider(0, 3, value=0, step=0.05, label=_("Truncation (0 = off)"))
                u_go = gr.Button(_("Generate"), variant="primary")
            with gr.Column():
                u_image = gr.Image(label=_("Generated"), format="png", interactive=False, elem_id="gan-image")
                u_code = gr.Markdown(elem_classes="say")
        u_go.click(model.gan_image, [u_seed, u_trunc], u_image, api_name="gan")
        follow_drag(u_seed, u_scrub, model.gan_image, [u_seed, u_trunc], u_image)
        u_trunc.release(model.gan_image, [u_seed, u_trunc], u_image, **PRIVATE)

        def describe(seed, truncation):
            trunc = f" --truncation {truncation:g}" if truncation else ""
            return lines(f"sample --weights {shown(model.gan_weights)} --seed {int(seed)} --count 1{trunc} --out gan.png",
                         "gan", int(seed), truncation)
        for event in (u_go.click, u_seed.change, u_trunc.change):
            event(lines.safely(describe), [u_seed, u_trunc], u_code, **PRIVATE, queue=False)
        link_row("gan", {"seed": u_seed, "truncation": u_trunc})

    def draw(event, opened):
        event.then(scrub_window, u_seed, u_scrub, **PRIVATE, queue=False)
        event.then(model.gan_image, [u_seed, u_trunc], u_image, **PRIVATE)
        event.then(lines.safely(describe), [u_seed, u_trunc], u_code, **PRIVATE, queue=False)
    return View({"seed": u_seed, "truncation": u_trunc}, draw)


GARMENTS = sorted((HERE / "fashion_gan" / "garments").glob("*.png"))  # real test images, shipped small
SKETCH_SIDE = 280  # the drawing canvas, in pixels: ten to a Fashion-MNIST pixel


@dataclass
class FoundLatent:
    """What Find it hands on to the other views: the found latent's code and its class."""
    code: gr.Textbox
    class_name: gr.Textbox
    sends: dict  # tab id -> the button that opens that view on the found latent


def find_tab(model: Demo, lines: Reproduce) -> tuple[View, FoundLatent]:
    """A visitor's own garment: upload, draw or pick one; find the latent nearest it; explore from there;
    and Is it copying?: the training images nearest it."""
    with gr.Tab(_("Find it"), id="find"):
        gr.Markdown(_("Upload a picture of a garment, draw one, or pick a real test image: the search finds the "
                      "latent whose picture is closest and gives it as a latent code, which Generate, Walk and "
                      "Directions take in place of a seed. Is it copying? shows the training images nearest it."))
        with gr.Row():
            with gr.Column():
                with gr.Tabs():
                    with gr.Tab(_("Upload"), id="find-upload-tab"):
                        upload = fields.Image(label=_("A garment (any size; light or dark background)"),
                                              type="filepath", sources=["upload", "clipboard"], elem_id="find-upload")
                        gr.Examples([[str(path)] for path in GARMENTS], upload,
                                    label=_("Real test images (never trained on)"), examples_per_page=len(GARMENTS))
                        find_upload = gr.Button(_("Find it"), variant="primary", elem_id="find-upload-go")
                    with gr.Tab(_("Draw"), id="find-draw-tab"):
                        sketch = gr.Sketchpad(label=_("Draw a garment (white on black)"), type="numpy",
                                              canvas_size=(SKETCH_SIDE, SKETCH_SIDE), elem_id="find-sketch",
                                              value={"background": np.zeros((SKETCH_SIDE, SKETCH_SIDE, 3), np.uint8),
                                                     "layers": [], "composite": None},
                                              brush=gr.Brush(colors=["#ffffff"], color_mode="fixed", default_size=14),
                                              layers=False)
                        find_sketch = gr.Button(_("Find the drawing"), variant="primary", elem_id="find-sketch-go")
                f_class = fields.Dropdown([(_("auto: all ten classes"), "auto")] +
                                          [(words.class_label(name), name) for name in CLASS_NAMES],
                                          value="auto", label=_("Search in"))
                f_network = fields.Radio([(_("Ours: the cGAN"), "cgan"), (_("Ours: the unconditional GAN"), "gan")],
                                         value="cgan", label=_("Network"), visible=model.gan is not None)
            with gr.Column():
                with gr.Row():
                    searched = gr.Image(label=_("What was searched (28×28)"), format="png", interactive=False,
                                        elem_id="find-searched")
                    found = gr.Image(label=_("Found"), format="png", interactive=False, elem_id="find-found")
                summary = gr.Markdown(elem_id="find-summary", elem_classes="say")
                code = gr.Textbox(label=_("Latent code (copy it: any view takes it in place of a seed)"), lines=3,
                                  interactive=False, buttons=["copy"], elem_id="find-code")
                found_class = gr.Textbox(visible=False)
                with gr.Row():
                    sends = {tab: gr.Button(_(label), size="sm", elem_id=f"find-to-{tab}")
                             for tab, label in (("generate", "Open in Generate"), ("walk", "Walk from it"),
                                                ("directions", "Open in Directions"))}
                f_code = gr.Markdown(elem_classes="say")
        with gr.Accordion(_("Explore from it (the cGAN)"), open=True):
            with gr.Row():
                with gr.Column():
                    classes = gr.Gallery(label=_("The found latent in all ten classes"), columns=5, height=400,
                                         allow_preview=False, elem_id="find-classes", elem_classes="say")
                with gr.Column():
                    with gr.Row():
                        to_seed = seed_number(42, "Walk to seed")
                        walk_go = gr.Button(_("Walk"), scale=0, min_width=90)
                    walk = gr.Image(label=_("From the found latent to that seed and back"), interactive=False,
                                    elem_id="find-walk")
            f_direction = fields.Slider(0, DIRECTIONS - 1, value=0, step=1, label=_("Direction (0 = strongest)"))
            f_strip = gr.Image(label=_("That direction at −3 … +3"), format="png", interactive=False,
                               elem_id="find-direction")
        with gr.Accordion(_("Is it copying?"), open=True):
            gr.Markdown(_("The training images nearest the found picture: by pixels, and by the features of the "
                          "project's classifier (the space its FID is measured in). A GAN that copies makes pictures "
                          "far closer to a training image than a new garment (a test image) ever is."))
            c_go = gr.Button(_("Show the nearest training images"), size="sm", elem_id="find-neighbours-go")
            scale = gr.Markdown(elem_id="find-scale", elem_classes="say")
            by_pixels = gr.Gallery(label=_("Nearest by pixels"), columns=8, height=240, allow_preview=False,
                                   elem_id="find-neighbours", elem_classes="say")
            by_features = gr.Gallery(label=_("Nearest by the classifier's features"), columns=8, height=240,
                                     allow_preview=False, elem_id="find-neighbours-features", elem_classes="say")
        # The API names: `project` (the cGAN; any picture) and `neighbours` (any picture)
        api_picture = fields.Image(visible=False, type="filepath", label=_("Picture"))
        api_class = fields.Dropdown([(name, name) for name in ("auto", *CLASS_NAMES)], value="auto", visible=False,
                                    label=_("Search in"))
        gr.Button(visible=False).click(model.project, [api_picture, api_class],
                                       [gr.Image(visible=False, format="png"), gr.Textbox(visible=False),
                                        gr.Textbox(visible=False)], api_name="project")
        gr.Button(visible=False).click(model.neighbours, api_picture, gr.Gallery(visible=False), api_name="neighbours")

        outputs = [searched, found, summary, code, found_class]
        def explored(code, name, k):
            if not name:  # the GAN's latents have no classes to show them in
                return [], None
            return model.found_classes(code), model.edit_strip(name, 0, k, code)
        explore = dict(fn=explored, inputs=[code, found_class, f_direction], outputs=[classes, f_strip], **PRIVATE)
        f_direction.input(lambda name, k, code: model.edit_strip(name, 0, k, code), [found_class, f_direction, code],
                          f_strip, **PRIVATE, trigger_mode="always_last")
        copying = dict(fn=model.copying_check, inputs=found, outputs=[by_pixels, by_features, scale], **PRIVATE)
        for button, picture in ((find_upload, upload), (find_sketch, sketch)):
            searched_event = button.click(model.find, [picture, f_class, f_network], outputs, **PRIVATE)
            searched_event.success(**explore)
            searched_event.success(**copying)
        walk_go.click(model.found_walk, [found_class, code, to_seed], walk, **PRIVATE)
        c_go.click(**copying)

        def describe(code, class_name):
            if not code:
                return ""
            return lines(None, "from_code", class_name, code) if class_name else ""
        code.change(describe, [code, found_class], f_code, **PRIVATE, queue=False)
    return View({}, lambda event, opened: None), FoundLatent(code, found_class, sends)


RUN_NAMES = {"cgan": "Ours: the cGAN", "gan": "Ours: the unconditional GAN", "chapter cgan": "The chapter's MLP cGAN"}
PLAY_SECONDS = 0.3  # the time-lapse's pace: an epoch a frame


def training_tab(model: Demo, lines: Reproduce) -> View:
    """How the served networks learnt: their own runs' fixed seeds at every epoch, and their curves."""
    with gr.Tab(_("Training"), id="training"):
        gr.Markdown(_("Watch a GAN learn: the same seeds after every epoch of the run that made the weights this page "
                      "serves, and how its losses, the discriminator's outputs and the FID (lower is better) moved."))
        first = next(iter(model.runs), "cgan")
        last = model.runs[first].epochs if model.runs else 1
        with gr.Row():
            with gr.Column(scale=2):
                run = fields.Radio([(_(RUN_NAMES[name]), name) for name in RUN_NAMES], value=first, label=_("Run"))
                epoch = fields.Slider(1, last, value=last, step=1, label=_("Epoch"), elem_id="training-epoch")
                with gr.Row():
                    play, pause = gr.Button(_("▶ Play"), variant="primary"), gr.Button(_("⏸ Pause"))
                summary = gr.Markdown(elem_id="training-summary", elem_classes="say")
                t_code = gr.Markdown(elem_classes="say")
            with gr.Column(scale=3):
                picture = gr.Image(label=_("The fixed seeds after this epoch"), format="png", interactive=False,
                                   elem_id="timelapse")
        with gr.Row():
            losses = gr.LinePlot(x="epoch", y="value", color="curve", label=_("Losses"), height=300)
            outputs = gr.LinePlot(x="epoch", y="value", color="curve", label=_("D's outputs"), height=300)
            fid = gr.LinePlot(x="epoch", y="FID", label=_("FID where scored"), height=300)
        timer = gr.Timer(PLAY_SECONDS, active=False)
        inputs = [run, epoch]
        # The API name (first: the name goes to the first event of a function): any epoch from 1, as the slider
        # stops at the shown run's last and the API answers the last for an epoch past it.
        api_epoch = fields.Number(visible=False, precision=0, minimum=1, label=_("Epoch"))
        gr.Button(visible=False).click(model.timelapse, [run, api_epoch], gr.Image(visible=False, format="png"),
                                       api_name="timelapse")
        epoch.input(model.timelapse, inputs, picture, **PRIVATE, trigger_mode="always_last")
        epoch.change(model.training_summary, inputs, summary, **PRIVATE, queue=False)

        def shown_at(name, at=None):
            """A run at an epoch (None: its last, the weights served): the slider spans its epochs. A run without
            its record says so where the numbers would be (no error toast for every visitor of such a page)."""
            try:
                n = model.run(name).epochs
            except gr.Error as e:
                return gr.Slider(minimum=1, maximum=1, value=1), None, str(e), None, None, None
            at = n if at is None else min(int(at), n)
            return (gr.Slider(minimum=1, maximum=n, value=at), model.timelapse(name, at),
                    model.training_summary(name, at), *model.training_curves(name))
        shown = [epoch, picture, summary, losses, outputs, fid]
        run.input(shown_at, run, shown, **PRIVATE)  # a pick, not a link setting the run (its epoch stands)

        def started(name, at):
            """Play: from the first epoch when at the last, else from here."""
            return gr.Timer(active=True), 1 if int(at) >= model.run(name).epochs else gr.skip()
        play.click(started, inputs, [timer, epoch], **PRIVATE, queue=False)
        pause.click(lambda: gr.Timer(active=False), None, timer, **PRIVATE, queue=False)

        def tick(name, at):
            n = model.run(name).epochs
            next_epoch = min(int(at) + 1, n)
            return next_epoch, model.timelapse(name, next_epoch), gr.Timer(active=next_epoch < n)
        timer.tick(tick, inputs, [epoch, picture, timer], **PRIVATE)
        t_describe = lines.safely(lambda name, at: lines(None, "timelapse", name, int(at)))
        epoch.change(t_describe, inputs, t_code, **PRIVATE, queue=False)
        link_row("training", {"run": run, "epoch": epoch})

    def draw(event, opened):
        event.then(shown_at, inputs, shown, **PRIVATE)
        event.then(t_describe, inputs, t_code, **PRIVATE, queue=False)
    return View({"run": run, "epoch": epoch}, draw)


def build(model: Demo, client_target: str) -> gr.Blocks:
    lines = Reproduce(client_target, shown(model.weights), model.chapter_weights and shown(model.chapter_weights))
    with gr.Blocks(title="fashion-gan", delete_cache=(3600, 3600)) as page:
        with gr.Row():
            gr.Markdown(_("# fashion-gan\nA class-conditional GAN trained on Fashion-MNIST. Pick a class and a seed "
                          "(the same seed always gives the same picture), then wander its latent space."))
            language = gr.Button(_("🌐 한국어"), size="sm", scale=0, min_width=110, elem_id="language")
        notice = gr.Markdown(visible=False, elem_id="link-notice", elem_classes="say")  # what a link held that the page could not use
        with gr.Tabs() as tabs:
            generate = generate_tab(model, lines)
            find, found = find_tab(model, lines)
            views = {"generate": generate, "find": find, "interpolate": interpolate_tab(model, lines),
                     "walk": walk_tab(model, lines), "map": map_tab(model, lines),
                     "directions": directions_tab(model, lines), "browse": browse_tab(model, lines, tabs, generate),
                     "classes": classes_tab(model, lines)}
            if model.gan is not None:
                views["gan"] = gan_tab(model, lines)
            views["training"] = training_tab(model, lines)

        # Find it's buttons: the found latent's code and class into another view, opened and drawn
        for tab, button in found.sends.items():
            view, box = views[tab], "seeds" if tab == "walk" else "code"

            def send(code, class_name, tab=tab):
                if not code or not class_name:
                    raise gr.Error("Find it: find a garment with the cGAN first (the unconditional GAN's latents "
                                   "have no class to show them in)")
                return class_name, f"{code}, 17, 42" if tab == "walk" else code, gr.Tabs(selected=tab)
            sent = button.click(send, [found.code, found.class_name], [view.fields["class"], view.fields[box], tabs],
                                **PRIVATE, queue=False)
            view.draw(sent, gr.State(tab))

        # Korean <-> English (the button names the other language; fashion_gan/translate.js switches Gradio's).
        # Gradio re-translates a tab's name only when the tab is updated: each is sent its name again after, and
        # once more when that is done, for a page still busy drawing its views when the button was pressed (a CI
        # run once saw a tab keep its old name).
        sections = [tab for tab in tabs.children if isinstance(tab, gr.Tab)]

        def names():
            return [gr.Tab(label=tab.label) for tab in sections]
        language.click(names, None, sections, **PRIVATE, queue=False,
                       js="async () => { await window.fashionGan.toggleLanguage(); return []; }").then(
            names, None, sections, **PRIVATE, queue=False)

        gr.Markdown(f"<small>Device: **{model.device}** · model: `{shown(model.weights)}` · "
                    f"{model.parameter_count:,} generator parameters</small>", elem_classes="say")

        def open_link(request: gr.Request):
            """The page's URL query (?tab=generate&class=Bag&seed=7) -> that tab and its fields; a line for the rest."""
            tab, values, ignored = links.read(dict(request.query_params))
            updates = [gr.Tabs(selected=tab) if tab in views else gr.skip(), tab]
            for name, view in views.items():
                updates += [values[p] if name == tab and p in values else gr.skip() for p in view.fields]
            updates.append(gr.Markdown(f"Ignored in this link: {' · '.join(map(plain, ignored))}", visible=True)
                           if ignored else gr.skip())
            return updates
        components = [c for view in views.values() for c in view.fields.values()]
        opened = gr.State()  # the tab a link opened, if any
        linked = page.load(open_link, None, [tabs, opened, *components, notice], **PRIVATE, queue=False)
        for view in views.values():  # drawn from the link's values (the animated ones only when the link opened them)
            view.draw(linked, opened)
    return page


def load(args) -> Demo:
    # A ZeroGPU Space's main process has no GPU (CUDA exists only inside spaces.GPU calls): serve from the CPU.
    device = torch.device("cpu") if zerogpu.on_zero_gpu() else resolve_device(args.device)
    # Requests are small (one image is ~1 ms of compute): one torch thread each, so idle OpenMP
    # threads do not spin on the cores the web server needs; the queue runs up to eight at once.
    torch.set_num_threads(1)
    optional = []
    for given, default in ((args.gan_weights, DEFAULT_GAN), (args.chapter_weights, DEFAULT_CHAPTER)):
        # the default folders are optional; a folder given by hand must exist
        optional.append(None if given == "none" or (given == str(default) and not default.is_dir()) else given)
    model = Demo(args.hub_repo or args.weights, optional[0], device, chapter_weights=optional[1],
                 data_dir=args.data_dir or (HERE / "data"), classifier=DEFAULT_CLASSIFIER if DEFAULT_CLASSIFIER.is_dir() else None)
    model.warm_up()
    return model


def client_target(args) -> str:
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    return os.environ.get("SPACE_ID") or f"http://{host}:{args.port}/"


async def page(args) -> gr.Blocks:
    # Built inside a running event loop: outside one, gradio makes a new loop for each lock it
    # creates and drops it, and on Python 3.10 in a Space collecting those loops prints
    # "Exception ignored ... Invalid file descriptor" tracebacks into the Space's log.
    return build(load(args), client_target(args)).queue(default_concurrency_limit=8)


_args = parse_args() if __name__ == "__main__" else parse_args([])
try:
    demo = asyncio.run(page(_args))
except UserError as e:
    exit_with(e)

if __name__ == "__main__":
    mcp = _args.mcp if _args.mcp is not None else bool(os.environ.get("SPACE_ID"))
    demo.launch(server_name=_args.host, server_port=_args.port, share=_args.share, mcp_server=mcp,
                i18n=words.I18N, head=words.head())
    sys.exit(0)

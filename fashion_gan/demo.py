"""The demo's handlers: validated inputs in, uint8 pictures and GIF files out.

app.py lays these out in Gradio; tests call them directly. Every bad input
raises gr.Error with a one-line reason, so the server answers it and goes on.
"""

import copy
import math
import os
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd
import torch
from PIL import Image

from . import encoder as encoders
from . import hub, latent, project, sampling, timelapse
from .copying import Neighbours
from .data import CLASS_NAMES, DataError, load_split
from .errors import UserError
from .models import FashionClassifier, Generator

MAX_COUNT = 64
MAX_BATCH = 10_000  # the batch download: 7.8 MB of pixels, about 2.5 s on a 2-core CPU
MIN_STEPS, MAX_STEPS = 2, 60
MAX_TRUNCATION = 5.0
DISPLAY_WIDTH = 560  # pixels the upscaled pictures aim for; nearest-neighbour keeps pixels square
GIF_SCALE = 6
GIF_FRAME_MS = 90
FILE_LIFETIME_S = 600
MAX_WALK_FRAMES = 240  # keyframes x steps: a 24-second loop at most
MAP_COLUMNS, MAP_ROWS, MAP_SCALE = 10, 8, 2  # the seed map: 10 x 8 thumbnails, each 56 px
MAP_TILE = 28 * MAP_SCALE
MAX_AMOUNT = 5.0  # principal-direction edits, in standard deviations
DIRECTIONS = 10  # how many principal directions the page offers
GALLERY_SEEDS = 24
# Which cGAN draws Generate's and Interpolate's pictures: ours, the chapter's MLP, or both side by side
# (the same seed is the same latent for both: each takes 100 normal numbers from it).
NETWORKS = ("dcgan", "chapter", "both")
RUNS = ("cgan", "gan", "chapter cgan")  # the Training tab's runs: the served weights' own
SIDE_BY_SIDE_GAP = 4  # white pixels between the two networks' pictures
FIND_NETWORKS = ("cgan", "gan")
FOUND_SCALE = 10  # `project` answers 280x280 of whole 10x10 blocks: `neighbours` reads that back as the exact 28x28
NEIGHBOURS = 8


def _integer(value, name: str, low: int, high: int) -> int:
    """An integer in [low, high] from an int, an integral float (sliders send 5.0) or a numeric string."""
    if isinstance(value, bool):
        raise gr.Error(f"{name} must be an integer from {low:,} to {high:,}, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise gr.Error(f"{name} must be an integer from {low:,} to {high:,}, got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise gr.Error(f"{name} must be an integer from {low:,} to {high:,}, got {value!r}")
    if not low <= int(number) <= high:
        raise gr.Error(f"{name} must be from {low:,} to {high:,}, got {int(number):,}")
    return int(number)


def _truncation(value) -> float | None:
    """0 (or None) means off; otherwise a positive threshold for |z|."""
    if value is None:
        return None
    try:
        t = float(value)
    except (TypeError, ValueError):
        raise gr.Error(f"truncation must be a number from 0 (off) to {MAX_TRUNCATION}, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(t) or not 0 <= t <= MAX_TRUNCATION:
        raise gr.Error(f"truncation must be a number from 0 (off) to {MAX_TRUNCATION}, got {value!r}")
    return t or None


def _class_index(value) -> int:
    try:
        return sampling.parse_class(value)
    except UserError as e:
        raise gr.Error(str(e)) from None


def _number(value, name: str, low: float, high: float) -> float:
    """A finite float in [low, high] from a number or a numeric string, or gr.Error naming the field."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise gr.Error(f"{name} must be a number from {low:,.10g} to {high:,.10g}, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise gr.Error(f"{name} must be a number from {low:,.10g} to {high:,.10g}, got {value!r}")
    return number


def _user_error(call, *args):
    """call(*args), with a UserError from the latent math turned into the page's gr.Error."""
    try:
        return call(*args)
    except UserError as e:
        raise gr.Error(str(e)) from None


def _method(value) -> str:
    return _choice(value, "method", tuple(latent.INTERPOLATIONS))


def _choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise gr.Error(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _picture(value) -> np.ndarray:
    """The page's or the API's picture (a file path, an array, a PIL image, or the sketch input's layers)
    -> uint8 (28, 28) as Fashion-MNIST has them (fashion_gan.project.as_fashion_mnist)."""
    if isinstance(value, dict):  # the sketch input: its layers flattened over its background
        value = value.get("composite")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise gr.Error("picture: upload a picture, draw one or pick a test image first")
    return _user_error(project.as_fashion_mnist, value)


def _tiles(index: Neighbours, matches, by: str) -> list[tuple[np.ndarray, str]]:
    """Training images as gallery tiles, captioned with the distance they were ranked by first (a tile
    shows only a caption's start), the other distance, then the image's index and class."""
    def caption(m):
        pixels, features = f"{m.pixels:.1f} px", f"{m.features:.1f} feat"
        first, second = (pixels, features) if by == "pixels" else (features, pixels)
        return f"{first} · {second} · train #{m.index} {CLASS_NAMES[m.label]}"
    return [(sampling.upscale(index.images["train"][m.index], 4), caption(m)) for m in matches]


def side_by_side(pictures: list[np.ndarray]) -> np.ndarray:
    """uint8 pictures of one height (or stacks of frames: (N, h, w)), left to right with a white gap."""
    gap = np.full(pictures[0].shape[:-1] + (SIDE_BY_SIDE_GAP,), 255, np.uint8)
    return np.concatenate([part for p in pictures for part in (gap, p)][1:], axis=-1)


def map_position(left, top, px: float, py: float) -> tuple[float, float]:
    """Pixel (px, py) of the seed map whose top-left tile is (left, top) -> its point (x, y) of the plane.

    Tile centres are the integer points, so a click in the middle of a tile is that seed exactly;
    positions are rounded to 1/100 and kept on the plane (x, y >= 0).
    """
    x = int(left) + (px - MAP_TILE / 2) / MAP_TILE
    y = int(top) + (py - MAP_TILE / 2) / MAP_TILE
    return max(0.0, round(x, 2)), max(0.0, round(y, 2))


def display(images: np.ndarray, columns: int) -> np.ndarray:
    """Tiles (N, 28, 28) -> one upscaled grid, crisp, about DISPLAY_WIDTH wide."""
    grid = sampling.image_grid(images, columns)
    return sampling.upscale(grid, max(2, DISPLAY_WIDTH // grid.shape[1]))


class Demo:
    """The loaded generators and the handlers the page (and its API) calls."""

    def __init__(self, weights: str | Path, gan_weights: str | Path | None, device: torch.device,
                 chapter_weights: str | Path | None = None, data_dir: str | Path | None = None,
                 classifier: str | Path | None = None):
        self.device = device
        self.weights = str(weights)
        self.generator = hub.load_network(weights, device, expect=Generator)
        if not self.generator.num_classes:
            raise UserError(f"{weights}: the demo needs the class-conditional generator (cGAN); this one is unconditional")
        self.gan = hub.load_network(gan_weights, device, expect=Generator) if gan_weights else None
        self.gan_weights = str(gan_weights) if gan_weights else None
        self.chapter = hub.load_network(chapter_weights, device, expect=Generator) if chapter_weights else None
        self.chapter_weights = str(chapter_weights) if chapter_weights else None
        if self.chapter is not None and (self.chapter.num_classes, self.chapter.z_dim) != (10, self.generator.z_dim):
            raise UserError(f"{chapter_weights}: the chapter's network must be a cGAN taking the same "
                            f"{self.generator.z_dim}-number latent as {weights}")
        # Each network's training record, where its folder is at hand (not for weights fetched from the Hub)
        folders = dict(zip(RUNS, (weights, gan_weights, chapter_weights)))
        self.runs = {name: timelapse.Run(Path(folder)) for name, folder in folders.items()
                     if folder and Path(folder).is_dir()}
        # The projection's first guesses, where a folder holds one (python -m fashion_gan.encoder)
        self.encoders = {name: encoders.load(folder, g, device) if Path(str(folder)).is_dir() else None
                         for name, folder, g in (("cgan", weights, self.generator), ("gan", gan_weights, self.gan)) if g}
        # Is it copying? needs the training images (and the test images, for scale): read at its first use
        self.data_dir, self.classifier = data_dir, classifier
        self._neighbours: Neighbours | str | None = None  # the index, or why there is none
        self._neighbours_lock = threading.Lock()
        self.gif_dir = Path(tempfile.mkdtemp(prefix="fashion-gan-gifs-"))
        self.directions = latent.principal_directions(self.generator, DIRECTIONS)  # SeFa: ~1 ms

    @property
    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.generator.parameters())

    def warm_up(self) -> None:
        """One call of each handler, so the first visitor does not pay for lazy initialisation."""
        self.generate(CLASS_NAMES[0], 0)
        self.interpolate(CLASS_NAMES[0], 0, 1, 4, "slerp")
        self.morph(0, CLASS_NAMES[0], CLASS_NAMES[1], 4)
        self.class_grid(0)
        self.walk(CLASS_NAMES[0], "0, 1", 2)
        self.seed_map(CLASS_NAMES[0], 0, 0)
        self.map_point(CLASS_NAMES[0], 0.5, 0.5)
        self.edit(CLASS_NAMES[0], 0, 0, 1)
        if self.gan is not None:
            self.gan_image(0)
        if self.chapter is not None:
            self.generate(CLASS_NAMES[0], 0, network="both")

    # --- the API, in the argument order the README documents -----------------------------------

    def networks(self, network) -> list[Generator]:
        """The cGANs a view draws with: ours, the chapter's, or both (ours on the left)."""
        network = _choice(network, "network", NETWORKS)
        if network != "dcgan" and self.chapter is None:
            raise gr.Error("the chapter's network is not loaded; start the app with --chapter-weights DIR")
        return {"dcgan": [self.generator], "chapter": [self.chapter], "both": [self.generator, self.chapter]}[network]

    def _seed_run(self, class_name, seed, truncation, count, network="dcgan") -> tuple[int, int, list[np.ndarray]]:
        """(class index, first seed, uint8 images per network) for seeds S .. S+count-1 of one class."""
        label = _class_index(class_name)
        count = _integer(count, "count", 1, MAX_COUNT)
        seed = _integer(seed, "seed", 0, latent.SEED_MAX - count + 1)
        return label, seed, [sampling.generate(g, range(seed, seed + count), [label] * count, _truncation(truncation),
                                               self.device) for g in self.networks(network)]

    def _code(self, code) -> torch.Tensor:
        """The latent a latent code holds, for our cGAN; gr.Error for a bad code."""
        return _user_error(latent.from_latent_code, code, self.generator.z_dim)

    def generate(self, class_name, seed, truncation=0, count=1, network="dcgan", code="") -> np.ndarray:
        """Images for seeds S, S+1, ... of one class, as one upscaled grid (a PNG).

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seed: the first seed S, an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            truncation: 0 for off, or a threshold up to 5 (lower: more typical garments, less variety).
            count: how many pictures, 1 to 64 (seeds S to S+count-1), 8 a row.

        The page also passes network: "dcgan" (ours), "chapter" (the chapter's MLP cGAN) or "both" (ours left),
        and code: a latent code, drawn in place of the seed (one picture; truncation does not apply).
        """
        if code:
            return self.from_code(class_name, code, network)
        _, _, runs = self._seed_run(class_name, seed, truncation, count, network)
        return side_by_side([display(images, min(len(images), 8)) for images in runs])

    def from_code(self, class_name, code, network="dcgan") -> np.ndarray:
        """The picture of a latent code (the text Find it gives for a found garment) in one class.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            code: a latent code, the text starting "z1." that project returns.
        """
        label = _class_index(class_name)
        z = self._code(code).unsqueeze(0)
        return side_by_side([display(sampling.render(g, z, label, self.device), 1) for g in self.networks(network)])

    def chapter_image(self, class_name, seed, truncation=0, count=1) -> np.ndarray:
        """The textbook chapter's MLP cGAN: images for seeds S, S+1, ... of one class, as one upscaled grid (a PNG).
        The same seed is the same latent as in generate, so the two show one latent through two networks.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seed: the first seed S, an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            truncation: 0 for off, or a threshold up to 5 (lower: more typical garments, less variety).
            count: how many pictures, 1 to 64 (seeds S to S+count-1), 8 a row.
        """
        return self.generate(class_name, seed, truncation, count, "chapter")

    def native_png(self, class_name, seed, truncation=0, count=1, network="dcgan", code="") -> str:
        """The same picture at its native 28x28 per image, as a PNG file to download."""
        if code:
            label = _class_index(class_name)
            runs = [sampling.render(g, self._code(code).unsqueeze(0), label, self.device) for g in self.networks(network)]
        else:
            label, seed, runs = self._seed_run(class_name, seed, truncation, count, network)
        image = side_by_side([images[0] if len(images) == 1 else sampling.image_grid(images, min(len(images), 8))
                              for images in runs])
        path = self._new_file(f"{CLASS_NAMES[label].replace('/', '-')}_{'code' if code else f'seed{seed}'}", ".png")
        Image.fromarray(image).save(path)
        return str(path)

    def batch(self, class_name, seed, count) -> str:
        """`count` images of one class, seeds S.., as an .npz (images uint8 (N, 28, 28), labels, seeds).

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seed: the first seed S, an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            count: how many images, 1 to 10,000.

        The one handler worth a GPU: on a ZeroGPU Space app.py wraps it in spaces.GPU, and
        inside that call CUDA is there. Everywhere else it runs on the demo's device.
        """
        label = _class_index(class_name)
        count = _integer(count, "count", 1, MAX_BATCH)
        seed = _integer(seed, "seed", 0, latent.SEED_MAX - count + 1)
        device = torch.device("cuda") if torch.cuda.is_available() and not self.device.type == "cuda" else self.device
        generator = self.generator if device == self.device else copy.deepcopy(self.generator).to(device)
        seeds = np.arange(seed, seed + count)
        images = sampling.generate(generator, seeds, [label] * count, device=device)
        path = self._new_file(f"{CLASS_NAMES[label].replace('/', '-')}_seeds{seed}-{seed + count - 1}", ".npz")
        np.savez_compressed(path, images=images, labels=np.full(count, label, dtype=np.int64), seeds=seeds)
        return str(path)

    def interpolate(self, class_name, seed_a, seed_b, steps, method="slerp", network="dcgan") -> tuple[np.ndarray, str]:
        """Frames walking the latent from seed A to seed B at one class: a strip of frames and a looping GIF.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seed_a: the first seed, an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            seed_b: the last seed, likewise.
            steps: frames from A to B inclusive, 2 to 60.
            method: "slerp" (spherical, keeps the latent's typical length) or "lerp" (a straight line).

        The page also passes network: "dcgan" (ours), "chapter" (the chapter's MLP cGAN) or "both" (each frame: ours left).
        """
        label = _class_index(class_name)
        seed_a = _integer(seed_a, "seed A", 0, latent.SEED_MAX)
        seed_b = _integer(seed_b, "seed B", 0, latent.SEED_MAX)
        steps = _integer(steps, "steps", MIN_STEPS, MAX_STEPS)
        method = _method(method)
        frames = side_by_side([sampling.interpolate_latents(g, seed_a, seed_b, steps, label, method, device=self.device)
                               for g in self.networks(network)])
        return display(frames, min(steps, 10)), self._gif(frames, f"interpolate_{seed_a}_{seed_b}")

    def morph(self, seed, class_a, class_b, steps) -> tuple[np.ndarray, str]:
        """One seed's latent, its class label moving from class A to class B: a strip of frames and a looping GIF.

        Args:
            seed: an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            class_a: the first class, one of the ten Fashion-MNIST class names (see class_name of generate).
            class_b: the last class, likewise.
            steps: frames from A to B inclusive, 2 to 60.
        """
        seed = _integer(seed, "seed", 0, latent.SEED_MAX)
        a, b = _class_index(class_a), _class_index(class_b)
        steps = _integer(steps, "steps", MIN_STEPS, MAX_STEPS)
        frames = sampling.morph_classes(self.generator, seed, a, b, steps, device=self.device)
        return display(frames, min(steps, 10)), self._gif(frames, f"morph_{seed}_{a}_{b}")

    def _all_classes(self, seed) -> np.ndarray:
        """uint8 (10, 28, 28): the same latent through all ten classes."""
        seed = _integer(seed, "seed", 0, latent.SEED_MAX)
        return sampling.generate(self.generator, [seed] * len(CLASS_NAMES), list(range(len(CLASS_NAMES))), device=self.device)

    def class_grid(self, seed) -> np.ndarray:
        """The same latent through all ten classes, side by side in one picture.

        Args:
            seed: an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
        """
        return display(self._all_classes(seed), len(CLASS_NAMES))

    def gan_image(self, seed, truncation=0) -> np.ndarray:
        """The unconditional GAN: a seed gives a garment of a kind the GAN chooses (no class).

        Args:
            seed: an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            truncation: 0 for off, or a threshold up to 5 (lower: more typical garments, less variety).
        """
        if self.gan is None:
            raise gr.Error("no unconditional GAN is loaded; start the app with --gan-weights DIR")
        seed = _integer(seed, "seed", 0, latent.SEED_MAX)
        return display(sampling.generate(self.gan, [seed], None, _truncation(truncation), self.device), 1)

    # --- the latent explorer ----------------------------------------------------------------------

    def walk(self, class_name, seeds, steps=12, method="slerp", all_classes=False) -> tuple[str, np.ndarray]:
        """A looping animation through keyframe seeds and back to the first: a GIF and a strip of the keyframes.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seeds: keyframe seeds as text, numbers and ranges such as "3, 17, 42-45" (at most 64 seeds);
                a latent code (from project) may stand in for a seed.
            steps: frames from one keyframe to the next, 1 to 60 (keyframes x steps at most 240).
            method: "slerp" or "lerp".
            all_classes: true to walk all ten classes at once, one tile each.
        """
        label = _class_index(class_name)
        keyframes, latents = _user_error(latent.parse_keyframes, seeds, self.generator.z_dim)
        steps = _integer(steps, "steps", 1, MAX_STEPS)
        if len(keyframes) * steps > MAX_WALK_FRAMES:
            raise gr.Error(f"steps: {len(keyframes)} keyframes x {steps} steps is over {MAX_WALK_FRAMES} frames; "
                           f"use fewer steps or seeds")
        z = latent.walk_latents(latents, steps, _method(method))
        strip = display(sampling.render(self.generator, latents, label, self.device), min(len(keyframes), 10))
        stem = f"walk_{CLASS_NAMES[label].replace('/', '-')}_{keyframes[0] if isinstance(keyframes[0], int) else 'code'}"
        if not all_classes:
            return self._gif(sampling.render(self.generator, z, label, self.device), stem, bounce=False), strip
        n = len(CLASS_NAMES)
        tiles = [sampling.render(self.generator, z, y, self.device) for y in range(n)]  # n x (frames, 28, 28)
        frames = np.stack([sampling.image_grid(np.stack(f), 5, background=0) for f in zip(*tiles)])
        return self._gif(frames, stem + "_all", bounce=False, scale=3), strip

    def seed_map(self, class_name, x0, y0) -> np.ndarray:
        """Thumbnails of the integer points x0 .. x0+9, y0 .. y0+7 of the seed plane (one row per y)."""
        label = _class_index(class_name)
        x0, y0 = _integer(x0, "map x", 0, latent.SEED_MAX), _integer(y0, "map y", 0, latent.SEED_MAX // latent.ROW)
        seeds = [latent.seed_at(x0 + i, y0 + j) for j in range(MAP_ROWS) for i in range(MAP_COLUMNS)]
        if seeds[-1] > latent.SEED_MAX:
            raise gr.Error(f"map: this view reaches seed {seeds[-1]:,}, beyond the last one; choose a smaller x or y")
        images = sampling.generate(self.generator, seeds, [label] * len(seeds), device=self.device)
        return sampling.upscale(sampling.image_grid(images, MAP_COLUMNS, padding=0), MAP_SCALE)

    def map_point(self, class_name, x, y) -> np.ndarray:
        """The picture at a point (x, y) of the seed plane: seed x + 100*y at integer points, a blend between them.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            x: a number >= 0 (x + 100*y must stay at or below 2,147,483,647).
            y: a number >= 0.
        """
        label = _class_index(class_name)
        x = _number(x, "map x", 0, latent.SEED_MAX)
        y = _number(y, "map y", 0, latent.SEED_MAX / latent.ROW)
        z = _user_error(latent.plane_latent, x, y, self.generator.z_dim).unsqueeze(0)
        return display(sampling.render(self.generator, z, label, self.device), 1)

    def _start(self, seed, code) -> torch.Tensor:
        """The latent a view starts from: the latent code where one is given, else the seed's."""
        if code:
            return self._code(code)
        return latent.latent_from_seed(_integer(seed, "seed", 0, latent.SEED_MAX), self.generator.z_dim)

    def _edits(self, class_name, z: torch.Tensor, direction, amounts) -> np.ndarray:
        """uint8 (len(amounts), 28, 28): z moved along principal direction `direction` by each amount."""
        label = _class_index(class_name)
        k = _integer(direction, "direction", 0, len(self.directions) - 1)
        edits = torch.stack([latent.edit_latent(z, self.directions[k], a) for a in amounts])
        return sampling.render(self.generator, edits, label, self.device)

    def edit(self, class_name, seed, direction, amount, code="") -> np.ndarray:
        """A seed's picture moved along one of the generator's principal latent directions (SeFa).

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            seed: an integer from 0 to 2,147,483,647; the same seed always gives the same picture.
            direction: which direction, 0 (the strongest) to 9.
            amount: how far, in standard deviations, -5 to 5 (0 gives generate's picture).

        The page also passes code: a latent code, moved in place of the seed.
        """
        amount = _number(amount, "amount", -MAX_AMOUNT, MAX_AMOUNT)
        return display(self._edits(class_name, self._start(seed, code), direction, [amount]), 1)

    def edit_code(self, class_name, code, direction, amount) -> np.ndarray:
        """A latent code's picture (a garment Find it found) moved along one of the principal latent directions.

        Args:
            class_name: one of T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
            code: a latent code, the text starting "z1." that project returns.
            direction: which direction, 0 (the strongest) to 9.
            amount: how far, in standard deviations, -5 to 5 (0 gives the code's own picture).
        """
        amount = _number(amount, "amount", -MAX_AMOUNT, MAX_AMOUNT)
        return display(self._edits(class_name, self._code(code), direction, [amount]), 1)

    def edit_strip(self, class_name, seed, direction, code="") -> np.ndarray:
        """The same edit at -3 .. +3 standard deviations, side by side: what the direction does."""
        return display(self._edits(class_name, self._start(seed, code), direction, range(-3, 4)), 7)

    def seed_gallery(self, class_name, first_seed) -> list[tuple[np.ndarray, str]]:
        """GALLERY_SEEDS consecutive seeds of one class, each captioned with its seed."""
        label = _class_index(class_name)
        first = _integer(first_seed, "first seed", 0, latent.SEED_MAX - GALLERY_SEEDS + 1)
        seeds = range(first, first + GALLERY_SEEDS)
        images = sampling.generate(self.generator, seeds, [label] * GALLERY_SEEDS, device=self.device)
        return [(sampling.upscale(image, 4), f"seed {s}") for image, s in zip(images, seeds)]

    def class_gallery(self, seed) -> list[tuple[np.ndarray, str]]:
        """One latent through the ten classes, each tile captioned with its class."""
        return [(sampling.upscale(image, 6), name) for image, name in zip(self._all_classes(seed), CLASS_NAMES)]

    # --- Find it: a visitor's own garment in the latent space, and is it copying? ---------------------

    def _search(self, image, class_name, network="cgan") -> tuple[np.ndarray, project.Found]:
        """(the searched 28x28, what the projection found) for the page's or the API's picture."""
        network = _choice(network, "network", FIND_NETWORKS)
        label = "auto" if class_name == "auto" else _class_index(class_name)
        if network == "gan" and self.gan is None:
            raise gr.Error("no unconditional GAN is loaded; start the app with --gan-weights DIR")
        target = _picture(image)
        generator = self.generator if network == "cgan" else self.gan
        if network == "gan":
            label = None  # the GAN has no classes: it is searched whole
        encoder = self.encoders.get(network)
        found = project.project(generator, target, label, encoder=encoder, device=self.device,
                                **project.search_effort(encoder))
        return target, found

    def project(self, image, class_name="auto") -> tuple[np.ndarray, str, str]:
        """The cGAN's closest picture to a garment: (that picture, its class, its latent code).

        Args:
            image: a picture of one garment, any size, colour or grey, on a light or dark background
                (it is put in Fashion-MNIST's form first: light on black, centred, 28 pixels along its longer side).
            class_name: the class to search in, or "auto" to search all ten and answer the closest.

        The picture comes back 280x280 (each pixel a 10x10 block), which `neighbours` reads as the exact 28x28.
        The latent code takes the place of a seed in from_code, edit_code and walk.
        """
        _, found = self._search(image, class_name)
        return sampling.upscale(found.image, FOUND_SCALE), CLASS_NAMES[found.label], found.code

    def find(self, image, class_name, network="cgan") -> tuple[np.ndarray, np.ndarray, str, str, str]:
        """The page's Find it: (what was searched, what was found, a line saying how close, the code, its class)."""
        started = time.perf_counter()
        target, found = self._search(image, class_name, network)
        seconds = time.perf_counter() - started
        where = f"class {CLASS_NAMES[found.label]}" if found.label is not None else "the unconditional GAN"
        line = (f"Found in {where}: {found.distance:.1f} grey levels from the picture "
                f"(root mean square, 0-255), in {seconds:.1f} s")
        name = CLASS_NAMES[found.label] if found.label is not None else ""  # the GAN's latents have no class
        return (sampling.upscale(target, FOUND_SCALE), sampling.upscale(found.image, FOUND_SCALE), line, found.code, name)

    def found_classes(self, code) -> list[tuple[np.ndarray, str]]:
        """A latent code through the ten classes, each tile captioned with its class."""
        z = self._code(code).expand(len(CLASS_NAMES), -1)
        images = sampling.render(self.generator, z, range(len(CLASS_NAMES)), self.device)
        return [(sampling.upscale(image, 6), name) for image, name in zip(images, CLASS_NAMES)]

    def found_walk(self, class_name, code, seed, steps=12) -> str:
        """A looping GIF from a latent code to a seed's latent and back, in one class."""
        label = _class_index(class_name)
        a = self._code(code)
        b = latent.latent_from_seed(_integer(seed, "seed", 0, latent.SEED_MAX), self.generator.z_dim)
        steps = _integer(steps, "steps", MIN_STEPS, MAX_STEPS)
        frames = sampling.render(self.generator, latent.slerp(a, b, latent.interpolation_weights(steps)), label,
                                 self.device)
        return self._gif(frames, "found_walk")

    def prepare_neighbours(self) -> Neighbours:
        """The training and test images and their features, or gr.Error saying how to get the data (the rest
        of the page works without them). Built at the first use: the features take a minute or two on one
        CPU thread the first time, then come from a file (in the data folder, or ~/.cache/fashion-gan)."""
        with self._neighbours_lock:
            if self._neighbours is None:
                try:
                    if self.classifier is None:
                        raise UserError("no classifier is loaded (weights/classifier)")
                    scorer = hub.load_network(self.classifier, self.device, expect=FashionClassifier)
                    train, test = load_split("train", self.data_dir, download=False), \
                        load_split("test", self.data_dir, download=False)
                    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fashion-gan"
                    self._neighbours = Neighbours(*train, *test, scorer, Path(self.classifier) / "model.safetensors",
                                                  [d for d in (self.data_dir, cache) if d])
                except DataError as e:  # missing (how to get it) or unreadable (which file)
                    self._neighbours = f"Is it copying? needs Fashion-MNIST's images on the server: {e}"
                except UserError as e:
                    self._neighbours = f"Is it copying? is off: {e}"
        if isinstance(self._neighbours, str):
            raise gr.Error(self._neighbours)
        return self._neighbours

    def seed_copying(self, class_name, seed, truncation=0, code="") -> tuple[list, str]:
        """Generate's picture (its first, with our cGAN) and the training images nearest it, with the line for scale."""
        label = _class_index(class_name)
        if code:
            image = sampling.render(self.generator, self._code(code).unsqueeze(0), label, self.device)[0]
        else:
            image = self._seed_run(class_name, seed, truncation, 1)[2][0][0]
        nearest, _, line = self.copying_check(image)
        return nearest, line

    def neighbours(self, image) -> list[tuple[np.ndarray, str]]:
        """The training images nearest a picture, nearest first, each captioned with its distances.

        Args:
            image: a picture: one from this app (a 28x28 picture, or one blown up by a whole factor, as project
                returns) is taken as it is; any other is put in Fashion-MNIST's form first.

        Nearest by pixels; the captions give both distances first (a gallery tile shows a caption's start):
        pixels (root mean square, grey levels 0-255) and features (the project's classifier, whose features
        its FID uses), then the training image's index and class.
        """
        index, target = self.prepare_neighbours(), _picture(image)
        return _tiles(index, index.query(target, "train", NEIGHBOURS), "pixels")

    def copying_check(self, image) -> tuple[list, list, str]:
        """The page's Is it copying?: nearest training images by pixels and by features, and a line for scale."""
        index, target = self.prepare_neighbours(), _picture(image)
        by_pixels = index.query(target, "train", NEIGHBOURS)
        by_features = index.query(target, "train", NEIGHBOURS, by="features")
        test = index.query(target, "test", 1)[0]
        line = (f"Nearest training image: {by_pixels[0].pixels:.1f} grey levels · nearest test image (never trained on): "
                f"{test.pixels:.1f}. A picture much closer to a training image than to any test image looks copied; "
                f"a new garment is about as far from both.")
        return _tiles(index, by_pixels, "pixels"), _tiles(index, by_features, "features"), line

    # --- the Training tab: how the served weights were learnt ---------------------------------------

    def run(self, model) -> timelapse.Run:
        """The training record of one served network, or gr.Error saying why there is none."""
        model = _choice(model, "model", RUNS)
        if model not in self.runs:
            raise gr.Error(f"{model}: no training record here (its weights were not loaded from a folder)")
        try:
            self.runs[model].grid_files
        except UserError as e:
            raise gr.Error(f"{model}: {e}") from None
        return self.runs[model]

    def timelapse(self, model, epoch) -> np.ndarray:
        """The fixed-seed grid of a served network's own training run after one epoch: how it learnt.

        Args:
            model: "cgan" (ours: one row per class), "gan" (unconditional) or "chapter cgan" (the chapter's MLP).
            epoch: 1 for the first epoch; an epoch past the run's last gives its last.
        """
        run = self.run(model)
        return sampling.upscale(run.grid(_integer(epoch, "epoch", 1, latent.SEED_MAX)), 2)

    def training_summary(self, model, epoch) -> str:
        """One line under the time-lapse: that epoch's losses and D's outputs, and the run's FID scored nearest."""
        run, epoch = self.run(model), _integer(epoch, "epoch", 1, latent.SEED_MAX)
        epoch = min(epoch, run.epochs)
        record = next((r for r in run.history if r["epoch"] == epoch), None)
        text = f"Epoch {epoch} of {run.epochs}"
        if record:
            text += (f" · d_loss {record['d_loss']:.3f} · g_loss {record['g_loss']:.3f} · D(x) {record['D(x)']:.3f}"
                     f" · D(G(z)) {record['D(G(z))']:.3f}")
        scored = [r for r in run.quality if r["epoch"] <= epoch]
        if scored:
            text += f" · FID {scored[-1]['fid']:.1f} at epoch {scored[-1]['epoch']}"
        return text

    def training_curves(self, model) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The run's curves by epoch, as the page's plots take them: the losses, D's outputs, and FID where scored."""
        run = self.run(model)
        def long(keys):
            return pd.DataFrame([dict(epoch=r["epoch"], value=r[k], curve=k) for r in run.history for k in keys],
                                columns=["epoch", "value", "curve"])
        fid = pd.DataFrame([dict(epoch=r["epoch"], FID=r["fid"]) for r in run.quality], columns=["epoch", "FID"])
        return long(("d_loss", "g_loss")), long(("D(x)", "D(G(z))")), fid

    # --- files ----------------------------------------------------------------------------------

    def _new_file(self, stem: str, suffix: str) -> Path:
        # Gradio copies returned files into its own cache, so ours can go after a while:
        # a Space that runs for weeks must not fill its disk with GIFs.
        cutoff = time.time() - FILE_LIFETIME_S
        for old in os.scandir(self.gif_dir):
            if old.stat().st_mtime < cutoff:
                Path(old.path).unlink(missing_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{stem}_", suffix=suffix, dir=self.gif_dir)
        os.close(fd)
        return Path(name)

    def _gif(self, frames: np.ndarray, stem: str, bounce: bool = True, scale: int = GIF_SCALE) -> str:
        """An endlessly looping GIF. bounce: forward then back, so a loop from A to B has no jump
        (a walk already ends where it starts and plays straight through)."""
        pictures = [Image.fromarray(sampling.upscale(f, scale)) for f in frames]
        loop = pictures + pictures[-2:0:-1] if bounce else pictures
        path = self._new_file(stem, ".gif")
        loop[0].save(path, save_all=True, append_images=loop[1:], duration=GIF_FRAME_MS, loop=0)
        return str(path)

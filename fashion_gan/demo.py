"""The demo's handlers: validated inputs in, uint8 pictures and GIF files out.

app.py lays these out in Gradio; tests call them directly. Every bad input
raises gr.Error with a one-line reason, so the server answers it and goes on.
"""

import copy
import math
import os
import tempfile
import time
from pathlib import Path

import gradio as gr
import numpy as np
import torch
from PIL import Image

from . import hub, sampling
from .data import CLASS_NAMES
from .errors import UserError
from .models import Generator

MAX_COUNT = 64
MAX_BATCH = 10_000  # the batch download: 7.8 MB of pixels, about 2.5 s on a 2-core CPU
MIN_STEPS, MAX_STEPS = 2, 60
MAX_TRUNCATION = 5.0
DISPLAY_WIDTH = 560  # pixels the upscaled pictures aim for; nearest-neighbour keeps pixels square
GIF_SCALE = 6
GIF_FRAME_MS = 90
FILE_LIFETIME_S = 600


def _integer(value, name: str, low: int, high: int) -> int:
    """An integer in [low, high] from an int, an integral float (sliders send 5.0) or a numeric string."""
    if isinstance(value, bool):
        raise gr.Error(f"{name} must be an integer from {low} to {high}, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise gr.Error(f"{name} must be an integer from {low} to {high}, got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise gr.Error(f"{name} must be an integer from {low} to {high}, got {value!r}")
    if not low <= int(number) <= high:
        raise gr.Error(f"{name} must be from {low} to {high}, got {int(number)}")
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


def _method(value) -> str:
    if not isinstance(value, str) or value not in sampling.INTERPOLATIONS:
        raise gr.Error(f"method must be one of {', '.join(sampling.INTERPOLATIONS)}, got {value!r}")
    return value


def display(images: np.ndarray, columns: int) -> np.ndarray:
    """Tiles (N, 28, 28) -> one upscaled grid, crisp, about DISPLAY_WIDTH wide."""
    grid = sampling.image_grid(images, columns)
    return sampling.upscale(grid, max(2, DISPLAY_WIDTH // grid.shape[1]))


class Demo:
    """The loaded generators and the handlers the page (and its API) calls."""

    def __init__(self, weights: str | Path, gan_weights: str | Path | None, device: torch.device):
        self.device = device
        self.weights = str(weights)
        self.generator = hub.load_network(weights, device, expect=Generator)
        if not self.generator.num_classes:
            raise UserError(f"{weights}: the demo needs the class-conditional generator (cGAN); this one is unconditional")
        self.gan = hub.load_network(gan_weights, device, expect=Generator) if gan_weights else None
        self.gif_dir = Path(tempfile.mkdtemp(prefix="fashion-gan-gifs-"))

    @property
    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.generator.parameters())

    def warm_up(self) -> None:
        """One call of each handler, so the first visitor does not pay for lazy initialisation."""
        self.generate(CLASS_NAMES[0], 0)
        self.interpolate(CLASS_NAMES[0], 0, 1, 4, "slerp")
        self.morph(0, CLASS_NAMES[0], CLASS_NAMES[1], 4)
        self.class_grid(0)
        if self.gan is not None:
            self.gan_image(0)

    # --- the API, in the argument order the README documents -----------------------------------

    def _seed_run(self, class_name, seed, truncation, count) -> tuple[int, int, np.ndarray]:
        """(class index, first seed, uint8 images) for seeds S .. S+count-1 of one class."""
        label = _class_index(class_name)
        count = _integer(count, "count", 1, MAX_COUNT)
        seed = _integer(seed, "seed", 0, sampling.SEED_MAX - count + 1)
        images = sampling.generate(self.generator, range(seed, seed + count), [label] * count,
                                   _truncation(truncation), self.device)
        return label, seed, images

    def generate(self, class_name, seed, truncation=0, count=1) -> np.ndarray:
        """Images for seeds S, S+1, ... of one class, as one upscaled grid."""
        _, _, images = self._seed_run(class_name, seed, truncation, count)
        return display(images, min(len(images), 8))

    def native_png(self, class_name, seed, truncation=0, count=1) -> str:
        """The same picture at its native 28x28 per image, as a PNG file to download."""
        label, seed, images = self._seed_run(class_name, seed, truncation, count)
        image = images[0] if len(images) == 1 else sampling.image_grid(images, min(len(images), 8))
        path = self._new_file(f"{CLASS_NAMES[label].replace('/', '-')}_seed{seed}", ".png")
        Image.fromarray(image).save(path)
        return str(path)

    def batch(self, class_name, seed, count) -> str:
        """`count` images of one class, seeds S.., as an .npz (images uint8 (N, 28, 28), labels, seeds).

        The one handler worth a GPU: on a ZeroGPU Space app.py wraps it in spaces.GPU, and
        inside that call CUDA is there. Everywhere else it runs on the demo's device.
        """
        label = _class_index(class_name)
        count = _integer(count, "count", 1, MAX_BATCH)
        seed = _integer(seed, "seed", 0, sampling.SEED_MAX - count + 1)
        device = torch.device("cuda") if torch.cuda.is_available() and not self.device.type == "cuda" else self.device
        generator = self.generator if device == self.device else copy.deepcopy(self.generator).to(device)
        seeds = np.arange(seed, seed + count)
        images = sampling.generate(generator, seeds, [label] * count, device=device)
        path = self._new_file(f"{CLASS_NAMES[label].replace('/', '-')}_seeds{seed}-{seed + count - 1}", ".npz")
        np.savez_compressed(path, images=images, labels=np.full(count, label, dtype=np.int64), seeds=seeds)
        return str(path)

    def interpolate(self, class_name, seed_a, seed_b, steps, method="slerp") -> tuple[np.ndarray, str]:
        """Frames walking the latent from seed A to seed B at one class: a strip and a GIF."""
        label = _class_index(class_name)
        seed_a = _integer(seed_a, "seed A", 0, sampling.SEED_MAX)
        seed_b = _integer(seed_b, "seed B", 0, sampling.SEED_MAX)
        steps = _integer(steps, "steps", MIN_STEPS, MAX_STEPS)
        frames = sampling.interpolate_latents(self.generator, seed_a, seed_b, steps, label, _method(method), device=self.device)
        return display(frames, min(steps, 10)), self._gif(frames, f"interpolate_{seed_a}_{seed_b}")

    def morph(self, seed, class_a, class_b, steps) -> tuple[np.ndarray, str]:
        """One latent, the label embedding moving from class A to class B."""
        seed = _integer(seed, "seed", 0, sampling.SEED_MAX)
        a, b = _class_index(class_a), _class_index(class_b)
        steps = _integer(steps, "steps", MIN_STEPS, MAX_STEPS)
        frames = sampling.morph_classes(self.generator, seed, a, b, steps, device=self.device)
        return display(frames, min(steps, 10)), self._gif(frames, f"morph_{seed}_{a}_{b}")

    def class_grid(self, seed) -> np.ndarray:
        """The same latent through all ten classes, side by side."""
        seed = _integer(seed, "seed", 0, sampling.SEED_MAX)
        images = sampling.generate(self.generator, [seed] * len(CLASS_NAMES), list(range(len(CLASS_NAMES))), device=self.device)
        return display(images, len(CLASS_NAMES))

    def gan_image(self, seed) -> np.ndarray:
        """The chapter's first model: seed -> image, no class."""
        if self.gan is None:
            raise gr.Error("no unconditional GAN is loaded; start the app with --gan-weights DIR")
        seed = _integer(seed, "seed", 0, sampling.SEED_MAX)
        return display(sampling.generate(self.gan, [seed], device=self.device), 1)

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

    def _gif(self, frames: np.ndarray, stem: str) -> str:
        """An endlessly looping GIF that plays forward then back, so the loop has no jump."""
        pictures = [Image.fromarray(sampling.upscale(f, GIF_SCALE)) for f in frames]
        loop = pictures + pictures[-2:0:-1]
        path = self._new_file(stem, ".gif")
        loop[0].save(path, save_all=True, append_images=loop[1:], duration=GIF_FRAME_MS, loop=0)
        return str(path)

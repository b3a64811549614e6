"""From latents to pixels: batched generation, interpolation and morph frames, uint8 grids and PNGs.

Seeds become latents in fashion_gan.latent (the one place for latent math);
this module runs generators on them and turns their output into uint8 pixels.
"""

import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .data import CLASS_NAMES
from .errors import UserError
from .files import atomic_write
from .latent import INTERPOLATIONS, interpolation_weights, latent_from_seed, latents_from_seeds, lerp

GENERATE_BATCH = 1024  # images per generator forward in `generate`
# fp32, or bf16 under autocast: twice the matrix throughput on CPUs with AVX512-BF16 or AMX
# (and on recent GPUs). In uint8 the MLP stays within one grey level of fp32; the DCGAN is
# 0.2 levels off on average (a few pixels in a hundred by more than one).
PRECISIONS = ("fp32", "bf16")


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """Generator output in [-1, 1], (B, 1, 28, 28) -> uint8 pixels (B, 28, 28)."""
    pixels = images.detach().float().add(1.0).mul_(127.5).round_().clamp_(0, 255)  # one new tensor, then in place
    return pixels.to(torch.uint8).reshape(images.shape[0], 28, 28).cpu().numpy()


def parse_class(value, num_classes: int = len(CLASS_NAMES)) -> int:
    """A class given by name ("Sneaker", case-insensitive) or index ("7") -> its index."""
    text = str(value).strip()
    names = [n.lower() for n in CLASS_NAMES[:num_classes]]
    if text.lower() in names:
        return names.index(text.lower())
    if text.isdigit() and int(text) < num_classes:
        return int(text)
    raise UserError(f"unknown class {value!r}; use an index 0-{num_classes - 1} or one of: {', '.join(CLASS_NAMES[:num_classes])}")


def autocast(device, precision: str):
    """The context a generator runs in for `precision` (one of PRECISIONS)."""
    if precision not in PRECISIONS:
        raise UserError(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
    return torch.autocast(torch.device(device).type, dtype=torch.bfloat16, enabled=precision == "bf16")


@torch.inference_mode()
def generate(generator, seeds, labels=None, truncation: float | None = None, device="cpu",
             precision: str = "fp32") -> np.ndarray:
    """uint8 images (len(seeds), 28, 28): image i from seed seeds[i] and class labels[i].

    Works through GENERATE_BATCH images per forward, so any count fits in memory.
    """
    context = autocast(device, precision)  # checks `precision` before any work
    seeds = list(seeds)
    if generator.num_classes:
        if labels is None:
            raise UserError("this generator is conditional: give a class")
        labels = torch.as_tensor(labels, dtype=torch.long, device=device)
    elif labels is not None and any(int(y) >= 0 for y in labels):
        raise UserError("this generator is unconditional: it takes no class")
    else:
        labels = None
    chunks = []
    with context:
        for start in range(0, len(seeds), GENERATE_BATCH):
            z = latents_from_seeds(seeds[start:start + GENERATE_BATCH], generator.z_dim, truncation).to(device)
            chunks.append(to_uint8(generator(z, None if labels is None else labels[start:start + GENERATE_BATCH])))
    return np.concatenate(chunks)


@torch.inference_mode()
def render(generator, z: torch.Tensor, label=None, device="cpu") -> np.ndarray:
    """uint8 images (B, 28, 28) from latents z (B, z_dim), all of class `label` (None for the GAN;
    a sequence: one class per latent).

    The same operations as `generate` on the same latent, so a blend that lands exactly on a
    seed's latent gives that seed's picture bit for bit.
    """
    z = z.to(device)
    if not generator.num_classes:
        return to_uint8(generator(z))
    if isinstance(label, (int, np.integer)):
        labels = torch.full((len(z),), int(label), dtype=torch.long, device=device)
    else:
        labels = torch.as_tensor(list(label), dtype=torch.long, device=device)
    return to_uint8(generator(z, labels))


@torch.inference_mode()
def interpolate_latents(generator, seed_a: int, seed_b: int, steps: int, label=None,
                        method: str = "slerp", truncation: float | None = None, device="cpu") -> np.ndarray:
    """uint8 frames (steps, 28, 28) walking the latent from seed_a to seed_b at one class."""
    a = latent_from_seed(seed_a, generator.z_dim, truncation)
    b = latent_from_seed(seed_b, generator.z_dim, truncation)
    return render(generator, INTERPOLATIONS[method](a, b, interpolation_weights(steps)), label, device)


@torch.inference_mode()
def morph_classes(generator, seed: int, class_a: int, class_b: int, steps: int,
                  truncation: float | None = None, device="cpu") -> np.ndarray:
    """uint8 frames (steps, 28, 28): one latent, its label vector moving from class_a's to class_b's."""
    z = latent_from_seed(seed, generator.z_dim, truncation).to(device).expand(steps, -1)
    ends = generator.embed(torch.tensor([class_a, class_b], device=device))
    vectors = lerp(ends[0], ends[1], interpolation_weights(steps).to(device))
    return to_uint8(generator.synthesize(z, vectors))


def image_grid(images: np.ndarray, columns: int, padding: int = 2, background: int = 255) -> np.ndarray:
    """uint8 (N, h, w) -> one uint8 image with `columns` tiles a row, `padding` pixels between."""
    n, h, w = images.shape
    rows = math.ceil(n / columns)
    grid = np.full((rows * (h + padding) + padding, columns * (w + padding) + padding), background, np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y, x = padding + r * (h + padding), padding + c * (w + padding)
        grid[y:y + h, x:x + w] = image
    return grid


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour upscaling, so 28x28 pixels stay crisp squares."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def save_png(image: np.ndarray, path: str | Path, scale: int = 1) -> None:
    """Write a uint8 grayscale image as PNG, atomically."""
    with atomic_write(path) as tmp:
        Image.fromarray(upscale(image, scale)).save(tmp, format="PNG")

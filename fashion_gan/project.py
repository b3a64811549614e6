"""Find a garment in the latent space: the latent whose picture is closest to a given picture.

    python -m fashion_gan.project IMAGE [--class C | --class auto] [--weights weights/cgan] --out found.png

First the picture is put in Fashion-MNIST's form (`to_fashion_mnist`): grey, a light garment on black,
cropped to the garment, its longer side scaled to 28 pixels, centred. Then `project` searches: Adam on
the latent z against the pixel distance, from several starting points at once (and, for a cGAN asked
"auto", in all ten classes at once), keeping the best. It prints the found latent as a latent code
(fashion_gan.latent), which the demo's views take in place of a seed.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from . import hub, latent, sampling
from .data import CLASS_NAMES
from .encoder import load as load_encoder
from .errors import UserError, exit_with
from .files import require_folder
from .models import LatentEncoder

MAX_PIXELS = 40_000_000  # a bigger upload is refused before it is decoded (a 6,000 x 6,000 photo is 36 million)
SIDE = 28
# Fashion-MNIST's garments fill the 28x28 frame along their longer side (its conversion trims the
# product photo, resizes the longer edge to 28 and centres it): the same here.
INK = 0.1  # the share of the brightest level a pixel needs to count as garment when cropping
EMPTY = "picture: nothing stands out from its background (an empty or flat picture); draw or upload a garment"
# How hard the search tries (benchmarks/projection.py, the README's table): from random starts alone it
# needs many; from the encoder's guess alone (one start per class) as many steps reach as close, 5x sooner.
RANDOM_RESTARTS, RANDOM_STEPS = 8, 100
ENCODER_RESTARTS, ENCODER_STEPS = 1, 100


def load_picture(source) -> np.ndarray:
    """A file path, a PIL image or an array -> float grey pixels in [0, 1]; a UserError naming a bad file."""
    if isinstance(source, np.ndarray):
        array = source.astype(np.float32)
        if array.ndim == 3:  # colour (H, W, 3 or 4): the mean of the colour channels. Arrays come from the
            # page's sketch input, whose strokes are light on a black (or transparent, colour 0) canvas: alpha is left out
            array = array[..., :3].mean(axis=2)
        if array.ndim != 2 or min(array.shape) < 1:
            raise UserError(f"picture: expected a 2-D grey or colour image, got an array of shape {source.shape}")
        return array / 255.0 if array.max() > 1.0 else array
    if isinstance(source, Image.Image):
        image = source
    else:
        try:
            image = Image.open(source)
        except FileNotFoundError:
            raise UserError(f"{source}: no such file") from None
        except (UnidentifiedImageError, OSError):
            raise UserError(f"{source}: not a picture this can read (PNG, JPEG, WebP, GIF, BMP)") from None
    if image.width * image.height > MAX_PIXELS:
        raise UserError(f"picture: {image.width} x {image.height} is over {MAX_PIXELS:,} pixels; send a smaller one")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent parts show the page behind them: put the picture on white, as a product photo is
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0


def to_fashion_mnist(source) -> np.ndarray:
    """Any picture of one garment -> uint8 (28, 28) as Fashion-MNIST has them: light garment on black,
    cropped to the garment, the longer side 28 pixels, centred. A UserError for a picture with nothing on it."""
    grey = load_picture(source)
    edge = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(edge))
    if background > 0.5:  # a garment on a light background (a product photo, a drawing on paper): invert
        grey, background = 1.0 - grey, 1.0 - background
    ink = np.clip(grey - background, 0.0, None)  # the background goes to black
    if ink.max() < 0.05:
        raise UserError(EMPTY)
    ink /= ink.max()
    rows, cols = np.nonzero(ink > INK)
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = ink.shape
    scale = SIDE / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize(size, Image.LANCZOS), dtype=np.uint8)
    out = np.zeros((SIDE, SIDE), np.uint8)
    top, left = (SIDE - small.shape[0]) // 2, (SIDE - small.shape[1]) // 2
    out[top:top + small.shape[0], left:left + small.shape[1]] = small
    return out


def as_fashion_mnist(source) -> np.ndarray:
    """uint8 (28, 28) for any picture: one the page made (28x28, or blown up by a whole factor into
    square blocks) is taken as it is; any other is converted (to_fashion_mnist)."""
    grey = load_picture(source)
    side = grey.shape[0]
    if np.ptp(grey) < 0.05:
        raise UserError(EMPTY)
    if grey.shape[0] == grey.shape[1] and side % SIDE == 0:
        factor = side // SIDE
        blocks = grey.reshape(SIDE, factor, SIDE, factor)
        if np.ptp(blocks, axis=(1, 3)).max() <= 1 / 255:  # every block one grey: a blown-up 28x28
            return np.round(blocks[:, 0, :, 0] * 255).astype(np.uint8)
    return to_fashion_mnist(grey)


@dataclass
class Found:
    z: torch.Tensor  # (z_dim,), on the latent code's grid: its code gives back exactly this picture
    label: int | None  # the class searched in (None for the unconditional GAN)
    image: np.ndarray  # uint8 (28, 28): the generator's picture of z
    distance: float  # root-mean-square pixel difference to the target, in grey levels (0-255)

    @property
    def code(self) -> str:
        return latent.latent_code(self.z)


def project(generator, target: np.ndarray, label: int | str | None = "auto", restarts: int = 8, steps: int = 100,
            lr: float = 0.1, seed: int = 0, device="cpu", encoder: LatentEncoder | None = None,
            feature_weight: float = 0.0) -> Found:
    """The latent (and, for "auto", the class) whose picture is nearest `target` (uint8 (28, 28)) in pixels.

    All starts run as one batch: `restarts` latents in every class searched, drawn from `seed`, the
    first of them the encoder's guess where one is given. Adam on z against the mean squared pixel
    difference (plus, with feature_weight, the squared difference of the encoder's features); z is kept
    within the sphere a standard normal's latent lies near (radius 2 * sqrt(z_dim)), so the picture
    stays one the generator makes. The best is chosen by pixel distance."""
    generator = generator.to(device).eval()
    for p in generator.parameters():
        p.requires_grad_(False)
    if feature_weight and encoder is None:
        raise ValueError("a feature distance needs the encoder's features")
    conditional = bool(generator.num_classes)
    if conditional:
        classes = list(range(generator.num_classes)) if label in (None, "auto") else [sampling.parse_class(label)]
    else:
        if label not in (None, "auto"):
            raise UserError("this generator is unconditional: it takes no class")
        classes = [None]
    n = restarts * len(classes)
    z = torch.randn(n, generator.z_dim, generator=torch.Generator().manual_seed(seed)).to(device)
    labels = torch.tensor([c for c in classes for _ in range(restarts)], device=device) if conditional else None
    goal = torch.as_tensor(target, dtype=torch.float32, device=device).div(127.5).sub(1).expand(n, 1, SIDE, SIDE)
    if encoder is not None:
        encoder = encoder.to(device).eval()
        for p in encoder.parameters():
            p.requires_grad_(False)
        with torch.no_grad():
            z[::restarts] = encoder(goal[:1])  # each class's first start: the encoder's guess
            goal_features = encoder.features(goal[:1]) if feature_weight else None
    z.requires_grad_(True)
    optimizer = torch.optim.Adam([z], lr=lr)
    limit = 2.0 * generator.z_dim ** 0.5
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        pictures = generator(z, labels) if conditional else generator(z)
        loss = (pictures - goal).pow(2).mean(dim=(1, 2, 3))
        if feature_weight:
            loss = loss + feature_weight * (encoder.features(pictures) - goal_features).pow(2).mean(dim=1)
        loss.sum().backward()
        optimizer.step()
        with torch.no_grad():
            z.mul_((limit / z.norm(dim=1, keepdim=True)).clamp(max=1.0))
    with torch.no_grad():
        z = latent.on_code_grid(z.detach())
        pictures = generator(z, labels) if conditional else generator(z)
        errors = (pictures - goal).pow(2).mean(dim=(1, 2, 3))
        best = int(errors.argmin())
    image = sampling.to_uint8(pictures[best:best + 1])[0]
    distance = float(np.sqrt(np.mean((image.astype(np.float64) - target.astype(np.float64)) ** 2)))
    return Found(z[best].cpu(), classes[best // restarts], image, distance)


def search_effort(encoder: LatentEncoder | None) -> dict:
    """Starts and steps: few from the encoder's guess, many from random starts alone (benchmarks/projection.py)."""
    return dict(restarts=ENCODER_RESTARTS, steps=ENCODER_STEPS) if encoder is not None else \
        dict(restarts=RANDOM_RESTARTS, steps=RANDOM_STEPS)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("image", help="a picture of one garment (any size; colour or grey; light or dark background)")
    p.add_argument("--class", dest="class_name", default="auto",
                   help="the class to search in (name or 0-9), or auto: all ten at once (the cGAN only)")
    p.add_argument("--weights", default="weights/cgan", help="generator folder or Hub repo id")
    p.add_argument("--restarts", type=int, default=None, help="starts per class (default: by whether an encoder is there)")
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--out", default="found.png", help="the found picture, 28x28 beside the converted input")
    args = p.parse_args(argv)
    try:
        if (args.restarts is not None and args.restarts < 1) or (args.steps is not None and args.steps < 1):
            raise UserError("--restarts and --steps must be at least 1")
        require_folder(Path(args.out))
        target = to_fashion_mnist(args.image)
        generator = hub.load_network(args.weights)
        encoder = load_encoder(args.weights, generator)
        effort = search_effort(encoder)
        effort.update({k: v for k, v in (("restarts", args.restarts), ("steps", args.steps)) if v is not None})
        found = project(generator, target, args.class_name if generator.num_classes else None, encoder=encoder, **effort)
    except UserError as e:
        exit_with(e)
    sampling.save_png(np.concatenate([target, np.full((SIDE, 2), 255, np.uint8), found.image], axis=1), args.out, scale=4)
    where = f" in class {CLASS_NAMES[found.label]}" if found.label is not None else ""
    print(f"found{where}, {found.distance:.1f} grey levels from the picture (RMS): {args.out}", file=sys.stderr)
    print(found.code)


if __name__ == "__main__":
    main()

"""Sample a trained generator to an .npz array file or a .png grid.

    python -m fashion_gan.sample --weights weights/cgan --count 64 --seed 0 --class Sneaker --out sneakers.png
    python -m fashion_gan.sample --weights weights/cgan --count 1000 --out samples.npz

Image i uses seed S+i. For a conditional generator without --class, image i
has class i % 10. The .npz holds `images` uint8 (N, 28, 28) and `labels` int64
(N,); the unconditional GAN writes labels -1.
"""

import argparse
import math
from pathlib import Path

import numpy as np

from . import hub, latent, sampling
from .device import DEVICE_CHOICES, resolve_device
from .errors import UserError, exit_with
from .files import atomic_write, require_folder
from .models import Generator

MAX_COUNT = 1_000_000  # 784 MB of uint8 pixels: beyond that, run the command several times with other seeds


def sample_to_file(weights: str, out: Path, count: int, seed: int, class_name=None,
                   truncation: float | None = None, device: str = "auto",
                   precision: str = "fp32") -> tuple[np.ndarray, np.ndarray]:
    if not 1 <= count <= MAX_COUNT:
        raise UserError(f"--count must be from 1 to {MAX_COUNT:,}, got {count}")
    if not 0 <= seed <= latent.SEED_MAX - count + 1:
        raise UserError(f"--seed must be between 0 and {latent.SEED_MAX - count + 1} for --count {count}, got {seed}")
    if out.suffix not in (".npz", ".png"):
        raise UserError(f"--out {out}: the file name must end in .npz or .png")
    require_folder(out)
    torch_device = resolve_device(device)
    generator = hub.load_network(weights, torch_device, expect=Generator)
    if generator.num_classes:
        labels = np.full(count, sampling.parse_class(class_name, generator.num_classes)) if class_name is not None \
            else np.arange(count) % generator.num_classes
    elif class_name is not None:
        raise UserError(f"{weights} is the unconditional GAN: it takes no --class")
    else:
        labels = np.full(count, -1)
    labels = labels.astype(np.int64)
    seeds = np.arange(seed, seed + count)
    images = sampling.generate(generator, seeds, labels if generator.num_classes else None, truncation, torch_device,
                                precision)
    if out.suffix == ".npz":
        with atomic_write(out) as tmp:
            np.savez_compressed(tmp, images=images, labels=labels)
    else:
        if generator.num_classes and class_name is None and count % generator.num_classes == 0:
            # one row per class: image i (class i % 10) goes to row i % 10, column i // 10
            columns = count // generator.num_classes
            images = images.reshape(columns, generator.num_classes, 28, 28).transpose(1, 0, 2, 3).reshape(count, 28, 28)
        else:
            columns = math.ceil(math.sqrt(count))
        sampling.save_png(sampling.image_grid(images, columns), out, scale=2)
    return images, labels


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default="weights/cgan", help="a generator folder or a Hub repo id (default weights/cgan)")
    p.add_argument("--count", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--class", dest="class_name", metavar="NAME_OR_INDEX", help='e.g. "Sneaker" or 7')
    p.add_argument("--truncation", type=float, help="redraw latent entries with |z| above this (e.g. 1.0)")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--precision", choices=sampling.PRECISIONS, default="fp32",
                   help="bf16 is about twice as fast on CPUs with AVX512-BF16/AMX and on recent GPUs")
    p.add_argument("--out", type=Path, required=True, help="FILE.npz (arrays) or FILE.png (a grid)")
    args = p.parse_args(argv)
    try:
        images, _ = sample_to_file(args.weights, args.out, args.count, args.seed, args.class_name,
                                   args.truncation, args.device, args.precision)
    except UserError as e:
        exit_with(e)
    print(f"wrote {len(images)} images to {args.out}")


if __name__ == "__main__":
    main()

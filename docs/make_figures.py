"""Redraw the README's pictures from the shipped weights.

    .venv/bin/python docs/make_figures.py [--mlp runs/mlp/cgan/training/snapshots/epoch_030]

docs/cgan_grid.png        shipped cGAN, one row per class, seeds 0-9
docs/mlp_cgan_grid.png    the chapter's MLP cGAN (--mlp), same seeds and layout
docs/gan_grid.png         shipped unconditional GAN, seeds 0-63
docs/interpolation.png    slerp from seed 1 to seed 2 in 10 steps, one row per class
docs/morph.png            one seed, the label embedding moving between classes
"""

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fashion_gan import hub, sampling  # noqa: E402
from fashion_gan.sample import sample_to_file  # noqa: E402

DOCS = ROOT / "docs"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cgan", default=str(ROOT / "weights" / "cgan"))
    p.add_argument("--gan", default=str(ROOT / "weights" / "gan"))
    p.add_argument("--mlp", help="an MLP cGAN generator folder for the side-by-side grid")
    args = p.parse_args()
    sample_to_file(args.cgan, DOCS / "cgan_grid.png", 100, 0, device="cpu")
    sample_to_file(args.gan, DOCS / "gan_grid.png", 64, 0, device="cpu")
    if args.mlp:
        sample_to_file(args.mlp, DOCS / "mlp_cgan_grid.png", 100, 0, device="cpu")
    g = hub.load_network(args.cgan)
    rows = [sampling.interpolate_latents(g, 1, 2, 10, label) for label in range(10)]
    sampling.save_png(sampling.image_grid(np.concatenate(rows), 10), DOCS / "interpolation.png", scale=2)
    pairs = [(7, 9), (0, 6), (2, 4), (5, 7), (1, 3)]
    rows = [sampling.morph_classes(g, 3, a, b, 10) for a, b in pairs]
    sampling.save_png(sampling.image_grid(np.concatenate(rows), 10), DOCS / "morph.png", scale=2)
    print("wrote", ", ".join(sorted(p.name for p in DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()

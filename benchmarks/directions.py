"""SeFa against GANSpace: which latent directions of the shipped cGAN have an effect a person can name?

    python benchmarks/directions.py [--weights weights/cgan] [--top 5] [--samples 10000] [--json FILE]

SeFa (Shen & Zhou 2021, what the demo uses): the eigenvectors of W^T W for the
first layer W that z feeds, from the weights alone. GANSpace (Härkönen et al.
2020): PCA of a layer's activations over many random latents, carried back to
the latent by linear regression; here the layer after the first one's
BatchNorm and ReLU (for a linear layer without them the two methods coincide).

A direction has a nameable effect when it does the same thing to every
garment: "wider", "darker", "longer sleeves". So for each direction this
measures the picture change from -2 to +2 standard deviations on 100 seeds
(10 per class) and reports how alike those changes are (mean pairwise cosine
similarity of the difference images; 1 = the same edit everywhere) and how big
they are (mean absolute change, grey levels). docs/directions.png shows the
strips: for each method, a row per direction, -3 .. +3 on one seed.
"""

import argparse

import common  # noqa: F401
import numpy as np
import torch

from fashion_gan import hub, latent, sampling

AMOUNTS = (-3, -2, -1, 0, 1, 2, 3)


def ganspace_directions(generator, count: int, samples: int) -> torch.Tensor:
    """(count, z_dim) unit latent directions from PCA of the activations after the first block."""
    rng = torch.Generator().manual_seed(0)
    z = torch.randn(samples, generator.z_dim, generator=rng)
    labels = torch.arange(samples) % generator.num_classes
    with torch.no_grad():
        x = torch.cat([z, generator.embed(labels)], dim=1)
        h = generator.project(x)  # Linear -> BatchNorm1d -> ReLU: (samples, C*49)
    h = h - h.mean(dim=0)
    _, _, v = torch.linalg.svd(h, full_matrices=False)  # rows of v: principal axes, strongest first
    coords = h @ v[:count].T  # (samples, count)
    u = torch.linalg.lstsq(coords, z).solution  # z ~ coords @ u: each row of u is a latent direction
    return torch.nn.functional.normalize(u, dim=1)


def measure(generator, directions: torch.Tensor) -> list[dict]:
    seeds = list(range(100))
    labels = [s % 10 for s in seeds]
    z = latent.latents_from_seeds(seeds, generator.z_dim)
    rows = []
    for d in directions:
        plus = _render(generator, z + 2 * d, labels)
        minus = _render(generator, z - 2 * d, labels)
        diff = (plus.astype(np.float32) - minus.astype(np.float32)).reshape(len(seeds), -1)
        unit = diff / (np.linalg.norm(diff, axis=1, keepdims=True) + 1e-6)
        cosine = unit @ unit.T
        alike = (cosine.sum() - len(seeds)) / (len(seeds) * (len(seeds) - 1))
        rows.append(dict(alike=float(alike), change=float(np.abs(diff).mean())))
    return rows


def _render(generator, z, labels) -> np.ndarray:
    with torch.inference_mode():
        return sampling.to_uint8(generator(z, torch.tensor(labels)))


def strip(generator, directions, seed: int, label: int) -> np.ndarray:
    z = latent.latent_from_seed(seed, generator.z_dim)
    edits = torch.stack([latent.edit_latent(z, d, a) for d in directions for a in AMOUNTS])
    return _render(generator, edits, [label] * len(edits))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default=str(common.ROOT / "weights" / "cgan"))
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--samples", type=int, default=10_000)
    p.add_argument("--json")
    args = p.parse_args()
    torch.manual_seed(0)
    generator = hub.load_network(args.weights)
    methods = {"SeFa": latent.principal_directions(generator, args.top),
               "GANSpace": ganspace_directions(generator, args.top, args.samples)}
    rows, results, pictures = [], [], []
    for name, directions in methods.items():
        for k, m in enumerate(measure(generator, directions)):
            rows.append([name, k, f"{m['alike']:.3f}", f"{m['change']:.1f}"])
            results.append(dict(method=name, direction=k, **m))
        pictures.append(strip(generator, directions, seed=11, label=2))
    grid = sampling.image_grid(np.concatenate(pictures), len(AMOUNTS))
    sampling.save_png(grid, common.ROOT / "docs" / "directions.png", scale=2)
    print(f"Latent directions of {args.weights}: edits from -2 to +2 on 100 seeds (10 per class)")
    print(f"machine: {common.machine()}\n")
    common.print_table(["method", "direction", "alike (cosine)", "mean change (grey levels)"], rows)
    print("\nwrote docs/directions.png (SeFa rows first, then GANSpace; -3 .. +3 left to right; a Pullover, seed 11)")
    common.write_json(args.json, {"results": results})


if __name__ == "__main__":
    main()

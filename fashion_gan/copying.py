"""Is a generator copying its training set? Nearest training images, and the C_T test.

C_T (Meehan, Chaudhuri & Dasgupta, AISTATS 2020, "A Non-Parametric Test to Detect
Data-Copying in Generative Models") compares, cell by cell of a partition of the
space, how far generated images lie from their nearest training image against how
far held-out *test* images lie from theirs. A model that copies puts its samples
closer to the training set than fresh data from the same distribution would be.

- The cells: k-means on the training images (`cells` centres).
- In each cell with at least `min_per_cell` generated and test images: the
  Mann-Whitney U statistic of the generated distances against the test distances,
  as a z-score (Z < 0: generated samples sit closer to the training set than test
  images do).
- C_T: the cells' z-scores averaged with weights = each cell's share of the test
  images. Well below 0 (the paper flags C_T < -3) is copying; near 0 is what an
  independent sample gives; well above 0 is underfitting (samples far from all data).

Distances are Euclidean in pixel space (images as 784 values in [0, 1]), as the
paper does for MNIST: at 28x28 grey a copy of a training image, even a noisy one,
is near it pixel by pixel.
"""

from dataclasses import dataclass

import numpy as np
import torch


def flat(images) -> torch.Tensor:
    """(N, 28, 28) uint8 or float images -> (N, 784) float32 in [0, 1]."""
    x = torch.as_tensor(np.asarray(images)).reshape(len(images), -1).float()
    return x / 255.0 if x.max() > 1.5 else x


def nearest(queries: torch.Tensor, reference: torch.Tensor, chunk: int = 1024) -> tuple[torch.Tensor, torch.Tensor]:
    """For each row of `queries`, the distance to its nearest row of `reference`, and that row's index."""
    dists, indices = [], []
    ref_sq = (reference * reference).sum(1)
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        # |q - r|^2 = |q|^2 - 2 q.r + |r|^2: one matrix product instead of a (chunk, N, 784) difference
        squared = (q * q).sum(1, keepdim=True) - 2 * q @ reference.T + ref_sq
        d, i = squared.min(1)
        dists.append(d.clamp_min(0).sqrt())
        indices.append(i)
    return torch.cat(dists), torch.cat(indices)


def kmeans(x: torch.Tensor, k: int, iterations: int = 20, seed: int = 0) -> torch.Tensor:
    """k centres of `x` (Lloyd's algorithm from k distinct random rows; an emptied cell keeps its centre)."""
    generator = torch.Generator().manual_seed(seed)
    centres = x[torch.randperm(len(x), generator=generator)[:k]].clone()
    for _ in range(iterations):
        _, cell = nearest(x, centres)
        sums = torch.zeros_like(centres).index_add_(0, cell, x)
        counts = torch.bincount(cell, minlength=k).unsqueeze(1)
        centres = torch.where(counts > 0, sums / counts.clamp_min(1), centres)
    return centres


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, equal values sharing the average of their places."""
    order = values.argsort(kind="stable")
    _, first, counts = np.unique(values[order], return_index=True, return_counts=True)
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(first + (counts + 1) / 2, counts)
    return ranks


def mann_whitney_z(test: np.ndarray, generated: np.ndarray) -> float:
    """The z-score of U = #{(a, b): b > a} (a tie counts 1/2), a from `test`, b from `generated`:
    below 0 when the generated values tend to be smaller (closer to the training set)."""
    n, m = len(test), len(generated)
    u = average_ranks(np.concatenate([test, generated]))[n:].sum() - m * (m + 1) / 2
    return float((u - n * m / 2) / np.sqrt(n * m * (n + m + 1) / 12))


@dataclass(frozen=True)
class CTResult:
    ct: float  # the statistic
    cells_used: int  # cells with enough samples on both sides
    cells: int
    test_share_used: float  # the share of test images in the cells used
    z: list  # (cell, z-score, test count, generated count) per cell used


def ct_test(train, test, generated, *, cells: int = 20, min_per_cell: int = 20, seed: int = 0) -> CTResult:
    """The C_T statistic of `generated` against the training images, with `test` images as the fresh reference."""
    train, test, generated = flat(train), flat(test), flat(generated)
    centres = kmeans(train, cells, seed=seed)
    test_cell, gen_cell = nearest(test, centres)[1].numpy(), nearest(generated, centres)[1].numpy()
    test_dist, gen_dist = nearest(test, train)[0].numpy(), nearest(generated, train)[0].numpy()
    used, weights, scores = [], [], []
    for c in range(cells):
        a, b = test_dist[test_cell == c], gen_dist[gen_cell == c]
        if len(a) < min_per_cell or len(b) < min_per_cell:
            continue
        z = mann_whitney_z(a, b)
        used.append((c, round(z, 3), len(a), len(b)))
        weights.append(len(a) / len(test))
        scores.append(z)
    if not used:
        raise ValueError(f"no cell holds {min_per_cell} test and {min_per_cell} generated images; use fewer cells")
    ct = float(np.dot(weights, scores) / np.sum(weights))
    return CTResult(ct, len(used), cells, float(np.sum(weights)), used)

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

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .files import atomic_write
from .metrics import classify

FEATURES_FILE = "features-{key}.npz"  # the classifier's features of the training and test images, float16


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


@dataclass
class Match:
    index: int  # in the split it came from
    label: int
    pixels: float  # RMS pixel difference, grey levels 0-255
    features: float  # Euclidean distance in the classifier's features


class Neighbours:
    """The training images nearest a picture, with the test images' for scale.

    Two distances: pixels (RMS grey levels: the C_T test's space, where a copy sits near its original
    pixel by pixel) and the features of the project's classifier (weights/classifier: the space its FID
    and recall measure in, where a shifted or slightly redrawn copy is still near its original).
    The 70,000 images' features take a minute or more on one CPU thread: they are kept in a file
    (FEATURES_FILE), found again in any of `cache_dirs` and written to the first that takes it."""

    def __init__(self, train_images, train_labels, test_images, test_labels, classifier, classifier_file=None,
                 cache_dirs=()):
        self.classifier = classifier
        self.images = {"train": np.asarray(train_images), "test": np.asarray(test_images)}
        self.labels = {"train": np.asarray(train_labels), "test": np.asarray(test_labels)}
        self.pixels = {split: flat(images) for split, images in self.images.items()}
        key = hashlib.sha1(Path(classifier_file).read_bytes() if classifier_file else b"")
        for split in ("train", "test"):
            key.update(self.images[split].tobytes())
        name = FEATURES_FILE.format(key=key.hexdigest()[:16])
        found = next((Path(d) / name for d in cache_dirs if (Path(d) / name).is_file()), None) if classifier_file else None
        if found is not None:
            with np.load(found) as saved:
                self.features = {split: torch.from_numpy(saved[split].astype(np.float32)) for split in ("train", "test")}
            return
        # float16, as the file keeps them: a fresh index and a saved one give the same distances
        self.features = {split: torch.from_numpy(classify(classifier, images)[0]).half().float()
                         for split, images in self.images.items()}
        for folder in cache_dirs if classifier_file else ():
            try:
                Path(folder).mkdir(parents=True, exist_ok=True)
                with atomic_write(Path(folder) / name) as tmp:
                    np.savez_compressed(tmp, **{split: f.numpy().astype(np.float16) for split, f in self.features.items()})
                break
            except OSError:  # a read-only folder (an installed copy): the next one
                continue

    def query(self, image: np.ndarray, split: str = "train", k: int = 8, by: str = "pixels") -> list[Match]:
        """The k images of `split` nearest `image` (uint8 (28, 28)) by `by` ("pixels" or "features"), nearest first."""
        q = {"pixels": flat(image[None])[0], "features": torch.from_numpy(classify(self.classifier, image[None])[0][0]).float()}
        reference = {"pixels": self.pixels[split], "features": self.features[split]}
        # |r - q|^2 = |r|^2 - 2 r.q + |q|^2: one matrix-vector product over the whole split
        squared = (reference[by] * reference[by]).sum(1) - 2 * reference[by] @ q[by] + (q[by] * q[by]).sum()
        order = squared.topk(min(k, len(squared)), largest=False).indices.tolist()
        pixels = ((reference["pixels"][order] - q["pixels"]) ** 2).mean(1).sqrt() * 255
        features = (reference["features"][order] - q["features"]).norm(dim=1)
        return [Match(i, int(self.labels[split][i]), float(p), float(f)) for i, p, f in zip(order, pixels, features)]

"""Quality numbers in the feature space of our own Fashion-MNIST classifier.

- FID: Fréchet distance between Gaussians fitted to two feature sets, in float64.
- Improved precision and recall (Kynkäänniemi et al. 2019): each set's
  k-nearest-neighbour balls approximate its manifold; precision is the share of
  generated samples inside the real manifold, recall the share of real samples
  inside the generated one.
- Class accuracy: does the classifier see the class the generator was asked for?
"""

import numpy as np
import torch

from .data import to_unit_range

FEATURE_BATCH = 1000


@torch.inference_mode()
def classify(classifier, images_uint8, device="cpu") -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 28, 28) -> (features float64 (N, F), predicted class (N,))."""
    images = torch.as_tensor(images_uint8)
    features, predictions = [], []
    for start in range(0, len(images), FEATURE_BATCH):
        x = to_unit_range(images[start:start + FEATURE_BATCH].to(device)).unsqueeze(1)
        h = classifier.features(x)
        features.append(h.double().cpu())
        predictions.append(classifier.head(h).argmax(1).cpu())
    return torch.cat(features).numpy(), torch.cat(predictions).numpy()


def _sqrtm_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix through its eigenvalues."""
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^1/2), with (S_a S_b)^1/2's trace
    taken from the symmetric S_a^1/2 S_b S_a^1/2, whose eigenvalues are real and >= 0."""
    a, b = np.asarray(features_a, np.float64), np.asarray(features_b, np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _sqrtm_psd(cov_a)
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)


def _kth_neighbour_radii(features: torch.Tensor, k: int, chunk: int = 2000) -> torch.Tensor:
    """Distance from each point to its k-th nearest other point in the same set."""
    radii = []
    for start in range(0, len(features), chunk):
        d = torch.cdist(features[start:start + chunk], features)
        radii.append(d.kthvalue(k + 1, dim=1).values)  # +1: the point itself is at distance 0
    return torch.cat(radii)


def _share_inside(queries: torch.Tensor, centres: torch.Tensor, radii: torch.Tensor, chunk: int = 2000) -> float:
    """Share of queries within radii[j] of some centre j."""
    inside = []
    for start in range(0, len(queries), chunk):
        d = torch.cdist(queries[start:start + chunk], centres)
        inside.append((d <= radii.unsqueeze(0)).any(dim=1))
    return float(torch.cat(inside).float().mean())


def precision_recall(real: np.ndarray, generated: np.ndarray, k: int = 3) -> tuple[float, float]:
    real_t, gen_t = torch.as_tensor(real, dtype=torch.float32), torch.as_tensor(generated, dtype=torch.float32)
    precision = _share_inside(gen_t, real_t, _kth_neighbour_radii(real_t, k))
    recall = _share_inside(real_t, gen_t, _kth_neighbour_radii(gen_t, k))
    return precision, recall


def score(reference_features: np.ndarray, features: np.ndarray, predicted=None, requested=None, num_classes: int = 10) -> dict:
    """All numbers for one image set against the reference set's features."""
    precision, recall = precision_recall(reference_features, features)
    result = {"count": len(features), "fid": frechet_distance(reference_features, features),
              "precision": precision, "recall": recall}
    if requested is not None:
        hits = np.asarray(predicted) == np.asarray(requested)
        result["class_accuracy"] = float(hits.mean())
        result["class_accuracy_per_class"] = [float(hits[np.asarray(requested) == c].mean()) for c in range(num_classes)]
    return result

import json

import numpy as np
import pytest
import torch

from conftest import require_real_data, run_cli, synthetic_split
from fashion_gan import hub, metrics
from fashion_gan.data import load_split
from fashion_gan.models import FashionClassifier

SHIPPED_CLASSIFIER = "weights/classifier"


def blur(images: np.ndarray) -> np.ndarray:
    x = images.astype(np.float32)
    out = x.copy()
    out[:, 1:-1, 1:-1] = sum(x[:, 1 + dy:27 + dy, 1 + dx:27 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9
    return out.round().astype(np.uint8)


def noised(images: np.ndarray, amount: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(images + rng.normal(0, amount, images.shape), 0, 255).astype(np.uint8)


def test_frechet_distance_of_gaussians_matches_closed_form():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, (20000, 4))
    b = rng.normal(0, 2, (20000, 4)) + 3
    # mu term 4 * 9 = 36; trace term 4 * (1 + 4 - 2 * 2) = 4
    assert metrics.frechet_distance(a, b) == pytest.approx(40, rel=0.03)
    assert abs(metrics.frechet_distance(a, a)) < 1e-6


def test_precision_recall_identical_and_disjoint():
    rng = np.random.default_rng(0)
    real = rng.normal(0, 1, (500, 8))
    assert metrics.precision_recall(real, real) == (1.0, 1.0)
    far = real + 100
    assert metrics.precision_recall(real, far) == (0.0, 0.0)
    collapsed = real[:5].repeat(100, axis=0)  # mode collapse: precise, no recall
    precision, recall = metrics.precision_recall(real, collapsed)
    assert precision == 1.0 and recall < 0.1


def test_fid_grows_with_noise_and_blur_in_classifier_space():
    torch.manual_seed(0)
    classifier = FashionClassifier().eval()
    images, _ = synthetic_split(2000, 0)
    base, _ = metrics.classify(classifier, images)
    assert abs(metrics.frechet_distance(base, base)) < 1e-6
    little = metrics.frechet_distance(base, metrics.classify(classifier, noised(images, 10))[0])
    more = metrics.frechet_distance(base, metrics.classify(classifier, noised(images, 60))[0])
    blurred = metrics.frechet_distance(base, metrics.classify(classifier, blur(images))[0])
    assert 0 < little < more and blurred > little


def test_score_reports_class_accuracy():
    rng = np.random.default_rng(0)
    feats = rng.normal(0, 1, (100, 4))
    requested = np.arange(100) % 10
    predicted = requested.copy()
    predicted[:10] = (predicted[:10] + 1) % 10  # one miss in each class
    result = metrics.score(feats, feats, predicted, requested)
    assert result["class_accuracy"] == pytest.approx(0.9)
    assert result["class_accuracy_per_class"] == [pytest.approx(0.9)] * 10


@pytest.mark.slow
def test_shipped_classifier_still_scores_and_judges_real_data():
    data = require_real_data()
    classifier = hub.load_network(SHIPPED_CLASSIFIER)
    test_images, test_labels = load_split("test", data)
    features, predicted = metrics.classify(classifier, test_images)
    assert (predicted == test_labels.numpy()).mean() >= 0.92
    half_a, half_b = features[:5000], features[5000:]
    real_vs_real = metrics.frechet_distance(half_a, half_b)
    noisy = metrics.classify(classifier, noised(test_images[5000:].numpy(), 40))[0]
    blurred = metrics.classify(classifier, blur(test_images[5000:].numpy()))[0]
    assert real_vs_real < 3 < metrics.frechet_distance(half_a, blurred)
    assert metrics.frechet_distance(half_a, noisy) > 3 * real_vs_real


@pytest.mark.slow
def test_evaluate_cli_on_shipped_cgan(tmp_path):
    require_real_data()
    out = tmp_path / "eval.json"
    r = run_cli("-m", "fashion_gan.evaluate", "--weights", "weights/cgan", "--count", "2000", "--json", out)
    assert r.returncode == 0, r.stderr
    assert "FID" in r.stdout and "class accuracy" in r.stdout and "Sneaker" in r.stdout
    result = json.loads(out.read_text())
    g, floor = result["generator"], result["real_train"]
    assert result["count"] == 2000 and g["count"] == 2000
    assert g["class_accuracy"] >= 0.98 and floor["fid"] < g["fid"] < 16  # 0.987 and 11.3 at 2,000 samples
    assert 0 < g["precision"] <= 1 and 0 < g["recall"] <= 1


def test_evaluate_cli_errors(tmp_path):
    r = run_cli("-m", "fashion_gan.evaluate", "--weights", tmp_path / "none")
    assert r.returncode == 2 and "no such model folder" in r.stderr
    r = run_cli("-m", "fashion_gan.evaluate", "--weights", "weights/classifier", "--count", "10")
    assert r.returncode == 2 and "not a Generator" in r.stderr
    r = run_cli("-m", "fashion_gan.evaluate", "--count", "20000")
    assert r.returncode == 2 and "--count" in r.stderr
    r = run_cli("-m", "fashion_gan.evaluate", "--weights", tmp_path / "none", "--card", "--precision", "bf16")
    assert r.returncode == 2 and "--card records the fp32 evaluation" in r.stderr


def test_evaluation_table_goes_into_the_model_card(tmp_path):
    from fashion_gan import cards

    card = tmp_path / "README.md"
    card.write_text("---\nlibrary_name: fashion-gan\n---\n# model\n\n## Evaluation\n\nold table\n")
    cards.set_evaluation(card, "new table")
    cards.set_evaluation(card, "newer table")
    text = card.read_text()
    assert text.startswith("---\nlibrary_name: fashion-gan") and text.count("## Evaluation") == 1
    assert "newer table" in text and "old table" not in text and "new table\n" not in text.replace("newer table", "")

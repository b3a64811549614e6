"""Shared fixtures: tiny Fashion-MNIST look-alikes written as real IDX files."""

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REAL_DATA = Path("/usr/share/datasets/fashion-mnist")
# The device for tests that train or sample through a CLI: cpu here and in CI; a GPU machine
# runs the same tests with FASHION_GAN_TEST_DEVICE=cuda.
TEST_DEVICE = os.environ.get("FASHION_GAN_TEST_DEVICE", "cpu")


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file: 0x0000, type 0x08 (ubyte), ndim, big-endian dims, then the bytes."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(path: Path, array: np.ndarray, gz: bool = True) -> Path:
    data = idx_bytes(array)
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def synthetic_split(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images with a class-dependent bright bar on noise, so classes differ a little."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    images = rng.integers(0, 60, size=(n, 28, 28))
    for i, y in enumerate(labels):
        images[i, 2 + 2 * y: 5 + 2 * y, 4:24] = 230
    return images.astype(np.uint8), labels.astype(np.uint8)


def write_dataset(folder: Path, n_train: int = 300, n_test: int = 100, gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for split, n, seed, (img_name, lbl_name) in (
        ("train", n_train, 0, ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")),
        ("test", n_test, 1, ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")),
    ):
        images, labels = synthetic_split(n, seed)
        write_idx(folder / img_name, images, gz)
        write_idx(folder / lbl_name, labels, gz)
    return folder


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    return write_dataset(tmp_path / "fmnist")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test sees the developer's FASHION_MNIST_DIR, Hub token or ./data."""
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.delenv("HF_TOKEN", raising=False)


def run_cli(*args, env=None, timeout=300, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run `python ARGS` from the repo root with one torch thread, capturing output."""
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    args = [ROOT / a if str(a).endswith(".py") and not os.path.isabs(a) else a for a in args]
    return subprocess.run([PYTHON, *map(str, args)], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


def require_real_data() -> Path:
    """The real dataset for slow tests: skip without it, except in CI, where it must be there."""
    if not (REAL_DATA / "train-images-idx3-ubyte.gz").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the real dataset in {REAL_DATA}: apt-get install dataset-fashion-mnist")
        pytest.skip(f"real Fashion-MNIST not in {REAL_DATA} (apt-get install dataset-fashion-mnist)")
    return REAL_DATA


def require_onnxruntime_web() -> None:
    """The static site's build needs web/node_modules; CI, which has npm, must have it (./dev.sh test runs `npm ci`)."""
    from fashion_gan import web

    if web.ORT_DIST.is_dir():
        return
    if os.environ.get("CI") and shutil.which("npm"):
        pytest.fail("CI has npm but no web/node_modules: ./dev.sh test runs `npm ci --prefix web`")
    pytest.skip("no web/node_modules (needs node and npm; ./dev.sh test runs `npm ci --prefix web`)")


@pytest.fixture(scope="session")
def tiny_generators(tmp_path_factory) -> Path:
    """A folder with small random generators: cgan/ (a narrow DCGAN, with a 3-epoch training record),
    gan/ (the chapter's MLP GAN) and chapter_cgan/ (the chapter's MLP cGAN)."""
    import torch

    from fashion_gan import hub
    from fashion_gan.models import DCGANGenerator, MLPConditionalGenerator, MLPGenerator

    root = tmp_path_factory.mktemp("tiny_generators")
    torch.manual_seed(0)
    hub.save_network(DCGANGenerator(channels=16).eval(), root / "cgan")
    hub.save_network(MLPGenerator().eval(), root / "gan")
    hub.save_network(MLPConditionalGenerator().eval(), root / "chapter_cgan")
    write_training_record(root / "cgan", epochs=3)
    return root


def write_training_record(folder: Path, epochs: int) -> None:
    """What train.py leaves in MODEL/training/ (grids at scale 2, log.txt) and a quality.json, for `epochs` epochs:
    epoch e's grid is e * 40 grey levels, flat, so a test can tell the epochs apart."""
    import json

    import numpy as np

    from fashion_gan import sampling, timelapse

    (folder / "training" / "grids").mkdir(parents=True)
    lines = []
    for epoch in range(1, epochs + 1):
        sampling.save_png(np.full((30, 30), 40 * epoch, np.uint8), folder / "training" / "grids" / f"epoch_{epoch:03d}.png",
                          scale=2)
        lines.append(timelapse.log_line("cgan", epoch, epochs, 1.0 + epoch, 2.0 - epoch / 10, 0.5, 0.4, 1.5))
    (folder / "training" / "log.txt").write_text("\n".join(lines) + "\n")
    (folder / "training" / "quality.json").write_text(json.dumps({"count": 100, "results": [
        {"epoch": epochs - 1, "fid": 250.0, "precision": 0.5, "recall": 0.1}, {"epoch": epochs, "fid": 200.0}]}))

"""Fashion-MNIST from its original IDX files, as whole uint8 tensors.

Training slices shuffled batches straight out of one tensor on the training
device, so there is no Dataset, no per-image transform and no worker process.
"""

import gzip
import os
from pathlib import Path

import numpy as np
import torch

from .errors import UserError

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
IMAGE_SIZE = 28

SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DEFAULT_ROOT = Path("data")  # torchvision's habit: ./data/FashionMNIST/raw

# IDX magic numbers: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions.
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801

HOW_TO_GET = (
    "install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), "
    "or put the four *-ubyte(.gz) files in a folder and pass --data-dir or set FASHION_MNIST_DIR"
)


class DataError(UserError):
    """A data file is missing, truncated or not what its name says."""


def search_dirs(data_dir: str | Path | None = None) -> list[Path]:
    """Where the files are looked for, in order."""
    roots = [Path(data_dir)] if data_dir else []
    if os.environ.get("FASHION_MNIST_DIR"):
        roots.append(Path(os.environ["FASHION_MNIST_DIR"]))
    roots.append(DEFAULT_ROOT)
    dirs = []
    for root in roots:
        dirs += [root, root / "FashionMNIST" / "raw"]
    return dirs + [DEBIAN_DIR]


def find_file(name: str, dirs: list[Path]) -> Path | None:
    """The first of dirs/name and dirs/name.gz that exists, folder by folder."""
    for folder in dirs:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    return None


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Read one IDX file (gzipped or not), checking its header against its length."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataError(f"{path}: cannot read it ({e}); delete it and fetch it again") from None
    if len(raw) < 8:
        raise DataError(f"{path}: only {len(raw)} bytes, too short to be an IDX file")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise DataError(f"{path}: IDX magic number is {found:#010x}, expected {magic:#010x}; is it the right file?")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path}: truncated header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        raise DataError(f"{path}: {len(raw)} bytes but its header {shape} needs {expected}; the file is truncated or corrupt")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _download(root: Path) -> None:
    from torchvision.datasets import FashionMNIST

    FashionMNIST(str(root), train=True, download=True)
    FashionMNIST(str(root), train=False, download=True)


def load_split(split: str, data_dir: str | Path | None = None, download: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Images as uint8 (N, 28, 28) and labels as int64 (N,), checked."""
    images_name, labels_name = SPLIT_FILES[split]
    dirs = search_dirs(data_dir)
    images_path, labels_path = find_file(images_name, dirs), find_file(labels_name, dirs)
    if (images_path is None or labels_path is None) and download:
        root = Path(data_dir) if data_dir else DEFAULT_ROOT
        try:
            _download(root)
        except Exception:  # offline, blocked, a mirror down: all end in the message below
            pass
        images_path, labels_path = find_file(images_name, dirs), find_file(labels_name, dirs)
    if images_path is None or labels_path is None:
        missing = images_name if images_path is None else labels_name
        raise DataError(
            f"Fashion-MNIST file {missing}(.gz) not found in {', '.join(map(str, dirs))}"
            f"{' nor downloadable' if download else ''}; {HOW_TO_GET}"
        )

    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise DataError(f"{images_path}: images have shape {images.shape}, expected (N, 28, 28)")
    if labels.ndim != 1 or len(labels) != len(images):
        raise DataError(f"{labels_path}: {labels.shape} labels for {len(images)} images in {images_path}")
    if len(labels) and labels.max() >= len(CLASS_NAMES):
        raise DataError(f"{labels_path}: label {labels.max()} found, labels must be 0..9")
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def to_unit_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels 0..255 -> float in [-1, 1], the range of the generators' Tanh."""
    return images.float().div_(127.5).sub_(1.0)

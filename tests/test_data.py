import gzip

import numpy as np
import pytest
import torch

from conftest import idx_bytes, synthetic_split, write_dataset, write_idx
from fashion_gan.data import CLASS_NAMES, DataError, load_split, read_idx, IMAGES_MAGIC, to_unit_range


def test_loads_whole_splits_as_checked_tensors(tiny_data):
    images, labels = load_split("train", tiny_data, download=False)
    assert images.dtype == torch.uint8 and images.shape == (300, 28, 28)
    assert labels.dtype == torch.int64 and labels.shape == (300,)
    expected_images, expected_labels = synthetic_split(300, 0)
    assert torch.equal(images, torch.from_numpy(expected_images))
    assert labels.tolist() == expected_labels.tolist()
    test_images, _ = load_split("test", tiny_data, download=False)
    assert test_images.shape == (100, 28, 28)
    assert len(CLASS_NAMES) == 10 and CLASS_NAMES[7] == "Sneaker"


def test_plain_files_and_torchvision_layout(tmp_path):
    root = tmp_path / "root"
    write_dataset(root / "FashionMNIST" / "raw", gz=False)
    images, _ = load_split("train", root, download=False)
    assert images.shape == (300, 28, 28)


def test_data_dir_wins_over_environment(tmp_path, monkeypatch):
    write_dataset(tmp_path / "env", n_train=200)
    write_dataset(tmp_path / "flag", n_train=300)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "env"))
    assert len(load_split("train", tmp_path / "flag", download=False)[0]) == 300
    assert len(load_split("train", None, download=False)[0]) == 200


def test_unit_range():
    x = to_unit_range(torch.tensor([0, 255], dtype=torch.uint8))
    assert x.tolist() == [-1.0, 1.0]


def test_missing_files_say_where_and_how(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("fashion_gan.data.DEBIAN_DIR", tmp_path / "nowhere")
    with pytest.raises(DataError) as e:
        load_split("train", tmp_path / "empty", download=False)
    message = str(e.value)
    assert "train-images-idx3-ubyte" in message and str(tmp_path / "empty") in message
    assert "apt-get install dataset-fashion-mnist" in message and "FASHION_MNIST_DIR" in message


def _corrupt(tiny_data, name, content: bytes):
    path = tiny_data / f"{name}.gz"
    path.write_bytes(gzip.compress(content))
    return path


@pytest.mark.parametrize("case, content, words", [
    ("wrong magic", b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + bytes(10), "magic number"),
    ("truncated", idx_bytes(synthetic_split(300, 0)[0])[:-100], "truncated"),
    ("too short", b"\x00\x00", "too short"),
    ("wrong shape", idx_bytes(np.zeros((300, 27, 28), np.uint8)), "expected (N, 28, 28)"),
])
def test_bad_image_files_are_named(tiny_data, case, content, words):
    path = _corrupt(tiny_data, "train-images-idx3-ubyte", content)
    with pytest.raises(DataError) as e:
        load_split("train", tiny_data, download=False)
    assert str(path) in str(e.value) and words in str(e.value)


def test_label_count_and_range_are_checked(tiny_data):
    path = write_idx(tiny_data / "train-labels-idx1-ubyte", np.zeros(299, np.uint8))
    with pytest.raises(DataError, match="299"):
        load_split("train", tiny_data, download=False)
    write_idx(tiny_data / "train-labels-idx1-ubyte", np.full(300, 10, np.uint8))
    with pytest.raises(DataError) as e:
        load_split("train", tiny_data, download=False)
    assert str(path) in str(e.value) and "0..9" in str(e.value)


def test_not_gzip_is_named(tiny_data):
    path = tiny_data / "train-images-idx3-ubyte.gz"
    path.write_bytes(b"this is not gzip at all")
    with pytest.raises(DataError) as e:
        read_idx(path, IMAGES_MAGIC)
    assert str(path) in str(e.value)

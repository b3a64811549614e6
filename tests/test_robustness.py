"""Crashes, corrupt files, hostile pickles and arbitrary input: a clear message or a valid result, always."""

import gzip
import os
import pickle
import signal
import subprocess
import time

import gradio as gr
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PYTHON, ROOT, run_cli, write_dataset
from fashion_gan import sample
from fashion_gan.demo import Demo
from fashion_gan.errors import UserError
from fashion_gan.training import load_checkpoint
from test_training import assert_same_weights


def test_sigkill_mid_epoch_then_resume_matches_an_uninterrupted_run(tmp_path):
    data = write_dataset(tmp_path / "data", n_train=3000)
    args = ["train.py", "--model", "gan", "--arch", "dcgan", "--epochs", "3", "--data-dir", data, "--device", "cpu"]
    assert run_cli(*args, "--out", tmp_path / "straight").returncode == 0

    out = tmp_path / "killed"
    proc = subprocess.Popen([PYTHON, *map(str, args), "--out", out], cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = out / "gan" / "training" / "checkpoint.pt"
    deadline = time.time() + 120
    while not checkpoint.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.7)  # well into epoch 2
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert load_checkpoint(checkpoint)["epoch"] == 1
    assert not (out / "gan" / "model.safetensors").exists()  # never exported half-way

    r = run_cli("train.py", "--resume", out, "--data-dir", data, "--device", "cpu")
    assert r.returncode == 0, r.stderr
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or ".tmp" in p.name]
    assert not leftovers, leftovers
    assert_same_weights(tmp_path / "straight" / "gan", out / "gan")


@pytest.fixture
def generator_folder(tiny_generators):
    return tiny_generators / "cgan"


def _copy(folder, tmp_path):
    import shutil
    return shutil.copytree(folder, tmp_path / "copy")


@pytest.mark.parametrize("file, content", [
    ("model.safetensors", lambda b: b[: len(b) // 2]),
    ("model.safetensors", lambda b: os.urandom(2000)),
    ("config.json", lambda b: b[: len(b) // 2]),
    ("config.json", lambda b: b'{"architecture": "NoSuchNet"}'),
])
def test_corrupt_weight_files_exit_2_naming_the_file(generator_folder, tmp_path, file, content):
    folder = _copy(generator_folder, tmp_path)
    path = folder / file
    path.write_bytes(content(path.read_bytes()))
    r = run_cli("-m", "fashion_gan.sample", "--weights", folder, "--out", tmp_path / "o.npz")
    assert r.returncode == 2 and str(path) in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("garbage", [b"", b"PK\x03\x04 truncated zip", os.urandom(4096)])
def test_corrupt_checkpoint_exits_2_naming_the_file(tmp_path, tiny_data, garbage):
    out = tmp_path / "run"
    assert run_cli("train.py", "--model", "gan", "--arch", "mlp", "--epochs", "1", "--data-dir", tiny_data, "--out", out).returncode == 0
    checkpoint = out / "gan" / "training" / "checkpoint.pt"
    checkpoint.write_bytes(garbage)
    r = run_cli("train.py", "--resume", out, "--data-dir", tiny_data)
    assert r.returncode == 2 and str(checkpoint) in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_truncated_checkpoint_from_a_real_one(tmp_path, tiny_data):
    out = tmp_path / "run"
    assert run_cli("train.py", "--model", "gan", "--arch", "mlp", "--epochs", "1", "--data-dir", tiny_data, "--out", out).returncode == 0
    checkpoint = out / "gan" / "training" / "checkpoint.pt"
    checkpoint.write_bytes(checkpoint.read_bytes()[:-5000])
    r = run_cli("train.py", "--resume", out, "--data-dir", tiny_data)
    assert r.returncode == 2 and str(checkpoint) in r.stderr


def test_corrupt_idx_file_exits_2_naming_the_file(tmp_path, tiny_data):
    path = tiny_data / "train-labels-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-7]))
    r = run_cli("train.py", "--model", "gan", "--data-dir", tiny_data, "--out", tmp_path / "o")
    assert r.returncode == 2 and str(path) in r.stderr and "truncated" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


class Bomb:
    """Unpickling this would run a shell command."""

    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_pickle_bomb_checkpoint_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "checkpoint.pt"
    torch.save({"epoch": 1, "G": Bomb()}, path)
    with pytest.raises(UserError) as e:
        load_checkpoint(path)
    assert str(path) in str(e.value)
    assert not (tmp_path / "PWNED").exists()
    raw = tmp_path / "raw.pt"
    raw.write_bytes(pickle.dumps(Bomb()))
    with pytest.raises(UserError):
        load_checkpoint(raw)
    assert not (tmp_path / "PWNED").exists()


# --- property-based: any input -> a valid result or a clear error --------------------------------

ANY = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=True, allow_infinity=True),
                st.text(max_size=12), st.sampled_from(["Sneaker", "bag", "7", "Ankle boot", "slerp", "lerp"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(-5, 40), seed=st.integers(-10, 2**31 + 10),
       class_name=st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["Sneaker", "3", "Bag", "10"])),
       truncation=st.one_of(st.none(), st.floats(-1, 4, allow_nan=False)), suffix=st.sampled_from([".npz", ".png", ".gif"]))
def test_sample_cli_any_arguments(generator_folder, tmp_path_factory, count, seed, class_name, truncation, suffix):
    out = tmp_path_factory.mktemp("s") / f"out{suffix}"
    argv = ["--weights", str(generator_folder), "--count", str(count), "--seed", str(seed), "--out", str(out), "--device", "cpu"]
    if class_name is not None:
        argv += ["--class", class_name]
    if truncation is not None:
        argv += ["--truncation", str(truncation)]
    try:
        sample.main(argv)
    except SystemExit as e:
        assert e.code == 2  # the one-line error path (argparse errors are 2 as well)
        assert not out.exists()
        return
    assert out.exists() and count >= 1
    if suffix == ".npz":
        assert np.load(out)["images"].shape == (count, 28, 28)


@pytest.fixture(scope="module")
def demo(tiny_generators):
    return Demo(tiny_generators / "cgan", tiny_generators / "gan", torch.device("cpu"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(handler=st.sampled_from(["generate", "interpolate", "morph", "class_grid", "gan_image"]),
       args=st.lists(ANY, min_size=1, max_size=5))
def test_handlers_any_input(demo, handler, args):
    arity = {"generate": 4, "interpolate": 5, "morph": 4, "class_grid": 1, "gan_image": 1}[handler]
    args = args[:arity]
    try:
        result = getattr(demo, handler)(*args)
    except gr.Error as e:
        assert "\n" not in e.message and e.message
        return
    except TypeError:  # too few arguments for the signature: Python's own check, not a handler bug
        assert len(args) < arity
        return
    picture = result[0] if isinstance(result, tuple) else result
    assert picture.dtype == np.uint8 and picture.ndim == 2


def test_checkpoint_of_the_wrong_shape_exits_2(tmp_path, tiny_data):
    out = tmp_path / "run"
    assert run_cli("train.py", "--model", "gan", "--arch", "mlp", "--epochs", "1", "--data-dir", tiny_data, "--out", out).returncode == 0
    checkpoint = out / "gan" / "training" / "checkpoint.pt"
    state = torch.load(checkpoint, weights_only=True)
    del state["G"]  # a readable file that is not a whole checkpoint
    torch.save(state, checkpoint)
    r = run_cli("train.py", "--resume", out, "--data-dir", tiny_data)
    assert r.returncode == 2 and str(checkpoint) in r.stderr and "Traceback" not in r.stderr

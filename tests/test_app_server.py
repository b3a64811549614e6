"""Server level: the real app.py in a subprocess, called through gradio_client."""

import numpy as np
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from PIL import Image

from appserver import running_app
from conftest import run_cli


@pytest.fixture(scope="module")
def weights(tiny_generators):
    return tiny_generators


@pytest.fixture(scope="module")
def client(weights):
    with running_app("--weights", weights / "cgan", "--gan-weights", weights / "gan", "--device", "cpu") as (url, _):
        yield Client(url, verbose=False)


def picture(path) -> np.ndarray:
    return np.array(Image.open(path))


def test_every_api_name_answers(client):
    a = picture(client.predict("Sneaker", 42, api_name="/generate"))
    assert a.ndim == 2 and a.shape[0] >= 224
    assert np.array_equal(a, picture(client.predict("Sneaker", 42, 0, api_name="/generate")))
    assert not np.array_equal(a, picture(client.predict("Sneaker", 43, api_name="/generate")))
    strip, gif = client.predict("Dress", 1, 2, 6, "slerp", api_name="/interpolate")
    assert picture(strip).ndim == 2 and Image.open(gif).format == "GIF"
    strip, gif = client.predict(7, "Sneaker", "Ankle boot", 4, api_name="/morph")
    assert Image.open(gif).n_frames == 6
    grid, single = picture(client.predict(3, api_name="/class_grid")), picture(client.predict(3, api_name="/gan"))
    assert grid.shape[1] % (10 * 30 + 2) == 0 and grid.shape[1] >= 2 * (10 * 30 + 2)
    assert single.shape[0] == single.shape[1] and single.shape[1] % (30 + 2) == 0


def test_bad_inputs_get_errors_and_the_server_survives(client):
    bad_calls = [
        (("Hat", 1), "/generate"),
        (("Sneaker", -1), "/generate"),
        (("Sneaker", 1.5), "/generate"),
        (("Dress", 1, 2, 100, "slerp"), "/interpolate"),
        (("Dress", 1, 2, 5, "cubic"), "/interpolate"),
        ((1, "Sneaker", "Helmet", 5), "/morph"),
    ]
    for args, api_name in bad_calls:
        with pytest.raises(AppError) as e:  # the server's answer, not a dropped connection
            client.predict(*args, api_name=api_name)
        message = str(e.value)
        assert any(w in message for w in ("must", "unknown class", "not in the list of choices", "minimum value", "maximum value")), (args, message)
        assert "\n" not in message and "Traceback" not in message
    assert picture(client.predict("Bag", 5, api_name="/generate")).ndim == 2


def test_missing_weights_exit_2_with_one_line(tmp_path):
    r = run_cli("app.py", "--weights", tmp_path / "nothing", "--port", "7")
    assert r.returncode == 2 and "no such model folder" in r.stderr and "Traceback" not in r.stderr


def test_corrupt_weights_exit_2(tmp_path, weights):
    import shutil
    shutil.copytree(weights / "cgan", tmp_path / "cgan")
    (tmp_path / "cgan" / "config.json").write_text("{")
    r = run_cli("app.py", "--weights", tmp_path / "cgan")
    assert r.returncode == 2 and "config.json" in r.stderr and "Traceback" not in r.stderr

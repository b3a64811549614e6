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
        (("Dress", "3, x", 5, "slerp"), "/walk"),
        (("Dress", -1, 0), "/map_point"),
        (("Dress", 3, 99, 1.0), "/edit"),
    ]
    for args, api_name in bad_calls:
        with pytest.raises(AppError) as e:  # the server's answer, not a dropped connection
            client.predict(*args, api_name=api_name)
        message = str(e.value)
        assert any(w in message for w in ("must", "unknown class", "seeds:", "not in the list of choices", "minimum value", "maximum value")), (args, message)
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


def test_explorer_api_names(client):
    gif, strip = client.predict("Ankle boot", "3, 17, 42-43", 5, "slerp", api_name="/walk")
    assert Image.open(gif).format == "GIF" and Image.open(gif).n_frames == 20 and picture(strip).ndim == 2
    at_seed = picture(client.predict("Sneaker", 42, 0, api_name="/map_point"))
    assert np.array_equal(at_seed, picture(client.predict("Sneaker", 42, api_name="/generate")))
    assert not np.array_equal(picture(client.predict("Sneaker", 42.5, 0.5, api_name="/map_point")), at_seed)
    assert np.array_equal(picture(client.predict("Sneaker", 42, 0, 0, api_name="/edit")), at_seed)
    assert not np.array_equal(picture(client.predict("Sneaker", 42, 1, 2.5, api_name="/edit")), at_seed)


@pytest.mark.parametrize("args, api_name, words", [
    (("Dress", "3, x", 5, "slerp"), "/walk", "seeds: 'x' is not a seed"),
    (("Dress", "1-60", 10, "slerp"), "/walk", "over 240 frames"),
    (("Dress", -1, 0), "/map_point", "map x must be"),
    (("Dress", 3, "far"), "/map_point", "map y must be a number"),
    (("Dress", 3, 99, 1.0), "/edit", "Direction must be from 0 to 9"),
    (("Dress", "abc", 0, 1.0), "/edit", "Seed must be a number from 0 to 2,147,483,647, got 'abc'"),
    (("Dress", "abc"), "/generate", "Seed must be a number from 0 to 2,147,483,647, got 'abc'"),
    (("abc",), "/gan", "Seed must be a number"),
])
def test_explorer_bad_inputs_name_the_field_and_the_server_goes_on(client, args, api_name, words):
    with pytest.raises(AppError) as e:
        client.predict(*args, api_name=api_name)
    assert words in str(e.value) and "\n" not in str(e.value) and "upstream" not in str(e.value)
    assert picture(client.predict("Bag", 5, api_name="/generate")).ndim == 2


def test_explore_cli_writes_what_the_page_shows(client, weights, tmp_path):
    r = run_cli("-m", "fashion_gan.explore", "map", "--weights", weights / "cgan", "--class", "Sneaker",
                "--x", "42.5", "--y", "0.5", "--out", tmp_path / "p.png")
    assert r.returncode == 0, r.stderr
    assert np.array_equal(picture(tmp_path / "p.png"), picture(client.predict("Sneaker", 42.5, 0.5, api_name="/map_point")))
    r = run_cli("-m", "fashion_gan.explore", "edit", "--weights", weights / "cgan", "--class", "Sneaker", "--seed", "42",
                "--direction", "1", "--amount", "2.5", "--out", tmp_path / "e.png")
    assert r.returncode == 0, r.stderr
    assert np.array_equal(picture(tmp_path / "e.png"), picture(client.predict("Sneaker", 42, 1, 2.5, api_name="/edit")))
    r = run_cli("-m", "fashion_gan.explore", "walk", "--weights", weights / "cgan", "--class", "Dress", "--seeds", "1, 5-6",
                "--steps", "4", "--out", tmp_path / "w.gif")
    assert r.returncode == 0, r.stderr
    served, _ = client.predict("Dress", "1, 5-6", 4, "slerp", api_name="/walk")
    assert (tmp_path / "w.gif").read_bytes() == open(served, "rb").read()


@pytest.mark.parametrize("args, words", [
    (["walk", "--class", "Dress", "--seeds", "3-1", "--out", "w.gif"], "seeds: the range 3-1 runs backwards"),
    (["map", "--class", "Dress", "--x", "-2", "--y", "0", "--out", "p.png"], "map x must be"),
    (["edit", "--class", "Dress", "--seed", "1", "--direction", "42", "--amount", "1", "--out", "e.png"], "direction must be"),
    (["map", "--class", "Dress", "--x", "1", "--y", "0", "--out", "p.gif"], "writes a .png file"),
    (["walk", "--class", "Hat", "--seeds", "1", "--out", "w.gif"], "unknown class 'Hat'"),
    (["map", "--class", "Dress", "--x", "1", "--y", "0", "--out", "no/p.png"], "/no does not exist"),
])
def test_explore_cli_bad_input_exits_2_with_one_line(weights, tmp_path, args, words):
    r = run_cli("-m", "fashion_gan.explore", *args[:1], "--weights", weights / "cgan", *args[1:-1], tmp_path / args[-1])
    assert r.returncode == 2 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not list(tmp_path.iterdir())

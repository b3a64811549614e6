"""Every API name, every field, one bad value at a time: a one-line message naming the field, and the server goes on.

The calls go over Gradio's plain HTTP API (POST /gradio_api/call/NAME, then its event
stream), as any language would send them: gradio_client itself refuses to send NaN.
"""

import base64
import io
import json
import math
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from PIL import Image

from appserver import running_app
from conftest import write_dataset
from fashion_gan import latent

# A picture as any HTTP client can send one: a data URL in Gradio's file payload
_png = io.BytesIO()
Image.fromarray(np.tile(np.arange(0, 252, 9, dtype=np.uint8), (28, 1))).save(_png, format="PNG")
PICTURE = {"url": "data:image/png;base64," + base64.b64encode(_png.getvalue()).decode(), "meta": {"_type": "gradio.FileData"}}
CODE = latent.latent_code(torch.linspace(-2, 2, 100))  # a latent the tiny generators take

# One valid call per API name; each field is then replaced by each bad value in turn.
VALID = {
    "/generate": ("Sneaker", 42, 0, 1),
    "/chapter": ("Sneaker", 42, 0, 1),
    "/batch": ("Sneaker", 0, 10),
    "/interpolate": ("Dress", 1, 2, 4, "slerp"),
    "/morph": (7, "Sneaker", "Ankle boot", 4),
    "/class_grid": (3,),
    "/gan": (1, 0),
    "/walk": ("Dress", "1, 2", 2, "slerp", False),
    "/map_point": ("Dress", 3.5, 0.5),
    "/edit": ("Dress", 3, 1, 1.0),
    "/timelapse": ("cgan", 2),
    "/from_code": ("Dress", CODE),
    "/edit_code": ("Dress", CODE, 1, 1.0),
    "/project": (PICTURE, "auto"),
    "/neighbours": (PICTURE,),
}
BAD = [None, "", math.nan, math.inf, -math.inf, True, [1, 2], "nonsense", 10**12, -(10**12)]


@pytest.fixture(scope="module")
def url(tiny_generators, tmp_path_factory):
    root = tiny_generators
    data = write_dataset(tmp_path_factory.mktemp("fuzz") / "fmnist")  # for neighbours
    with running_app("--weights", root / "cgan", "--gan-weights", root / "gan", "--chapter-weights", root / "chapter_cgan",
                     "--device", "cpu", "--data-dir", data) as (url, _):
        yield url


def field_names(url: str) -> dict[str, list[tuple[str, str]]]:
    """API name -> [(label, parameter name)] of its fields, as the server describes them."""
    endpoints = json.load(urllib.request.urlopen(f"{url}gradio_api/info"))["named_endpoints"]
    return {name: [(english(p["label"]).split(" (")[0], p["parameter_name"]) for p in info["parameters"]]
            for name, info in endpoints.items()}


def english(label) -> str:
    """A label as /gradio_api/info gives it: a string, or for a label shown in the visitor's language
    (fashion_gan/words.py) {"key": its English, "_type": "translation_metadata"}."""
    return label["key"] if isinstance(label, dict) else label


def call(url: str, api_name: str, args: list) -> tuple[str, object]:
    """("complete", outputs) or ("error", the message) for one call of the HTTP API."""
    body = json.dumps({"data": args}).encode()  # json.dumps writes NaN and Infinity, as JavaScript clients may
    request = urllib.request.Request(f"{url}gradio_api/call{api_name}", data=body, headers={"Content-Type": "application/json"})
    event_id = json.load(urllib.request.urlopen(request, timeout=60))["event_id"]
    stream = urllib.request.urlopen(f"{url}gradio_api/call{api_name}/{event_id}", timeout=60).read().decode()
    kind = stream.split("event: ")[-1].split("\n")[0]
    data = json.loads(stream.split("data: ")[-1].strip())
    return kind, data["error"] if kind == "error" and isinstance(data, dict) else data


def test_every_bad_value_in_every_field_gets_a_clear_line(url):
    fields = field_names(url)
    assert set(fields) == set(VALID), "a new API name needs its valid call here"
    cases = []
    for api_name, valid in VALID.items():
        assert len(fields[api_name]) == len(valid), api_name
        assert call(url, api_name, list(valid))[0] == "complete", api_name
        for i, (label, parameter) in enumerate(fields[api_name]):
            for bad in BAD:
                args = list(valid)
                args[i] = bad
                cases.append((api_name, label, parameter, bad, args))
    with ThreadPoolExecutor(8) as pool:  # the app's queue runs eight at once
        answers = list(pool.map(lambda case: call(url, case[0], case[4]), cases))
    refused = 0
    for (api_name, label, parameter, bad, _), (kind, message) in zip(cases, answers):
        where = f"{api_name} {parameter}={bad!r}: {message}"
        if kind != "error":  # accepted: only a value that is valid for this field (a boolean for a checkbox)
            assert kind == "complete" and isinstance(bad, bool) and parameter == "all_classes", where
            continue
        refused += 1
        assert isinstance(message, str) and message, where  # never Gradio's anonymous error
        assert "upstream" not in message and "Traceback" not in message and "\n" not in message, where
        assert label.lower() in message.lower() or parameter.replace("_", " ") in message.lower(), where
        assert "e+" not in message, where  # 2,147,483,647, never 2.14748e+09
    assert refused == len(cases) - 1 and len(cases) >= 300
    assert call(url, "/generate", ["Bag", 5, 0, 1])[0] == "complete"  # the server goes on

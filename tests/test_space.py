"""The Hugging Face Space: the bundle's files, its requirements, and the bundle booting as a Space boots it.

The boot tests run the bundle with .venv-space (dev.sh builds it from the bundle's own
requirements.txt on the Python a ZeroGPU Space runs), from the bundle's folder, with
none of the repository on sys.path and the environment a Space sets.
"""

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gradio
import numpy as np
import pytest
import torch
from gradio_client import Client
from PIL import Image

from appserver import free_port, serving
from conftest import ROOT, require_onnxruntime_web, require_real_data, run_cli
from fashion_gan import space, web
from fashion_gan.data import load_split
from fashion_gan.demo import Demo

SPACE_PYTHON = ROOT / ".venv-space" / "bin" / "python"
GENERATOR_FILES = ["README.md", "config.json", "model.safetensors", "samples.png"]
needs_space_venv = pytest.mark.skipif(not SPACE_PYTHON.exists() and not os.environ.get("CI"),
                                      reason="no .venv-space (./dev.sh test builds it)")


def front_matter(readme: str) -> dict:
    head = readme.split("---\n")[1]
    return {k.strip(): v.strip().strip('"') for k, v in (line.split(":", 1) for line in head.splitlines())}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    require_real_data()  # the bundle carries the dataset, for Is it copying?
    out = tmp_path_factory.mktemp("space") / "bundle"
    r = run_cli("-m", "fashion_gan.space", "build", out)
    assert r.returncode == 0, r.stderr
    assert "wrote the Space (" in r.stdout
    return out


def test_bundle_holds_exactly_what_a_space_needs(bundle):
    files = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    package = sorted(str(p.relative_to(ROOT)) for pattern in ("*.py", "*.js", "garments/*.png")
                     for p in (ROOT / "fashion_gan").glob(pattern))
    weights = [str(p.relative_to(ROOT)) for pattern in ("*/training/**/*", "*/encoder/*", "classifier/*")
               for p in (ROOT / "weights").glob(pattern) if p.is_file()]
    data = [f"data/{name}.gz" for name in space.DATA_FILES] + [str(p.relative_to(bundle)) for p in bundle.glob("data/features-*.npz")]
    assert len(data) == 5  # the dataset and its features, made once by build
    expected = sorted([".gitattributes", "README.md", "app.py", "requirements.txt", *package, *weights, *data]
                      + [f"weights/{m}/{f}" for m in ("cgan", "gan", "chapter_cgan") for f in GENERATOR_FILES])
    assert files == expected  # no tests, runs, caches, venvs or benchmarks
    assert len(package) > 20 and any("encoder" in w for w in weights)  # the test images and an encoder are there
    assert (bundle / "weights/cgan/model.safetensors").read_bytes() == (ROOT / "weights/cgan/model.safetensors").read_bytes()
    images, labels = load_split("train", bundle / "data", download=False)  # the data the copying check reads
    assert images.shape == (60_000, 28, 28) and labels.shape == (60_000,)
    size = sum((bundle / f).stat().st_size for f in files) / 1e6
    assert size < 80, size  # what the Space uploads (README: about 73 MB)


def test_front_matter_configures_a_gradio_space_that_renders(bundle):
    readme = (bundle / "README.md").read_text()
    config = front_matter(readme)
    assert config["sdk"] == "gradio" and config["app_file"] == "app.py" and config["license"] == "mit"
    assert config["sdk_version"] == gradio.__version__  # the gradio these tests run
    assert config["python_version"] == space.PYTHON_VERSION and 0 < len(config["short_description"]) <= 60
    if SPACE_PYTHON.exists():  # the Python the boot tests run the bundle on
        run = subprocess.run([SPACE_PYTHON, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True)
        assert run.stdout.strip() == config["python_version"]
    body = readme.split("---\n", 2)[2]
    images = [part.split(")")[0] for part in body.split("](")[1:]]
    assert images and all((bundle / image).is_file() for image in images)  # no broken image link on the page


def test_binaries_go_through_lfs_in_the_bundle_but_not_in_this_repository(bundle):
    rules = (bundle / ".gitattributes").read_text().splitlines()
    for ext in ("safetensors", "png", "gif"):
        assert f"*.{ext} filter=lfs diff=lfs merge=lfs -text" in rules
    own = ROOT / ".gitattributes"
    assert not own.exists() or "lfs" not in own.read_text()


def test_build_refuses_a_folder_in_use_and_leaves_it_alone(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    r = run_cli("-m", "fashion_gan.space", "build", tmp_path)
    assert r.returncode == 2 and "not an empty folder" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_static_bundle_is_the_site_with_a_static_front_matter(tmp_path):
    require_onnxruntime_web()
    out = tmp_path / "static"
    r = run_cli("-m", "fashion_gan.space", "build", out, "--static")
    assert r.returncode == 0 and "wrote the Static Space (" in r.stdout, r.stderr
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == sorted([".gitattributes", "README.md", "index.html", "style.css", "app.js", "latent.js", "models.js",
                            "site.json", "cgan.onnx", "gan.onnx", *(f"ort/{name}" for name in web.ORT_FILES)])
    config = front_matter((out / "README.md").read_text())
    assert config["sdk"] == "static" and config["app_file"] == "index.html" and config["license"] == "mit"
    assert "sdk_version" not in config and 0 < len(config["short_description"]) <= 60
    assert (out / ".gitattributes").read_text().split("\n")[:2] == ["*.onnx filter=lfs diff=lfs merge=lfs -text",
                                                                     "*.wasm filter=lfs diff=lfs merge=lfs -text"]
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) <= web.BUDGET_BYTES


@needs_space_venv
def test_bundle_requirements_resolve_to_the_tested_versions(bundle):
    """pip, asked to install the bundle's requirements into the Space venv, finds nothing to do."""
    report = bundle.parent / "report.json"
    run = subprocess.run([SPACE_PYTHON, "-m", "pip", "install", "--dry-run", "--quiet", "--no-index", "--report", report,
                          "-r", bundle / "requirements.txt", f"gradio=={front_matter((bundle / 'README.md').read_text())['sdk_version']}"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr  # --no-index: satisfied by what is installed, nothing fetched
    assert json.loads(report.read_text())["install"] == []
    versions = subprocess.run([SPACE_PYTHON, "-c", "import torch, gradio, spaces, importlib.metadata as m; "
                               "print(torch.__version__.split('+')[0], gradio.__version__, m.version('spaces'))"],
                              capture_output=True, text=True).stdout.split()
    pins = dict(line.split("==") for line in (bundle / "requirements.txt").read_text().splitlines() if "==" in line)
    assert versions == [pins["torch"], gradio.__version__, pins["spaces"]]


# --- the bundle booting as a Space ----------------------------------------------------------------


class FakeDeviceAPI(BaseHTTPRequestHandler):
    """Stands in for the ZeroGPU device API a Space talks to: start-up is accepted, GPU requests are not."""
    seen: list[str] = []

    def do_POST(self):
        FakeDeviceAPI.seen.append(self.path.split("?")[0])
        self.send_response(200 if self.path.startswith("/startup-report") else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


def space_env(port: int, **extra) -> dict:
    """What a Space sets (bound to localhost here), and nothing of the repository: no PYTHONPATH."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {**keep, "SYSTEM": "spaces", "SPACE_ID": "tester/fashion-gan", "SPACE_AUTHOR_NAME": "tester",
            "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "HF_HUB_OFFLINE": "1",
            "OMP_NUM_THREADS": "1", **extra}


def repository_picture(class_name: str, seed: int) -> np.ndarray:
    """The picture the repository's app gives, from its own handler."""
    return Demo(ROOT / "weights/cgan", None, torch.device("cpu")).generate(class_name, seed)


def assert_same_picture(client, class_name="Sneaker", seed=42):
    served = np.array(Image.open(client.predict(class_name, seed, 0, 1, api_name="/generate")))
    expected = repository_picture(class_name, seed)
    assert served.shape == expected.shape
    # The Space runs its own torch (space.REQUIREMENTS): fp32 sums may round differently by a grey level.
    assert np.abs(served.astype(int) - expected).max() <= 1


@pytest.mark.slow
@needs_space_venv
def test_bundle_boots_as_a_cpu_space_and_serves_the_same_picture(bundle):
    port = free_port()
    with serving([SPACE_PYTHON, "app.py"], port=port, cwd=bundle, env=space_env(port)) as (url, _, log):
        client = Client(url, verbose=False, ssl_verify=False)
        assert_same_picture(client)
        assert_same_picture(client, "Dress", 7)
        npz = np.load(client.predict("Bag", 5, 20, api_name="/batch"))  # on a CPU Space the batch runs on the CPU
        assert npz["images"].shape == (20, 28, 28) and list(npz["seeds"]) == list(range(5, 25))
        text = log.read_text()
    assert "Traceback" not in text and "Error" not in text, text


@pytest.mark.slow
@needs_space_venv
def test_bundle_boots_on_zero_gpu_with_generate_outside_spaces_gpu(bundle):
    api = ThreadingHTTPServer(("127.0.0.1", 0), FakeDeviceAPI)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    FakeDeviceAPI.seen.clear()
    port = free_port()
    env = space_env(port, SPACES_ZERO_GPU="true", SPACES_ZERO_DEVICE_API_URL=f"http://127.0.0.1:{api.server_port}")
    try:
        with serving([SPACE_PYTHON, "app.py"], port=port, cwd=bundle, env=env) as (url, _, log):
            assert "/startup-report" in FakeDeviceAPI.seen  # `spaces` registered the wrapped function at launch
            client = Client(url, verbose=False, ssl_verify=False)
            assert_same_picture(client)
            assert not [p for p in FakeDeviceAPI.seen if p != "/startup-report"]  # /generate asked for no GPU
            with pytest.raises(Exception):  # the batch asks the device API for a GPU, which says no here
                client.predict("Bag", 5, 20, api_name="/batch")
            assert [p for p in FakeDeviceAPI.seen if p != "/startup-report"], "the batch did not go through spaces.GPU"
            assert_same_picture(client, "Dress", 7)  # and the server goes on
            text = log.read_text()
    finally:
        api.shutdown()
    assert "Traceback" not in text.split("/batch")[0], text  # nothing went wrong before the refused batch


# --- deploy, up to the network boundary -----------------------------------------------------------


class FakeHub(BaseHTTPRequestHandler):
    """Stands in for the Hub's HTTP API: a user 'tester', and a create call answered with `create_status`."""
    create_status = 402

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/api/whoami"):
            return self._answer(200, {"name": "tester", "type": "user", "orgs": [{"name": "tester-org"}]})
        self._answer(404, {"error": "not found"})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/api/repos/create"):
            return self._answer(FakeHub.create_status, {"error": "refused by the test's Hub"})
        self._answer(404, {"error": "not found"})

    def log_message(self, *args):
        pass


def deploy(tmp_path, *args, endpoint=None):
    env = {"HOME": str(tmp_path), "TMPDIR": str(tmp_path), "HF_HUB_OFFLINE": "0"}
    if endpoint:
        env["HF_ENDPOINT"] = endpoint
    r = run_cli("-m", "fashion_gan.space", "deploy", *args, env=env, cwd=tmp_path)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "hf_secret" not in r.stderr + r.stdout  # a token is never echoed
    assert not list(tmp_path.glob("fashion-gan-space-*")), "the temporary bundle was left behind"
    return r


def test_deploy_without_a_token_or_with_a_bad_id_exits_2(tmp_path):
    r = deploy(tmp_path, "tester/fashion-gan")
    assert r.returncode == 2 and "no Hugging Face token" in r.stderr and "hf auth login" in r.stderr
    for bad in ("fashion-gan", "a/b/c", "/x", "me/"):
        r = deploy(tmp_path, bad, "--token", "hf_secret")
        assert r.returncode == 2 and "is not a Space id" in r.stderr, bad


def test_deploy_with_the_hub_unreachable_exits_1_with_the_retry_command(tmp_path):
    r = deploy(tmp_path, "tester/fashion-gan", "--token", "hf_secret", endpoint=f"http://127.0.0.1:{free_port()}")
    assert r.returncode == 1 and "cannot reach the Hugging Face Hub" in r.stderr
    assert "retry: python -m fashion_gan.space deploy tester/fashion-gan --hardware zero-a10g" in r.stderr


@pytest.mark.parametrize("status, hardware, words", [
    (402, "cpu-basic", "need a paid plan (402); a free account gets ZeroGPU: deploy again with --hardware zero-a10g"),
    (403, "zero-a10g", "create a token with write access"),
])
def test_deploy_explains_what_the_hub_refused(tmp_path, status, hardware, words):
    FakeHub.create_status = status
    hub = ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{hub.server_port}"
        r = deploy(tmp_path, "tester/fashion-gan", "--hardware", hardware, "--token", "hf_secret", endpoint=endpoint)
        assert r.returncode == 2 and words in r.stderr
        r = deploy(tmp_path, "someone-else/fashion-gan", "--token", "hf_secret", endpoint=endpoint)
        assert r.returncode == 2 and "'someone-else' is not your account (tester)" in r.stderr
    finally:
        hub.shutdown()


def test_static_deploy_has_the_same_error_paths(tmp_path):
    r = deploy(tmp_path, "tester/fashion-gan", "--static")
    assert r.returncode == 2 and "no Hugging Face token" in r.stderr
    r = deploy(tmp_path, "a/b/c", "--static", "--token", "hf_secret")
    assert r.returncode == 2 and "is not a Space id" in r.stderr
    r = deploy(tmp_path, "tester/fashion-gan", "--static", "--token", "hf_secret", endpoint=f"http://127.0.0.1:{free_port()}")
    assert r.returncode == 1 and "retry: python -m fashion_gan.space deploy tester/fashion-gan --static" in r.stderr
    FakeHub.create_status = 403
    hub = ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{hub.server_port}"
        r = deploy(tmp_path, "someone-else/fashion-gan", "--static", "--token", "hf_secret", endpoint=endpoint)
        assert r.returncode == 2 and "'someone-else' is not your account (tester)" in r.stderr
        require_onnxruntime_web()  # the refused create comes after the site is built
        r = deploy(tmp_path, "tester/fashion-gan", "--static", "--token", "hf_secret", endpoint=endpoint)
        assert r.returncode == 2 and "create a token with write access" in r.stderr
    finally:
        hub.shutdown()
    r = run_cli("-m", "fashion_gan.space", "deploy", "tester/fashion-gan", "--static", "--hardware", "cpu-basic")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr

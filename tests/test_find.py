"""Find it: the encoder that starts the search, the page's handlers and API names, latent codes in the other views,
and Is it copying? (the nearest training images). Tiny generators, tiny IDX files, the shipped classifier."""

import shutil

import gradio as gr
import numpy as np
import pytest
import torch
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from appserver import running_app
from conftest import ROOT, run_cli, write_dataset
from fashion_gan import encoder, hub, latent, links, sampling
from fashion_gan.data import CLASS_NAMES, load_split
from fashion_gan.demo import FOUND_SCALE, Demo, display
from fashion_gan.errors import UserError
from fashion_gan.models import LatentEncoder
from fashion_gan.project import project

CLASSIFIER = ROOT / "weights" / "classifier"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("find") / "fmnist", n_train=300, n_test=100)


@pytest.fixture(scope="module")
def demo(tiny_generators, data):
    return Demo(tiny_generators / "cgan", tiny_generators / "gan", torch.device("cpu"), data_dir=data,
                classifier=CLASSIFIER)


def own_picture(tiny_generators, tmp_path, seed=3, label=8, scale=4):
    """A picture the tiny cGAN made (class `label`), saved blown up as a visitor would upload it."""
    generator = hub.load_network(tiny_generators / "cgan")
    image = sampling.generate(generator, [seed], [label])[0]
    path = tmp_path / f"own_{seed}.png"
    sampling.save_png(image, path, scale=scale)
    return image, path


def rms(a, b) -> float:
    return float(np.sqrt(np.mean((a.astype(float) - b.astype(float)) ** 2)))


def test_the_encoder_learns_the_latents_and_starts_the_search(tiny_generators):
    generator = hub.load_network(tiny_generators / "cgan")
    z = torch.randn(256, generator.z_dim, generator=torch.Generator().manual_seed(1))
    labels = torch.arange(256) % 10
    with torch.no_grad():
        pictures = generator(z, labels)

    def error(e):
        with torch.no_grad():
            return float((e(pictures) - z).pow(2).mean())
    untrained = error(LatentEncoder(z_dim=generator.z_dim).eval())
    trained = encoder.train(generator, steps=150)
    assert error(trained) < 0.8 * untrained, (error(trained), untrained)
    # The search's first start in each class is the encoder's guess: with no steps, that guess is the answer
    target = sampling.to_uint8(pictures[:1])[0]
    found = project(generator, target, 0, restarts=1, steps=0, encoder=trained)
    with torch.no_grad():
        guess = trained(torch.as_tensor(target, dtype=torch.float32).div(127.5).sub(1).view(1, 1, 28, 28))[0]
    assert torch.equal(found.z, latent.on_code_grid(guess))
    # and the feature distance needs the encoder
    with pytest.raises(ValueError, match="encoder"):
        project(generator, target, 0, restarts=1, steps=1, feature_weight=1.0)


def test_the_encoder_cli_writes_beside_the_generator_and_the_projection_uses_it(tiny_generators, tmp_path):
    weights = tmp_path / "cgan"
    shutil.copytree(tiny_generators / "cgan", weights)
    r = run_cli("-m", "fashion_gan.encoder", "--weights", weights, "--steps", "20")
    assert r.returncode == 0, r.stderr
    assert (weights / "encoder" / "model.safetensors").is_file() and "encoder written to" in r.stderr
    generator = hub.load_network(weights)
    loaded = encoder.load(weights, generator)
    assert isinstance(loaded, LatentEncoder) and loaded.z_dim == generator.z_dim
    assert encoder.load(tiny_generators / "cgan", generator) is None  # no encoder there: random starts only
    _, path = own_picture(tiny_generators, tmp_path)
    r = run_cli("-m", "fashion_gan.project", path, "--weights", weights, "--out", tmp_path / "found.png")
    assert r.returncode == 0 and r.stdout.strip().startswith(latent.CODE_PREFIX), r.stderr
    gan = hub.load_network(tiny_generators / "gan")  # another latent size: refused, naming the folder
    with pytest.raises(UserError, match="encoder for 100-number latents"):
        encoder.load(weights, gan)
    for args, message in ((["--steps", "0"], "--steps must be at least 1"),
                          (["--minutes", "-1"], "--minutes must be a positive"),
                          (["--weights", tmp_path / "nowhere"], "not a folder")):
        r = run_cli("-m", "fashion_gan.encoder", *(["--weights", weights] if "--weights" not in args else []), *args)
        assert r.returncode == 2 and r.stderr.startswith("error: ") and message in r.stderr, r.stderr


def test_project_finds_the_generators_own_picture_and_its_code_draws_it_everywhere(demo, tiny_generators, tmp_path):
    image, path = own_picture(tiny_generators, tmp_path)
    picture, class_name, code = demo.project(str(path), "Bag")
    assert picture.shape == (28 * FOUND_SCALE,) * 2 and class_name == "Bag" and code.startswith(latent.CODE_PREFIX)
    found = picture[::FOUND_SCALE, ::FOUND_SCALE]
    assert rms(found, image) < 3.0  # grey levels: the same garment
    z = latent.from_latent_code(code, demo.generator.z_dim).unsqueeze(0)
    assert np.array_equal(found, sampling.render(demo.generator, z, 8)[0])  # the code holds exactly that picture
    # the code in place of a seed: Generate, Directions (and its API name), Walk
    shown = display(found[None], 1)
    assert np.array_equal(demo.from_code("Bag", code), shown)
    assert np.array_equal(demo.generate("Bag", 999, 0, 1, "dcgan", code), shown)
    assert np.array_equal(demo.edit_code("Bag", code, 0, 0), shown)
    assert np.array_equal(demo.edit("Bag", 999, 2, 1.5, code), demo.edit_code("Bag", code, 2, 1.5))
    assert not np.array_equal(demo.edit_code("Bag", code, 2, 1.5), shown)
    strip = demo.edit_strip("Bag", 0, 2, code)
    assert strip.shape == demo.edit_strip("Bag", 0, 2).shape and not np.array_equal(strip, demo.edit_strip("Bag", 0, 2))
    gif, strip = demo.walk("Bag", f"{code}, 3", 2)
    assert Image.open(gif).n_frames == 4
    assert np.array_equal(strip, display(np.stack([found, sampling.generate(demo.generator, [3], [8])[0]]), 2))
    assert [name for _, name in demo.found_classes(code)][:2] == ["T-shirt/top", "Trouser"]
    assert Image.open(demo.found_walk("Bag", code, 3, 4)).n_frames == 6  # there and back
    # auto: all ten classes searched, the class comes back with the picture
    picture, class_name, _ = demo.project(str(path), "auto")
    assert class_name in CLASS_NAMES and rms(picture[::FOUND_SCALE, ::FOUND_SCALE], image) < 6.0


def test_find_shows_what_was_searched_and_the_gan_can_be_searched(demo, tiny_generators, tmp_path):
    image, path = own_picture(tiny_generators, tmp_path, scale=1)  # a 28x28 picture is taken as it is
    searched, found, line, code, class_name = demo.find(str(path), "Sneaker")
    assert np.array_equal(searched[::FOUND_SCALE, ::FOUND_SCALE], image) and class_name == "Sneaker"
    assert line.startswith("Found in class Sneaker: ") and " grey levels from the picture" in line
    gan_line, gan_code, gan_class = demo.find(str(path), "auto", "gan")[2:]
    assert gan_line.startswith("Found in the unconditional GAN: ") and gan_class == "" and gan_code.startswith("z1.")


def test_bad_pictures_and_codes_get_one_line(demo, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    black_sketch = {"background": None, "layers": [], "composite": np.zeros((280, 280, 4), np.uint8)}
    for call, message in ((lambda: demo.project(None), "upload a picture, draw one or pick a test image"),
                          (lambda: demo.project(str(text)), "not a picture this can read"),
                          (lambda: demo.find(black_sketch, "auto"), "nothing stands out"),
                          (lambda: demo.project(str(text), "Hat"), "unknown class"),
                          (lambda: demo.find(str(text), "auto", "vae"), "network must be one of"),
                          (lambda: demo.from_code("Bag", "z1.abc"), "latent code: it holds 1 values"),
                          (lambda: demo.from_code("Bag", "seed 3"), "latent code: expected text starting with"),
                          (lambda: demo.edit_code("Bag", "", 0, 1), "latent code:"),
                          (lambda: demo.walk("Bag", "3, z1.!!", 2), "latent code: it holds characters"),
                          (lambda: demo.found_walk("Bag", "", 3), "latent code:")):
        with pytest.raises(gr.Error) as e:
            call()
        assert message in e.value.message and "\n" not in e.value.message, e.value.message


def test_the_nearest_training_image_of_a_training_image_is_itself(demo, data, tmp_path):
    images, labels = load_split("train", data, download=False)
    image = images[17].numpy()
    path = tmp_path / "train17.png"
    sampling.save_png(image, path, scale=3)
    gallery = demo.neighbours(str(path))
    captions = [caption for _, caption in gallery]
    assert len(gallery) == 8 and captions[0].startswith("0.0 px · 0.0 feat · train #17 ")
    pixels = [float(c.split()[0]) for c in captions]
    assert pixels == sorted(pixels) and pixels[1] > 0  # nearest first
    assert np.array_equal(gallery[0][0][::4, ::4], image)
    by_pixels, by_features, line = demo.copying_check(str(path))
    assert [c for _, c in by_pixels] == captions and by_features[0][1].startswith("0.0 feat · 0.0 px · train #17 ")
    assert line.startswith("Nearest training image: 0.0 grey levels · nearest test image (never trained on): ")
    # Generate's own picture, checked the same way: the neighbours of the seed's picture itself
    nearest, line = demo.seed_copying("Bag", 3)
    seed_picture = sampling.generate(demo.generator, [3], [8])[0]
    assert [c for _, c in nearest] == [c for _, c in demo.neighbours(seed_picture)] and line.startswith("Nearest training")
    # the features were kept in a file beside the data: a second server reads them and answers the same
    assert len(list(data.glob("features-*.npz"))) == 1
    again = Demo(demo.weights, None, torch.device("cpu"), data_dir=data, classifier=CLASSIFIER)
    assert [c for _, c in again.neighbours(str(path))] == captions


def test_without_readable_data_is_it_copying_names_the_file_and_the_rest_works(tiny_generators, tmp_path):
    bad = write_dataset(tmp_path / "bad")
    (bad / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b not gzip")
    model = Demo(tiny_generators / "cgan", None, torch.device("cpu"), data_dir=bad, classifier=CLASSIFIER)
    with pytest.raises(gr.Error, match="needs Fashion-MNIST's images on the server: .*train-images-idx3-ubyte.gz"):
        model.neighbours(np.zeros((28, 28), np.uint8) + 200)
    assert model.generate("Bag", 1).ndim == 2
    off = Demo(tiny_generators / "cgan", None, torch.device("cpu"), data_dir=bad)
    with pytest.raises(gr.Error, match="Is it copying. is off: no classifier"):
        off.neighbours(np.zeros((28, 28), np.uint8) + 200)


def test_links_carry_a_latent_code():
    code = latent.latent_code(torch.randn(100))
    tab, values, ignored = links.read({"tab": "directions", "code": code, "seed": "3"})
    assert tab == "directions" and values == {"code": code, "seed": 3} and not ignored
    assert links.read({"tab": "generate", "code": ""})[1] == {"code": ""}  # an empty box: the seed draws
    _, values, ignored = links.read({"tab": "generate", "code": "z1.@@"})
    assert "code" not in values and ignored[0].startswith("code=z1.@@ (latent code: it holds characters")
    assert links.read({"tab": "walk", "seeds": f"{code}, 4"})[1]["seeds"] == f"{code}, 4"
    assert links.read({"tab": "find"})[0] == "find"


def test_the_api_names_project_and_neighbours_over_http(tiny_generators, data, tmp_path):
    image, path = own_picture(tiny_generators, tmp_path)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with running_app("--weights", tiny_generators / "cgan", "--gan-weights", tiny_generators / "gan",
                     "--device", "cpu", "--data-dir", data) as (url, _):
        client = Client(url, verbose=False)
        found_file, class_name, code = client.predict(handle_file(path), "Bag", api_name="/project")
        found = np.array(Image.open(found_file))
        assert class_name == "Bag" and found.shape == (280, 280) and rms(found[::10, ::10], image) < 3.0
        gallery = client.predict(handle_file(found_file), api_name="/neighbours")  # the found picture, as returned
        assert len(gallery) == 8 and all(" px · " in item["caption"] and " train #" in item["caption"] for item in gallery)
        shown = np.array(Image.open(client.predict("Bag", code, api_name="/from_code")))
        assert np.array_equal(shown, display(found[::10, ::10][None], 1))
        edited = np.array(Image.open(client.predict("Bag", code, 1, 2.0, api_name="/edit_code")))
        assert edited.shape == shown.shape and not np.array_equal(edited, shown)
        gif, _ = client.predict("Bag", f"{code}, 3", 2, "slerp", api_name="/walk")  # walk's signature, a code in it
        assert Image.open(gif).n_frames == 4
        assert np.array(Image.open(client.predict("Bag", 3, 0, 1.0, api_name="/edit"))).ndim == 2  # as before
        for args, api_name, message in (((handle_file(text), "auto"), "/project", "not a picture this can read"),
                                        (("Bag", "z1.abc"), "/from_code", "latent code:"),
                                        (("Bag", "nonsense", 0, 1.0), "/edit_code", "latent code:")):
            with pytest.raises(AppError) as e:
                client.predict(*args, api_name=api_name)
            assert message in str(e.value) and "Traceback" not in str(e.value), str(e.value)
        assert np.array_equal(np.array(Image.open(client.predict("Bag", code, api_name="/from_code"))), shown)

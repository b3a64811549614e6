"""Finding a garment in the latent space (fashion_gan.project): the picture's conversion, the search, the CLI."""

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import run_cli
from fashion_gan import hub, latent, sampling
from fashion_gan.errors import UserError
from fashion_gan.project import project, to_fashion_mnist


def photo_like(tmp_path, background=(245, 243, 240), garment=(30, 40, 110), size=(300, 200)):
    """A product photo: a dark blue 'garment' (a trapezoid, taller than wide) off centre on a light background."""
    image = Image.new("RGB", size, background)
    pixels = image.load()
    for y in range(40, 180):
        half = 20 + (y - 40) // 6  # wider at the bottom
        for x in range(90 - half, 90 + half):
            pixels[x, y] = garment
    path = tmp_path / "photo.jpg"
    image.save(path, quality=90)
    return path


def bounds(image: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(image > 40)
    return rows.min(), rows.max(), cols.min(), cols.max()


def test_a_light_background_photo_becomes_a_light_garment_on_black_centred(tmp_path):
    out = to_fashion_mnist(photo_like(tmp_path))
    assert out.shape == (28, 28) and out.dtype == np.uint8
    assert out[:, 0].max() < 20 and out[:, -1].max() < 20  # black beside it (its height fills the frame)
    assert out[14, 14] > 200  # the garment is light
    top, bottom, left, right = bounds(out)
    assert (top, bottom) == (0, 27)  # the longer side (the height) fills the frame, as in Fashion-MNIST
    assert abs((left + right) / 2 - 13.5) <= 1  # centred left to right, though it was off centre in the photo
    assert right - left < 27  # and keeps its shape: narrower than tall


def test_a_dark_background_drawing_and_a_transparent_png_come_out_the_same_way(tmp_path):
    drawing = np.zeros((400, 400), np.uint8)
    drawing[100:300, 150:250] = 255  # white on black, as the sketch input draws
    out = to_fashion_mnist(drawing)
    assert out[14, 14] == 255 and out[14, 0] == 0 and bounds(out)[:2] == (0, 27)
    rgba = Image.new("RGBA", (400, 400), (0, 0, 0, 0))  # transparent, with a red garment
    rgba.paste((200, 20, 20, 255), (150, 100, 250, 300))
    out_png = to_fashion_mnist(rgba)
    assert out_png[14, 14] > 200 and out_png[14, 0] == 0 and bounds(out_png) == bounds(out)


@pytest.mark.parametrize("bad, message", [
    (np.zeros((200, 200), np.uint8), "nothing stands out"),  # an all-black drawing
    (np.full((50, 80, 3), 255, np.uint8), "nothing stands out"),  # an empty white page
])
def test_an_empty_picture_is_refused_in_one_line(bad, message):
    with pytest.raises(UserError, match=message):
        to_fashion_mnist(bad)


def test_a_file_that_is_not_a_picture_and_a_huge_one_are_named(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(UserError, match="notes.png: not a picture"):
        to_fashion_mnist(text)
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(huge)  # 48 million pixels, a few kilobytes on disk
    with pytest.raises(UserError, match="8000 x 6000 is over 40,000,000 pixels"):
        to_fashion_mnist(huge)


def test_projection_finds_a_latent_the_generator_itself_made(tiny_generators):
    generator = hub.load_network(tiny_generators / "cgan")
    target = sampling.generate(generator, [3], [2])[0]
    start = latent.latent_from_seed(3, generator.z_dim)
    found = project(generator, target, 2, restarts=4, steps=150)
    assert found.label == 2 and found.image.shape == (28, 28)
    assert found.distance < 2.0, found.distance  # grey levels RMS: the same picture, near enough
    far = sampling.generate(generator, [4], [2])[0].astype(float)
    assert found.distance < 0.1 * np.sqrt(np.mean((far - target) ** 2))  # against another seed's picture
    assert torch.equal(latent.from_latent_code(found.code, generator.z_dim), found.z)  # the code holds this latent
    assert start.shape == found.z.shape


def test_auto_searches_every_class_at_once_and_the_gan_takes_none(tiny_generators):
    generator = hub.load_network(tiny_generators / "cgan")
    target = sampling.generate(generator, [5], [7])[0]
    found = project(generator, target, "auto", restarts=2, steps=150)
    assert found.distance < 4.0 and found.label is not None
    gan = hub.load_network(tiny_generators / "gan")
    assert project(gan, sampling.generate(gan, [1])[0], None, restarts=2, steps=20).label is None
    with pytest.raises(UserError, match="unconditional"):
        project(gan, target, "Bag")


def test_the_cli_prints_a_latent_code_that_gives_back_its_picture(tmp_path, tiny_generators):
    path = photo_like(tmp_path)
    r = run_cli("-m", "fashion_gan.project", path, "--class", "Dress", "--weights", tiny_generators / "cgan",
                "--steps", "30", "--restarts", "2", "--out", tmp_path / "found.png")
    assert r.returncode == 0, r.stderr
    code = r.stdout.strip()
    assert code.startswith(latent.CODE_PREFIX) and "in class Dress" in r.stderr
    generator = hub.load_network(tiny_generators / "cgan")
    z = latent.from_latent_code(code, generator.z_dim)
    again = sampling.render(generator, z.unsqueeze(0), 3)[0]
    saved = np.array(Image.open(tmp_path / "found.png"))[::4, ::4]  # scale 4: converted input | gap | found
    assert np.array_equal(saved[:, 30:], again) and np.array_equal(saved[:, :28], to_fashion_mnist(path))
    for args, message in ((["missing.png"], "missing.png: no such file"),
                          ([path, "--out", tmp_path / "no" / "x.png"], "does not exist")):
        r = run_cli("-m", "fashion_gan.project", *args, "--weights", tiny_generators / "cgan")
        assert r.returncode == 2 and r.stderr.startswith("error: ") and message in r.stderr, r.stderr

"""Handler level: the functions behind every control of the demo, called directly."""

import math

import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

from fashion_gan import hub, sampling
from fashion_gan.demo import Demo
from fashion_gan.errors import UserError
from fashion_gan.models import MLPGenerator


@pytest.fixture(scope="module")
def demo(tiny_generators):
    model = Demo(tiny_generators / "cgan", tiny_generators / "gan", torch.device("cpu"))
    model.warm_up()
    return model


def tiles(picture: np.ndarray, columns: int) -> int:
    """Upscale factor of a displayed grid with `columns` tiles a row."""
    return picture.shape[1] // (columns * 30 + 2)


def test_same_seed_same_image_other_seed_differs(demo):
    a, b, c = demo.generate("Sneaker", 42), demo.generate("Sneaker", 42), demo.generate("Sneaker", 43)
    assert a.dtype == np.uint8 and a.ndim == 2
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert not np.array_equal(a, demo.generate("Bag", 42))


def test_generate_is_a_crisp_upscale_of_the_sampled_image(demo):
    picture = demo.generate("Trouser", 5)
    k = tiles(picture, 1)
    native = sampling.generate(demo.generator, [5], [1])[0]
    assert k >= 8 and np.array_equal(picture[2 * k:30 * k:k, 2 * k:30 * k:k], native)


def test_count_gives_a_grid_of_consecutive_seeds(demo):
    grid = demo.generate("Coat", 10, 0, 12)  # 12 images, 8 a row -> 2 rows
    k = tiles(grid, 8)
    assert grid.shape == ((2 * 30 + 2) * k, (8 * 30 + 2) * k)
    second = sampling.generate(demo.generator, [11], [4])[0]
    assert np.array_equal(grid[2 * k:30 * k:k, 32 * k:60 * k:k], second)


def test_native_png_is_28_by_28(demo):
    path = demo.native_png("Sneaker", 42)
    image = np.array(Image.open(path))
    assert image.shape == (28, 28)
    assert np.array_equal(image, sampling.generate(demo.generator, [42], [7])[0])


def test_truncation_changes_the_picture(demo):
    assert not np.array_equal(demo.generate("Shirt", 3, 0), demo.generate("Shirt", 3, 0.5))
    assert np.array_equal(demo.generate("Shirt", 3, 0), demo.generate("Shirt", 3, None))


@pytest.mark.parametrize("method", ["slerp", "lerp"])
def test_interpolation_ends_are_the_endpoint_images(demo, method):
    strip, gif = demo.interpolate("Dress", 1, 2, 6, method)
    frames = sampling.interpolate_latents(demo.generator, 1, 2, 6, 3, method)
    assert frames.shape == (6, 28, 28)
    assert np.array_equal(frames[0], sampling.generate(demo.generator, [1], [3])[0])
    assert np.array_equal(frames[-1], sampling.generate(demo.generator, [2], [3])[0])
    k = tiles(strip, 6)
    assert strip.shape == ((30 + 2) * k, (6 * 30 + 2) * k)
    animation = Image.open(gif)
    assert animation.format == "GIF" and animation.n_frames == 2 * 6 - 2


def test_morph_and_class_grid(demo):
    strip, gif = demo.morph(7, "Sneaker", "Ankle boot", 5)
    assert Image.open(gif).n_frames == 8
    grid = demo.class_grid(7)
    k = tiles(grid, 10)
    for label in (0, 9):
        expected = sampling.generate(demo.generator, [7], [label])[0]
        x = (2 + 30 * label) * k
        assert np.array_equal(grid[2 * k:30 * k:k, x:x + 28 * k:k], expected)


def test_gan_tab(demo):
    a = demo.gan_image(3)
    assert np.array_equal(a, demo.gan_image(3)) and not np.array_equal(a, demo.gan_image(4))


@pytest.mark.parametrize("call", [
    lambda d: d.generate("Hat", 1),
    lambda d: d.generate("Sneaker", -1),
    lambda d: d.generate("Sneaker", 2**31),
    lambda d: d.generate("Sneaker", 1.5),
    lambda d: d.generate("Sneaker", "abc"),
    lambda d: d.generate("Sneaker", math.nan),
    lambda d: d.generate("Sneaker", True),
    lambda d: d.generate("Sneaker", 1, math.nan),
    lambda d: d.generate("Sneaker", 1, -0.5),
    lambda d: d.generate("Sneaker", 1, 0, 65),
    lambda d: d.generate("Sneaker", 2**31 - 2, 0, 5),
    lambda d: d.interpolate("Dress", 1, 2, 1),
    lambda d: d.interpolate("Dress", 1, 2, 61),
    lambda d: d.interpolate("Dress", 1, 2, 5, "cubic"),
    lambda d: d.interpolate("Dress", math.inf, 2, 5),
    lambda d: d.morph(1, "Sneaker", "Helmet", 5),
    lambda d: d.class_grid(None),
    lambda d: d.gan_image(-5),
    lambda d: d.gan_image(1, -1),
    lambda d: d.walk("Dress", "3, x", 5),
    lambda d: d.walk("Dress", "1-60", 10),  # 600 frames
    lambda d: d.walk("Dress", "1, 2", 0),
    lambda d: d.walk("Dress", "1, 2", 5, "cubic"),
    lambda d: d.map_point("Dress", -1, 0),
    lambda d: d.map_point("Dress", "abc", 0),
    lambda d: d.map_point("Dress", 0, 2**31),
    lambda d: d.seed_map("Dress", 0, 2**31 // 100),
    lambda d: d.edit("Dress", 1, 10, 1.0),
    lambda d: d.edit("Dress", 1, 0, 6.0),
    lambda d: d.edit("Dress", 1, "first", 1.0),
    lambda d: d.seed_gallery("Dress", -1),
])
def test_bad_input_raises_gr_error_with_one_line(demo, call):
    with pytest.raises(gr.Error) as e:
        call(demo)
    assert "\n" not in str(e.value.message) and len(str(e.value.message)) > 10


def test_unconditional_weights_are_refused_as_the_main_model(tmp_path):
    hub.save_network(MLPGenerator(), tmp_path / "gan")
    with pytest.raises(UserError, match="class-conditional"):
        Demo(tmp_path / "gan", None, torch.device("cpu"))


def test_old_download_files_are_cleaned_up(demo):
    import os
    import time

    old = demo.native_png("Bag", 1)
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    fresh = demo.native_png("Bag", 2)
    assert not os.path.exists(old) and os.path.exists(fresh)


def test_walk_plays_through_every_keyframe_and_loops(demo):
    gif, strip = demo.walk("Ankle boot", "3, 17, 42-43", 5)
    animation = Image.open(gif)
    assert animation.format == "GIF" and animation.n_frames == 4 * 5 and animation.info["loop"] == 0
    frames = []
    for i in range(animation.n_frames):
        animation.seek(i)
        frames.append(np.array(animation.convert("L"))[::6, ::6])  # back to 28x28 (GIF_SCALE 6)
    keyframes = sampling.generate(demo.generator, [3, 17, 42, 43], [9] * 4)
    for i, key in enumerate(keyframes):  # frame 5i is keyframe i, within the GIF's palette rounding
        assert np.abs(frames[5 * i].astype(int) - key).max() <= 8
    k = tiles(strip, 4)
    assert strip.shape == ((30 + 2) * k, (4 * 30 + 2) * k)
    gif_all, _ = demo.walk("Dress", "1, 2", 3, "lerp", True)
    assert Image.open(gif_all).n_frames == 6 and Image.open(gif_all).size == (5 * 30 * 3 + 6, 2 * 30 * 3 + 6)


def test_map_point_at_an_integer_point_is_generates_picture_byte_for_byte(demo):
    assert np.array_equal(demo.map_point("Sneaker", 42, 0), demo.generate("Sneaker", 42))
    assert np.array_equal(demo.map_point("Coat", 5.0, 3.0), demo.generate("Coat", 305))
    between = demo.map_point("Coat", 5.5, 3.0)
    assert between.shape == demo.generate("Coat", 305).shape and not np.array_equal(between, demo.generate("Coat", 305))


def test_seed_map_tiles_are_the_seeds_of_the_plane(demo):
    board = demo.seed_map("Bag", 20, 3)
    assert board.shape == (8 * 56, 10 * 56)
    tile = board[56 * 2:56 * 3:2, 56 * 4:56 * 5:2]  # row y = 3 + 2, column x = 20 + 4
    assert np.array_equal(tile, sampling.generate(demo.generator, [24 + 100 * 5], [8])[0])


def test_a_click_on_the_map_lands_on_the_tile_centres_seed():
    from fashion_gan.demo import map_position
    assert map_position(20, 3, 28, 28) == (20.0, 3.0)  # the first tile's centre
    assert map_position(20, 3, 56 * 4 + 28, 56 * 2 + 28) == (24.0, 5.0)
    assert map_position(20, 3, 56 * 4 + 42, 56 * 2 + 28) == (24.25, 5.0)
    assert map_position(0, 0, 0, 0) == (0.0, 0.0)  # never off the plane


def test_edit_at_zero_is_generate_and_other_amounts_change_the_picture(demo):
    assert np.array_equal(demo.edit("Pullover", 11, 0, 0), demo.generate("Pullover", 11))
    assert not np.array_equal(demo.edit("Pullover", 11, 0, 2), demo.generate("Pullover", 11))
    strip = demo.edit_strip("Pullover", 11, 0)
    k = tiles(strip, 7)
    assert np.array_equal(strip[2 * k:30 * k:k, (2 + 90) * k:(2 + 90 + 28) * k:k],
                          sampling.generate(demo.generator, [11], [2])[0])  # the middle tile is amount 0


def test_galleries_caption_their_tiles(demo):
    tiles_ = demo.seed_gallery("Bag", 100)
    assert [c for _, c in tiles_][:2] == ["seed 100", "seed 101"] and len(tiles_) == 24
    assert np.array_equal(tiles_[1][0][::4, ::4], sampling.generate(demo.generator, [101], [8])[0])
    classes = demo.class_gallery(7)
    assert [c for _, c in classes][0] == "T-shirt/top" and len(classes) == 10


def test_gan_truncation(demo):
    assert np.array_equal(demo.gan_image(3, 0), demo.gan_image(3))
    assert not np.array_equal(demo.gan_image(3, 0.5), demo.gan_image(3))

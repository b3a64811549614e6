"""Latent math: seed lists, looping walks, the seed plane's blends, principal directions."""

import math

import pytest
import torch

from fashion_gan import latent
from fashion_gan.errors import UserError
from fashion_gan.models import DCGANGenerator, MLPConditionalGenerator


def test_parse_seeds_reads_numbers_and_ranges_in_order():
    assert latent.parse_seeds("3, 17, 42-45") == [3, 17, 42, 43, 44, 45]
    assert latent.parse_seeds(" 7 ") == [7]
    assert latent.parse_seeds("5-5,0") == [5, 0]
    assert latent.parse_seeds("1 - 3") == [1, 2, 3]
    assert latent.parse_seeds(f"{latent.SEED_MAX}") == [latent.SEED_MAX]


@pytest.mark.parametrize("text, words", [
    ("", "give a list"), ("  ", "give a list"), (None, "give a list"), ("3,,4", "'' is not a seed"),
    ("a", "'a' is not a seed"), ("-3", "'-3' is not a seed"), ("1.5", "'1.5' is not a seed"),
    ("9-2", "runs backwards; write 2-9"), (f"{latent.SEED_MAX + 1}", "above the largest seed"),
    ("0-64", "at most 64 seeds"), ("1-3-5", "'1-3-5' is not a seed"),
])
def test_parse_seeds_refuses_with_one_line_naming_the_field(text, words):
    with pytest.raises(UserError, match="^seeds: ") as e:
        latent.parse_seeds(text)
    assert words in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("method", ["slerp", "lerp"])
def test_walk_passes_every_keyframe_and_its_last_frame_leads_back_into_the_first(method):
    keys = latent.latents_from_seeds([3, 17, 42], 100)
    steps = 8
    frames = latent.walk_latents(keys, steps, method)
    assert frames.shape == (3 * steps, 100)
    for i in range(3):
        assert torch.allclose(frames[i * steps], keys[i], atol=1e-5)
    gaps = (frames.roll(-1, dims=0) - frames).norm(dim=1)  # includes last -> first
    assert gaps[-1] < 1.5 * gaps[:-1].max() and gaps[-1] > 0.5 * gaps[:-1].min()  # the loop's seam is an ordinary step
    assert not torch.allclose(frames[-1], frames[0])  # and no frame is shown twice


def test_an_integer_point_of_the_plane_is_that_seeds_latent_exactly():
    for x, y in ((0, 0), (42, 0), (5, 3), (99, 7)):
        assert torch.equal(latent.plane_latent(x, y, 100), latent.latent_from_seed(x + latent.ROW * y, 100))
    assert latent.seed_at(7, 0) == 7 and latent.seed_at(7, 2) == 7 + 2 * latent.ROW


def test_blended_latents_keep_a_standard_normals_spread():
    generator = torch.Generator().manual_seed(0)
    points = torch.rand(400, 2, generator=generator) * torch.tensor([50.0, 20.0])
    z = torch.stack([latent.plane_latent(float(x), float(y), 100) for x, y in points])  # (400, 100)
    assert abs(z.std().item() - 1.0) < 0.03 and abs(z.mean().item()) < 0.03
    middle = latent.plane_latent(10.5, 3.5, 100)  # the centre of a cell: four equal weights
    plain = sum(latent.latent_from_seed(latent.seed_at(x, y), 100) for x in (10, 11) for y in (3, 4)) / 4
    assert torch.allclose(middle, plain * 2, atol=1e-6)  # sqrt(sum w^2) = 1/2 for four weights of 1/4
    assert abs(plain.std().item() - 0.5) < 0.15  # what an unscaled blend would be: washed out


@pytest.mark.parametrize("x, y, words", [(-0.1, 0, "map x must be a number >= 0"), (0, float("nan"), "map y"),
                                         ("3", 0, "map x"), (0, latent.SEED_MAX, "beyond the last seed")])
def test_positions_off_the_plane_are_refused(x, y, words):
    with pytest.raises(UserError, match=words):
        latent.plane_latent(x, y, 100)


@pytest.mark.parametrize("make", [lambda: DCGANGenerator(channels=16), MLPConditionalGenerator])
def test_principal_directions_are_orthonormal_strongest_first_and_cost_nothing(make):
    torch.manual_seed(0)
    g = make()
    d = latent.principal_directions(g, 10)
    assert d.shape == (10, g.z_dim)
    assert torch.allclose(d @ d.T, torch.eye(10), atol=1e-5)
    w = latent.first_layer_weight(g)
    gains = (w @ d.T).norm(dim=0)  # how much each unit direction moves the first layer
    assert torch.all(gains[:-1] >= gains[1:] - 1e-5)
    random = torch.nn.functional.normalize(torch.randn(100, g.z_dim), dim=1)
    assert gains[0] >= (w @ random.T).norm(dim=0).max()  # no direction moves it more
    assert torch.equal(latent.principal_directions(g, 10), d)  # signs fixed: the same run after run


def test_edit_amount_zero_is_the_identity_and_amount_is_in_standard_deviations():
    z = latent.latent_from_seed(5, 100)
    d = latent.principal_directions(DCGANGenerator(channels=16), 3)[1]
    assert torch.equal(latent.edit_latent(z, d, 0), z)
    assert math.isclose(float((latent.edit_latent(z, d, 2.5) - z) @ d), 2.5, rel_tol=1e-5)

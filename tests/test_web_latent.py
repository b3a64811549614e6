"""The browser's latent math (web/latent.js, run by Node) against fashion_gan.latent, number for number."""

import json
import shutil
import subprocess

import numpy as np
import pytest
import torch

from conftest import ROOT
from fashion_gan import latent

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="no node here (apt-get install nodejs): the browser's latent tests skip")
# float32 rounding: torch's vectorised log/sin/cos against JavaScript's double ones, rounded. A wrong
# draw (a seeding, ordering or redraw mistake) is off by whole units, never by this.
TOLERANCE = 5e-6
Z = 100


def js_latents(request: dict) -> np.ndarray:
    """Rows of latents that web/test/latents.mjs makes for `request` (see its header)."""
    done = subprocess.run([NODE, ROOT / "web" / "test" / "latents.mjs"], input=json.dumps(request).encode(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return np.frombuffer(done.stdout, np.float32).reshape(-1, request.get("zDim", Z))


def seeds_to_try(count: int, seed: int) -> list[int]:
    """The first seeds, the last ones, and random ones in between."""
    rng = np.random.default_rng(seed)
    ends = [*range(count // 4), *range(latent.SEED_MAX - 9, latent.SEED_MAX + 1)]
    return ends + rng.integers(0, latent.SEED_MAX, count - len(ends)).tolist()


def test_a_seed_gives_torchs_latent_over_10000_seeds():
    seeds = seeds_to_try(10_000, 0)
    js = js_latents({"op": "seeds", "seeds": seeds, "zDim": Z})
    assert js.shape == (10_000, Z) and 0.9 < js.std() < 1.1
    assert np.abs(js - latent.latents_from_seeds(seeds, Z).numpy()).max() < TOLERANCE


@pytest.mark.parametrize("truncation", [0.3, 0.7, 1.0, 2.5])
def test_truncation_redraws_as_torch_does(truncation):
    """2,500 seeds each: small thresholds take many rounds of redraws, of fewer and more than 16 numbers."""
    seeds = seeds_to_try(2_500, 1)
    js = js_latents({"op": "seeds", "seeds": seeds, "zDim": Z, "truncation": truncation})
    assert np.abs(js).max() <= np.float32(truncation)
    assert np.abs(js - latent.latents_from_seeds(seeds, Z, truncation).numpy()).max() < TOLERANCE


@pytest.mark.parametrize("z_dim", [5, 16, 33, 64])
def test_other_latent_sizes(z_dim):
    """Under 16 numbers torch draws doubles one by one; a size not a multiple of 16 redraws its tail."""
    seeds = seeds_to_try(200, 2)
    for truncation in (None, 0.5):
        js = js_latents({"op": "seeds", "seeds": seeds, "zDim": z_dim, "truncation": truncation})
        assert np.abs(js - latent.latents_from_seeds(seeds, z_dim, truncation).numpy()).max() < TOLERANCE


def test_seed_plane_blend():
    rng = np.random.default_rng(3)
    points = [[0, 0], [3, 2], [0.5, 0.5], [2.25, 0]] + np.round(rng.uniform(0, 50, (996, 2)), 2).tolist()
    js = js_latents({"op": "plane", "points": points, "zDim": Z})
    torch_ = torch.stack([latent.plane_latent(x, y, Z) for x, y in points]).numpy()
    assert np.abs(js - torch_).max() < TOLERANCE


@pytest.mark.parametrize("method", ["slerp", "lerp"])
def test_walks_and_interpolations(method):
    keyframes = [3, 17, 42, 43, 44, 45, 2**31 - 1, 0]
    js = js_latents({"op": "walk", "seeds": keyframes, "steps": 12, "method": method, "zDim": Z})
    torch_ = latent.walk_latents(latent.latents_from_seeds(keyframes, Z), 12, method).numpy()
    assert js.shape == (96, Z) and np.abs(js - torch_).max() < TOLERANCE
    pairs = [[1, 2], [5, 5], [7, 123456789]]
    js = js_latents({"op": "interpolate", "pairs": pairs, "steps": 10, "method": method, "zDim": Z})
    weights = latent.interpolation_weights(10)
    torch_ = np.concatenate([latent.INTERPOLATIONS[method](latent.latent_from_seed(a, Z), latent.latent_from_seed(b, Z),
                                                           weights).numpy() for a, b in pairs])
    assert np.abs(js - torch_).max() < TOLERANCE


def test_direction_edits():
    direction = torch.nn.functional.normalize(torch.randn(Z, generator=torch.Generator().manual_seed(4)), dim=0)
    seeds = seeds_to_try(100, 5)
    for amount in (-3.5, 0, 1.25):
        js = js_latents({"op": "edit", "seeds": seeds, "direction": direction.tolist(), "amount": amount, "zDim": Z})
        torch_ = torch.stack([latent.edit_latent(latent.latent_from_seed(s, Z), direction, amount) for s in seeds])
        assert np.abs(js - torch_.numpy()).max() < TOLERANCE

"""Latent codes, and the C_T data-copying test on small synthetic data."""

import numpy as np
import pytest
import torch

from conftest import synthetic_split
from fashion_gan import copying, latent
from fashion_gan.errors import UserError


def test_a_latent_code_gives_back_exactly_its_latent():
    z = latent.on_code_grid(torch.randn(100, generator=torch.Generator().manual_seed(3)) * 2)
    code = latent.latent_code(z)
    assert code.startswith("z1.") and len(code) == 270 and code.isascii() and " " not in code
    assert torch.equal(latent.from_latent_code(code, 100), z)
    assert torch.equal(latent.from_latent_code(f"  {code}\n", 100), z)  # as pasted
    raw = torch.randn(64)
    assert torch.equal(latent.from_latent_code(latent.latent_code(raw), 64), latent.on_code_grid(raw))


@pytest.mark.parametrize("text, says", [
    ("", "expected text starting with 'z1.'"),
    ("42", "expected text starting with 'z1.'"),
    ("z1.abc$def", "characters a code never has"),
    ("z1." + "A" * 100, "it holds 37 values, this generator takes 100"),
    (latent.latent_code(torch.randn(64)), "it holds 64 values, this generator takes 100"),
    (latent.latent_code(torch.tensor([float("inf")] * 100)), "not a finite number"),
])
def test_a_malformed_latent_code_gets_one_clear_line(text, says):
    with pytest.raises(UserError, match="^latent code: ") as e:
        latent.from_latent_code(text, 100)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_mann_whitney_z_has_the_sign_and_scale_of_the_textbook_statistic():
    a = np.arange(10.0)
    assert copying.mann_whitney_z(a, a + 100) > 3  # all generated values larger: far from the training set
    assert copying.mann_whitney_z(a + 100, a) < -3
    assert copying.mann_whitney_z(a, a.copy()) == 0  # ties count one half each
    # U by counting pairs, against the ranks' shortcut
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 5, 30).astype(float), rng.integers(0, 5, 40).astype(float)
    u = sum((b > a) + 0.5 * (b == a) for a in x for b in y)
    assert copying.mann_whitney_z(x, y) == pytest.approx((u - 600) / np.sqrt(30 * 40 * 71 / 12))


def test_ct_flags_a_copying_model_and_passes_a_fresh_sample():
    train, _ = synthetic_split(2000, seed=0)
    test, _ = synthetic_split(1000, seed=1)
    fresh, _ = synthetic_split(1000, seed=2)  # the same distribution, never seen: what a good model gives
    noise = np.random.default_rng(3).integers(-3, 4, size=(1000, 28, 28))
    copies = np.clip(train[:1000].astype(int) + noise, 0, 255)  # training images with a little noise
    copied = copying.ct_test(train, test, copies, cells=10)
    passed = copying.ct_test(train, test, fresh, cells=10)
    assert copied.ct < -5 and copied.cells_used >= 8
    assert abs(passed.ct) < 3 and passed.cells_used >= 8
    assert 0.8 <= passed.test_share_used <= 1.0


def test_nearest_finds_the_same_neighbours_as_brute_force():
    rng = np.random.default_rng(1)
    queries, reference = torch.tensor(rng.random((50, 784)), dtype=torch.float32), torch.tensor(rng.random((300, 784)),
                                                                                              dtype=torch.float32)
    distances, indices = copying.nearest(queries, reference, chunk=16)
    brute = torch.cdist(queries, reference)
    assert torch.equal(indices, brute.argmin(1))
    assert torch.allclose(distances, brute.min(1).values, atol=1e-4)

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import TEST_DEVICE, run_cli
from fashion_gan import hub, latent, sampling
from fashion_gan.errors import UserError


@pytest.fixture
def generators(tiny_generators):
    return tiny_generators


def test_latent_from_seed_is_fixed_and_device_free():
    a, b = latent.latent_from_seed(42, 100), latent.latent_from_seed(42, 100)
    assert torch.equal(a, b) and a.device.type == "cpu" and a.shape == (100,)
    assert not torch.equal(a, latent.latent_from_seed(43, 100))
    # the seed's stream, not the global RNG, decides
    torch.manual_seed(123)
    assert torch.equal(a, latent.latent_from_seed(42, 100))
    assert torch.equal(a, torch.randn(100, generator=torch.Generator().manual_seed(42)))


def test_truncation_bounds_and_keeps_inside_values():
    z, zt = latent.latent_from_seed(7, 1000), latent.latent_from_seed(7, 1000, truncation=1.0)
    assert zt.abs().max() <= 1.0
    inside = z.abs() <= 1.0
    assert torch.equal(z[inside], zt[inside])
    with pytest.raises(UserError):
        latent.latent_from_seed(7, 10, truncation=0.0)
    with pytest.raises(UserError, match="out of range"):
        latent.latent_from_seed(-1, 10)


def test_slerp_and_lerp_hit_endpoints_and_slerp_keeps_norm():
    a, b = latent.latent_from_seed(1, 512), latent.latent_from_seed(2, 512)
    t = latent.interpolation_weights(5)
    for method in (latent.slerp, latent.lerp):
        path = method(a, b, t)
        assert path.shape == (5, 512)
        assert torch.allclose(path[0], a, atol=1e-5) and torch.allclose(path[-1], b, atol=1e-5)
    mid_slerp, mid_lerp = latent.slerp(a, b, 0.5), latent.lerp(a, b, 0.5)
    assert abs(mid_slerp.norm() - a.norm()) < 0.05 * a.norm()  # a and b have nearly equal norms
    assert mid_lerp.norm() < 0.8 * a.norm()  # lerp sags towards the origin
    assert torch.allclose(latent.slerp(a, a, t), a.expand(5, -1))


def test_to_uint8_maps_range():
    out = sampling.to_uint8(torch.tensor([-1.0, 0.0, 1.0, 2.0]).repeat(196).view(1, 1, 28, 28))
    assert out.dtype == np.uint8 and out.shape == (1, 28, 28)
    assert out.ravel()[:4].tolist() == [0, 128, 255, 255]


def test_parse_class():
    assert sampling.parse_class("Sneaker") == 7 and sampling.parse_class("ankle boot") == 9
    assert sampling.parse_class("3") == 3 and sampling.parse_class(0) == 0
    for bad in ("Hat", "10", "-1", ""):
        with pytest.raises(UserError, match="unknown class"):
            sampling.parse_class(bad)


def test_grid_and_upscale():
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    grid = sampling.image_grid(images, columns=2, padding=2)
    assert grid.shape == (2 * 30 + 2, 2 * 30 + 2)
    assert np.array_equal(grid[2:30, 32:60], images[1]) and np.all(grid[32:60, 32:60] == 255)
    big = sampling.upscale(images[0], 4)
    assert big.shape == (112, 112) and big[0:4, 0:4].tolist() == [[images[0, 0, 0]] * 4] * 4


def test_morph_ends_are_the_two_classes(generators):
    g = hub.load_network(generators / "cgan")
    frames = sampling.morph_classes(g, seed=5, class_a=1, class_b=7, steps=4)
    assert frames.shape == (4, 28, 28)
    assert np.array_equal(frames[0], sampling.generate(g, [5], [1])[0])
    assert np.array_equal(frames[-1], sampling.generate(g, [5], [7])[0])


def test_bf16_sampling_stays_close_to_fp32(generators, tmp_path):
    for name in ("gan", "cgan"):
        g = hub.load_network(generators / name)
        labels = [i % 10 for i in range(200)] if g.num_classes else None
        fp32 = sampling.generate(g, range(200), labels).astype(int)
        bf16 = sampling.generate(g, range(200), labels, precision="bf16").astype(int)
        assert not np.array_equal(fp32, bf16)  # it did run in another precision
        assert np.abs(fp32 - bf16).mean() < 1.0 and np.abs(fp32 - bf16).max() <= 32, name
    out = tmp_path / "b.npz"
    r = run_cli("-m", "fashion_gan.sample", "--weights", generators / "cgan", "--count", "6", "--precision", "bf16",
                "--device", TEST_DEVICE, "--out", out)
    assert r.returncode == 0, r.stderr
    g = hub.load_network(generators / "cgan", TEST_DEVICE)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the CLI ran: bf16 kernels (AMX) may sum in another order with more threads
    try:
        in_process = sampling.generate(g, range(6), [i % 10 for i in range(6)], device=TEST_DEVICE, precision="bf16")
    finally:
        torch.set_num_threads(threads)
    assert np.array_equal(np.load(out)["images"], in_process)
    with pytest.raises(UserError, match="unknown precision"):
        sampling.generate(g, [1], [1], precision="fp8")


def test_sample_cli_npz_conditional(generators, tmp_path):
    out = tmp_path / "s.npz"
    r = run_cli("-m", "fashion_gan.sample", "--weights", generators / "cgan", "--count", "12", "--seed", "3", "--out", out)
    assert r.returncode == 0, r.stderr
    data = np.load(out)
    assert data["images"].dtype == np.uint8 and data["images"].shape == (12, 28, 28)
    assert data["labels"].dtype == np.int64 and data["labels"].tolist() == [i % 10 for i in range(12)]
    g = hub.load_network(generators / "cgan")
    assert np.array_equal(data["images"][4], sampling.generate(g, [3 + 4], [4])[0])  # image i: seed S+i, class i%10


def test_sample_cli_class_and_png(generators, tmp_path):
    out = tmp_path / "s.npz"
    assert run_cli("-m", "fashion_gan.sample", "--weights", generators / "cgan", "--count", "5", "--class", "Bag",
                   "--truncation", "1.5", "--out", out).returncode == 0
    assert np.load(out)["labels"].tolist() == [8] * 5
    png = tmp_path / "grid.png"
    assert run_cli("-m", "fashion_gan.sample", "--weights", generators / "gan", "--count", "4", "--out", png).returncode == 0
    assert Image.open(png).size == ((2 * 30 + 2) * 2, (2 * 30 + 2) * 2)
    out2 = tmp_path / "gan.npz"
    assert run_cli("-m", "fashion_gan.sample", "--weights", generators / "gan", "--count", "3", "--out", out2).returncode == 0
    assert np.load(out2)["labels"].tolist() == [-1, -1, -1]


@pytest.mark.parametrize("args, words", [
    (["--weights", "{cgan}", "--class", "Hat"], "unknown class 'Hat'"),
    (["--weights", "{cgan}", "--count", "-3"], "--count must be from 1 to"),
    (["--weights", "{gan}", "--class", "Bag"], "unconditional"),
    (["--weights", "{missing}"], "no such model folder"),
    (["--weights", "{cgan}", "--out", "{tmp}/x.jpg"], ".npz or .png"),
    (["--weights", "{cgan}", "--seed", "-1"], "--seed"),
    (["--weights", "{cgan}", "--out", "{tmp}/no/such/o.npz"], "no/such does not exist"),
])
def test_sample_cli_errors(generators, tmp_path, args, words):
    fill = dict(cgan=generators / "cgan", gan=generators / "gan", missing=tmp_path / "none", tmp=tmp_path)
    args = [a.format(**fill) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "o.npz")]
    r = run_cli("-m", "fashion_gan.sample", *args)
    assert r.returncode == 2 and words in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "o.npz").exists()


def test_sample_cli_corrupt_weights(generators, tmp_path):
    import shutil
    broken = tmp_path / "broken"
    shutil.copytree(generators / "cgan", broken)
    (broken / "model.safetensors").write_bytes((broken / "model.safetensors").read_bytes()[:500])
    r = run_cli("-m", "fashion_gan.sample", "--weights", broken, "--out", tmp_path / "o.npz")
    assert r.returncode == 2 and str(broken / "model.safetensors") in r.stderr


def test_png_grid_of_the_cgan_has_one_row_per_class(generators, tmp_path):
    png, npz = tmp_path / "grid.png", tmp_path / "grid.npz"
    for out in (png, npz):
        assert run_cli("-m", "fashion_gan.sample", "--weights", generators / "cgan", "--count", "30", "--out", out).returncode == 0
    grid = np.array(Image.open(png))[::2, ::2]  # undo the x2 upscale
    images = np.load(npz)["images"]
    assert grid.shape == (10 * 30 + 2, 3 * 30 + 2)
    # row 7 (Sneaker), column 2 is image 27: seed 27, class 7
    assert np.array_equal(grid[2 + 7 * 30:30 + 7 * 30, 2 + 2 * 30:30 + 2 * 30], images[27])


def test_generate_works_in_chunks_with_the_same_images(generators):
    g = hub.load_network(generators / "cgan")
    n = sampling.GENERATE_BATCH + 6
    images = sampling.generate(g, range(n), [i % 10 for i in range(n)])
    assert images.shape == (n, 28, 28)
    last = n - 1
    assert np.array_equal(images[last], sampling.generate(g, [last], [last % 10])[0])

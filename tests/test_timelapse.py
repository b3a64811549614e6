"""The Training tab's record (fashion_gan.timelapse), its handlers and API name, and the chapter's network beside ours."""

import json

import gradio as gr
import numpy as np
import pytest
import torch
from gradio_client import Client
from gradio_client.exceptions import AppError
from PIL import Image

from appserver import running_app
from conftest import ROOT, TEST_DEVICE, run_cli, write_dataset
from fashion_gan import hub, sampling, timelapse
from fashion_gan.demo import Demo, display, side_by_side
from fashion_gan.errors import UserError


@pytest.fixture(scope="module")
def demo(tiny_generators):
    return Demo(tiny_generators / "cgan", tiny_generators / "gan", torch.device("cpu"),
                chapter_weights=tiny_generators / "chapter_cgan")


def test_a_run_reads_back_what_train_py_writes(tmp_path):
    data = write_dataset(tmp_path / "data", n_train=300)
    r = run_cli("train.py", "--model", "cgan", "--epochs", "2", "--limit", "300", "--data-dir", data,
                "--out", tmp_path / "run", "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    run = timelapse.Run(tmp_path / "run" / "cgan")
    assert run.epochs == 2 and [h["epoch"] for h in run.history] == [1, 2]
    state = torch.load(tmp_path / "run" / "cgan" / "training" / "checkpoint.pt", weights_only=False)
    for logged, recorded in zip(run.history, state["history"]):  # the log holds the checkpoint's numbers, rounded
        assert abs(logged["d_loss"] - recorded["d_loss"]) < 1e-4 and abs(logged["D(G(z))"] - recorded["d_g_z"]) < 1e-3
    assert run.grid(1).shape == (604, 604) and not np.array_equal(run.grid(1), run.grid(2))
    assert np.array_equal(run.grid(99), run.grid(2))  # past the last epoch: the last
    with pytest.raises(UserError, match="epoch must be 1 or more"):
        run.grid(0)

    # pack: native-size grids (halved exactly), the log, and FID rows from quality_curve/evaluate files
    curve, final = tmp_path / "curve.json", tmp_path / "eval.json"
    curve.write_text(json.dumps({"count": 500, "results": [{"epoch": 1, "fid": 300.0, "precision": 0.1, "run": "x"}]}))
    final.write_text(json.dumps({"count": 500, "generator": {"fid": 250.0, "recall": 0.2, "count": 500}}))
    r = run_cli("-m", "fashion_gan.timelapse", "pack", tmp_path / "run" / "cgan", tmp_path / "shipped",
                "--quality", curve, final)
    assert r.returncode == 0 and "MB" in r.stdout, r.stderr
    packed = timelapse.Run(tmp_path / "shipped")
    assert packed.epochs == 2 and packed.history == run.history
    assert np.array_equal(packed.grid(2), run.grid(2)[::2, ::2])
    assert packed.quality == [{"epoch": 1, "fid": 300.0, "precision": 0.1}, {"epoch": 2, "fid": 250.0, "recall": 0.2}]
    r = run_cli("-m", "fashion_gan.timelapse", "pack", tmp_path / "nowhere", tmp_path / "shipped2")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "no per-epoch grids" in r.stderr


def test_timelapse_handler_first_and_last_epochs_differ_and_past_the_last_is_the_last(demo):
    first, last = demo.timelapse("cgan", 1), demo.timelapse("cgan", 3)
    assert first.shape == (120, 120) and first[10, 10] == 40 and last[10, 10] == 120  # the record's flat greys, x2
    assert np.array_equal(demo.timelapse("cgan", 1000), last) and np.array_equal(demo.timelapse("cgan", "2"),
                                                                                 demo.timelapse("cgan", 2.0))
    assert demo.training_summary("cgan", 3) == ("Epoch 3 of 3 · d_loss 4.000 · g_loss 1.700 · D(x) 0.500 · "
                                                "D(G(z)) 0.400 · FID 200.0 at epoch 3")
    assert demo.training_summary("cgan", 1) == "Epoch 1 of 3 · d_loss 2.000 · g_loss 1.900 · D(x) 0.500 · D(G(z)) 0.400"
    losses, outputs, fid = demo.training_curves("cgan")
    assert len(losses) == 6 and set(losses["curve"]) == {"d_loss", "g_loss"} and set(outputs["curve"]) == {"D(x)", "D(G(z))"}
    assert list(fid["FID"]) == [250.0, 200.0]


@pytest.mark.parametrize("model, epoch, message", [
    ("attic", 1, "model must be one of cgan, gan, chapter cgan"),
    ("gan", 1, "no per-epoch grids"),  # the tiny GAN was never trained: it has no record
    ("cgan", 0, "epoch must be"),
    ("cgan", "x", "epoch must be"),
    ("cgan", None, "epoch must be"),
])
def test_timelapse_refuses_bad_requests_in_one_line(demo, model, epoch, message):
    with pytest.raises(gr.Error) as e:
        demo.timelapse(model, epoch)
    assert message in e.value.message and "\n" not in e.value.message


def test_the_chapter_network_draws_what_sample_makes_with_its_weights(demo, tiny_generators):
    chapter = hub.load_network(tiny_generators / "chapter_cgan")
    native = sampling.generate(chapter, [5, 6], [3, 3])  # what `python -m fashion_gan.sample` writes for seeds 5, 6
    assert np.array_equal(demo.generate("Dress", 5, 0, 2, "chapter"), display(native, 2))
    ours = demo.generate("Dress", 5, 0, 2, "dcgan")
    assert np.array_equal(ours, demo.generate("Dress", 5, 0, 2))  # the default stays ours
    both = demo.generate("Dress", 5, 0, 2, "both")
    assert np.array_equal(both, side_by_side([ours, display(native, 2)]))
    assert both.shape[1] == 2 * ours.shape[1] + 4 and (both[:, ours.shape[1]:ours.shape[1] + 4] == 255).all()
    strip, gif = demo.interpolate("Dress", 1, 2, 4, "slerp", "chapter")
    frames = sampling.interpolate_latents(chapter, 1, 2, 4, 3, "slerp")
    assert np.array_equal(strip, display(frames, 4)) and Image.open(gif).n_frames == 6
    with_both = np.array(Image.open(demo.interpolate("Dress", 1, 2, 4, "slerp", "both")[1]).convert("L"))
    assert with_both.shape[1] == 6 * (2 * 28 + 4)  # each frame: ours, a gap, the chapter's
    with pytest.raises(gr.Error, match="network must be one of dcgan, chapter, both"):
        demo.generate("Dress", 5, 0, 1, "gan")
    without = Demo(tiny_generators / "cgan", None, torch.device("cpu"))
    with pytest.raises(gr.Error, match="--chapter-weights"):
        without.generate("Dress", 5, 0, 1, "chapter")


def test_the_app_serves_timelapse_and_the_chapter_network(tiny_generators):
    root = tiny_generators
    with running_app("--weights", root / "cgan", "--gan-weights", root / "gan", "--chapter-weights",
                     root / "chapter_cgan", "--device", "cpu") as (url, _):
        client = Client(url, verbose=False)
        first = np.array(Image.open(client.predict("cgan", 1, api_name="/timelapse")))
        last = np.array(Image.open(client.predict("cgan", 50, api_name="/timelapse")))
        assert first[10, 10] == 40 and last[10, 10] == 120
        for args, message in ((("attic", 1), "must be one of: cgan, gan, chapter cgan"), (("cgan", -1), "must be"),
                              (("gan", 1), "no per-epoch grids")):
            with pytest.raises(AppError) as e:
                client.predict(*args, api_name="/timelapse")
            assert message in str(e.value) and "Traceback" not in str(e.value)
        chapter = hub.load_network(root / "chapter_cgan")
        served = np.array(Image.open(client.predict("Bag", 9, 0, 1, api_name="/chapter")))
        assert np.array_equal(served, display(sampling.generate(chapter, [9], [8]), 1))
        info = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
        assert len(info["/generate"]["parameters"]) == 4 and len(info["/interpolate"]["parameters"]) == 5  # as before


def test_the_shipped_time_lapses_are_small_and_complete():
    sizes = 0
    for name, epochs in (("cgan", 46), ("gan", 47), ("chapter_cgan", 50)):
        run = timelapse.Run(ROOT / "weights" / name)
        assert run.epochs == epochs and len(run.history) == epochs and run.quality[-1]["epoch"] == epochs
        assert not (run.training / "checkpoint.pt").exists() and not (run.training / "snapshots").exists()
        sizes += sum(f.stat().st_size for f in run.training.rglob("*") if f.is_file())
    assert sizes < 8 * 2**20  # the limit: 8 MB in all


import json
import os
import re
import signal
import subprocess
import time

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from conftest import PYTHON, ROOT, TEST_DEVICE, require_real_data, run_cli
from fashion_gan import hub
from fashion_gan.device import native_bf16
from fashion_gan.training import load_checkpoint
from fashion_gan.errors import UserError


def weights_of(folder):
    return load_file(str(folder / "model.safetensors"))


def assert_same_weights(a, b):
    wa, wb = weights_of(a), weights_of(b)
    assert wa.keys() == wb.keys()
    for key in wa:
        assert torch.equal(wa[key], wb[key]), key


@pytest.mark.parametrize("arch", ["mlp", "dcgan"])
def test_two_epochs_of_both_models_export_hub_folders(tmp_path, tiny_data, arch):
    out = tmp_path / "run"
    r = run_cli("train.py", "--model", "both", "--arch", arch, "--epochs", "2", "--data-dir", tiny_data,
                "--out", out, "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    for model, classes in (("gan", 0), ("cgan", 10)):
        folder = out / model
        assert f"{model} epoch 2/2" in r.stdout
        generator = hub.load_network(folder)
        assert generator.num_classes == classes
        discriminator = hub.load_network(folder / "discriminator")
        assert type(discriminator).__name__.endswith("Discriminator")
        card = (folder / "README.md").read_text()
        assert card.startswith("---\nlibrary_name: fashion-gan") and "train.py" in card and "samples.png" in card
        assert (folder / "samples.png").stat().st_size > 0
        assert sorted(p.name for p in (folder / "training" / "grids").iterdir()) == ["epoch_001.png", "epoch_002.png"]
        state = load_checkpoint(folder / "training" / "checkpoint.pt")
        assert state["epoch"] == 2 and len(state["history"]) == 2
        native = TEST_DEVICE == "cpu" and native_bf16(torch.device("cpu"))
        assert state["config"]["precision"] == ("bf16" if arch == "dcgan" and native else "fp32")  # the default
        assert {"d_loss", "g_loss", "d_x", "d_g_z"} <= state["history"][0].keys()
        assert not [p for p in folder.rglob("*") if ".tmp" in p.name]
        if arch == "dcgan":  # the GAN's own networks (training.GAN_CHANGES); the cGAN's plain ones
            wide = model == "gan"
            g_config = json.loads((folder / "config.json").read_text())
            d_config = json.loads((folder / "discriminator" / "config.json").read_text())
            assert (g_config["channels"], g_config["refine"]) == ((256, True) if wide else (128, False))
            assert (d_config["channels"], d_config["minibatch_std"]) == ((128, True) if wide else (64, False))
            assert ("G width 256, D width 128, G refine layer, minibatch-std D" in card) == wide


def test_shape_flags_override_the_recipe_and_resume_keeps_them(tmp_path, tiny_data):
    args = ["train.py", "--model", "gan", "--epochs", "1", "--data-dir", tiny_data, "--device", TEST_DEVICE]
    r = run_cli(*args, "--g-channels", "32", "--d-channels", "16", "--no-minibatch-std", "--out", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    r = run_cli("train.py", "--resume", tmp_path / "o", "--epochs", "2", "--data-dir", tiny_data, "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    g, d = hub.load_network(tmp_path / "o" / "gan"), hub.load_network(tmp_path / "o" / "gan" / "discriminator")
    assert (g.channels, d.features[2].out_channels) == (32, 32)  # D's second convolution: 2 x its width
    assert any(isinstance(m, torch.nn.Conv2d) for m in g.upsample)  # --refine stayed the recipe's
    assert not any(type(m).__name__ == "MinibatchStd" for m in d.features)
    config = load_checkpoint(tmp_path / "o" / "gan" / "training" / "checkpoint.pt")["config"]
    assert (config["epochs"], config["g_channels"], config["refine"], config["minibatch_std"]) == (2, 32, True, False)


def test_aux_weight_trains_the_class_head_and_zero_leaves_it_out(tmp_path, tiny_data):
    args = ["train.py", "--model", "both", "--epochs", "1", "--data-dir", tiny_data, "--device", TEST_DEVICE]
    assert run_cli(*args, "--out", tmp_path / "ac").returncode == 0
    assert run_cli(*args, "--aux-weight", "0", "--out", tmp_path / "plain").returncode == 0
    d = hub.load_network(tmp_path / "ac" / "cgan" / "discriminator")
    assert d.aux_classes == 10 and d.classifier.weight.shape == (10, 256)
    assert hub.load_network(tmp_path / "ac" / "gan" / "discriminator").aux_classes == 0  # the GAN has no labels
    assert hub.load_network(tmp_path / "plain" / "cgan" / "discriminator").aux_classes == 0
    assert load_checkpoint(tmp_path / "ac" / "cgan" / "training" / "checkpoint.pt")["config"]["aux_weight"] == 1.0


def test_same_seed_gives_identical_weights_and_other_seed_differs(tmp_path, tiny_data):
    args = ["train.py", "--model", "cgan", "--arch", "dcgan", "--epochs", "1", "--data-dir", tiny_data, "--device", TEST_DEVICE]
    for name, seed in (("a", 0), ("b", 0), ("c", 1)):
        assert run_cli(*args, "--seed", seed, "--out", tmp_path / name).returncode == 0
    assert_same_weights(tmp_path / "a" / "cgan", tmp_path / "b" / "cgan")
    with pytest.raises(AssertionError):
        assert_same_weights(tmp_path / "a" / "cgan", tmp_path / "c" / "cgan")


def test_resume_extends_a_finished_run_exactly(tmp_path, tiny_data):
    args = ["train.py", "--model", "gan", "--arch", "dcgan", "--data-dir", tiny_data, "--device", TEST_DEVICE]
    assert run_cli(*args, "--epochs", "3", "--out", tmp_path / "straight").returncode == 0
    assert run_cli(*args, "--epochs", "1", "--out", tmp_path / "split").returncode == 0
    r = run_cli("train.py", "--resume", tmp_path / "split", "--epochs", "3", "--data-dir", tiny_data, "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    assert "gan epoch 3/3" in r.stdout and "gan epoch 1/" not in r.stdout
    assert_same_weights(tmp_path / "straight" / "gan", tmp_path / "split" / "gan")
    assert_same_weights(tmp_path / "straight" / "gan" / "discriminator", tmp_path / "split" / "gan" / "discriminator")


def test_ctrl_c_saves_mid_epoch_and_resume_matches(tmp_path):
    from conftest import write_dataset
    data = write_dataset(tmp_path / "data", n_train=3000)
    args = ["train.py", "--model", "cgan", "--arch", "dcgan", "--epochs", "2", "--data-dir", data, "--device", TEST_DEVICE]
    assert run_cli(*args, "--out", tmp_path / "straight").returncode == 0

    proc = subprocess.Popen([PYTHON, *map(str, args), "--out", tmp_path / "cut"], cwd=ROOT,
                            env={**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    checkpoint = tmp_path / "cut" / "cgan" / "training" / "checkpoint.pt"
    deadline = time.time() + 120
    while not checkpoint.exists() and time.time() < deadline:  # wait for epoch 1 to end, then cut epoch 2
        time.sleep(0.01)
    time.sleep(0.05)  # early in epoch 2 on any device (30 steps: ~1 s on a CPU, ~0.1 s on a GPU)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "progress saved" in stderr and "--resume" in stderr and "Traceback" not in stderr
    state = load_checkpoint(checkpoint)
    assert state["epoch"] == 1 and 0 < state["step"] < 30, "the interrupt should land inside epoch 2"

    r = run_cli("train.py", "--resume", tmp_path / "cut", "--data-dir", data, "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    assert_same_weights(tmp_path / "straight" / "cgan", tmp_path / "cut" / "cgan")


def test_bad_arguments_exit_2_with_one_line(tmp_path, tiny_data):
    cases = [
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--limit", "10"], "--limit 10 is smaller than one batch"),
        (["--arch", "mlp", "--aux-weight", "1"], "only with --arch dcgan"),
        (["--arch", "mlp", "--refine"], "--refine shapes the dcgan networks"),
        (["--g-channels", "6"], "--g-channels must be a multiple of 4 from 8 to 1024, got 6"),
        (["--d-channels", "2048"], "--d-channels must be a multiple of 4"),
        (["--aux-weight", "-1"], "give a weight >= 0"),
        (["--augment", "translation,colour"], "unknown augmentation colour"),
        (["--resume", tmp_path / "nothing"], "no training/checkpoint.pt"),
        (["--minutes", "0"], "--minutes must be a positive number of minutes, got 0"),
        (["--minutes", "-5"], "--minutes must be a positive number of minutes, got -5"),
        (["--minutes", "nan"], "--minutes must be a positive number"),
        (["--minutes", "10", "--epochs", "3"], "--minutes and --epochs both say how long to train: give one of them"),
        (["--minutes", "10", "--resume", tmp_path / "o"], "drop --minutes"),
        # a budget spent before training starts is said so, not read as no budget (the recipe's whole length)
        (["--minutes", "0.0001", "--arch", "mlp", "--data-dir", tiny_data], "--minutes 0.0001 was spent before the gan"),
        (["--device", "cuda"], "no CUDA GPU") if not torch.cuda.is_available() else (["--batch-size", "0"], "--batch-size"),
    ]
    for extra, words in cases:
        r = run_cli("train.py", "--model", "gan", "--out", tmp_path / "o", *extra, env={"HOME": str(tmp_path)}, cwd=tmp_path)
        assert r.returncode == 2, (extra, r.stderr)
        assert words in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_push_without_token_fails_before_training(tmp_path, tiny_data):
    started = time.time()
    r = run_cli("train.py", "--model", "gan", "--data-dir", tiny_data, "--out", tmp_path / "o", "--push-to-hub", "me/fashion-gan")
    assert r.returncode == 2
    assert "no Hugging Face token" in r.stderr and "hf auth login" in r.stderr
    assert not (tmp_path / "o").exists() and time.time() - started < 60


def test_push_cli_without_token(tmp_path):
    r = run_cli("-m", "fashion_gan.push", tmp_path, "me/repo")
    assert r.returncode == 2 and "no Hugging Face token" in r.stderr


def test_garbage_checkpoint_is_refused_with_its_name(tmp_path):
    path = tmp_path / "checkpoint.pt"
    path.write_bytes(b"\x00garbage" * 50)
    with pytest.raises(UserError) as e:
        load_checkpoint(path)
    assert str(path) in str(e.value)


@pytest.mark.slow
def test_chapter_cgan_one_epoch_on_real_data(tmp_path):
    data = require_real_data()
    r = run_cli("train.py", "--model", "cgan", "--arch", "mlp", "--epochs", "1", "--limit", "6000",
                "--data-dir", data, "--out", tmp_path / "run", "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    state = load_checkpoint(tmp_path / "run" / "cgan" / "training" / "checkpoint.pt")
    record = state["history"][0]
    assert 0 < record["d_x"] < 1 and 0 < record["d_g_z"] < 1 and np.isfinite(record["g_loss"])
    generator = hub.load_network(tmp_path / "run" / "cgan")
    assert type(generator).__name__ == "MLPConditionalGenerator"


def test_bf16_hinge_diffaugment_run_records_its_recipe_and_resumes_in_bf16(tmp_path, tiny_data):
    out = tmp_path / "mixed"
    args = ["train.py", "--model", "cgan", "--data-dir", tiny_data, "--device", TEST_DEVICE,
            "--precision", "bf16", "--loss", "hinge", "--augment", "translation,cutout", "--lr-d", "4e-4"]
    r = run_cli(*args, "--epochs", "1", "--out", out)
    assert r.returncode == 0, r.stderr
    state = load_checkpoint(out / "cgan" / "training" / "checkpoint.pt")
    config = state["config"]
    assert (config["precision"], config["loss"], config["augment"], config["lr_d"]) == ("bf16", "hinge", "translation,cutout", 4e-4)
    # The master weights, the optimizer state and spectral norm's u vectors stay fp32.
    for net in ("G", "D", "G_ema"):
        assert {t.dtype for t in state[net].values() if t.is_floating_point()} == {torch.float32}, net
    assert all(v.dtype == torch.float32 for s in state["opt_d"]["state"].values() for v in s.values() if v.is_floating_point())
    assert np.isfinite(state["history"][0]["d_loss"]) and np.isfinite(state["history"][0]["g_loss"])
    card = (out / "cgan" / "README.md").read_text()
    assert "hinge loss, lr G 0.0002 / D 0.0004 (TTUR)" in card and "DiffAugment translation,cutout, bf16 forwards" in card

    r = run_cli("train.py", "--resume", out, "--epochs", "2", "--data-dir", tiny_data, "--device", TEST_DEVICE)
    assert r.returncode == 0, r.stderr
    assert load_checkpoint(out / "cgan" / "training" / "checkpoint.pt")["config"]["precision"] == "bf16"


def test_bf16_training_is_deterministic_and_close_to_fp32_at_the_start(tmp_path, tiny_data):
    args = ["train.py", "--model", "gan", "--arch", "mlp", "--epochs", "1", "--limit", "100", "--ema-decay", "0",
            "--data-dir", tiny_data, "--device", TEST_DEVICE]
    for name, precision in (("a", "bf16"), ("b", "bf16"), ("f", "fp32")):
        assert run_cli(*args, "--precision", precision, "--out", tmp_path / name).returncode == 0
    assert_same_weights(tmp_path / "a" / "gan", tmp_path / "b" / "gan")
    bf16, fp32 = weights_of(tmp_path / "a" / "gan"), weights_of(tmp_path / "f" / "gan")
    for key in fp32:  # one step of Adam moves each weight by about lr: bf16 forwards change the step's direction a little
        assert not torch.equal(bf16[key], fp32[key]) or key.endswith("bias")
        assert (bf16[key] - fp32[key]).abs().max() < 5e-4, key


def test_card_records_paths_relative_to_where_the_command_ran(tmp_path, tiny_data):
    out = tmp_path / "deep" / "run"  # absolute on the command line
    r = run_cli(ROOT / "train.py", "--model", "gan", "--epochs", "1", "--data-dir", tiny_data, "--out", out,
                "--device", TEST_DEVICE, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    card = (out / "gan" / "README.md").read_text()
    command = card.split("## Training command\n\n```\n")[1].split("\n```")[0]
    assert str(tmp_path) not in card and not [word for word in command.split() if word.startswith("/")]
    assert "--out deep/run" in command and "--data-dir fmnist" in command


def test_auto_precision_is_bf16_only_where_the_cpu_has_native_bf16():
    from fashion_gan.device import native_bf16, resolve_precision

    flags = open("/proc/cpuinfo").read().split()
    native = "avx512_bf16" in flags or "amx_bf16" in flags
    assert native_bf16(torch.device("cpu")) == native
    assert resolve_precision("auto", torch.device("cpu")) == ("bf16" if native else "fp32")
    assert resolve_precision("fp32", torch.device("cpu")) == "fp32"
    with pytest.raises(UserError, match="unknown precision 'fp16'"):
        resolve_precision("fp16", torch.device("cpu"))


def run_timed(args: list, interrupt_when=None) -> tuple[subprocess.CompletedProcess, float, dict]:
    """Run train.py ARGS; (the result, its wall seconds, {line: seconds after start when it was printed}).
    interrupt_when(line) -> True sends Ctrl-C (SIGINT) once, after that line."""
    started = time.monotonic()
    proc = subprocess.Popen([PYTHON, "train.py", *map(str, args)], cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed = {}
    for line in proc.stdout:
        printed[line.strip()] = time.monotonic() - started
        if interrupt_when and interrupt_when(line):
            proc.send_signal(signal.SIGINT)
            interrupt_when = None
    stderr = proc.stderr.read()
    proc.wait(timeout=300)
    seconds = time.monotonic() - started
    return subprocess.CompletedProcess(proc.args, proc.returncode, "\n".join(printed), stderr), seconds, printed


def test_minutes_trains_for_its_budget_and_exports(tmp_path):
    from conftest import write_dataset
    data = write_dataset(tmp_path / "data", n_train=1000)
    budget = 40  # seconds: --minutes 0.667, start-up and export included
    r, seconds, printed = run_timed(["--model", "both", "--minutes", f"{budget / 60:.4f}", "--data-dir", data,
                                     "--out", tmp_path / "run", "--device", TEST_DEVICE])
    assert r.returncode == 0, r.stderr
    assert abs(seconds - budget) <= 0.05 * budget, f"{seconds:.1f} s for a {budget} s budget\n{r.stdout}"
    # each model's networks chosen by measurement (on a CPU the narrow ones, for so short a budget), then its plan
    chosen = {}
    for model, name in (("gan", "GAN"), ("cgan", "cGAN")):
        line = next(line for line in printed if line.startswith(f"networks: the {name}'s "))
        chosen[model] = 64 if "narrow (G width 64, D width 32)" in line else (256 if model == "gan" else 128)
        assert TEST_DEVICE != "cpu" or chosen[model] == 64, line
    counts = [re.match(r"^\w+ epoch (\d+)/(\d+) ", line) for line in printed]  # the count is re-estimated
    assert all(int(m[1]) <= int(m[2]) for m in counts if m), r.stdout  # as epochs end: never "epoch 27/26"
    for model in ("gan", "cgan"):
        plan = [line for line in printed if line.startswith(f"plan: {model} for ")]
        assert plan and "images/s measured here" in plan[0] and "falls linearly to 0 over the last 20%" in plan[0], r.stdout
        state = load_checkpoint(tmp_path / "run" / model / "training" / "checkpoint.pt")
        history = state["history"]
        # The rate at the last step: 0 where the clock cut the epoch; a little above where the epoch ended on its
        # own just before the deadline and its end (grid, checkpoint) took the rest of the time.
        assert history and history[-1]["lr_factor"] < 0.25, history
        assert state["opt_g"]["param_groups"][0]["lr"] < 0.25 * state["config"]["lr_g"]
        assert history[0]["lr_factor"] == 1.0 or len(history) == 1  # the rate holds before the cooldown
        share, spent = state["config"]["budget_seconds"], state["spent"]  # the GAN's share, then the rest for the cGAN
        assert 0.15 * budget < share < 0.6 * budget and spent <= share, (model, share, spent)
        generator = hub.load_network(tmp_path / "run" / model)
        assert generator.num_classes == (10 if model == "cgan" else 0) and generator.channels == chosen[model]
    assert (tmp_path / "run" / "cgan" / "samples.png").is_file()


def test_the_budget_schedule_holds_the_rate_then_cools_down_to_zero():
    from fashion_gan.training import budget_lr_factor
    factors = [budget_lr_factor(spent, 100.0) for spent in (0, 50, 79.9, 80, 90, 95, 100, 120)]
    assert factors[:4] == [1.0, 1.0, 1.0, 1.0] and factors[-2:] == [0.0, 0.0]
    assert abs(factors[4] - 0.5) < 1e-9 and abs(factors[5] - 0.25) < 1e-9


def test_minutes_run_cut_by_ctrl_c_resumes_within_its_budget(tmp_path):
    from conftest import write_dataset
    data = write_dataset(tmp_path / "data", n_train=2000)
    args = ["--model", "cgan", "--minutes", "0.5", "--data-dir", data, "--out", tmp_path / "run", "--device", TEST_DEVICE]
    r, _, _ = run_timed(args, interrupt_when=lambda line: line.startswith("cgan epoch 1/"))
    assert r.returncode == 130 and "--resume" in r.stderr and "Traceback" not in r.stderr, r.stderr
    cut = load_checkpoint(tmp_path / "run" / "cgan" / "training" / "checkpoint.pt")
    assert 0 < cut["spent"] < 30 and cut["config"]["budget_seconds"] > 20
    r, seconds, printed = run_timed(["--resume", tmp_path / "run", "--data-dir", data, "--device", TEST_DEVICE])
    assert r.returncode == 0, r.stderr
    assert any(line.startswith("plan: cgan for ") for line in printed)
    state = load_checkpoint(tmp_path / "run" / "cgan" / "training" / "checkpoint.pt")
    assert cut["spent"] < state["spent"] <= state["config"]["budget_seconds"] == cut["config"]["budget_seconds"]
    assert state["history"][-1]["lr_factor"] < 0.25  # as above
    assert seconds < 30 - cut["spent"] + 15  # the rest of the budget, and the start-up again
    assert hub.load_network(tmp_path / "run" / "cgan").num_classes == 10


def test_the_plan_line_estimates_the_run_within_30_percent(tmp_path):
    from conftest import write_dataset
    data = write_dataset(tmp_path / "data", n_train=1000)
    r, seconds, printed = run_timed(["--model", "cgan", "--epochs", "6", "--data-dir", data, "--out", tmp_path / "run",
                                     "--device", TEST_DEVICE])
    assert r.returncode == 0, r.stderr
    plan = next(line for line in printed if line.startswith("plan: cgan, 6 epochs of 10 steps at "))
    estimate = float(re.search(r": about ([\d.]+) s, done about \d\d:\d\d:\d\d", plan).group(1))
    actual = max(printed.values()) - printed[plan]  # from the plan line to "exported"
    assert abs(estimate - actual) <= 0.3 * actual, (plan, actual)


@pytest.mark.parametrize("arch", ["dcgan", "mlp"])
def test_the_plan_line_says_what_minutes_30_gives_and_when_it_takes_narrow_networks(tmp_path, arch):
    from fashion_gan.training import Speed, Trainer, TrainConfig
    images, labels = torch.zeros(200, 28, 28, dtype=torch.uint8), torch.zeros(200, dtype=torch.long)
    trainer = Trainer(TrainConfig(model="cgan", arch=arch, epochs=40), tmp_path, images, labels, torch.device("cpu"))
    # 2 steps an epoch of 60 s each, 1 s for its end: 40 epochs take 80.7 minutes, and 30 minutes hold 14.9
    line = trainer.plan_line(Speed(step=60.0, epoch_end=1.0, batch_size=100))
    assert line.startswith("plan: cgan, 40 epochs of 2 steps at 2 images/s measured here") and "about 80.7 min" in line
    assert "`--minutes 30` gives about 14.9 epochs of these networks" in line
    # fewer than the 30 epochs the cGAN's own networks need to lead; the chapter's MLPs have no narrow ones
    assert ("`--minutes` alone takes narrow ones" in line) == (arch == "dcgan"), line

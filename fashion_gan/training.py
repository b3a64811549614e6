"""The training loop: a D block and a G block per step, an EMA generator, exact resume.

Layout of an output folder for one model (`gan` or `cgan`):

    OUT/cgan/config.json, model.safetensors   the EMA generator (what gets sampled)
    OUT/cgan/README.md, samples.png           model card and its sample grid
    OUT/cgan/discriminator/                   the discriminator, so both networks travel
    OUT/cgan/training/checkpoint.pt           everything needed to resume
    OUT/cgan/training/grids/epoch_NNN.png     fixed-seed grid after each epoch
    OUT/cgan/training/snapshots/epoch_NNN/    EMA generator every --snapshot-every epochs
    OUT/cgan/training/log.txt                 one line per epoch
"""

import contextlib
import copy
import dataclasses
import datetime
import io
import math
import os
import shlex
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrize
from tqdm import tqdm

from . import cards, hub, sampling, timelapse
from .augment import check_policy, diff_augment
from .data import CLASS_NAMES, to_unit_range
from .errors import UserError
from .files import atomic_write
from .models import build_pair

GRID_SEEDS = range(10)  # the columns of every progress grid

# Per-architecture defaults. "mlp" is the chapter's recipe exactly: Adam(2e-4) with
# its default betas, hard 0/1 targets, no EMA. "dcgan" is the measured stronger recipe
# (benchmarks/recipe_ablation.py: hinge beat BCE for both models at equal epochs; DiffAugment,
# TTUR and dropping the AC head did not); its aux_weight applies to the cGAN only. Its precision
# "auto" is bf16 on CPUs with native bf16 (same FID at equal epochs, faster end to end;
# README), fp32 elsewhere; the chapter's recipe stays fp32, as it was taught.
RECIPES = {
    "mlp": dict(epochs=50, lr_g=2e-4, lr_d=2e-4, beta1=0.9, real_label=1.0, ema_decay=0.0, aux_weight=0.0,
                loss="bce", augment="", precision="fp32", g_channels=0, d_channels=0, refine=False, minibatch_std=False),
    "dcgan": dict(epochs=40, lr_g=2e-4, lr_d=2e-4, beta1=0.5, real_label=0.9, ema_decay=0.999, aux_weight=1.0,
                  loss="hinge", augment="", precision="auto", g_channels=0, d_channels=0, refine=False,
                  minibatch_std=False),
}
# The unconditional DCGAN has no labels to lean on: it gets twice the width, G's refine layer and a
# minibatch-std D, which took its FID from 75.5 to 24.7 at equal GPU time (benchmarks/cuda_gan_search.sh,
# README), and no AC head (nothing to classify). The cGAN meets its targets with the plain networks.
GAN_CHANGES = {"dcgan": dict(epochs=35, g_channels=256, d_channels=128, refine=True, minibatch_std=True, aux_weight=0.0),
               "mlp": dict(aux_weight=0.0)}
LOSSES = ("bce", "hinge")


def recipe(arch: str, model: str) -> dict:
    """The defaults for training `model` ("gan" or "cgan") with `arch`."""
    return {**RECIPES[arch], **({} if model == "cgan" else GAN_CHANGES[arch])}


@dataclass
class TrainConfig:  # new fields default to the old behaviour, so older checkpoints resume as they were
    model: str = "cgan"  # "gan" or "cgan"
    arch: str = "dcgan"  # "mlp" or "dcgan"
    epochs: int = 30
    batch_size: int = 100
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    real_label: float = 0.9  # one-sided label smoothing when < 1
    ema_decay: float = 0.999  # 0 = the exported generator is the trained one
    aux_weight: float = 0.0  # > 0: D gets an AC-GAN class head; its cross-entropy joins both losses
    # (0 here, not the dcgan recipe's 1.0: checkpoints from before the head existed load as they were)
    loss: str = "bce"  # "bce" (non-saturating) or "hinge"
    augment: str = ""  # DiffAugment policy for every image D sees, e.g. "translation,cutout"
    precision: str = "fp32"  # "bf16": the networks' forwards under autocast; losses and weights stay fp32
    g_channels: int = 0  # dcgan widths; 0 = the network's default (G 128, D 64)
    d_channels: int = 0
    refine: bool = False  # dcgan G: a 3x3 convolution at 28x28 before the image
    minibatch_std: bool = False  # dcgan D: sees the spread of each group of 4 images
    seed: int = 0
    limit: int | None = None
    snapshot_every: int = 0
    budget_seconds: float = 0.0  # > 0: train for this long (train.py --minutes), the learning rate falling to 0
    command: str = ""  # how this run was started, for the model card

    @property
    def conditional(self) -> bool:
        return self.model == "cgan"


def check_settings(config: TrainConfig) -> None:
    """A one-line UserError for a loss, augmentation or precision this loop does not know."""
    if config.loss not in LOSSES:
        raise UserError(f"unknown loss {config.loss!r}; choose one of {', '.join(LOSSES)}")
    if config.precision not in sampling.PRECISIONS:
        raise UserError(f"unknown precision {config.precision!r}; choose one of {', '.join(sampling.PRECISIONS)}")
    try:
        check_policy(config.augment)
    except ValueError as e:
        raise UserError(str(e)) from None


def networks(config: TrainConfig) -> tuple[nn.Module, nn.Module]:
    """The generator and discriminator a config trains, freshly initialised (on the CPU)."""
    return build_pair(config.arch, config.conditional, aux_classifier=config.aux_weight > 0,
                      g_channels=config.g_channels or None, d_channels=config.d_channels or None,
                      refine=config.refine, minibatch_std=config.minibatch_std)


def reproducible_cuda() -> None:
    """Same seed, same weights on a GPU too: deterministic kernels instead of the fastest ones.

    By default CUDA sums an embedding's gradients with atomics and cuDNN picks convolution
    algorithms by timing, so two runs with one seed differ in the last bits after a step and
    more later. On CPUs the kernels are deterministic already. cuBLAS needs its workspace
    setting before its first call; a process that used cuBLAS earlier only gets a warning.
    """
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.use_deterministic_algorithms(True, warn_only=True)


class Interrupted(Exception):
    """Ctrl-C arrived; the checkpoint was saved at a step boundary."""


@dataclass(frozen=True)
class Speed:
    """What training costs on this machine, measured before the first step (Trainer.measure)."""
    step: float  # seconds a training step takes
    epoch_end: float  # seconds the work after each epoch takes: the fixed-seed grid and the checkpoint
    batch_size: int

    @property
    def images_per_second(self) -> float:
        return self.batch_size / self.step


def duration(seconds: float) -> str:
    """38 s, 12.5 min, 5.4 h: a time as a plan line says it."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def clock(seconds_from_now: float) -> str:
    return (datetime.datetime.now() + datetime.timedelta(seconds=seconds_from_now)).strftime("%H:%M:%S")


# Budget-aware training ends with the learning rate at 0 at the deadline (Li, Yumer & Ramanan, ICLR 2020).
# Their linear decay from the first step lost here at short budgets (cGAN, 10 CPU minutes: FID 242 against 174
# for the recipe's constant rate stopped at the same time; README), as a run that short is still far from
# converged; so the rate holds and only the last fifth of the time falls to 0 (the "cooldown" of
# warmup-stable-decay schedules, which Haegele et al. 2024 found to match a full decay with 20 %): FID 162 there.
COOLDOWN = 0.2


def budget_lr_factor(spent: float, deadline: float) -> float:
    """The fraction of the recipe's learning rate a budgeted run uses after `spent` of its `deadline` seconds."""
    return min(1.0, max(0.0, (deadline - spent) / (COOLDOWN * deadline)))


def load_checkpoint(path: Path) -> dict:
    """Read a checkpoint with weights_only=True: tensors and plain values, never arbitrary pickles."""
    if not path.is_file():
        raise UserError(f"{path}: no checkpoint there; give --resume the --out folder of an earlier run")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # truncated zip, garbage, or a pickle that wants to run code
        reason = str(e).strip().splitlines()[0][:160] if str(e).strip() else type(e).__name__
        raise UserError(f"{path}: not a readable fashion-gan checkpoint ({reason})") from None


class Trainer:
    def __init__(self, config: TrainConfig, out_dir: Path, images: torch.Tensor, labels: torch.Tensor, device: torch.device):
        self.config, self.device = config, device
        check_settings(config)
        self.folder = Path(out_dir) / config.model
        self.training_dir = self.folder / "training"
        if config.limit:
            images, labels = images[: config.limit], labels[: config.limit]
        if len(images) < config.batch_size:
            raise UserError(f"only {len(images)} training images for batch size {config.batch_size}; lower --batch-size or raise --limit")
        self.images, self.labels = images.to(device), labels.to(device)
        self.steps_per_epoch = len(self.images) // config.batch_size

        if device.type == "cuda":
            reproducible_cuda()
        torch.manual_seed(config.seed)
        self.G, self.D = (net.to(device) for net in networks(config))
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        betas = (config.beta1, 0.999)
        # fused: one kernel for all parameters, 4x faster than the per-tensor loop on a CPU
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=config.lr_g, betas=betas, fused=True)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=config.lr_d, betas=betas, fused=True)
        # BCEWithLogitsLoss = Sigmoid + BCELoss in one stable expression; D returns logits.
        self.loss = nn.BCEWithLogitsLoss()
        self.class_loss = nn.CrossEntropyLoss()
        self.epoch, self.step = 0, 0  # completed epochs; completed steps of the current epoch
        self.history: list[dict] = []
        self.spent = 0.0  # seconds of training so far, over every resume (what a time budget counts)
        self._stop_requested = False
        self._clock_started, self._spent_before = time.perf_counter(), 0.0
        self.deadline: float | None = None  # with a budget: the seconds of `spent` at which training ends

    # --- checkpoints ------------------------------------------------------------------------

    @property
    def checkpoint_path(self) -> Path:
        return self.training_dir / "checkpoint.pt"

    def state_dict(self) -> dict:
        return {
            "version": 1,
            "config": dataclasses.asdict(self.config),
            "epoch": self.epoch, "step": self.step, "history": self.history, "spent": self.spent_now(),
            "G": self.G.state_dict(), "D": self.D.state_dict(), "G_ema": self.G_ema.state_dict(),
            "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
            "rng_cpu": torch.get_rng_state(),
            "rng_cuda": torch.cuda.get_rng_state() if self.device.type == "cuda" else None,
        }

    def save_checkpoint(self) -> None:
        self.training_dir.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.checkpoint_path) as tmp:
            torch.save(self.state_dict(), tmp)

    def load_state_dict(self, state: dict) -> None:
        self.G.load_state_dict(state["G"])
        self.D.load_state_dict(state["D"])
        self.G_ema.load_state_dict(state["G_ema"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.epoch, self.step, self.history = state["epoch"], state["step"], list(state["history"])
        self.spent = state.get("spent", sum(r["seconds"] for r in self.history))  # older checkpoints: their epochs
        torch.set_rng_state(state["rng_cpu"])
        if state["rng_cuda"] is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state(state["rng_cuda"])

    # --- one step ---------------------------------------------------------------------------

    def train_step(self, real: torch.Tensor, real_labels: torch.Tensor) -> torch.Tensor:
        """One D update and one G update on the same fake batch; returns [d_loss, g_loss, D(x), D(G(z))]."""
        b = real.shape[0]
        z = torch.randn(b, self.G.z_dim, device=self.device)
        fake_labels = torch.randint(0, len(CLASS_NAMES), (b,), device=self.device) if self.config.conditional else None
        labels = real_labels if self.config.conditional else None
        augment = self.config.augment
        with self._forwards(self.G):
            fake = self.G(z, fake_labels)  # the only generator forward of the step

        # (1) Update D: maximize log D(x) + log(1 - D(G(z))) (or the hinge: min relu(1 - D(x)) + relu(1 + D(G(z)))).
        # Real and fake go through D as one batch of 2b: one larger matrix product instead of two.
        # (Our discriminators have no BatchNorm, so the batch's make-up does not change its outputs.)
        both_labels = torch.cat([labels, fake_labels]) if self.config.conditional else None
        with self._forwards(self.D):
            d_out, d_classes = self.D.judge(diff_augment(torch.cat([real, fake.detach()]), augment), both_labels)
        d_real, d_fake = d_out.float().split(b)  # losses in fp32, whatever the forwards ran in
        d_loss = self._d_loss(d_real, d_fake)
        if d_classes is not None:  # AC-GAN: D learns to name the class of real images only
            d_loss = d_loss + self.config.aux_weight * self.class_loss(d_classes[:b].float(), labels)
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()

        # (2) Update G: maximize log D(G(z)) (the non-saturating loss; hinge: maximize D(G(z))), same fake batch.
        # D's weights are frozen for this backward: G needs gradients through D, not of D's weights.
        self.D.requires_grad_(False)
        with self._forwards(self.D):
            g_out, g_classes = self.D.judge(diff_augment(fake, augment), fake_labels)
        g_out = g_out.float()
        g_loss = -g_out.mean() if self.config.loss == "hinge" else self.loss(g_out, torch.ones(b, device=self.device))
        if g_classes is not None:  # ... and G makes images whose class D names correctly
            g_loss = g_loss + self.config.aux_weight * self.class_loss(g_classes.float(), fake_labels)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        self.D.requires_grad_(True)

        self._update_ema()
        return torch.stack([d_loss.detach(), g_loss.detach(),
                            torch.sigmoid(d_real.detach()).mean(), torch.sigmoid(d_fake.detach()).mean()])

    def _d_loss(self, d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
        if self.config.loss == "hinge":
            return torch.relu(1 - d_real).mean() + torch.relu(1 + d_fake).mean()
        real_target = torch.full_like(d_real, self.config.real_label)  # < 1: one-sided label smoothing
        return self.loss(d_real, real_target) + self.loss(d_fake, torch.zeros_like(d_fake))

    @contextlib.contextmanager
    def _forwards(self, net: nn.Module):
        """The precision `net`'s forward runs in: fp32, or bf16 autocast with fp32 spectral norms.

        Spectral norm's power iteration runs whenever a normalised weight is read. Under bf16
        its sigma would be a bf16 estimate that drifts step by step, so the weights are read
        once here in fp32 and cached for this forward and its backward; autocast then casts
        only the matrix products. Losses, optimizer state, EMA and master weights never leave fp32.
        """
        if self.config.precision == "fp32":
            yield
            return
        with parametrize.cached():
            for module in net.modules():
                if parametrize.is_parametrized(module):
                    for name in module.parametrizations:
                        getattr(module, name)  # fills the cache, in fp32
            with sampling.autocast(self.device, self.config.precision):
                yield

    @torch.no_grad()
    def _update_ema(self) -> None:
        # Warm-up: early on, an EMA at 0.999 would be mostly the random initial weights.
        n = self.epoch * self.steps_per_epoch + self.step
        weight = 1.0 - min(self.config.ema_decay, (1 + n) / (10 + n))
        for p_ema, p in zip(self.G_ema.parameters(), self.G.parameters()):
            p_ema.lerp_(p, weight)
        for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers()):  # BatchNorm statistics follow G
            b_ema.copy_(b)

    # --- epochs -----------------------------------------------------------------------------

    def batch(self, order: torch.Tensor, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Batch i of an epoch: a slice of the shuffled order, straight from the tensor on the device."""
        idx = order[i * self.config.batch_size:(i + 1) * self.config.batch_size]
        return to_unit_range(self.images[idx]).unsqueeze(1), self.labels[idx]

    def _permutation(self, epoch: int) -> torch.Tensor:
        # Its own generator, seeded by (seed, epoch): a resumed epoch sees the same batches.
        rng = torch.Generator().manual_seed(self.config.seed * 100_003 + epoch)
        return torch.randperm(len(self.images), generator=rng).to(self.device)

    def _request_stop(self, signum, frame) -> None:
        if self._stop_requested:  # a second Ctrl-C: stop right now
            raise KeyboardInterrupt
        self._stop_requested = True

    # --- time ------------------------------------------------------------------------------

    def spent_now(self) -> float:
        return self._spent_before + time.perf_counter() - self._clock_started

    def _sync(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    def measure(self) -> Speed:
        """Time a few real steps and one epoch's end here, then put every weight, optimizer state and RNG back:
        the run that follows is the one it would have been without measuring."""
        saved = copy.deepcopy(self.state_dict())
        order = self._permutation(self.epoch)
        self.train_step(*self.batch(order, 0))  # the first step pays for allocations; not timed
        self._sync()
        started, n = time.perf_counter(), 0
        while n < 10 and (n < 2 or time.perf_counter() - started < 1.0):
            self.train_step(*self.batch(order, (n + 1) % self.steps_per_epoch))
            n += 1
            self._sync()
        step = (time.perf_counter() - started) / n
        started = time.perf_counter()
        self.sample_grid()
        torch.save(self.state_dict(), io.BytesIO())
        epoch_end = time.perf_counter() - started
        self.load_state_dict(saved)
        return Speed(step, epoch_end, self.config.batch_size)

    def export_reserve(self, speed: Speed) -> float:
        """Seconds a budget keeps back for the last epoch's end and the export (a grid and three saves)."""
        return 2 * speed.epoch_end + 0.5

    def plan_line(self, speed: Speed) -> str:
        """What this run will do and how long it will take here, said before the first step."""
        c, steps = self.config, self.steps_per_epoch
        epoch = steps * speed.step + speed.epoch_end
        threads = torch.get_num_threads()
        where = self.device.type + (f", {threads} thread{'s' * (threads > 1)}" if self.device.type == "cpu" else "")
        measured = f"{speed.images_per_second:,.0f} images/s measured here ({where}, {c.precision})"
        if c.budget_seconds:
            left = max(0.0, c.budget_seconds - self.spent_now() - self.export_reserve(speed))
            return (f"plan: {c.model} for {duration(c.budget_seconds)}: about {left / epoch:.1f} epochs of {steps} steps "
                    f"at {measured}; the learning rate holds, then falls linearly to 0 over the last "
                    f"{COOLDOWN:.0%} of the time, by {clock(left)}; then the export")
        seconds = (c.epochs - self.epoch) * epoch - self.step * speed.step + self.export_reserve(speed) / 2
        in_30 = max(0.0, 1800 - self.export_reserve(speed)) / epoch
        narrower = c.arch == "dcgan" and in_30 < OWN_NETWORKS_PAY_AFTER_EPOCHS[c.model]
        hint = (f"; `--minutes 30` gives about {in_30:.1f} epochs of these networks"
                + (" (too few: `--minutes` alone takes narrow ones, which get more)" if narrower else "")
                if seconds > 2400 else "")
        epochs = c.epochs - self.epoch
        return (f"plan: {c.model}, {epochs} epoch{'s' * (epochs != 1)} of {steps} steps at {measured}: about "
                f"{duration(seconds)}, done about {clock(seconds)}{hint}")

    def run(self) -> None:
        c, steps = self.config, self.steps_per_epoch
        previous_handler = signal.signal(signal.SIGINT, self._request_stop)
        try:
            self._clock_started, self._spent_before = time.perf_counter(), self.spent  # measuring counts as spent
            speed = self.measure()
            if c.budget_seconds:  # the epochs the budget should hold, for the progress lines ("epoch 3/13")
                left = c.budget_seconds - self.spent_now() - self.export_reserve(speed)
                c.epochs = self.epoch + max(1, math.ceil(left / (steps * speed.step + speed.epoch_end)))
            print(self.plan_line(speed), flush=True)
            # With a budget the clock decides, not the epoch count: epochs run until its end, a last one cut short.
            self.deadline = c.budget_seconds - self.export_reserve(speed) if c.budget_seconds else None
            while (self.spent_now() < self.deadline) if self.deadline is not None else (self.epoch < c.epochs):
                if self._stop_requested:  # Ctrl-C during the end-of-epoch work; that checkpoint is saved
                    raise Interrupted(self.checkpoint_path)
                if self.deadline is not None and self.history:  # the count re-estimated from the last epoch's time
                    last = self.history[-1]["seconds"] + speed.epoch_end
                    c.epochs = self.epoch + max(1, math.ceil((self.deadline - self.spent_now()) / last))
                self._run_epoch(steps)
        finally:
            signal.signal(signal.SIGINT, previous_handler)
        self.export()

    def _budget_lr(self) -> float:
        """The budget's schedule: the recipe's learning rate until the last COOLDOWN of the time, then a straight
        line to 0 at the deadline. Returns the factor applied to both networks' rates now."""
        factor = budget_lr_factor(self.spent_now(), self.deadline)
        for optimizer, base in ((self.opt_g, self.config.lr_g), (self.opt_d, self.config.lr_d)):
            for group in optimizer.param_groups:
                group["lr"] = base * factor
        return factor

    def _run_epoch(self, steps: int) -> None:
        c = self.config
        self.G.train()
        self.D.train()
        order = self._permutation(self.epoch)
        totals = torch.zeros(4, device=self.device)
        started, first_step = time.perf_counter(), self.step
        bar = tqdm(range(first_step, steps), desc=f"{c.model} epoch {self.epoch + 1}/{c.epochs}",
                   initial=first_step, total=steps, leave=False, disable=None, file=sys.stderr)
        done, lr_factor = 0, None
        for i in bar:
            if self.deadline is not None:
                lr_factor = self._budget_lr()
                if lr_factor == 0.0:  # the budget is spent: this epoch ends here
                    break
            stats = self.train_step(*self.batch(order, i))
            totals += stats
            done += 1
            self.step = i + 1
            if i % 20 == 0:
                d_loss, g_loss, dx, dgz = stats.tolist()
                bar.set_postfix_str(f"d_loss {d_loss:.3f} g_loss {g_loss:.3f} D(x) {dx:.3f} D(G(z)) {dgz:.3f}")
            if self._stop_requested and self.step < steps:
                self.save_checkpoint()
                raise Interrupted(self.checkpoint_path)
        bar.close()
        if not done:
            return
        seconds = time.perf_counter() - started
        d_loss, g_loss, dx, dgz = (totals / done).tolist()  # a resumed (or cut) epoch averages its own steps
        record = dict(epoch=self.epoch + 1, d_loss=d_loss, g_loss=g_loss, d_x=dx, d_g_z=dgz, seconds=round(seconds, 2))
        if lr_factor is not None:
            record.update(lr_factor=round(lr_factor, 4), steps=self.step)  # a budget's last epoch may be cut short
        self.epoch, self.step = self.epoch + 1, 0
        self.history.append(record)
        line = timelapse.log_line(c.model, self.epoch, c.epochs, d_loss, g_loss, dx, dgz, seconds)
        print(line, flush=True)
        self.training_dir.mkdir(parents=True, exist_ok=True)
        with open(self.training_dir / "log.txt", "a") as log:
            log.write(line + "\n")
        (self.training_dir / "grids").mkdir(exist_ok=True)
        sampling.save_png(self.sample_grid(), self.training_dir / "grids" / f"epoch_{self.epoch:03d}.png", scale=2)
        if c.snapshot_every and self.epoch % c.snapshot_every == 0:
            hub.save_network(self.G_ema, self.training_dir / "snapshots" / f"epoch_{self.epoch:03d}")
        self.save_checkpoint()

    def sample_grid(self) -> np.ndarray:
        """The fixed-seed grid: for the cGAN one row per class, columns = seeds."""
        if self.config.conditional:
            seeds = [s for _ in CLASS_NAMES for s in GRID_SEEDS]
            labels = [y for y in range(len(CLASS_NAMES)) for _ in GRID_SEEDS]
        else:
            seeds, labels = list(range(100)), None
        images = sampling.generate(self.G_ema, seeds, labels, device=self.device)
        return sampling.image_grid(images, columns=10)

    def export(self) -> None:
        """The EMA generator as a Hub folder with its model card, the discriminator beside it."""
        hub.save_network(self.G_ema, self.folder)
        hub.save_network(self.D, self.folder / "discriminator")
        sampling.save_png(self.sample_grid(), self.folder / "samples.png", scale=2)
        seconds = sum(r["seconds"] for r in self.history)
        cards.write_model_card(
            self.folder, model=self.config.model, arch=self.config.arch, command=self.config.command,
            epochs=self.epoch, train_seconds=seconds, images=len(self.images), aux_weight=self.config.aux_weight,
            recipe=self.recipe_line(), device=self.device.type,
        )

    def recipe_line(self) -> str:
        c = self.config
        lr = f"lr {c.lr_g:g}" if c.lr_g == c.lr_d else f"lr G {c.lr_g:g} / D {c.lr_d:g} (TTUR)"
        loss = "hinge loss" if c.loss == "hinge" else f"non-saturating BCE (real target {c.real_label:g})"
        shape = "".join([f", G width {c.g_channels}" if c.g_channels else "", f", D width {c.d_channels}" if c.d_channels else "",
                         ", G refine layer" if c.refine else "", ", minibatch-std D" if c.minibatch_std else ""])
        budget = (f"; a {duration(c.budget_seconds)} budget (`--minutes`): the rate held, then fell to 0 over the last "
                  f"{COOLDOWN:.0%} of the time" if c.budget_seconds else "")
        return (f"{loss}, {lr}, Adam beta1 {c.beta1:g}, batch {c.batch_size}, EMA {c.ema_decay:g}, "
                f"DiffAugment {c.augment or 'off'}, {c.precision} forwards{shape}{budget}")


# A time budget trains the recipe's own networks only where they get enough epochs in it; short of that,
# narrow ones: the same layers (the GAN keeps its refine layer and minibatch-std D) at G width 64 and D width
# 32, which run 2.4x (cGAN) and 6.9x (GAN) as many images a second on a 2-core CPU (benchmarks/network_cost.py).
# On that CPU (README, "What a budget gives") the narrow cGAN led at 10 and 30 minutes (FID 32.1 against 55.1
# in 30), and the narrow GAN had 84.4 in 60, where its wide ones would have had 7 epochs (118.6 after 10 on a GPU).
# How many epochs the own networks need before they lead at equal time: the GAN's wide ones, about 20 (their
# FID 46 at epoch 25 against the plain networks' 75 at epoch 65, which cost the time of 15 wide epochs; README,
# "What the GAN's networks needed"); the cGAN's, 30 (there they were at 17.8 on a GPU, where the narrow ones had
# 32.1 at their epoch 30; whether the narrow ones, with 2.4x the epochs in that time, get under 17.8 was not
# measured: until it is, the recipe's networks from 30 on).
NARROW = dict(g_channels=64, d_channels=32)
OWN_NETWORKS_PAY_AFTER_EPOCHS = {"gan": 20, "cgan": 30}


def networks_for_budget(config: TrainConfig, images, labels, device) -> tuple[TrainConfig, str]:
    """The networks for a time budget: the recipe's own if they get OWN_NETWORKS_PAY_AFTER_EPOCHS epochs in it
    on this machine (measured here), else the NARROW ones. Returns the config to train and why, in a line."""
    narrow = dataclasses.replace(config, **NARROW)
    rates = {name: Trainer(candidate, Path("unused"), images, labels, device).measure().images_per_second
             for name, candidate in (("own", config), ("narrow", narrow))}
    images_seen = len(images[: config.limit] if config.limit else images)
    epochs = config.budget_seconds * rates["own"] / images_seen
    pays_after = OWN_NETWORKS_PAY_AFTER_EPOCHS[config.model]
    own = epochs >= pays_after
    name = "GAN" if config.model == "gan" else "cGAN"
    narrow_name = f"narrow (G width {NARROW['g_channels']}, D width {NARROW['d_channels']})"
    why = (f"networks: the {name}'s {'own' if own else narrow_name} DCGAN networks: in "
           f"{duration(config.budget_seconds)} its own would get about {epochs:.0f} epochs here ({rates['own']:,.0f} "
           f"images/s, against {rates['narrow']:,.0f} for the narrow ones); at equal time they lead only after about "
           f"{pays_after} epochs (README: What a budget gives)")
    return (config if own else narrow), why


def train(config: TrainConfig, out_dir: Path, images, labels, device, resume: bool = False,
          new_epochs: int | None = None) -> Trainer:
    trainer = Trainer(config, out_dir, images, labels, device)
    if resume:
        try:
            trainer.load_state_dict(load_checkpoint(trainer.checkpoint_path))
        except (KeyError, TypeError, ValueError, RuntimeError) as e:  # readable, but not this run's checkpoint
            raise UserError(f"{trainer.checkpoint_path}: does not fit this run ({type(e).__name__}: {str(e)[:120]})") from None
    if new_epochs is not None:
        if new_epochs < trainer.epoch:
            raise UserError(f"--epochs {new_epochs} is fewer than the {trainer.epoch} epochs {trainer.checkpoint_path} already has")
        trainer.config.epochs = new_epochs
    trainer.run()
    return trainer


def config_from_checkpoint(folder: Path) -> TrainConfig:
    state = load_checkpoint(folder / "training" / "checkpoint.pt")
    return TrainConfig(**state["config"])


def command_line() -> str:
    """How this process was started, with absolute paths made relative to where it ran.

    The command goes into model cards that travel to other machines; /home/someone/... means nothing there.
    """
    def relative(arg: str) -> str:
        flag, eq, value = arg.rpartition("=") if arg.startswith("--") and "=" in arg else ("", "", arg)
        if os.path.isabs(value):
            value = os.path.relpath(value)
        return flag + eq + value
    return "python " + " ".join(shlex.quote(relative(a)) for a in sys.argv)

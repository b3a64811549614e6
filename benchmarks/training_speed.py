"""Training throughput: fashion-gan's loop against a faithful copy of the chapter's loop.

    python benchmarks/training_speed.py [--device cpu] [--rounds 5] [--steps 20] [--precisions fp32,bf16] [--json FILE]

The chapter's loop: torchvision's FashionMNIST dataset with ToTensor + Normalize
per image in a DataLoader, Sigmoid + BCELoss, and the generator run twice per
step (once for D's fake batch, once more for G's). The project's loop: batches
sliced from one uint8 tensor on the device, BCEWithLogitsLoss, one generator
forward per step, in fp32 and in bf16 (autocast forwards, fp32 weights and
losses). Same networks, batch 100, same device; the loops run alternately in
one process, so a busy machine slows them alike.
"""

import argparse
import gzip
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (puts the repo on sys.path)
import torch
from torch import nn

from fashion_gan.data import SPLIT_FILES, find_file, load_split, search_dirs
from fashion_gan.device import resolve_device
from fashion_gan.training import Trainer, TrainConfig, recipe


def torchvision_root() -> Path:
    """A temporary root in torchvision's layout, with the raw files torchvision expects un-gzipped."""
    root = Path(tempfile.mkdtemp(prefix="fmnist-tv-"))
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in SPLIT_FILES["train"] + SPLIT_FILES["test"]:  # torchvision checks for all four
        source = find_file(name, search_dirs())  # load_split found them already, so they are there
        opener = gzip.open if source.suffix == ".gz" else open
        with opener(source, "rb") as src, open(raw / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return root


class ChapterLoop:
    """The textbook's training step, kept as it was written."""

    def __init__(self, trainer: Trainer, root: Path, device):
        from torchvision import datasets, transforms

        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
        dataset = datasets.FashionMNIST(str(root), train=True, download=False, transform=transform)
        self.loader = torch.utils.data.DataLoader(dataset, batch_size=100, shuffle=True)
        self.G, self.D, self.device = trainer.G, trainer.D, device
        self.conditional = trainer.config.conditional
        self.opt_g, self.opt_d = trainer.opt_g, trainer.opt_d
        self.bce = nn.BCELoss()
        self.batches = iter(self.loader)

    def _next(self):
        try:
            return next(self.batches)
        except StopIteration:
            self.batches = iter(self.loader)
            return next(self.batches)

    def step(self):
        real, labels = self._next()
        real, labels = real.to(self.device), labels.to(self.device)
        b = real.shape[0]
        ones, zeros = torch.ones(b, device=self.device), torch.zeros(b, device=self.device)
        fake_labels = torch.randint(0, 10, (b,), device=self.device) if self.conditional else None
        real_labels = labels if self.conditional else None
        # Discriminator
        fake = self.G(torch.randn(b, self.G.z_dim, device=self.device), fake_labels)
        d_loss = (self.bce(torch.sigmoid(self.D(real, real_labels)), ones)
                  + self.bce(torch.sigmoid(self.D(fake.detach(), fake_labels)), zeros))
        self.opt_d.zero_grad()
        d_loss.backward()
        self.opt_d.step()
        # Generator: a second generator forward on fresh noise
        fake = self.G(torch.randn(b, self.G.z_dim, device=self.device), fake_labels)
        g_loss = self.bce(torch.sigmoid(self.D(fake, fake_labels)), ones)
        self.opt_g.zero_grad()
        g_loss.backward()
        self.opt_g.step()


def project_step(trainer: Trainer):
    """fashion-gan's training step on consecutive batches of one shuffled epoch, wrapping around."""
    order = trainer._permutation(0)
    position = iter(range(10**9))

    def step():
        trainer.train_step(*trainer.batch(order, next(position) % trainer.steps_per_epoch))
    return step


def measure(step, steps: int, device) -> float:
    """Images per second over `steps` steps of batch 100."""
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return steps * 100 / (time.perf_counter() - started)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="auto")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=20, help="steps per round and loop")
    p.add_argument("--archs", default="mlp,dcgan")
    p.add_argument("--precisions", default="fp32,bf16", help="the project loop's precisions (the chapter's is fp32)")
    p.add_argument("--json")
    args = p.parse_args()
    device = resolve_device(args.device)
    images, labels = load_split("train")
    root = torchvision_root()
    rows, results = [], []
    try:
        for arch in args.archs.split(","):
            for model in ("gan", "cgan"):
                settings = {k: v for k, v in recipe(arch, model).items() if k not in ("epochs", "precision")}
                chapter = ChapterLoop(Trainer(TrainConfig(model=model, arch=arch, **settings), Path(root), images, labels, device),
                                      root, device)
                loops = {"chapter": chapter.step}
                for precision in args.precisions.split(","):
                    loops[precision] = project_step(
                        Trainer(TrainConfig(model=model, arch=arch, precision=precision, **settings), Path(root), images, labels, device))
                speeds = {name: [] for name in loops}
                for step in loops.values():  # warm-up
                    step()
                for _ in range(args.rounds):  # alternate, so drifts in machine load hit every loop alike
                    for name, step in loops.items():
                        speeds[name].append(measure(step, args.steps, device))
                median = {name: statistics.median(v) for name, v in speeds.items()}
                c = median.pop("chapter")
                for precision, o in median.items():
                    rows.append([f"{arch} {model}", device.type, precision, c, o, f"{o / c:.2f}x", f"{o / median['fp32']:.2f}x"
                                 if "fp32" in median else "-"])
                    results.append(dict(arch=arch, model=model, device=device.type, precision=precision,
                                        chapter_images_per_s=c, project_images_per_s=o, speedup=o / c))
                print(f"{arch} {model}: chapter {c:,.0f} img/s, project "
                      + ", ".join(f"{k} {v:,.0f}" for k, v in median.items()) + " img/s", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nTraining throughput, batch 100, median of {args.rounds} alternating rounds of {args.steps} steps")
    print(f"machine: {common.machine()}\n")
    common.print_table(["networks", "device", "precision", "chapter loop img/s", "fashion-gan img/s", "vs chapter", "vs fp32"],
                       rows)
    common.write_json(args.json, {"rounds": args.rounds, "steps": args.steps, "results": results})


if __name__ == "__main__":
    main()

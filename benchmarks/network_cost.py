"""What a training step costs with each model's own networks and with the narrow ones a short --minutes budget takes.

    python benchmarks/network_cost.py [--rounds 3] [--steps 10] [--json FILE]

For each model: its recipe's networks (own), the narrow ones (training.NARROW: G width 64, D width 32), and each
network narrowed alone, so the step's cost can be laid at G's or D's door. fp32 (the budget's rows were fp32),
batch 100, real images; all variants alternate in one process, so a busy machine slows them alike.
"""

import argparse
import dataclasses
import statistics
import tempfile
from pathlib import Path

import common  # also puts the repo on sys.path
import torch

from fashion_gan.data import load_split
from fashion_gan.training import NARROW, Trainer, TrainConfig, recipe

VARIANTS = {"own": {}, "narrow": NARROW, "narrow G only": {"g_channels": NARROW["g_channels"]},
            "narrow D only": {"d_channels": NARROW["d_channels"]}}


def config(model: str, **changes) -> TrainConfig:
    settings = {k: v for k, v in recipe("dcgan", model).items() if k != "epochs"}
    return dataclasses.replace(TrainConfig(model=model, arch="dcgan", **{**settings, "precision": "fp32"}), **changes)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--json")
    args = p.parse_args()
    device = torch.device("cpu")
    images, labels = load_split("train")
    out = Path(tempfile.mkdtemp(prefix="network-cost-"))
    trainers = {(model, name): Trainer(config(model, **changes), out, images, labels, device)
                for model in ("cgan", "gan") for name, changes in VARIANTS.items()}
    seconds = common.step_seconds(trainers, args.rounds, args.steps)
    rows, results = [], []
    for (model, name), values in seconds.items():
        step, own = statistics.median(values), statistics.median(seconds[(model, "own")])
        rows.append([model, name, f"{step * 1000:.0f}", f"{100 / step:,.0f}", f"{own / step:.2f}x"])
        results.append(dict(model=model, networks=name, step_ms=round(step * 1000, 1), images_per_s=round(100 / step)))
    print(f"\nTraining step, batch 100, fp32, median of {args.rounds} alternating rounds of {args.steps} steps")
    print(f"machine: {common.machine()}\n")
    common.print_table(["model", "networks", "ms a step", "img/s", "speed vs own"], rows)
    common.write_json(args.json, {"results": results})


if __name__ == "__main__":
    main()

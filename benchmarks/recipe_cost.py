"""CPU cost of each recipe change: training steps per second of every run in recipe_ablation.RUNS.

    python benchmarks/recipe_cost.py [--rounds 3] [--steps 10] [--json FILE]

The ablation compares runs at equal epochs; this says what an epoch of each costs,
so the comparison can be read at equal CPU time. All runs alternate in one
process (a busy machine slows them alike); images per second, batch 100.
"""

import argparse
import statistics
import tempfile
from pathlib import Path

import common
import torch
from recipe_ablation import PREVIOUS, RUNS

import train
from fashion_gan.data import load_split
from fashion_gan.training import Trainer


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--json")
    args = p.parse_args()
    device = torch.device("cpu")
    images, labels = load_split("train")
    out = Path(tempfile.mkdtemp(prefix="recipe-cost-"))
    trainers = {name: Trainer(train.configs_from_args(train.parse_args(["--model", model, *PREVIOUS, *flags]), device)[0],
                              out, images, labels, device)
                for name, (model, flags) in RUNS.items()}
    speed = {name: [100 / step for step in values]
             for name, values in common.step_seconds(trainers, args.rounds, args.steps).items()}
    rows, results = [], []
    for name, values in speed.items():
        base = statistics.median(speed[name.split("-")[0] + "-base"])
        rows.append([name, statistics.median(values), f"{statistics.median(values) / base:.2f}x", f"{60_000 / statistics.median(values):.0f}"])
        results.append(dict(run=name, images_per_s=statistics.median(values)))
        print(f"{name}: {statistics.median(values):,.0f} img/s", flush=True)
    print(f"\nTraining step per recipe, batch 100, median of {args.rounds} alternating rounds of {args.steps} steps")
    print(f"machine: {common.machine()}\n")
    common.print_table(["run", "img/s", "vs base", "s per epoch"], rows)
    common.write_json(args.json, {"results": results})


if __name__ == "__main__":
    main()

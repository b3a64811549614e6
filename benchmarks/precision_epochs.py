"""fp32 against bf16 for whole training epochs: train.py runs on this machine, alternating.

    python benchmarks/precision_epochs.py [--model cgan] [--epochs 2] [--pairs 2] [--limit N] [--json FILE]

training_speed.py times training steps; this times what a user waits for: train.py's
own epochs (batches, steps, the epoch's grid and checkpoint), as each run's log
records them. The runs go fp32, bf16, fp32, bf16, ... and each pair's ratio is
taken on its own, so a drift in the machine's load over the minutes hits both
sides of a ratio alike. Run it with nothing else busy.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import common
from common import ROOT

from fashion_gan.training import load_checkpoint

PRECISIONS = ("fp32", "bf16")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=("gan", "cgan"), default="cgan")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--pairs", type=int, default=2)
    p.add_argument("--limit", type=int, help="train on the first N images (shorter epochs)")
    p.add_argument("--json")
    args = p.parse_args()
    seconds = {precision: [] for precision in PRECISIONS}
    with tempfile.TemporaryDirectory(prefix="precision-epochs-") as tmp:
        for pair in range(args.pairs):
            for precision in PRECISIONS:
                out = Path(tmp) / f"{precision}-{pair}"
                command = [sys.executable, str(ROOT / "train.py"), "--model", args.model, "--epochs", str(args.epochs),
                           "--precision", precision, "--out", str(out), *(["--limit", str(args.limit)] if args.limit else [])]
                subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
                history = load_checkpoint(out / args.model / "training" / "checkpoint.pt")["history"]
                seconds[precision] += [h["seconds"] for h in history]
                print(f"{precision} run {pair + 1}: " + ", ".join(f"{h['seconds']:.1f}" for h in history) + " s an epoch",
                      flush=True)
    median = {precision: statistics.median(v) for precision, v in seconds.items()}
    per_run = {precision: [statistics.mean(v[i:i + args.epochs]) for i in range(0, len(v), args.epochs)]
               for precision, v in seconds.items()}
    ratios = [fp32 / bf16 for fp32, bf16 in zip(per_run["fp32"], per_run["bf16"])]
    images = args.limit or 60_000
    print(f"\n{args.model}, {images} images an epoch, {args.pairs} runs of {args.epochs} epochs per precision, alternating")
    print(f"machine: {common.machine()}\n")
    rows = [[precision, median[precision], images / median[precision], f"{median['fp32'] / median[precision]:.2f}x"]
            for precision in PRECISIONS]
    common.print_table(["precision", "median s an epoch", "img/s", "speed vs fp32"], rows)
    print(f"\nbf16 against the fp32 run just before it: {', '.join(f'{r:.2f}x' for r in ratios)}; "
          f"median {statistics.median(ratios):.2f}x")
    common.write_json(args.json, {"model": args.model, "images_per_epoch": images, "seconds": seconds,
                                  "median_seconds": median, "speedup": median["fp32"] / median["bf16"],
                                  "pair_speedups": ratios, "median_pair_speedup": statistics.median(ratios)})


if __name__ == "__main__":
    main()

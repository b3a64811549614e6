"""How well fashion_gan.project finds real garments in the shipped cGAN's latent space.

    python benchmarks/projection.py [--count 1000] [--restarts 8] [--steps 100] [--json FILE]

For the first --count test images (never trained on): the projection with all ten classes searched
("auto"), and the baseline "the best of 1,000 seeds of the right class" (the seeds' pictures made once).
Prints the median distance (RMS, grey levels 0-255), the share of images where the projection is closer
than that baseline, the share whose class the projection recovered, and the median seconds of one
projection on this machine (one process; torch's threads as set).
"""

import argparse
import time

import numpy as np
import torch
from common import ROOT, machine, print_table, write_json

from fashion_gan import hub, sampling
from fashion_gan.data import load_split
from fashion_gan.project import project

SEEDS = 1000


def rms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """RMS pixel difference between each of a (N, 28, 28) and b (28, 28), in grey levels."""
    return np.sqrt(((a.astype(np.float32) - b.astype(np.float32)) ** 2).mean(axis=(-2, -1)))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--restarts", type=int, default=8)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--json", default=None)
    args = p.parse_args()
    print(machine(), flush=True)
    images, labels = load_split("test")
    images, labels = images[:args.count].numpy(), labels[:args.count].numpy()
    generator = hub.load_network(ROOT / "weights" / "cgan")
    pools = [sampling.generate(generator, range(SEEDS), [c] * SEEDS) for c in range(10)]  # seeds 0..999 per class
    found, baseline, recovered, seconds = [], [], [], []
    for i, (target, label) in enumerate(zip(images, labels)):
        started = time.perf_counter()
        result = project(generator, target, "auto", restarts=args.restarts, steps=args.steps)
        seconds.append(time.perf_counter() - started)
        found.append(result.distance)
        baseline.append(float(rms(pools[label], target).min()))
        recovered.append(result.label == int(label))
        if (i + 1) % 50 == 0:
            print(f"{i + 1} images: median {np.median(found):.1f} against {np.median(baseline):.1f}, "
                  f"{np.median(seconds):.2f} s each", flush=True)
    found, baseline = np.array(found), np.array(baseline)
    summary = dict(count=args.count, restarts=args.restarts, steps=args.steps, threads=torch.get_num_threads(),
                   median_distance=float(np.median(found)), median_best_of_seeds=float(np.median(baseline)),
                   closer_than_seeds=float((found < baseline).mean()), class_recovered=float(np.mean(recovered)),
                   median_seconds=float(np.median(seconds)))
    print_table(["method", "median RMS distance", "closer than best of 1,000 seeds", "class recovered", "median s"], [
        [f"Adam on z, {args.restarts} starts x 10 classes, {args.steps} steps", f"{summary['median_distance']:.1f}",
         f"{summary['closer_than_seeds']:.1%}", f"{summary['class_recovered']:.1%}", f"{summary['median_seconds']:.2f}"],
        ["best of 1,000 seeds of the right class", f"{summary['median_best_of_seeds']:.1f}", "", "(given)", ""]])
    write_json(args.json, summary)


if __name__ == "__main__":
    main()

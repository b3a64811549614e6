"""How well fashion_gan.project finds real garments in the shipped cGAN's latent space, method by method.

    python benchmarks/projection.py [--count 1000] [--methods encoder,features,guess,random] [--json FILE]

For the first --count test images (never trained on), each method searches all ten classes ("auto"):
  random    Adam on z from 8 random starts per class, 100 steps (the search without an encoder)
  encoder   the encoder's guess as the one start per class, 100 steps (what the demo runs with an encoder)
  features  as encoder, the loss adding the encoder's features (pixel MSE + feature MSE)
  guess     the encoder's guess alone, no steps (the best class by pixels)
and two baselines: "the best of 1,000 seeds of the right class" (the seeds' pictures made once), and "the
best of N seeds of each class at equal time", N the seeds this machine draws in the encoder method's
median time. Prints the median distance (RMS, grey levels 0-255), the share of images closer than the
1,000 seeds, the share whose class was recovered, and the median seconds of one projection (one process,
torch's threads as set).
"""

import argparse
import time

import numpy as np
import torch
from common import ROOT, machine, print_table, write_json

from fashion_gan import encoder, hub, sampling
from fashion_gan.data import load_split
from fashion_gan.project import ENCODER_RESTARTS, ENCODER_STEPS, RANDOM_RESTARTS, RANDOM_STEPS, project

SEEDS = 1000
FEATURE_WEIGHT = 0.05  # the feature term's weight: the encoder's features are ~20x the pixels' squared scale


def rms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """RMS pixel difference between each of a (N, 28, 28) and b (28, 28), in grey levels."""
    return np.sqrt(((a.astype(np.float32) - b.astype(np.float32)) ** 2).mean(axis=(-2, -1)))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--methods", default="encoder,features,guess")
    p.add_argument("--json", default=None)
    args = p.parse_args()
    print(machine(), flush=True)
    images, labels = load_split("test")
    images, labels = images[:args.count].numpy(), labels[:args.count].numpy()
    weights = ROOT / "weights" / "cgan"
    generator = hub.load_network(weights)
    guesser = encoder.load(weights, generator)
    methods = {
        "random": dict(restarts=RANDOM_RESTARTS, steps=RANDOM_STEPS),
        "encoder": dict(restarts=ENCODER_RESTARTS, steps=ENCODER_STEPS, encoder=guesser),
        "features": dict(restarts=ENCODER_RESTARTS, steps=ENCODER_STEPS, encoder=guesser, feature_weight=FEATURE_WEIGHT),
        "guess": dict(restarts=1, steps=0, encoder=guesser),
    }
    chosen = args.methods.split(",")
    pools = [sampling.generate(generator, range(SEEDS), [c] * SEEDS) for c in range(10)]  # seeds 0..999 per class
    baseline = np.array([float(rms(pools[y], x).min()) for x, y in zip(images, labels)])
    results, rows = {}, []
    for name in chosen:
        distances, recovered, seconds = [], [], []
        for i, (target, label) in enumerate(zip(images, labels)):
            started = time.perf_counter()
            found = project(generator, target, "auto", **methods[name])
            seconds.append(time.perf_counter() - started)
            distances.append(found.distance)
            recovered.append(found.label == int(label))
            if (i + 1) % 200 == 0:
                print(f"{name}: {i + 1} images, median {np.median(distances):.1f}, {np.median(seconds):.3f} s each",
                      flush=True)
        distances = np.array(distances)
        results[name] = dict(median_distance=float(np.median(distances)),
                             closer_than_seeds=float((distances < baseline).mean()),
                             class_recovered=float(np.mean(recovered)), median_seconds=float(np.median(seconds)))
        rows.append([name, f"{results[name]['median_distance']:.1f}", f"{results[name]['closer_than_seeds']:.1%}",
                     f"{results[name]['class_recovered']:.1%}", f"{results[name]['median_seconds']:.3f}"])
    # Seeds at equal time: as many seeds of each class as one encoder projection's median time draws here
    equal_time = results.get("encoder", {}).get("median_seconds")
    if equal_time:
        started, drawn = time.perf_counter(), 0
        while time.perf_counter() - started < 5:
            sampling.generate(generator, range(100), [0] * 100)
            drawn += 100
        per_class = max(1, int(drawn / (time.perf_counter() - started) * equal_time / 10))
        near = np.array([min(float(rms(pools[c][:per_class], x).min()) for c in range(10)) for x in images])
        results["seeds_equal_time"] = dict(seeds_per_class=per_class, median_distance=float(np.median(near)),
                                           closer_than_seeds=float((near < baseline).mean()))
        rows.append([f"best of {per_class} seeds of each class (equal time)", f"{np.median(near):.1f}",
                     f"{(near < baseline).mean():.1%}", "", f"{equal_time:.3f}"])
    rows.append([f"best of {SEEDS:,} seeds of the right class", f"{np.median(baseline):.1f}", "", "(given)", ""])
    print_table(["method", "median RMS distance", "closer than best of 1,000 seeds", "class recovered", "median s"],
                rows)
    write_json(args.json, dict(count=args.count, threads=torch.get_num_threads(), feature_weight=FEATURE_WEIGHT,
                               methods={k: {kk: vv for kk, vv in methods[k].items() if kk != "encoder"} for k in chosen},
                               results=results, median_best_of_seeds=float(np.median(baseline))))


if __name__ == "__main__":
    main()

"""The C_T data-copying test of the shipped generators against the 60,000 training images.

    python benchmarks/copying.py [--count 5000] [--cells 50] [--json FILE]

Reference (P_n): the first half of the test images. Against them, in pixel space:
  the shipped cGAN, GAN and the chapter's MLP cGAN (--count samples each, seeds 0.., classes balanced for the cGANs);
  a copying control: --count training images with a little noise (+-3 grey levels), which the test must flag;
  a fresh control: the other half of the test images, never trained on, which it must pass.
C_T < -3 flags copying (Meehan, Chaudhuri & Dasgupta 2020); near 0 is an independent sample.
"""

import argparse
import time

import numpy as np
import torch
from common import ROOT, machine, print_table, write_json

from fashion_gan import copying, hub
from fashion_gan.data import load_split
from fashion_gan.evaluate import sample_for_evaluation


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--cells", type=int, default=50)
    p.add_argument("--json", default=None)
    args = p.parse_args()
    print(machine(), flush=True)
    train, _ = load_split("train")
    test, _ = load_split("test")
    reference, fresh = test[:5000].numpy(), test[5000:5000 + args.count].numpy()
    noise = np.random.default_rng(0).integers(-3, 4, size=(args.count, 28, 28))
    def shipped(name):
        return lambda: sample_for_evaluation(hub.load_network(ROOT / "weights" / name), args.count, 0, torch.device("cpu"))[0]
    candidates = {
        "shipped cGAN (weights/cgan)": shipped("cgan"),
        "shipped GAN (weights/gan)": shipped("gan"),
        "the chapter's MLP cGAN (weights/chapter_cgan)": shipped("chapter_cgan"),
        "copying control: training images + noise": lambda: np.clip(train[:args.count].numpy().astype(int) + noise, 0, 255),
        "fresh control: unseen test images": lambda: fresh,
    }
    rows, results = [], {}
    for name, images in candidates.items():
        started = time.perf_counter()
        result = copying.ct_test(train.numpy(), reference, images(), cells=args.cells)
        seconds = time.perf_counter() - started
        results[name] = dict(ct=result.ct, cells_used=result.cells_used, cells=result.cells,
                             test_share_used=result.test_share_used, seconds=round(seconds, 1))
        rows.append([name, f"{result.ct:+.2f}", f"{result.cells_used}/{result.cells}", f"{seconds:.0f}"])
        print_table(["sample", "C_T", "cells used", "s"], rows)
    write_json(args.json, {"count": args.count, "cells": args.cells, "results": results})


if __name__ == "__main__":
    main()

"""How long each latent-explorer interaction takes in its handler (what a click waits for, less the network).

    python benchmarks/explorer_speed.py [--weights weights/cgan] [--repeats 20] [--json FILE]

Times the demo's handlers as the page calls them, on the CPU with one torch
thread (as app.py serves them): the 10 x 8 seed map, a click on it (a blended
point), a 60-frame walk (6 keyframes x 10 steps, GIF included), a direction
edit and its strip, the seed gallery. Median and 90th percentile of --repeats calls.
"""

import argparse
import statistics
import time

import common  # noqa: F401
import torch

from fashion_gan.demo import Demo


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default=str(common.ROOT / "weights" / "cgan"))
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--json")
    args = p.parse_args()
    torch.set_num_threads(1)  # as app.py serves requests
    demo = Demo(args.weights, None, torch.device("cpu"))
    demo.warm_up()
    calls = {
        "seed map, 10 x 8 thumbnails": lambda i: demo.seed_map("Dress", 10 * i, 0),
        "map click (blended point)": lambda i: demo.map_point("Dress", 3.37 + i, 1.61),
        "walk, 60 frames + GIF": lambda i: demo.walk("Dress", f"{i}, {i + 7}, 3, 17, 42, 5", 10),
        "direction edit": lambda i: demo.edit("Dress", i, i % 10, 2.0),
        "direction strip (7 edits)": lambda i: demo.edit_strip("Dress", i, i % 10),
        "seed gallery (24 seeds)": lambda i: demo.seed_gallery("Dress", 24 * i),
        "generate (for scale)": lambda i: demo.generate("Dress", i),
    }
    rows, results = [], []
    for name, call in calls.items():
        seconds = []
        for i in range(args.repeats):
            started = time.perf_counter()
            call(i)
            seconds.append(time.perf_counter() - started)
        median, p90 = statistics.median(seconds) * 1000, statistics.quantiles(seconds, n=10)[-1] * 1000
        rows.append([name, f"{median:.1f}", f"{p90:.1f}"])
        results.append(dict(handler=name, median_ms=median, p90_ms=p90))
    print(f"Explorer handlers, one torch thread, {args.repeats} calls each")
    print(f"machine: {common.machine()}\n")
    common.print_table(["interaction", "median ms", "p90 ms"], rows)
    common.write_json(args.json, {"repeats": args.repeats, "results": results})


if __name__ == "__main__":
    main()

"""Recipe ablation: short runs that each change one thing in the dcgan recipe, side by side.

    python benchmarks/recipe_ablation.py --out runs/ablation [--epochs 10] [--jobs 1] [--device cpu]
    python benchmarks/quality_curve.py runs/ablation/*/cgan runs/ablation/*/gan --json ablation.json

Each run is `train.py` with the flags listed in RUNS (and --snapshot-every); the
runs go `--jobs` at a time. A change costs about the same CPU time per epoch as
the recipe it changes (benchmarks/training_speed.py measures the step), so equal
epochs here are equal CPU time within a few per cent. Score the runs with
quality_curve.py, which reads every snapshot.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Where the ablation started: the dcgan recipe before it (BCE with one-sided label smoothing, the
# plain networks). Every run is this plus its own flags (later flags win), so "base" is that recipe itself.
PREVIOUS = ["--loss", "bce", "--precision", "fp32", "--g-channels", "128", "--d-channels", "64", "--no-refine",
            "--no-minibatch-std"]
WIDE = ["--g-channels", "256", "--d-channels", "128"]
# name -> (model, the flags that differ from PREVIOUS)
RUNS = {
    "cgan-base": ("cgan", []),
    "cgan-bf16": ("cgan", ["--precision", "bf16"]),
    "cgan-diffaugment": ("cgan", ["--augment", "translation,cutout"]),
    "cgan-hinge": ("cgan", ["--loss", "hinge"]),
    "cgan-ttur": ("cgan", ["--lr", "1e-4", "--lr-d", "4e-4"]),
    "cgan-projection-only": ("cgan", ["--aux-weight", "0"]),
    "cgan-all": ("cgan", ["--augment", "translation,cutout", "--loss", "hinge", "--lr", "1e-4", "--lr-d", "4e-4"]),
    "gan-base": ("gan", []),
    "gan-bf16": ("gan", ["--precision", "bf16"]),
    "gan-diffaugment": ("gan", ["--augment", "translation,cutout"]),
    "gan-hinge": ("gan", ["--loss", "hinge"]),
    "gan-ttur": ("gan", ["--lr", "1e-4", "--lr-d", "4e-4"]),
    "gan-all": ("gan", ["--augment", "translation,cutout", "--loss", "hinge", "--lr", "1e-4", "--lr-d", "4e-4"]),
    # The GAN's networks, from the recipe the runs above chose (hinge): is its FID limited by
    # width (G 256 / D 128 channels instead of 128 / 64), by G's last layer going from 14x14
    # features straight to pixels (--refine), or by D not seeing a batch's variety (--minibatch-std)?
    **{f"gan-{name}": ("gan", ["--loss", "hinge", *flags]) for name, flags in {
        "wide": WIDE, "refine": ["--refine"], "mbstd": ["--minibatch-std"], "refine-mbstd": ["--refine", "--minibatch-std"],
        "wide-refine": [*WIDE, "--refine"],
        "wide-mbstd": [*WIDE, "--minibatch-std"], "wide-refine-mbstd": [*WIDE, "--refine", "--minibatch-std"],
    }.items()},
}


def command(name: str, args) -> list[str]:
    model, flags = RUNS[name]
    return [sys.executable, str(ROOT / "train.py"), "--model", model, "--arch", "dcgan", "--epochs", str(args.epochs),
            "--snapshot-every", str(args.snapshot_every), "--device", args.device, "--out", str(args.out / name),
            *(["--limit", str(args.limit)] if args.limit else []),
            *PREVIOUS, "--precision", args.precision, *flags]  # later flags win: a run's own --precision too


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("runs/ablation"))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--snapshot-every", type=int, default=5)
    p.add_argument("--jobs", type=int, default=1, help="runs at a time (on a 2-core CPU keep 1)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", default="fp32", help="of every run but the *-bf16 ones")
    p.add_argument("--limit", type=int, help="train on the first N images only (smoke runs)")
    p.add_argument("--only", help="comma-separated run names (default: all of RUNS)")
    p.add_argument("--minutes", type=float,
                   help="stop every run after this long (Ctrl-C: each keeps its last epoch and snapshots), "
                        "for a comparison at equal wall time")
    args = p.parse_args()
    names = args.only.split(",") if args.only else list(RUNS)
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        p.error(f"unknown run {', '.join(unknown)}; choose from {', '.join(RUNS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `timeout` stops the runs too
    deadline = time.perf_counter() + 60 * args.minutes if args.minutes else None
    failed = run_all({name: command(name, args) for name in names}, args.jobs, args.out, deadline)
    if failed:
        sys.exit(f"failed: {', '.join(failed)} (see {args.out}/NAME.log)")


def run_all(commands: dict[str, list[str]], jobs: int, out: Path, deadline: float | None = None) -> list[str]:
    """Run the commands `jobs` at a time, each logging to OUT/NAME.log; the names of those that failed.

    At the deadline the running ones get SIGINT (train.py's Ctrl-C: it saves and exits 130, not a failure).
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    waiting, running, failed = list(commands), {}, []
    started = time.perf_counter()
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                name = waiting.pop(0)
                print(" ".join(commands[name][1:]), flush=True)
                with open(out / f"{name}.log", "w") as log:  # the child keeps its own copy of the file
                    running[name] = subprocess.Popen(commands[name], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
            time.sleep(1)
            if deadline and time.perf_counter() > deadline:
                waiting = []
                for proc in running.values():
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGINT)
                deadline = None
            for name, proc in list(running.items()):
                if proc.poll() is not None:
                    del running[name]
                    if proc.returncode not in (0, 130):
                        failed.append(name)
                    print(f"{name}: exit {proc.returncode} at {time.perf_counter() - started:.0f} s", flush=True)
    finally:  # Ctrl-C or SIGTERM: no run goes on without us
        for proc in running.values():
            proc.terminate()
    return failed


if __name__ == "__main__":
    main()

"""Time to quality: the project's FID (with recall and class accuracy) after M minutes of training on this machine.

    python benchmarks/time_to_quality.py --model cgan --minutes 10 30 60 [--ways budget,recipe,chapter]
    python benchmarks/time_to_quality.py --model cgan --minutes 30 --ways budget --train "--g-channels 64"

For each M, each way of spending the M minutes (wall time from the command's start):
  budget   train.py --minutes M: the budget's schedule, networks chosen for the time (one run for each M)
  recipe   train.py with the arch's fixed-epoch recipe (dcgan), stopped with Ctrl-C at M minutes
  chapter  train.py --arch mlp, the chapter's loop, stopped with Ctrl-C at M minutes
The recipe and the chapter's loop know nothing of M, so each is one run for all the Ms: stopped at the first,
scored, resumed (train.py --resume, exact), stopped at the next, and so on; a resumed leg's start-up counts
in its minutes. A run that ends by itself first stands for the later Ms too (its wall minutes say when it ended).
A stopped run is scored by the EMA generator of the checkpoint Ctrl-C saved (the chapter's has no EMA:
its generator). Scores: fashion_gan.evaluate, 10,000 samples against the 10,000 test images.
--train adds train.py options to every run (networks by hand, say) and names the run folders after them.
Run nothing else beside it: two torch processes on a small CPU slow each other badly.
"""

import argparse
import shlex
import signal
import subprocess
import sys
import time

from common import ROOT, machine, print_table, write_json

from fashion_gan import hub
from fashion_gan.evaluate import evaluate
from fashion_gan.training import config_from_checkpoint, load_checkpoint, networks

WAYS = {"budget": ["--arch", "dcgan"], "recipe": ["--arch", "dcgan"], "chapter": ["--arch", "mlp"]}


def train_for(model: str, way: str, minutes: float, out, extra: list[str], resume: bool = False) -> tuple[float, bool]:
    """Run train.py one way for `minutes` (or continue the run in `out`); returns the wall seconds it took and
    whether it ended by itself."""
    command = [sys.executable, "train.py", "--model", model]
    command += ["--resume", str(out)] if resume else [*WAYS[way], *extra, "--out", str(out)]
    if way == "budget":
        command += ["--minutes", str(minutes)]
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT)
    try:
        proc.wait(timeout=None if way == "budget" else minutes * 60)
        ended = True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)  # saves the checkpoint at the next step
        proc.wait()
        ended = False
    if proc.returncode not in (0, 130):  # 130: stopped by Ctrl-C, as asked
        raise SystemExit(f"{' '.join(command)} failed with status {proc.returncode}")
    return time.monotonic() - started, ended


def budget_runs(model: str, all_minutes: list[float], out_root, extra: list[str], tag: str):
    """One `--minutes M` run for each M: yields (M, wall seconds, folder, trained since the last yield)."""
    for minutes in all_minutes:
        out = out_root / f"{model}_budget_{minutes:g}min{tag}"
        seconds, _ = train_for(model, "budget", minutes, out, extra)
        yield minutes, seconds, out / model, True


def stopped_run(model: str, way: str, all_minutes: list[float], out_root, extra: list[str], tag: str):
    """One run of the way, stopped at each M in turn and resumed after scoring: the run at 30 minutes is the first
    half of the run at 60. Yields as budget_runs does."""
    out = out_root / f"{model}_{way}{tag}"
    spent, ended = 0.0, False
    for minutes in sorted(all_minutes):
        trained = not ended
        if trained:
            seconds, ended = train_for(model, way, minutes - spent / 60, out, extra, resume=spent > 0)
            spent += seconds
            if not ended:  # a run that ended by itself exported its generator (with its card) already
                export_stopped(out / model)
        yield minutes, spent, out / model, trained


def export_stopped(folder) -> None:
    """The generator a stopped run had, from its checkpoint, as a Hub folder to score."""
    config = config_from_checkpoint(folder)
    state = load_checkpoint(folder / "training" / "checkpoint.pt")
    generator, _ = networks(config)
    generator.load_state_dict(state["G_ema"])
    hub.save_network(generator.eval(), folder)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=("cgan", "gan"), default="cgan")
    p.add_argument("--minutes", type=float, nargs="+", default=[10, 30, 60])
    p.add_argument("--ways", default="budget,recipe,chapter")
    p.add_argument("--out", default="runs/time_to_quality")
    p.add_argument("--train", default="", help="more train.py options for every run, e.g. \"--g-channels 64\"")
    p.add_argument("--json", default=None, help="also write the results here")
    args = p.parse_args()
    print(machine(), flush=True)
    rows, results = [], []
    extra = shlex.split(args.train)
    tag = "".join("_" + part.lstrip("-").replace("-", "") for part in extra)  # --g-channels 64 -> _gchannels_64
    out_root = ROOT / args.out
    for way in args.ways.split(","):
        runs = (budget_runs(args.model, args.minutes, out_root, extra, tag) if way == "budget"
                else stopped_run(args.model, way, args.minutes, out_root, extra, tag))
        for minutes, seconds, folder, trained in runs:
            state = load_checkpoint(folder / "training" / "checkpoint.pt")
            if trained:
                scores = evaluate(folder, with_floor=False)["generator"]
            result = dict(model=args.model, way=way, train=args.train, minutes=minutes, wall_seconds=round(seconds, 1),
                          epochs=len(state["history"]), **{k: v for k, v in scores.items() if not isinstance(v, list)})
            results.append(result)
            rows.append([way, f"{minutes:g}", f"{seconds / 60:.1f}", result["epochs"], f"{scores['fid']:.1f}",
                         f"{scores['recall']:.3f}", f"{scores.get('class_accuracy', float('nan')):.3f}"])
            print_table(["way", "minutes", "wall min", "epochs", "FID", "recall", "class acc"], rows)
            if args.json:  # after every row: an hour's run is not lost to a later one's failure
                write_json(args.json, {"results": results})


if __name__ == "__main__":
    main()

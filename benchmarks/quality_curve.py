"""Quality against training time: evaluate every snapshot a run exported.

    python benchmarks/quality_curve.py runs/dcgan/cgan runs/mlp/cgan [--epochs 5,10,20] [--count 10000] [--json FILE]

A run made with `train.py --snapshot-every K` keeps the generator of every K-th
epoch in MODEL/training/snapshots/; its checkpoint records each epoch's seconds,
so the curve can be read at equal epochs or at equal wall time.
"""

import argparse
from pathlib import Path

import common  # noqa: F401
from fashion_gan.device import resolve_device
from fashion_gan.evaluate import evaluate
from fashion_gan.training import load_checkpoint


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", type=Path, help="model folders, e.g. runs/dcgan/cgan")
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--epochs", help="only these snapshot epochs, e.g. 5,10,20 (default: all)")
    p.add_argument("--last", type=int, help="only each run's last N snapshots")
    p.add_argument("--device", default="cpu", help="where to sample and score (cpu, cuda, auto)")
    p.add_argument("--json")
    args = p.parse_args()
    device = resolve_device(args.device)
    wanted = {int(e) for e in args.epochs.split(",")} if args.epochs else None
    rows, results = [], []
    for run in args.runs:
        state = load_checkpoint(run / "training" / "checkpoint.pt")
        config, history = state["config"], state["history"]
        elapsed = {r["epoch"]: sum(h["seconds"] for h in history[: r["epoch"]]) for r in history}
        folder = run / "training" / "snapshots"
        snapshots = sorted(folder.iterdir()) if folder.is_dir() else []
        if not snapshots:
            print(f"{run}: no snapshots (train with --snapshot-every K)", flush=True)
        for snapshot in snapshots[-args.last:] if args.last else snapshots:
            epoch = int(snapshot.name.split("_")[1])
            if wanted and epoch not in wanted:
                continue
            g = evaluate(snapshot, count=args.count, device=device, with_floor=False)["generator"]
            minutes = elapsed.get(epoch, float("nan")) / 60
            rows.append([run.parent.name + "/" + run.name, epoch, minutes, g["fid"], g["precision"], g["recall"],
                         g.get("class_accuracy", float("nan"))])
            results.append(dict(run=str(run), arch=config["arch"], model=config["model"], epoch=epoch,
                                train_minutes=minutes, **{k: v for k, v in g.items() if k != "class_accuracy_per_class"}))
            print(f"{run} epoch {epoch}: FID {g['fid']:.2f}", flush=True)
    print(f"\nQuality by epoch, {args.count} samples vs {args.count} test images, weights/classifier features")
    print(f"machine: {common.machine()}\n")
    rows = [[r[0], r[1], f"{r[2]:.1f}", f"{r[3]:.2f}", f"{r[4]:.3f}", f"{r[5]:.3f}", f"{r[6]:.3f}"] for r in rows]
    common.print_table(["run", "epoch", "train min", "FID", "precision", "recall", "class acc"], rows)
    common.write_json(args.json, {"count": args.count, "results": results})


if __name__ == "__main__":
    main()

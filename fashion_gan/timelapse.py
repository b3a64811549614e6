"""A training run's own record, for the demo's Training tab: how a GAN got to its weights.

train.py leaves it in MODEL/training/: the fixed-seed grid after every epoch (grids/epoch_NNN.png) and
one line per epoch (log.txt: d_loss, g_loss, D(x), D(G(z))). Scoring the run's snapshots
(benchmarks/quality_curve.py) adds FID by epoch; `pack` keeps all three, small, beside shipped weights:

    python -m fashion_gan.timelapse pack runs/gpu/budget/cgan weights/cgan \\
        --quality runs/gpu/budget_cgan.curve.json runs/gpu/budget_cgan.eval.json
"""

import argparse
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .errors import UserError, exit_with
from .files import atomic_write

GRIDS, LOG, QUALITY = "grids", "log.txt", "quality.json"
CURVES = ("d_loss", "g_loss", "D(x)", "D(G(z))")
# One line an epoch, as train.py prints and logs it, and as `Run.history` reads it back
LOG_LINE = re.compile(r"^\w+ epoch (\d+)/\d+\s+d_loss (\S+)\s+g_loss (\S+)\s+D\(x\) (\S+)\s+D\(G\(z\)\) (\S+)\s+(\S+) s$")


def log_line(model: str, epoch: int, epochs: int, d_loss: float, g_loss: float, dx: float, dgz: float,
             seconds: float) -> str:
    """E.g. 'cgan epoch 3/40  d_loss 1.2345  g_loss 0.9876  D(x) 0.512  D(G(z)) 0.401  8.9 s'."""
    return (f"{model} epoch {epoch}/{epochs}  d_loss {d_loss:.4f}  g_loss {g_loss:.4f}  "
            f"D(x) {dx:.3f}  D(G(z)) {dgz:.3f}  {seconds:.1f} s")


@dataclass(frozen=True)
class Run:
    """One run's record: `folder` is the exported model folder (weights/cgan, runs/demo/cgan) with training/ inside.
    Read afresh each time (a few dozen small files): a run still training shows each epoch as it ends."""
    folder: Path

    @property
    def training(self) -> Path:
        return self.folder / "training"

    @property
    def grid_files(self) -> list[Path]:
        files = sorted((self.training / GRIDS).glob("epoch_*.png"))
        if not files:
            raise UserError(f"{self.training / GRIDS}: no per-epoch grids; train.py writes them during a run")
        return files

    @property
    def epochs(self) -> int:
        return len(self.grid_files)

    def grid(self, epoch: int) -> np.ndarray:
        """uint8 (H, W): the fixed seeds after `epoch` (1 = the first); an epoch past the last gives the last."""
        if epoch < 1:
            raise UserError(f"epoch must be 1 or more, got {epoch}")
        return np.array(Image.open(self.grid_files[min(epoch, self.epochs) - 1]).convert("L"))

    @property
    def history(self) -> list[dict]:
        """One record per epoch from log.txt (a resumed run's repeated epoch: its last line counts)."""
        path = self.training / LOG
        records = {}
        for line in path.read_text().splitlines() if path.is_file() else []:
            match = LOG_LINE.match(line.strip())
            if match:
                epoch, *values, seconds = match.groups()
                records[int(epoch)] = dict(epoch=int(epoch), **dict(zip(CURVES, map(float, values))), seconds=float(seconds))
        return [records[e] for e in sorted(records)]

    @property
    def quality(self) -> list[dict]:
        """FID (and precision, recall, class accuracy) at the epochs that were scored; [] if none were."""
        path = self.training / QUALITY
        return json.loads(path.read_text())["results"] if path.is_file() else []


def pack(run: Path, dest: Path, quality: list[Path] = (), scale: int = 1) -> int:
    """Copy run/training's grids (at `scale` pixels a pixel; train.py saves them at 2) and log into dest/training,
    with the FID rows of quality_curve.py's and evaluate.py's --json files. Returns the bytes written."""
    source = Run(run)
    out = dest / "training"
    if out.exists():
        shutil.rmtree(out)
    (out / GRIDS).mkdir(parents=True)
    for file in source.grid_files:
        image = Image.open(file)  # 2x2 blocks: halving with NEAREST gives the native pixels back exactly
        image.resize((image.width * scale // 2, image.height * scale // 2), Image.NEAREST).save(
            out / GRIDS / file.name, optimize=True)
    shutil.copyfile(run / "training" / LOG, out / LOG)
    rows, count = {}, None
    for path in quality:
        data = json.loads(path.read_text())
        count = data["count"]
        if "results" in data:  # quality_curve.py: one row per snapshot
            for r in data["results"]:
                rows[r["epoch"]] = r
        else:  # evaluate.py: the exported weights, after the run's last epoch
            rows[source.epochs] = dict(epoch=source.epochs, **data["generator"])
    keep = ("epoch", "fid", "precision", "recall", "class_accuracy")
    table = [{k: rows[e][k] for k in keep if k in rows[e]} for e in sorted(rows)]
    with atomic_write(out / QUALITY) as tmp:
        tmp.write_text(json.dumps({"count": count, "results": table}, indent=1) + "\n")
    return sum(f.stat().st_size for f in out.rglob("*") if f.is_file())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    packing = sub.add_parser("pack", help="keep a run's time-lapse beside weights")
    packing.add_argument("run", type=Path, help="the run's model folder, e.g. runs/demo/cgan")
    packing.add_argument("dest", type=Path, help="the weights folder, e.g. weights/cgan")
    packing.add_argument("--quality", type=Path, nargs="*", default=[], help="quality_curve.py / evaluate.py --json files")
    args = p.parse_args(argv)
    try:
        size = pack(args.run, args.dest, args.quality)
    except (UserError, OSError) as e:
        exit_with(e)
    print(f"{args.dest / 'training'}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

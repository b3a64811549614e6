#!/usr/bin/env bash
# The unconditional GAN's networks, searched on a CUDA GPU in one run of about nine minutes:
#   1. the tests that take a device (FASHION_GAN_TEST_DEVICE=cuda), in the background;
#   2. five GAN runs side by side for the same wall time (recipe_ablation.py --minutes): the
#      current recipe, wider networks, and wider networks with a refine layer in G and/or a minibatch-std D;
#   3. each run's last three snapshots scored (quality_curve.py --last 3);
#   4. the best snapshot of all, and the best of another run, packed with their logs.
# Usage (from the repository root, Fashion-MNIST in ./data or $FASHION_MNIST_DIR):
#   OUT=results bash benchmarks/cuda_gan_search.sh
# A smoke run of the script itself on a CPU: DEVICE=cpu MINUTES=1 LIMIT=300 SNAPSHOT=1 COUNT=500 TESTS=none bash benchmarks/cuda_gan_search.sh
set -u
OUT=${OUT:-results} DEVICE=${DEVICE:-cuda} MINUTES=${MINUTES:-6.8} LIMIT=${LIMIT:-60000} SNAPSHOT=${SNAPSHOT:-5} COUNT=${COUNT:-10000}
TESTS=${TESTS:-tests/test_training.py tests/test_models.py tests/test_sampling.py tests/test_metrics.py tests/test_augment.py tests/test_data.py}
RUNS=${RUNS:-gan-hinge,gan-wide,gan-wide-refine,gan-wide-mbstd,gan-wide-refine-mbstd}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=2
started=$(date +%s)
say() { echo "== $(( $(date +%s) - started )) s: $*"; }

nvidia-smi -L
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else '')"

say "1. tests (background)"
[ "$TESTS" = none ] && TESTS="--co -q tests/test_data.py"
FASHION_GAN_TEST_DEVICE=$DEVICE timeout 420 python3 -m pytest -q -p no:cacheprovider -o addopts="" $TESTS \
  > "$OUT/tests.txt" 2>&1 &
tests=$!

say "2. the runs"
timeout 480 python3 benchmarks/recipe_ablation.py --device $DEVICE --epochs 200 --snapshot-every $SNAPSHOT --minutes $MINUTES --limit $LIMIT \
  --jobs 7 --only "$RUNS" --out runs/search > "$OUT/runs.txt" 2>&1
cat "$OUT/runs.txt"
tail -n 2 runs/search/*.log

say "3. scores"
pids=()
for run in ${RUNS//,/ }; do
  timeout 90 python3 benchmarks/quality_curve.py runs/search/$run/gan --last ${LAST:-3} --count $COUNT --device $DEVICE \
    --json "runs/search/$run.json" > "runs/search/$run.curve.txt" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
tail -n 6 runs/search/*.curve.txt

say "4. the best"
python3 - "$OUT" <<'PY'
import json, sys, tarfile
from pathlib import Path
from fashion_gan.training import load_checkpoint
out, rows = Path(sys.argv[1]), []
for f in sorted(Path("runs/search").glob("*.json")):
    rows += json.loads(f.read_text())["results"]
json.dump(rows, open(out / "scores.json", "w"), indent=1)
rows.sort(key=lambda r: r["fid"])
if not rows:
    sys.exit("no scores: see the runs' logs")
for r in rows:
    print(f"{r['run']:<40} epoch {r['epoch']:>3}  {r['train_minutes']:5.1f} min  FID {r['fid']:7.2f}  "
          f"precision {r['precision']:.3f}  recall {r['recall']:.3f}")
picked = [rows[0]] + [r for r in rows if r["run"] != rows[0]["run"]][:1]
for name, r in zip(("best", "second"), picked):
    run = Path(r["run"])
    state = load_checkpoint(run / "training" / "checkpoint.pt")
    (run / "training" / "run.json").write_text(json.dumps(
        {"config": state["config"], "history": state["history"], "picked_epoch": r["epoch"], "score": r}, indent=1))
    with tarfile.open(out / f"{name}.tgz", "w:gz") as tar:
        tar.add(run / "training" / "snapshots" / f"epoch_{r['epoch']:03d}", "generator")
        for f in ("log.txt", "run.json"):
            tar.add(run / "training" / f, f)
        tar.add(run / "training" / "grids" / f"epoch_{r['epoch']:03d}.png", "grid.png")
    print(f"{name}: {run} epoch {r['epoch']} -> {out / name}.tgz")
PY
tar czf "$OUT/logs.tgz" runs/search/*.log runs/search/*.curve.txt runs/search/*/gan/training/log.txt
wait "$tests"
tail -n 25 "$OUT/tests.txt"
ls -la "$OUT"
say "done"

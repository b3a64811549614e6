#!/usr/bin/env bash
# The runs behind the Training tab, and longer runs with the budget schedule, on one CUDA GPU in about nine minutes:
#   recipe/cgan, recipe/gan   the shipped recipes again, as train.py makes them (40 and 35 epochs): their per-epoch
#                             grids and logs are the time-lapse of the weights they export;
#   chapter/cgan              the chapter's MLP cGAN, its recipe exactly (--arch mlp, 50 epochs);
#   budget/cgan, budget/gan   train.py --minutes BUDGET_MIN for each model, the budget's schedule;
# all five side by side, each scored at its snapshots and at its end (10,000 samples, weights/classifier).
# Usage (from the repository root; Fashion-MNIST in ./data or $FASHION_MNIST_DIR):
#   OUT=results bash benchmarks/cuda_training_runs.sh
# A smoke run of the script itself on a CPU:
#   DEVICE=cpu BUDGET_MIN=0.4 COMMON="--limit 300" RECIPE="--epochs 2" COUNT=300 OUT=/tmp/out bash benchmarks/cuda_training_runs.sh
set -u
OUT=${OUT:-results} DEVICE=${DEVICE:-cuda} BUDGET_MIN=${BUDGET_MIN:-7.5} COMMON=${COMMON:-} RECIPE=${RECIPE:-}
COUNT=${COUNT:-10000} RUNS=${RUNS:-runs/gpu} STOP=${STOP:-500}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=2
started=$(date +%s)
say() { echo "== $(( $(date +%s) - started )) s: $*"; }
command -v nvidia-smi > /dev/null && nvidia-smi -L
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU')"

# one run: train (stopped at STOP seconds from the start whatever happens), then score its snapshots and its export
run() {
  local name=$1; shift
  local folder=$RUNS/${name%/*} model=${name#*/}
  timeout $(( STOP - ($(date +%s) - started) )) python3 train.py --model "$model" --device "$DEVICE" --out "$folder" \
    $COMMON "$@" > "$RUNS/${name/\//_}.log" 2>&1
  say "$name: train.py exit $?"
  timeout 60 python3 benchmarks/quality_curve.py "$folder/$model" --device "$DEVICE" --count "$COUNT" \
    --json "$RUNS/${name/\//_}.curve.json" > "$RUNS/${name/\//_}.curve.txt" 2>&1
  timeout 60 python3 -m fashion_gan.evaluate --weights "$folder/$model" --device "$DEVICE" --count "$COUNT" --no-floor \
    --json "$RUNS/${name/\//_}.eval.json" > "$RUNS/${name/\//_}.eval.txt" 2>&1
  say "$name: scored"
}

mkdir -p "$RUNS"
say "five runs side by side"
run recipe/cgan --snapshot-every 5 $RECIPE &
run recipe/gan --snapshot-every 5 $RECIPE &
run chapter/cgan --arch mlp --snapshot-every 5 $RECIPE &
run budget/cgan --minutes "$BUDGET_MIN" --snapshot-every 10 &
run budget/gan --minutes "$BUDGET_MIN" --snapshot-every 10 &
wait

say "results"
for name in recipe_cgan recipe_gan chapter_cgan budget_cgan budget_gan; do
  echo "---- $name"; grep -E "^(plan|networks)" "$RUNS/$name.log"; tail -n 2 "$RUNS/$name.log"
  cat "$RUNS/$name.curve.txt" "$RUNS/$name.eval.txt" 2>/dev/null | grep -vE "^(machine|$)"
done
# each run's history from its checkpoint (the Training tab's curves), then its folder without the checkpoint, snapshots and discriminator
python3 - "$RUNS" <<'EOF'
import json, sys
from pathlib import Path
import torch
for checkpoint in Path(sys.argv[1]).glob("*/*/training/checkpoint.pt"):
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    (checkpoint.parent / "history.json").write_text(json.dumps(
        {"config": state["config"], "history": state["history"], "spent": state.get("spent")}, indent=1, default=str))
EOF
for name in recipe/cgan recipe/gan chapter/cgan budget/cgan budget/gan; do
  tar czf "$OUT/${name/\//_}.tgz" --exclude=checkpoint.pt --exclude=snapshots --exclude=discriminator "$RUNS/$name"
done
tar czf "$OUT/logs.tgz" "$RUNS"/*.log "$RUNS"/*.json "$RUNS"/*.txt
ls -la "$OUT"
say "done"

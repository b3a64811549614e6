#!/usr/bin/env bash
# Everything this project checks on a CUDA GPU, in one run of about twelve minutes on an H200:
#   1. training and sampling speed, alone on the GPU;
#   2. the tests that take a device (FASHION_GAN_TEST_DEVICE=cuda), beside
#   3. the recipe ablation (benchmarks/recipe_ablation.py, all runs at once), scored by quality_curve.py;
#   4. one long run per model with the recipe the ablation chose (the shipped weights);
#   5. the same seeds on the CPU and the GPU, pixel by pixel.
# Usage (from the repository root, Fashion-MNIST in ./data or $FASHION_MNIST_DIR):
#   OUT=results bash benchmarks/cuda_session.sh
set -u
OUT=${OUT:-results}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
started=$(date +%s)
say() { echo "== $(( $(date +%s) - started )) s: $*"; }

nvidia-smi -L
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name())"

say "1. speed"
timeout 120 python3 benchmarks/training_speed.py --device cuda --rounds 3 --steps 50 --json "$OUT/training_speed.json" \
  > "$OUT/training_speed.txt" 2>&1
cat "$OUT/training_speed.txt"
timeout 60 python3 benchmarks/sampling_speed.py --device cuda --json "$OUT/sampling_speed.json" > "$OUT/sampling_speed.txt" 2>&1
tail -25 "$OUT/sampling_speed.txt"

say "2+3. tests (background) and the ablation"
FASHION_GAN_TEST_DEVICE=cuda timeout 300 python3 -m pytest -q -p no:cacheprovider -o addopts="" \
  tests/test_training.py tests/test_models.py tests/test_sampling.py tests/test_metrics.py tests/test_augment.py \
  tests/test_data.py > "$OUT/tests.txt" 2>&1 &
tests=$!
# the 13 runs of the loss/augmentation/TTUR ablation (the GAN's network runs came later: cuda_gan_search.sh)
FIRST13=cgan-base,cgan-bf16,cgan-diffaugment,cgan-hinge,cgan-ttur,cgan-projection-only,cgan-all,gan-base,gan-bf16,gan-diffaugment,gan-hinge,gan-ttur,gan-all
timeout 240 python3 benchmarks/recipe_ablation.py --device cuda --epochs 10 --jobs 13 --only $FIRST13 --out runs/ablation \
  > "$OUT/ablation_runs.txt" 2>&1
tail -15 "$OUT/ablation_runs.txt"
tail -3 runs/ablation/cgan-base.log
timeout 120 python3 benchmarks/quality_curve.py runs/ablation/*/cgan runs/ablation/*/gan --device cuda \
  --json "$OUT/ablation.json" > "$OUT/ablation.txt" 2>&1
cat "$OUT/ablation.txt"

say "4. long runs"
# The shipped cGAN and the previous GAN: the dcgan recipe (hinge since the ablation), 40 epochs, side by side
# (the session that shipped them ran these two commands in a second call, with --loss hinge spelled out).
# The GAN's recipe has changed since (wider networks, refine, minibatch-std: cuda_gan_search.sh); the
# shape flags below keep this run what it was.
pids=()
for model in cgan gan; do
  timeout 400 python3 train.py --model $model --epochs 40 --snapshot-every 10 --device cuda --precision fp32 \
    --g-channels 128 --d-channels 64 --no-refine --no-minibatch-std --out runs/final > "$OUT/final_$model.txt" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
tail -n 4 "$OUT"/final_*.txt
for model in cgan gan; do
  timeout 60 python3 -m fashion_gan.evaluate --weights runs/final/$model --device cuda --card > "$OUT/final_eval_$model.txt" 2>&1
  cat "$OUT/final_eval_$model.txt"
done
timeout 120 python3 benchmarks/quality_curve.py runs/final/cgan runs/final/gan --device cuda --json "$OUT/final_curve.json" \
  > "$OUT/final_curve.txt" 2>&1
cat "$OUT/final_curve.txt"

say "5. CPU against CUDA"
timeout 60 python3 - <<'EOF' | tee "$OUT/cpu_vs_cuda.txt"
import torch
from fashion_gan import hub, sampling
for folder, labels in (("weights/cgan", [i % 10 for i in range(1000)]), ("weights/gan", None)):
    pictures = {d: sampling.generate(hub.load_network(folder, torch.device(d)), range(1000), labels, device=d)
                for d in ("cpu", "cuda")}
    diff = abs(pictures["cpu"].astype(int) - pictures["cuda"].astype(int))
    print(f"{folder}: 1000 seeds, max |cpu - cuda| {diff.max()} grey levels, mean {diff.mean():.4f}, "
          f"pixels off by more than 1: {(diff > 1).sum()}")
EOF
wait "$tests"
tail -15 "$OUT/tests.txt"
for model in cgan gan; do
  tar czf "$OUT/final_$model.tgz" --exclude=checkpoint.pt --exclude=snapshots runs/final/$model
done
tar czf "$OUT/ablation_logs.tgz" runs/ablation/*.log runs/ablation/*/*/training/log.txt
ls -la "$OUT"
say "done"

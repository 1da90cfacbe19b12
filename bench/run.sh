#!/usr/bin/env bash
# The benchmark: our training, evaluation, checkpointing, memory and start-up
# against PyTorch (Debian's python3-torch) on the same network, data and CPU,
# plus the GEMM ceiling, in one run. Called by `./run.sh bench [REPS]` after a
# Release build; writes bench/results/<date>-<commit>.md and prints it.
#
# Nothing else should run meanwhile: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-3}"
DATA="${MNIST_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
BUILD="${BUILD_DIR:-build}"
OUT="$(mktemp -d /tmp/mnist_bench.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

# Debian's OpenBLAS is steered to an older kernel on these machines by
# OPENBLAS_CORETYPE (a workaround for older OpenBLAS builds); every side runs
# as a user's machine would, without it: PyTorch, the ceiling and ours (whose
# products go through OpenBLAS too, see CMakeLists.txt).
PLAIN=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
PY=("${PLAIN[@]}" /usr/bin/python3)

echo "bench: ours (mnist_bench, $REPS repetitions) ..." >&2
"${PLAIN[@]}" "$BUILD/mnist_bench" "$DATA" "$OUT/scratch" "$REPS" > "$OUT/ours.txt"
"${PLAIN[@]}" /usr/bin/time -f "peak_rss_kb %M" -o "$OUT/ours_rss.txt" \
  "$BUILD/mnist" --train --epochs 1 --validation-size 0 --data-dir "$DATA" --ckpt-dir "$OUT/ckpt" > /dev/null
echo "bench: PyTorch stock ..." >&2
"${PY[@]}" bench/torch_bench.py "$DATA" "$OUT/scratch" "$REPS" stock > "$OUT/torch_stock.txt"
echo "bench: PyTorch best (OMP_WAIT_POLICY=PASSIVE, Adam foreach) ..." >&2
OMP_WAIT_POLICY=PASSIVE "${PY[@]}" bench/torch_bench.py "$DATA" "$OUT/scratch" "$REPS" best > "$OUT/torch_best.txt"
echo "bench: GEMM ceiling (numpy + OpenBLAS) ..." >&2
"${PY[@]}" bench/gemm_probe.py "$REPS" "$(sed -n 's/^train_examples //p' "$OUT/ours.txt")" \
  "$(sed -n 's/^test_examples //p' "$OUT/ours.txt")" > "$OUT/gemm_openblas.txt"
# Each product at its shape in each library (the choice in nn/network/gemm.cc).
if [ -x "$BUILD/gemm_libraries" ]; then
  echo "bench: each matrix product in OpenBLAS, oneDNN, libxsmm, BLIS and Eigen ..." >&2
  "${PLAIN[@]}" "$BUILD/gemm_libraries" > "$OUT/gemm_libraries.txt"
fi

# Time to accuracy: from the start of `mnist --train` (defaults,
# --validation-size 0: the test set validates, and PyTorch trains on the same
# 60k images) and of PyTorch's best configuration to the first epoch whose
# val_acc reaches the target, at most TTA_EPOCHS epochs each.
TTA_TARGET="${MNIST_BENCH_TTA_TARGET:-0.88}"
TTA_EPOCHS="${MNIST_BENCH_TTA_EPOCHS:-15}"
echo "bench: time to val_acc $TTA_TARGET, ours and PyTorch best (at most $TTA_EPOCHS epochs each) ..." >&2
"${PY[@]}" bench/time_to_accuracy.py "$TTA_TARGET" "$TTA_EPOCHS" "$BUILD/mnist" --train \
  --validation-size 0 --epochs "$TTA_EPOCHS" --data-dir "$DATA" --ckpt-dir "$OUT/tta" > "$OUT/tta_ours.txt"
OMP_WAIT_POLICY=PASSIVE "${PY[@]}" bench/time_to_accuracy.py "$TTA_TARGET" "$TTA_EPOCHS" \
  "${PY[@]}" bench/torch_bench.py "$DATA" "$OUT/scratch" "$TTA_EPOCHS" tta > "$OUT/tta_torch.txt"
printf 'tta_target %s\ntta_cap %s\n' "$TTA_TARGET" "$TTA_EPOCHS" > "$OUT/tta.txt"

# Accuracy unchanged: the commit before the optimizations, built with the same
# GEMM library, must train bit-identically (bench/same_results.sh; needs the
# git history and a second build, so MNIST_BENCH_SAME_EPOCHS=0 skips it).
SAME_EPOCHS="${MNIST_BENCH_SAME_EPOCHS:-3}"
if [ "$SAME_EPOCHS" != 0 ]; then
  echo "bench: same seed, before and after the optimizations ..." >&2
  "${PLAIN[@]}" bench/same_results.sh "$SAME_EPOCHS" > "$OUT/same.txt" || true
fi

RESULTS="${MNIST_BENCH_RESULTS:-bench/results}"
mkdir -p "$RESULTS"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
report="$RESULTS/$(date -u +%Y-%m-%d)-$commit.md"
{
  echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit"
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
       "$(free -g | awk '/Mem:/ {print $2}') GiB; data: $DATA; $REPS repetitions, median (min-max)."
  echo "PyTorch $("${PY[@]}" -c 'import torch; print(torch.__version__)'), two threads;" \
       "stock = torch.set_num_threads(2), Adam defaults, eval batch 100;" \
       "best = OMP_WAIT_POLICY=PASSIVE, Adam(foreach=True), eval batch 1000."
  echo
  python3 bench/report.py "$OUT"
} > "$report"
cat "$report"
echo "bench: written to $report" >&2

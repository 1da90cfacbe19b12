#!/usr/bin/env bash
# Accuracy unchanged: trains the same seeded run with the commit before the
# speed work (BASE) and with this tree, both built with the GEMM library this
# tree's build uses, and checks that the two runs are bit-identical: every
# epoch's acc.txt line, --eval's val_loss and val_acc, and the bytes of every
# weight, Adam slot and step tensor of the final resume checkpoint.
#
# usage: bench/same_results.sh [EPOCHS] [BASE]   (bench/run.sh calls it)
# Prints `same_results identical|different`, then what was compared, and
# exits 0 or 1; when it cannot compare, prints `same_results failed: <why>`
# and exits 2. Needs the git history (BASE is built from it) and a default
# (Release, -march=native, no sanitizer) build of this tree, as BASE's is.
#
# Why the GEMM library is held fixed: a product's last bits depend on the
# order its sums are taken in, which is the library's (and the thread
# count's) choice, not ours. What this checks is that our optimizations
# change no arithmetic; Eigen's products and OpenBLAS's differ from each
# other in the last bits whatever the commit. When this tree's build sends
# some products to oneDNN (nn/network/gemm.h), BASE cannot, so this tree is
# built a second time with -DMNIST_ONEDNN=OFF (every product through the
# same library as BASE's) and that build is compared; `same_blas` says so.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
fail() { echo "same_results failed: $*"; exit 2; }
trap 'fail "line $LINENO of bench/same_results.sh (see the messages above)"' ERR
EPOCHS="${1:-3}"
# 5b5db77: the last commit before the optimizations of the speed issue (the
# L2-into-Adam fold, fused bias+ReLU, OpenBLAS, -fno-math-errno, ...).
BASE="${2:-5b5db77}"
DATA="$(realpath "${MNIST_BENCH_DATA:-/usr/share/datasets/fashion-mnist}")"
BUILD="${BUILD_DIR:-build}"
cache="$BUILD/CMakeCache.txt"
[ -f "$cache" ] || fail "$cache not found (build this tree first)"
grep -qx 'CMAKE_BUILD_TYPE:STRING=Release' "$cache" && grep -qx 'MNIST_NATIVE:BOOL=ON' "$cache" &&
  grep -qx 'MNIST_SANITIZE:STRING=' "$cache" ||
  fail "$BUILD is not a default build (Release, MNIST_NATIVE=ON, no MNIST_SANITIZE), unlike $BASE's"
WORK="$(mktemp -d /tmp/mnist_same.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

blas_flags=()
blas="Eigen's own products"
case "$(ldd "$BUILD/mnist")" in *openblas-openmp/libopenblas*)
  dir=/usr/lib/x86_64-linux-gnu/openblas-openmp
  blas_flags=(-DCMAKE_CXX_FLAGS=-DEIGEN_USE_BLAS "-DCMAKE_EXE_LINKER_FLAGS=-L$dir -Wl,-rpath,$dir"
              -DCMAKE_CXX_STANDARD_LIBRARIES=-lopenblas)
  blas="OpenBLAS (OpenMP build)" ;;
esac

head_mnist="$(realpath "$BUILD/mnist")"
reference="$blas"
case "$(ldd "$BUILD/mnist")" in *libdnnl*)
  echo "same_results: building this tree with every product through $blas (-DMNIST_ONEDNN=OFF) ..." >&2
  cmake -S . -B "$WORK/head-build" -DMNIST_BUILD_TESTS=OFF -DMNIST_ONEDNN=OFF > "$WORK/head-cmake.log"
  cmake --build "$WORK/head-build" -j2 --target mnist > "$WORK/head-make.log" 2>&1 ||
    { tail -20 "$WORK/head-make.log" >&2; fail "building this tree with -DMNIST_ONEDNN=OFF failed"; }
  head_mnist="$WORK/head-build/mnist"
  reference="$blas, every product (this tree's default build does some in oneDNN; compared: -DMNIST_ONEDNN=OFF)" ;;
esac

echo "same_results: building $BASE with $blas ..." >&2
mkdir -p "$WORK/src"
git archive "$BASE" | tar -x -C "$WORK/src"
cmake -S "$WORK/src" -B "$WORK/build" -DMNIST_BUILD_TESTS=OFF "${blas_flags[@]}" > "$WORK/cmake.log"
cmake --build "$WORK/build" -j2 --target mnist > "$WORK/make.log" 2>&1 ||
  { tail -20 "$WORK/make.log" >&2; fail "building $BASE failed"; }

run() {  # run NAME MNIST [FLAGS]: train EPOCHS epochs into $WORK/NAME, then evaluate
  mkdir -p "$WORK/$1"
  (cd "$WORK/$1" && "$2" --train --epochs "$EPOCHS" --data-dir "$DATA" --ckpt-dir ck ${3:-} > train.log &&
   "$2" --eval --data-dir "$DATA" --ckpt-dir ck | grep '^val_loss' > eval.txt)
}
echo "same_results: $EPOCHS epochs with $BASE, then with this tree ..." >&2
run base "$WORK/build/mnist"
# BASE validates on the test set and trains on all 60k; so does this tree with
# --validation-size 0 (a flag BASE lacks).
run head "$head_mnist" "--validation-size 0"

# The resume checkpoint each run's state file names, and its tensors other
# than train_state/* (name, dtype, shape, bytes), which must be the same.
resume() { sed -n 's/^model_checkpoint_path: "\(.*\)"$/\1/p' "$WORK/$1/ck/last_checkpoint"; }
base_ckpt="$WORK/base/ck/$(resume base)"
head_ckpt="$WORK/head/ck/$(resume head)"
listing() { "$BUILD/mnist" --inspect "$1" | grep -v -e '^train_state/' -e ' tensors, '; }
base_list="$(listing "$base_ckpt")"
head_list="$(listing "$head_ckpt")"
tensors=$(echo "$head_list" | wc -l)
bytes=$(echo "$head_list" | awk '{n += $(NF-1)} END {print n}')

# The .data file holds the tensors back to back in name order. Every model,
# Adam and step tensor sorts before train_state/*, the only names that
# changed since BASE, so the files' leading bytes hold exactly those tensors.
same=1
cmp -s "$WORK/base/ck/acc.txt" "$WORK/head/ck/acc.txt" || same=0
cmp -s "$WORK/base/eval.txt" "$WORK/head/eval.txt" || same=0
[ "$base_list" = "$head_list" ] || same=0
cmp -s -n "$bytes" "$base_ckpt.data-00000-of-00001" "$head_ckpt.data-00000-of-00001" || same=0

[ "$same" = 1 ] && echo "same_results identical" || echo "same_results different"
echo "same_base $BASE"
echo "same_blas $reference"
echo "same_epochs $EPOCHS"
echo "same_tensors $tensors tensors, $bytes bytes"
echo "same_val_acc_base $(awk '{printf "%s ", $3}' "$WORK/base/ck/acc.txt")"
echo "same_val_acc_head $(awk '{printf "%s ", $3}' "$WORK/head/ck/acc.txt")"
echo "same_eval_base $(cat "$WORK/base/eval.txt")"
echo "same_eval_head $(cat "$WORK/head/eval.txt")"
[ "$same" = 1 ] || exit 1  # a bare failing test would fire the ERR trap

#!/usr/bin/env bash
# The project's two commands (see README.md):
#   ./run.sh          install missing Debian packages, build, fetch MNIST into
#                     data/mnist if it is not there (offline: Fashion-MNIST),
#                     train with the defaults, then evaluate the latest checkpoint
#   ./run.sh test     install, build, run every test through ctest
#   ./run.sh test --sanitize
#                     the same under AddressSanitizer + UndefinedBehaviorSanitizer,
#                     built in build-sanitize/
#   ./run.sh crash [N]
#                     the crash harness: N (default 200) SIGKILLs while saving,
#                     each followed by checks that nothing was lost
#   ./run.sh build    install and build only
#   ./run.sh bench [REPS]  install PyTorch too, build, and run bench/run.sh
#   ./run.sh --help   this usage and mnist's flags; nothing is built or run
# Extra arguments after `./run.sh` (no mode) go to `mnist --train`.
# It stays in the directory it is started from, so relative paths (--ckpt-dir,
# --data-dir, data/mnist) are the caller's; only the build lives in the repository.
# MNIST_RUN_SH_DRY=1 prints the commands it would run instead of running them.
set -euo pipefail
REPO="$(cd "$(dirname "$0")" && pwd)"

PACKAGES=(
  cmake make g++ pkg-config
  libeigen3-dev libprotobuf-dev protobuf-compiler libcxxopts-dev libgtest-dev
  zlib1g-dev libleveldb-dev libsnappy-dev libpng-dev libexpat1-dev libonnx-dev
  libopenblas-openmp-dev libdnnl-dev
  libcurl4-openssl-dev libmd-dev python3 dataset-fashion-mnist
)
# Only `./run.sh bench` needs these: PyTorch to compare against, OpenBLAS for it,
# and the libraries bench/gemm_libraries compares (built when libxsmm is there).
BENCH_PACKAGES=(python3-torch python3-numpy libopenblas0 time libxsmm-dev libblis-dev)
# npm packages for the tests that check our files with independent readers,
# installed into build/node_modules; each test skips when node or its package
# is missing: ONNX Runtime (tests/checkpoints/onnx_export_test.cc) and a
# TFRecord reader for the events file (tests/app/events_file_test.cc).
NPM_PACKAGES=(onnxruntime-node@1.30.0 @roboflow/tfrecords@1.0.4)
BUILD_DIR="$REPO/build"
JOBS=2  # the machines this runs on have two cores

# Runs "$@", or with MNIST_RUN_SH_DRY=1 only prints it.
run() {
  if [ "${MNIST_RUN_SH_DRY:-}" = 1 ]; then
    echo "run.sh: would run: $*" >&2
  else
    "$@"
  fi
}

usage() {
  echo "usage: ./run.sh [test [--sanitize]|crash [N]|build|bench [REPS]|--help]"
  echo "       ./run.sh [mnist --train flags...]   build, fetch MNIST into ./data/mnist unless"
  echo "                --data-dir is given, train, then evaluate the --ckpt-dir (default ./ckpt)"
}

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "run.sh: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      echo "run.sh: these Debian packages are missing: ${missing[*]}" >&2
      echo "run.sh: install them as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  run "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# True when data/mnist holds the four MNIST files (raw or gzip).
have_mnist() {
  local f
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "data/mnist/$f" ] || [ -f "data/mnist/$f.gz" ] || return 1
  done
}

install_npm_packages() {
  local missing=() package
  for package in "${NPM_PACKAGES[@]}"; do
    [ -f "$BUILD_DIR/node_modules/${package%@*}/package.json" ] || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v npm >/dev/null; then
    echo "run.sh: npm not found; the tests using ${missing[*]} will be skipped" >&2
    return 0
  fi
  run mkdir -p "$BUILD_DIR"
  # All of them in one command: npm removes what a --no-save install does not
  # name. --ignore-scripts: onnxruntime-node's install script would fetch a
  # GPU build; the CPU library (bin/napi-v6/linux/x64) is in the package itself.
  run npm install --prefix "$BUILD_DIR" --ignore-scripts --no-audit --no-fund --no-save \
    "${NPM_PACKAGES[@]}" >/dev/null ||
    echo "run.sh: npm install ${missing[*]} failed; the tests using them will be skipped" >&2
}

build() {
  install_missing "${PACKAGES[@]}"
  run cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${MNIST_WERROR:+-DMNIST_WERROR="$MNIST_WERROR"} "$@" >/dev/null
  run cmake --build "$BUILD_DIR" -j "$JOBS"
}

# Sanitizer runs stop at the first error and report leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mode="${1:-train}"
case "$mode" in
  test)
    shift
    if [ "${1:-}" = --sanitize ]; then
      BUILD_DIR="$REPO/build-sanitize"
      build -DMNIST_SANITIZE=address,undefined -DMNIST_NATIVE=OFF
    else
      build
    fi
    install_npm_packages
    log="$BUILD_DIR/ctest.log"
    status=0
    [ "${MNIST_RUN_SH_DRY:-}" = 1 ] && { run ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"; exit 0; }
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" 2>&1 | tee "$log" || status=$?
    "$REPO/tests/report_skips.sh" "$BUILD_DIR" "$log"
    exit "$status"
    ;;
  crash)
    build
    run "$BUILD_DIR/crash_harness" --kills "${2:-200}"
    ;;
  build)
    shift
    build
    ;;
  bench)
    shift
    install_missing "${BENCH_PACKAGES[@]}"
    build
    BUILD_DIR="$BUILD_DIR" run "$REPO/bench/run.sh" "$@"
    ;;
  help|-h|--help)
    usage
    if [ -x "$BUILD_DIR/mnist" ]; then
      echo
      echo "mnist's flags (./run.sh passes them to mnist --train):"
      "$BUILD_DIR/mnist" --help
    else
      echo "(mnist's own flags: build first with ./run.sh build, then ./run.sh --help)"
    fi
    ;;
  train|--*)
    [ "$mode" = train ] && [ $# -gt 0 ] && shift
    # The --ckpt-dir and --data-dir of the run, for the evaluation after it.
    ckpt=ckpt
    data=()
    args=("$@")
    for ((i = 0; i < ${#args[@]}; ++i)); do
      case "${args[i]}" in
        -h | --help) exec "$0" --help ;;
        --ckpt-dir) ckpt="${args[i + 1]:-}" ;;
        --ckpt-dir=*) ckpt="${args[i]#*=}" ;;
        --data-dir) data=(--data-dir "${args[i + 1]:-}") ;;
        --data-dir=*) data=("${args[i]}") ;;
      esac
    done
    build
    # Only the default data directory is fetched: named data is the user's.
    if [ ${#data[@]} -eq 0 ] && ! have_mnist; then
      run "$BUILD_DIR/mnist" --download || true  # on failure it says so in one line
    fi
    # A run already there is continued, not replaced (mnist would refuse).
    resume=()
    if [ -f "$ckpt/checkpoint" ] || [ -f "$ckpt/last_checkpoint" ]; then
      case " $* " in
        *" --resume "* | *" --overwrite "*) ;;
        *) echo "run.sh: $ckpt/ holds a run: continuing it (--resume); remove $ckpt/ to start anew" >&2
           resume=(--resume) ;;
      esac
    fi
    run "$BUILD_DIR/mnist" --train "${resume[@]}" "$@"
    if [ -f "$ckpt/checkpoint" ]; then
      run "$BUILD_DIR/mnist" --eval --ckpt-dir "$ckpt" "${data[@]}"
    fi
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac

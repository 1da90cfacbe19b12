#!/usr/bin/env bash
# The project's two commands (see README.md):
#   ./run.sh          install missing Debian packages, build, train with the
#                     defaults, then evaluate the latest checkpoint
#   ./run.sh test     install, build, run every test through ctest
#   ./run.sh test --sanitize
#                     the same under AddressSanitizer + UndefinedBehaviorSanitizer,
#                     built in build-sanitize/
#   ./run.sh crash [N]
#                     the crash harness: N (default 200) SIGKILLs while saving,
#                     each followed by checks that nothing was lost
#   ./run.sh build    install and build only
# Extra arguments after `./run.sh` (no mode) go to `mnist --train`.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  cmake make g++ pkg-config
  libeigen3-dev libprotobuf-dev protobuf-compiler libcxxopts-dev libgtest-dev
  zlib1g-dev libleveldb-dev libsnappy-dev
  dataset-fashion-mnist
)
BUILD_DIR=build
JOBS=2  # the machines this runs on have two cores

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
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

build() {
  install_missing "${PACKAGES[@]}"
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

# Sanitizer runs stop at the first error and report leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mode="${1:-train}"
case "$mode" in
  test)
    shift
    if [ "${1:-}" = --sanitize ]; then
      BUILD_DIR=build-sanitize
      build -DMNIST_SANITIZE=address,undefined -DMNIST_NATIVE=OFF
    else
      build
    fi
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
    ;;
  crash)
    build
    "$BUILD_DIR/crash_harness" --kills "${2:-200}"
    ;;
  build)
    shift
    build
    ;;
  train|--*)
    [ "$mode" = train ] && [ $# -gt 0 ] && shift
    build
    "$BUILD_DIR/mnist" --train "$@"
    if [ -f ckpt/checkpoint ]; then
      "$BUILD_DIR/mnist" --eval
    fi
    ;;
  *)
    echo "usage: ./run.sh [test [--sanitize]|crash [N]|build] (or ./run.sh --epochs N ... to pass flags to mnist --train)" >&2
    exit 2
    ;;
esac

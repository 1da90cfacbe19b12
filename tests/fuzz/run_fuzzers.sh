#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and
# runs each for SECONDS (default 60), starting from corpora that fuzz_seeds
# writes from our own outputs. Not part of CI. Crash inputs land in
# build-fuzz/crashes/<fuzzer>/; the summary gives executions and crashes.
#
#   tests/fuzz/run_fuzzers.sh [SECONDS] [FUZZER...]
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_EACH="${1:-60}"
shift || true
FUZZERS=("$@")
[ ${#FUZZERS[@]} -eq 0 ] && FUZZERS=(idx_fuzzer bundle_fuzzer checkpoint_state_fuzzer graph_fuzzer)
BUILD=build-fuzz

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "run_fuzzers.sh: installing clang and its libFuzzer runtime"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang \
    "libclang-rt-$(clang++ --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p' | head -1 || echo 14)-dev" \
    >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNIST_FUZZ=ON \
  -DMNIST_BUILD_TESTS=OFF -DMNIST_NATIVE=OFF >/dev/null
cmake --build "$BUILD" -j 2 --target fuzz_seeds "${FUZZERS[@]}"

shared=tests/testdata/tf
"$BUILD/fuzz_seeds" "$BUILD/corpus" $shared

summary=()
for f in "${FUZZERS[@]}"; do
  mkdir -p "$BUILD/corpus/$f" "$BUILD/crashes/$f"
  echo "== $f for ${SECONDS_EACH}s"
  # -rss_limit_mb: a reader that allocates from a declared size is a bug.
  "$BUILD/$f" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/crashes/$f/" "$BUILD/corpus/$f" >"$BUILD/$f.log" 2>&1 || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/$f.log" | tail -1)
  crashes=$(find "$BUILD/crashes/$f" -type f | wc -l)
  summary+=("$(printf '%-26s executions %12s  crashes %d' "$f" "${runs:-?}" "$crashes")")
  tail -n 3 "$BUILD/$f.log"
done
echo
printf '%s\n' "${summary[@]}"

#!/usr/bin/env bash
# Usage: tests/report_skips.sh BUILD_DIR CTEST_LOG
# Prints how many tests ctest skipped and, for each, the reason its test gave
# (GTEST_SKIP's message). A test skips only when an optional tool is missing
# (node or npm, python3-torch). Exits 0 whatever the count: the caller's exit
# code is ctest's.
set -euo pipefail
build_dir="$1"
log="$2"
# ctest lists skipped tests among those that "did not run":
#   12 - Suite.Name (Skipped)
names=$(sed -n -E 's/^[[:space:]]*[0-9]+ - ([^ ]+) \(Skipped\).*/\1/p' "$log")
count=0
[ -n "$names" ] && count=$(printf '%s\n' "$names" | wc -l)
echo "run.sh: $count test(s) skipped"
[ -n "$names" ] || exit 0
while read -r name; do
  why=$(ctest --test-dir "$build_dir" -R "^${name}\$" -V 2>&1 | grep -A1 ': Skipped$' | tail -n 1 |
        sed -E 's/^[0-9]+: //' || true)
  echo "run.sh:   $name: ${why:-no reason given}"
done <<< "$names"

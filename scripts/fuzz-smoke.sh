#!/usr/bin/env bash
# fuzz-smoke.sh BUILD_DIR SECONDS: runs every fuzz_* target in BUILD_DIR for SECONDS on a copy of its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
secs=${2:-20}
passed=0; failed=0
for f in "$dir"/tests/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  work=$(mktemp -d)
  if [ -d "tests/fuzz/corpus/$name" ]; then cp -r "tests/fuzz/corpus/$name/." "$work/"; fi
  if ASAN_OPTIONS=detect_leaks=1 "$f" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
      -artifact_prefix="$work/" "$work" >"$work/log" 2>&1; then
    echo "fuzz: $name ok ($(grep -c . "$work/log") log lines)"
    passed=$((passed + 1))
  else
    echo "fuzz: $name FAILED"; tail -40 "$work/log"
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

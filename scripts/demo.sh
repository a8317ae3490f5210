#!/usr/bin/env bash
# Sets up, builds build/shakedown and runs the main job, explain, on the bundled examples (real logs of real
# failures captured on loopback), then decode on the bundled traces.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
for d in examples/explain/*/; do
  echo "### shakedown explain ${d}*"
  ./build/shakedown explain "$d"* || true   # exit 1 means a diagnosis was found
  echo
done
for f in examples/*.txt; do
  echo "### shakedown decode $f"
  ./build/shakedown decode "$f" || true
  echo
done

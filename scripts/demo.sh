#!/usr/bin/env bash
# Sets up, builds build/shakedown and runs the main job on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
for f in examples/*.txt; do
  echo "### shakedown decode $f"
  ./build/shakedown decode "$f" || true
done

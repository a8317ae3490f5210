#!/usr/bin/env bash
# Sets up, builds and runs every test: the unit and peer tests, the same under AddressSanitizer + UBSan,
# and a short smoke run of every libFuzzer target. Exit status is non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

bash scripts/setup.sh

step() { printf '\n=== %s\n' "$*"; }

step "build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS"
step "tests"
ctest --test-dir build --output-on-failure -j "$JOBS"

step "build (AddressSanitizer + UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSHAKEDOWN_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS="-O1" >/dev/null
cmake --build build-asan -j "$JOBS"
step "tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$JOBS"

step "fuzz smoke runs (${FUZZ_SECONDS}s each)"
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSHAKEDOWN_FUZZ=ON \
  -DSHAKEDOWN_TESTS=OFF -DCMAKE_CXX_FLAGS="-O1" >/dev/null
cmake --build build-fuzz -j "$JOBS" --target fuzzers
bash scripts/fuzz-smoke.sh build-fuzz "$FUZZ_SECONDS"

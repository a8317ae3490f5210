#!/usr/bin/env bash
# One command: the same openssl s_server (TLS 1.2 + 1.3, a few suites) probed by shakedown, sslscan, testssl.sh
# and nmap ssl-enum-ciphers; prints wall time and connections opened (counted by a relay in front) for each, and
# each tool's time as a ratio to shakedown's.
# Usage: bench/probe/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/probe/lib.sh
source "$here/lib.sh"
shakedown=$(bench_shakedown "${1:-}") || exit 2
bench_init probe

make_cert "$work"
backend=$(free_port)
openssl s_server -accept "127.0.0.1:$backend" -cert "$work/cert.pem" -key "$work/key.pem" -www -naccept 100000 \
  -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES256-SHA:DHE-RSA-AES128-GCM-SHA256' \
  >"$work/s_server.log" 2>&1 &
pids+=($!)
sleep 0.5

# run NAME COMMAND...: runs the command against a fresh counting relay; prints "NAME seconds connections".
run() {
  local name="$1"; shift
  local port; port=$(free_port)
  local count="$work/$name.count"
  echo 0 >"$count"
  python3 "$here/count_proxy.py" "$port" "$backend" "$count" &
  local proxy=$!
  wait_for "$count.ready" || { bench_stop "$proxy"; echo "relay for $name did not start" >&2; return 1; }
  local secs; secs=$(timed "$name" "${@//PORT/$port}")
  bench_stop "$proxy"
  echo "$name $secs $(cat "$count")"
}

results="$work/results"
{
  run shakedown "$shakedown" probe --format json tls://127.0.0.1:PORT
  command -v sslscan >/dev/null && run sslscan sslscan --no-colour 127.0.0.1:PORT
  [ -n "${SD_BENCH_SKIP_TESTSSL:-}" ] || run testssl testssl --quiet --fast --warnings off --color 0 127.0.0.1:PORT
  command -v nmap >/dev/null && run nmap nmap -Pn -p PORT --script ssl-enum-ciphers 127.0.0.1
} >"$results"

print_table "$results" connections

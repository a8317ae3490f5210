#!/usr/bin/env bash
# One command: the same openssl s_server (TLS 1.2 + 1.3, a few suites) probed by shakedown, sslscan, testssl.sh
# and nmap ssl-enum-ciphers; prints wall time and connections opened (counted by a relay in front) for each, and
# each tool's time as a ratio to shakedown's.
# Usage: bench/probe/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
shakedown="$build/shakedown"
[ -x "$shakedown" ] || { echo "no $shakedown: build first" >&2; exit 2; }
work="$(mktemp -d /tmp/sd-bench-probe-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost -days 30 2>/dev/null
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
  for _ in $(seq 100); do [ -e "$count.ready" ] && break; sleep 0.05; done
  local start end
  start=$(date +%s.%N)
  "${@//PORT/$port}" >"$work/$name.out" 2>&1 || true
  [ -n "${SD_BENCH_SHOW:-}" ] && tail -5 "$work/$name.out" >&2
  end=$(date +%s.%N)
  kill "$proxy" 2>/dev/null || true
  wait "$proxy" 2>/dev/null || true
  echo "$name $(echo "$end - $start" | bc) $(cat "$count")"
}

results="$work/results"
{
  run shakedown "$shakedown" probe --format json tls://127.0.0.1:PORT
  command -v sslscan >/dev/null && run sslscan sslscan --no-colour 127.0.0.1:PORT
  [ -n "${SD_BENCH_SKIP_TESTSSL:-}" ] || run testssl testssl --quiet --fast --warnings off --color 0 127.0.0.1:PORT
  command -v nmap >/dev/null && run nmap nmap -Pn -p PORT --script ssl-enum-ciphers 127.0.0.1
} >"$results"

base=$(awk '$1=="shakedown"{print $2}' "$results")
printf '%-10s %10s %12s %16s\n' tool seconds connections "time/shakedown"
while read -r name secs conns; do
  printf '%-10s %10.2f %12s %16.1f\n' "$name" "$secs" "$conns" "$(echo "$secs / $base" | bc -l)"
done <"$results"

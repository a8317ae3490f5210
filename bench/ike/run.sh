#!/usr/bin/env bash
# One command: the same charon (tests/vectors/ike/charon-lab.sh, a few proposals, cookies off) probed by
# `shakedown probe ike://` and by `ike-scan --ikev2`; prints wall time, IKE datagrams charon received (counted in
# its own log) and what each tool learned, and each tool's time as a ratio to shakedown's. charon's cookie and
# block thresholds are raised so that neither tool is throttled by the other's half-open IKE SAs.
# Usage: bench/ike/run.sh [BUILD_DIR]   (default: build; needs root for charon's private /run)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
shakedown="$build/shakedown"
lab="$root/tests/vectors/ike/charon-lab.sh"
[ -x "$shakedown" ] || { echo "no $shakedown: build first" >&2; exit 2; }
command -v ike-scan >/dev/null || { echo "ike-scan is not installed (scripts/setup.sh)" >&2; exit 2; }
work="$(mktemp -d /tmp/sd-bench-ike-XXXXXX)"
cleanup() { sh "$lab" stop "$work" || true; [ -n "${SD_BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/swanctl.conf" <<CONF
connections {
  resp {
    version = 2
    proposals = aes256-aes128-sha256-sha1-modp2048-ecp256
    local { auth = psk
      id = resp.example }
    remote { auth = psk
      id = init.example }
  }
}
CONF
sh "$lab" start "$work" "$port" yes 100000 100000
received() { grep -c "received packet" "$work/charon.log" || true; }

# run NAME LEARNED_CMD COMMAND...: prints "NAME seconds datagrams learned".
run() {
  local name="$1" learn="$2"; shift 2
  local before; before=$(received)
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/$name.out" 2>&1 || true
  [ -n "${SD_BENCH_SHOW:-}" ] && tail -5 "$work/$name.out" >&2
  end=$(date +%s.%N)
  sleep 0.3
  echo "$name $(echo "$end - $start" | bc) $(( $(received) - before )) $($learn "$work/$name.out")"
}

shakedown_learned() {
  python3 - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for s in doc["sections"]:
    if s["kind"] != "probe": continue
    f = {x["name"]: x for x in s["fields"]}
    n = lambda k: len(f.get(k, {}).get("children", []))
    print(f"enc={n('encryption')},prf={n('prf')},integ={n('integrity')},dh={n('dh_groups')}")
    break
PY
}
ikescan_learned() {
  echo "handshakes=$(grep -c 'Handshake returned' "$1" || true),notifies=$(grep -c 'Notify message' "$1" || true)"
}

# charon treats any port but 500 like 4500 (a non-ESP marker before the IKE header): ike-scan needs --nat-t there.
results="$work/results"
{
  run shakedown shakedown_learned "$shakedown" probe --format json "ike://127.0.0.1:$port"
  run ike-scan ikescan_learned ike-scan --ikev2 --nat-t --sport=0 --dport="$port" 127.0.0.1
} >"$results"

base=$(awk '$1=="shakedown"{print $2}' "$results")
printf '%-10s %10s %10s %16s  %s\n' tool seconds datagrams "time/shakedown" learned
while read -r name secs grams learned; do
  printf '%-10s %10.2f %10s %16.2f  %s\n' "$name" "$secs" "$grams" "$(echo "$secs / $base" | bc -l)" "$learned"
done <"$results"

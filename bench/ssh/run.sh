#!/usr/bin/env bash
# One command: the same OpenSSH sshd (own config and ed25519, ECDSA and RSA host keys in a temp dir, 127.0.0.1 on a
# free high port) probed by `shakedown probe ssh://`, ssh-audit and nmap (ssh2-enum-algos + ssh-hostkey); prints
# wall time and connections opened (counted by bench/probe/count_proxy.py in front) for each, each tool's time as a
# ratio to shakedown's, and what each learned (bench/ssh/learned.py).
# Usage: bench/ssh/run.sh [BUILD_DIR]   (default: build; sshd wants root for its privilege-separation dir /run/sshd)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
shakedown="$build/shakedown"
proxy_py="$root/bench/probe/count_proxy.py"
sshd=/usr/sbin/sshd
limit=180  # seconds any one tool may take
[ -x "$shakedown" ] || { echo "no $shakedown: build first" >&2; exit 2; }
[ -x "$sshd" ] || { echo "no $sshd (openssh-server, scripts/setup.sh)" >&2; exit 2; }
work="$(mktemp -d /tmp/sd-bench-ssh-XXXXXX)"
pids=()
# stop PID: SIGTERM, up to 2 s to exit, then SIGKILL; reaps it.
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 40); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  for p in "${pids[@]}"; do stop "$p"; done
  [ -n "${SD_BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_for FILE: waits up to 5 s for FILE to exist.
wait_for() { for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }

for type in ed25519 ecdsa rsa; do
  ssh-keygen -q -t "$type" -N '' -f "$work/host_$type" </dev/null
done
cat >"$work/sshd_config" <<CONF
ListenAddress 127.0.0.1
HostKey $work/host_ed25519
HostKey $work/host_ecdsa
HostKey $work/host_rsa
PidFile $work/sshd.pid
LogLevel INFO
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
PermitRootLogin no
StrictModes no
MaxStartups 200
CONF
mkdir -p /run/sshd
backend=$(free_port)
"$sshd" -D -e -f "$work/sshd_config" -p "$backend" >"$work/sshd.log" 2>&1 &
pids+=($!)
wait_for "$work/sshd.pid" || { echo "sshd did not start:" >&2; cat "$work/sshd.log" >&2; exit 1; }

# run NAME COMMAND...: runs the command (PORT replaced) against a fresh counting relay; prints
# "NAME seconds connections learned" (learned.py reads what the tool printed).
run() {
  local name="$1"; shift
  local port; port=$(free_port)
  local count="$work/$name.count"
  echo 0 >"$count"
  python3 "$proxy_py" "$port" "$backend" "$count" &
  local proxy=$!
  wait_for "$count.ready" || { stop "$proxy"; echo "relay for $name did not start" >&2; return 1; }
  local start end
  start=$(date +%s.%N)
  local rc=0
  timeout "$limit" "${@//PORT/$port}" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  end=$(date +%s.%N)
  [ "$rc" -ne 124 ] || echo "$name: stopped after $limit s" >&2
  [ -n "${SD_BENCH_SHOW:-}" ] && tail -5 "$work/$name.out" >&2
  stop "$proxy"
  echo "$name $(echo "$end - $start" | bc) $(cat "$count") $(python3 "$here/learned.py" "$name" "$work/$name.out")"
}

results="$work/results"
{
  run shakedown "$shakedown" probe --format json ssh://127.0.0.1:PORT
  if command -v ssh-audit >/dev/null; then
    run ssh-audit ssh-audit -j -p PORT 127.0.0.1
  else echo "ssh-audit is not installed: left out" >&2; fi
  # '+' runs the scripts whatever the port's service guess (their portrule wants port 22 or a detected ssh).
  if command -v nmap >/dev/null; then
    run nmap nmap -Pn -p PORT --script '+ssh2-enum-algos,+ssh-hostkey' 127.0.0.1
  else echo "nmap is not installed: left out" >&2; fi
} >"$results"

base=$(awk '$1=="shakedown"{print $2}' "$results")
printf '%-10s %10s %12s %16s  %s\n' tool seconds connections "time/shakedown" learned
while read -r name secs conns learned; do
  printf '%-10s %10.2f %12s %16.1f  %s\n' "$name" "$secs" "$conns" "$(echo "$secs / $base" | bc -l)" "$learned"
done <"$results"

# shellcheck shell=bash
# Shell helpers shared by bench/probe/run.sh and bench/probe/ftps.sh. Source it after `set -euo pipefail`.

# bench_shakedown [BUILD_DIR]: prints the path of BUILD_DIR/shakedown (default build; a relative BUILD_DIR is taken
# from the repository root); fails, saying so, when it is not there.
bench_shakedown() {
  local root build
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  build="${1:-build}"
  case "$build" in /*) ;; *) build="$root/$build" ;; esac
  [ -x "$build/shakedown" ] || { echo "no $build/shakedown: build first" >&2; return 2; }
  echo "$build/shakedown"
}

# bench_init NAME: makes the temp dir $work and the list $pids; at exit every pid in $pids is stopped and $work
# removed (kept when SD_BENCH_KEEP is set).
bench_init() {
  work="$(mktemp -d "/tmp/sd-bench-$1-XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do bench_stop "$p"; done
  [ -n "${SD_BENCH_KEEP:-}" ] || rm -rf "$work"
}

# bench_stop PID: SIGTERM, up to 2 s to exit, then SIGKILL; reaps it.
bench_stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 40); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for FILE: waits up to 5 s for FILE to exist.
wait_for() { for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }

# make_cert DIR: a self-signed RSA 2048 key and certificate for CN=localhost as DIR/key.pem and DIR/cert.pem.
make_cert() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/key.pem" -out "$1/cert.pem" -subj /CN=localhost -days 30 \
    2>/dev/null
}

# timed NAME COMMAND...: runs COMMAND for at most $SD_BENCH_LIMIT seconds (default 360), output to $work/NAME.out;
# prints the wall time in seconds, with a '+' appended when the limit cut it off.
timed() {
  local name="$1"; shift
  local limit="${SD_BENCH_LIMIT:-360}" start end rc=0
  start=$(date +%s.%N)
  timeout "$limit" "$@" >"$work/$name.out" 2>&1 </dev/null || rc=$?
  end=$(date +%s.%N)
  [ -z "${SD_BENCH_SHOW:-}" ] || tail -5 "$work/$name.out" >&2
  if [ "$rc" -eq 124 ]; then
    echo "$name: cut off after $limit s" >&2
    echo "$(echo "$end - $start" | bc)+"
  else
    echo "$end - $start" | bc
  fi
}

# print_table RESULTS HEADER...: RESULTS holds lines "tool seconds count..."; prints them under HEADER (the names of
# the count columns) with each tool's time divided by shakedown's. A cut-off time ("360.01+") keeps its '+'.
print_table() {
  local results="$1"; shift
  awk -v heads="$*" '
    NR == FNR { if ($1 == "shakedown") base = $2 + 0; next }
    FNR == 1 {
      n = split(heads, h, " ")
      printf "%-10s %10s", "tool", "seconds"
      for (i = 1; i <= n; i++) printf " %12s", h[i]
      printf " %16s\n", "time/shakedown"
    }
    {
      cut = ($2 ~ /\+$/) ? "+" : ""
      printf "%-10s %9.2f%1s", $1, $2 + 0, cut
      for (i = 3; i <= NF; i++) printf " %12s", $i
      printf " %15.1f%1s\n", base ? ($2 + 0) / base : 0, cut
    }' "$results" "$results"
}

#!/bin/sh
# One command: generate a syslog of SIZE_MB (default 1024), then time `shakedown explain` with the whole KB beside
# `grep -F -f` (the KB's literal signals) and `grep -E -f` (every pattern) on the same file, and print MB/s.
# Usage: sh bench/explain/run.sh [SIZE_MB] [BUILD_DIR]     (BUILD_DIR defaults to build, a Release build is best)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=${1:-1024}
build=${2:-$root/build}
work=${SD_BENCH_DIR:-$(mktemp -d)}
log="$work/syslog-$size.log"
[ -f "$log" ] || python3 "$here/generate.py" "$size" "$log"
python3 "$here/patterns.py" "$root/data/kb" "$work/literals.txt" "$work/regexes.txt"
bytes=$(wc -c < "$log")

# seconds COMMAND...: CPU seconds (user + system) of one run; CPU time, not wall time, because the machine may be
# shared. Output goes to a file: grep stops at the first match when its output is /dev/null.
seconds() {
  /usr/bin/time -f "%U %S" -o "$work/time.txt" "$@" > "$work/out.txt" 2>&1 || true
  awk 'END { print $1 + $2 }' "$work/time.txt"  # the last line; a first line may report the exit status
}
rate() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }

t_sd=$(seconds "$build/shakedown" explain "$log")
t_f=$(seconds grep -c -F -f "$work/literals.txt" "$log")
t_e=$(seconds grep -c -E -f "$work/regexes.txt" "$log")
printf '%-44s %10s %10s\n' "tool ($((bytes / 1048576)) MiB, $(wc -l < "$work/regexes.txt") patterns)" "CPU s" "MB/s"
printf '%-44s %10.2f %10s\n' "shakedown explain (whole KB, one database)" "$t_sd" "$(rate "$t_sd")"
printf '%-44s %10.2f %10s\n' "grep -F -f (literal signals only)" "$t_f" "$(rate "$t_f")"
printf '%-44s %10.2f %10s\n' "grep -E -f (every pattern)" "$t_e" "$(rate "$t_e")"
echo "peak memory of shakedown (KiB): $(/usr/bin/time -f %M "$build/shakedown" explain "$log" 2>&1 >/dev/null | tail -1)"
[ -n "${SD_BENCH_DIR:-}" ] || rm -rf "$work"

#!/usr/bin/env bash
# One command: the same vsftpd (anonymous explicit FTPS, own certificate in a temp dir, 127.0.0.1 on a free high
# port) probed by the full `shakedown probe ftps://` (data channel included), sslscan --starttls-ftp, testssl.sh
# --starttls ftp and nmap -sV --script ssl-enum-ciphers; prints wall time and connections opened for each, and each
# tool's time as a ratio to shakedown's. Connections are counted in vsftpd's own log, not by a relay (a relay would
# break the PASV data connections): "control" is its CONNECT lines, "data" its 227/229 passive replies.
# Usage: bench/probe/ftps.sh [BUILD_DIR]   (default: build)
# SD_BENCH_SKIP_TESTSSL=1 leaves out testssl.sh; SD_BENCH_LIMIT=S caps each tool (default 360 s); SD_BENCH_SHOW=1
# shows each tool's last lines; SD_BENCH_KEEP=1 keeps the temp dir (vsftpd.log, each tool's output).
set -euo pipefail
# shellcheck source=bench/probe/lib.sh
source "$(dirname "$0")/lib.sh"
shakedown=$(bench_shakedown "${1:-}") || exit 2
vsftpd="${SD_BENCH_VSFTPD:-/opt/shakedown-peers/vsftpd/usr/sbin/vsftpd}"
[ -x "$vsftpd" ] || { echo "no $vsftpd (scripts/setup.sh unpacks it)" >&2; exit 2; }
bench_init ftps

make_cert "$work"
mkdir -p "$work/anon" "$work/empty"
echo "shakedown bench" >"$work/anon/README"
port=$(free_port)
# Eight consecutive free ports for passive data connections.
pasv_min=$(python3 -c '
import socket
for first in range(40000, 60000, 8):
    try:
        socks = [socket.socket() for _ in range(8)]
        for i, s in enumerate(socks): s.bind(("127.0.0.1", first + i))
    except OSError: continue
    finally:
        for s in socks: s.close()
    print(first); break')
log="$work/vsftpd.log"
cat >"$work/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$port
background=NO
run_as_launching_user=YES
seccomp_sandbox=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$work/anon
local_enable=NO
write_enable=NO
secure_chroot_dir=$work/empty
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$pasv_min
pasv_max_port=$((pasv_min + 7))
connect_from_port_20=NO
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
rsa_cert_file=$work/cert.pem
rsa_private_key_file=$work/key.pem
xferlog_enable=YES
dual_log_enable=NO
vsftpd_log_file=$log
log_ftp_protocol=YES
debug_ssl=YES
CONF
"$vsftpd" "$work/vsftpd.conf" >"$work/vsftpd.console" 2>&1 &
pids+=($!)
# Up to 5 s for the 220 greeting (this connection is logged before any tool runs, so no tool is charged for it).
python3 - "$port" <<'PY' || { echo "vsftpd did not start:" >&2; cat "$work/vsftpd.console" >&2; exit 1; }
import socket, sys, time
deadline = time.time() + 5
while True:
    try:
        with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
            if s.recv(64).startswith(b"220"):
                break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(0.05)
PY

# log_lines: the number of lines in vsftpd's log now, once it has stopped growing (up to 3 s after a tool ends,
# for sessions still closing).
log_lines() {
  local now last=-1
  for _ in $(seq 30); do
    now=$(wc -l <"$log")
    [ "$now" -eq "$last" ] && break
    last=$now
    sleep 0.1
  done
  echo "$now"
}

# run NAME COMMAND...: runs the command (PORT replaced); prints "NAME seconds control data total", counted in the
# log lines the run added.
run() {
  local name="$1"; shift
  local before secs after
  before=$(log_lines)
  secs=$(timed "$name" "${@//PORT/$port}")
  after=$(log_lines)
  sed -n "$((before + 1)),${after}p" "$log" >"$work/$name.log"
  local control data
  control=$(grep -c 'CONNECT: Client' "$work/$name.log" || true)
  data=$(grep -cE 'FTP response: Client "[^"]*", "22[79] ' "$work/$name.log" || true)
  echo "$name $secs $control $data $((control + data))"
}

results="$work/results"
{
  run shakedown "$shakedown" probe --format json ftps://127.0.0.1:PORT
  if command -v sslscan >/dev/null; then
    run sslscan sslscan --no-colour --starttls-ftp 127.0.0.1:PORT
  else echo "sslscan is not installed: left out" >&2; fi
  if [ -n "${SD_BENCH_SKIP_TESTSSL:-}" ]; then :
  elif command -v testssl >/dev/null; then
    run testssl testssl --quiet --warnings off --color 0 --starttls ftp 127.0.0.1:PORT
  else echo "testssl is not installed: left out" >&2; fi
  if command -v nmap >/dev/null; then
    run nmap nmap -Pn -sV -p PORT --script ssl-enum-ciphers 127.0.0.1
  else echo "nmap is not installed: left out" >&2; fi
} >"$results"

print_table "$results" control data total

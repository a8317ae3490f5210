#!/bin/sh
# Produces real OpenSSH logs for the KB test cases: sshd and ssh on 127.0.0.1, one failure per case.
# Usage: sh capture-ssh.sh OUTDIR   (writes OUTDIR/ssh-<case>/{client.log,sshd.log}); every step has a timeout.
set -u
out=$(cd "${1:-.}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${SD_PORT:-42222}
ssh-keygen -q -t ed25519 -N '' -f "$work/host_ed25519"
ssh-keygen -q -t rsa -b 2048 -N '' -f "$work/host_rsa"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_a"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_b"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_c"

# run_case NAME "sshd options" "ssh options"
run_case() {
  name=$1; server=$2; client=$3
  dir="$out/ssh-$name"; mkdir -p "$dir"
  cfg="$work/sshd_$name.conf"
  { echo "Port $port"; echo "ListenAddress 127.0.0.1"; echo "PidFile none"; echo "UsePAM no";
    echo "LogLevel VERBOSE"; printf '%b\n' "$server"; } > "$cfg"
  grep -q '^HostKey' "$cfg" || echo "HostKey $work/host_ed25519" >> "$cfg"
  /usr/sbin/sshd -D -e -f "$cfg" 2> "$dir/sshd.log" &
  pid=$!
  sleep 0.5
  # shellcheck disable=SC2086
  timeout 10 ssh -v -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=5 \
    -o UserKnownHostsFile="$work/known_$name" $client nobody@127.0.0.1 true > "$dir/client.log" 2>&1
  sleep 0.3
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

run_case no-kex "KexAlgorithms curve25519-sha256" "-o KexAlgorithms=diffie-hellman-group14-sha256"
run_case no-host-key "HostKeyAlgorithms ssh-ed25519" "-o HostKeyAlgorithms=rsa-sha2-512,rsa-sha2-256"
run_case ssh-rsa-disabled "HostKey $work/host_rsa" "-o HostKeyAlgorithms=ssh-rsa"
run_case no-cipher "Ciphers aes128-ctr" "-c aes256-gcm@openssh.com"
run_case no-mac "Ciphers aes128-ctr\nMACs hmac-sha2-256" "-c aes128-ctr -m hmac-sha1"
run_case too-many-auth "MaxAuthTries 2" \
  "-o IdentitiesOnly=yes -i $work/user_a -i $work/user_b -i $work/user_c -o PreferredAuthentications=publickey"

# Host key changed: the client knows another key for the same host and port.
dir="$out/ssh-host-key-changed"; mkdir -p "$dir"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/user_a.pub")" > "$work/known_changed"
cfg="$work/sshd_changed.conf"
printf 'Port %s\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nLogLevel VERBOSE\nHostKey %s\n' "$port" "$work/host_ed25519" > "$cfg"
/usr/sbin/sshd -D -e -f "$cfg" 2> "$dir/sshd.log" & pid=$!
sleep 0.5
timeout 10 ssh -v -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlgorithms=ssh-ed25519 \
  -o UserKnownHostsFile="$work/known_changed" nobody@127.0.0.1 true > "$dir/client.log" 2>&1
sleep 0.3; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# MaxStartups: one silent connection holds the only pre-auth slot, the real client is dropped.
dir="$out/ssh-maxstartups"; mkdir -p "$dir"
cfg="$work/sshd_startups.conf"
printf 'Port %s\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nLogLevel VERBOSE\nHostKey %s\nMaxStartups 1\n' "$port" "$work/host_ed25519" > "$cfg"
/usr/sbin/sshd -D -e -f "$cfg" 2> "$dir/sshd.log" & pid=$!
sleep 0.5
python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1',$port)); time.sleep(4)" & hold=$!
sleep 0.5
timeout 10 ssh -v -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
  nobody@127.0.0.1 true > "$dir/client.log" 2>&1
wait "$hold" 2>/dev/null
sleep 0.3; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# Strict KEX (Terrapin countermeasure) violation: a client that offers kex-strict-c-v00 and sends IGNORE mid-KEX.
dir="$out/ssh-strict-kex"; mkdir -p "$dir"
cfg="$work/sshd_strict.conf"
printf 'Port %s\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nLogLevel VERBOSE\nHostKey %s\n' "$port" "$work/host_ed25519" > "$cfg"
/usr/sbin/sshd -D -e -f "$cfg" 2> "$dir/sshd.log" & pid=$!
sleep 0.5
timeout 8 python3 "$(dirname "$0")/strict_kex_client.py" "$port" > "$dir/client.log" 2>&1
sleep 0.3; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

#!/bin/sh
# Captures the two real pairs that fail on compression (OpenSSH's own client and server never do: both always offer
# "none"): python3-paramiko offering only zlib@openssh.com against sshd with "Compression no" (sshd.log,
# paramiko-client.log), and the OpenSSH 10.0 client (none,zlib@openssh.com) against a paramiko server that offers
# only "zlib" (openssh10-client.log; OpenSSH 9.2 still offers zlib and connects).
# Usage: sh capture.sh OUTDIR   (loopback high ports, a timeout on every step; /usr/bin/python3 for Debian's paramiko)
set -u
out=$(cd "${1:-.}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${SD_PORT:-42223}
ssh-keygen -q -t ed25519 -N '' -f "$work/host_ed25519"
printf 'Port %s\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nLogLevel VERBOSE\nHostKey %s\nCompression no\n' \
  "$port" "$work/host_ed25519" > "$work/sshd.conf"
/usr/sbin/sshd -D -e -f "$work/sshd.conf" 2> "$out/sshd.log" & pid=$!
sleep 0.5
timeout 20 /usr/bin/python3 - "$port" > "$out/paramiko-client.log" 2>&1 <<'PY'
import socket, sys
import paramiko
t = paramiko.Transport(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5))
t.get_security_options().compression = ("zlib@openssh.com",)
try:
    t.start_client(timeout=5)
except Exception as e:
    print("%s: %s" % (type(e).__name__, e))
PY
sleep 0.3; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

port=$((port + 1))
timeout 20 /usr/bin/python3 - "$port" > "$work/paramiko-server.log" 2>&1 <<'PY' &
import socket, sys
import paramiko
srv = socket.socket()
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(1)
srv.settimeout(10)
conn, _ = srv.accept()
t = paramiko.Transport(conn)
t.add_server_key(paramiko.ECDSAKey.generate())
t.get_security_options().compression = ("zlib",)
try:
    t.start_server(server=paramiko.ServerInterface())
    t.join(5)
except Exception as e:
    print("%s: %s" % (type(e).__name__, e))
PY
server=$!
sleep 2
timeout 10 /opt/shakedown-peers/openssh10/usr/bin/ssh -v -F /dev/null -p "$port" -o BatchMode=yes \
  -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 nobody@127.0.0.1 true \
  > "$out/openssh10-client.log" 2>&1
wait "$server" 2>/dev/null

# The zlib-only paramiko server's own KEXINIT, for the prediction test (tests/unit/probe/ssh_profiles_test.cpp).
port=$((port + 1))
timeout 20 /usr/bin/python3 - "$port" "$out/paramiko-server-kexinit.hex" <<'PY'
import socket, sys, threading, time
import paramiko
srv = socket.socket()
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(1)
srv.settimeout(10)
def serve():
    conn, _ = srv.accept()
    t = paramiko.Transport(conn)
    t.add_server_key(paramiko.ECDSAKey.generate())
    t.get_security_options().compression = ("zlib",)
    try:
        t.start_server(server=paramiko.ServerInterface())
    except Exception:
        pass
threading.Thread(target=serve, daemon=True).start()
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
c.sendall(b"SSH-2.0-capture\r\n")
data, deadline = b"", time.time() + 5
while time.time() < deadline:
    lf = data.find(b"\n")
    if lf >= 0 and len(data) >= lf + 5 and len(data) >= lf + 5 + int.from_bytes(data[lf + 1:lf + 5], "big"):
        break
    data += c.recv(65536)
lf = data.find(b"\n")
raw = data[:lf + 5 + int.from_bytes(data[lf + 1:lf + 5], "big")]
with open(sys.argv[2], "w") as f:
    f.write("# python3-paramiko 2.12 server (security options compression = zlib only): identification + KEXINIT\n")
    f.write("".join(raw[i:i + 32].hex() + "\n" for i in range(0, len(raw), 32)))
PY

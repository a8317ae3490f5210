#!/usr/bin/env bash
# Makes the hex-dump vectors with the real tools on this machine (xxd, od, hexdump, tcpdump, tshark, openssl).
# The outputs are committed, so the unit tests need none of these tools at run time.
#   loopback-tls12.pcap   a TLS 1.2 handshake on 127.0.0.1 between openssl s_client and s_server, taken by
#                         tcpdump; openssl-msg.txt is what s_client -msg printed during it. Kept once made:
#                         RECAPTURE=1 takes a new one (the tests' line numbers and labels then need updating).
#   openssl-msg-tls13.txt s_client -msg for a TLS 1.3 handshake (made when missing or with RECAPTURE=1).
#   openssl-debug.txt     s_client -debug (OpenSSL BIO_dump lines) for a TLS 1.2 handshake (the same).
#   tcpdump-*.txt, tshark-x.txt   the capture printed by tcpdump -x/-xx/-X/-XX and tshark -x.
#   pcap-frames.hex, pcap-client-payloads.hex   the expected bytes, read straight from the pcap file.
#   <tool>-<blob>.txt     xxd, od, hexdump -C, xxd -p printing blob-<blob>.hex.
# Traffic stays on 127.0.0.1, on a high port, with timeouts.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
cleanup() {
  [ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null || true
  [ -n "${cap_pid:-}" ] && kill "$cap_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=${PORT:-47443}
recapture=${RECAPTURE:-0}

start_server() {
  openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 -quiet \
    >/dev/null 2>&1 &
  srv_pid=$!
  sleep 1
}
stop_server() { kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; srv_pid=; }
# s_client TRACE_FLAG VERSION_FLAG OUT: one handshake, then quit; certificate-check chatter is left out.
client_trace() {
  printf 'Q\n' | timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername localhost "$2" "$1" \
    -no_ign_eof 2>&1 | grep -v '^depth=\|^verify' > "$3" || true
}

openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=localhost" -days 2 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# 1. The captured TLS 1.2 handshake.
if [ "$recapture" = 1 ] || [ ! -s loopback-tls12.pcap ]; then
  start_server
  tcpdump -i lo -U -s 0 -w "$work/cap.pcap" "tcp port $port" 2>/dev/null &
  cap_pid=$!
  sleep 1
  client_trace -msg -tls1_2 openssl-msg.txt
  sleep 1
  kill "$cap_pid"; wait "$cap_pid" 2>/dev/null || true; cap_pid=
  stop_server
  cp "$work/cap.pcap" loopback-tls12.pcap
fi

# 2. A TLS 1.3 handshake as s_client -msg shows it.
if [ "$recapture" = 1 ] || [ ! -s openssl-msg-tls13.txt ]; then
  start_server
  client_trace -msg -tls1_3 openssl-msg-tls13.txt
  stop_server
fi
if [ "$recapture" = 1 ] || [ ! -s openssl-debug.txt ]; then
  start_server
  client_trace -debug -tls1_2 openssl-debug.txt
  stop_server
fi

# 3. The capture as the packet tools print it.
tcpdump -nn -r loopback-tls12.pcap -x 2>/dev/null > tcpdump-x.txt
tcpdump -nn -r loopback-tls12.pcap -xx 2>/dev/null > tcpdump-xx.txt
tcpdump -nn -r loopback-tls12.pcap -X 2>/dev/null > tcpdump-X.txt
tcpdump -nn -r loopback-tls12.pcap -XX 2>/dev/null > tcpdump-XX.txt
tshark -r loopback-tls12.pcap -x 2>/dev/null > tshark-x.txt

# The expected bytes, read from the pcap file itself: every frame, and the client's TCP payloads.
python3 - loopback-tls12.pcap "$port" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
port = int(sys.argv[2])
magic = struct.unpack('<I', data[:4])[0]
endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
pos, frames = 24, []
while pos + 16 <= len(data):
    _, _, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
    frames.append(data[pos + 16:pos + 16 + incl])
    pos += 16 + incl
payloads = []
for f in frames:
    ip = f[14:]
    ihl = (ip[0] & 0x0f) * 4
    tcp = ip[ihl:]
    dst = struct.unpack('>H', tcp[2:4])[0]
    body = tcp[(tcp[12] >> 4) * 4:]
    if dst == port and body:
        payloads.append(body)
with open('pcap-frames.hex', 'w') as out:
    out.write(''.join(f.hex() + '\n' for f in frames))
with open('pcap-client-payloads.hex', 'w') as out:
    out.write(''.join(p.hex() + '\n' for p in payloads))
with open('blob-clienthello.hex', 'w') as out:
    out.write(payloads[0].hex() + '\n')
PY

# 4. A blob whose text looks like hex and like dump syntax (to catch columns read as bytes),
#    with a run of zeros (so od, hexdump and xxd -a fold lines into '*') and an odd length.
{
  printf 'cafe babe deadbeef ab cd ef 0123 ..5.. |x| *y* 00000000: 41\n'
  head -c 64 /dev/zero
  printf '\026\003\001\000\304\001\000'
} > "$work/tricky.bin"
xxd -p -c 0 "$work/tricky.bin" > blob-tricky.hex
# A blob that starts with zeros, so the '*' comes right after the first line (od must then tell its
# octal offsets from hex ones by the lines after).
{ head -c 48 /dev/zero; printf 'abc'; } > "$work/zeros.bin"
xxd -p -c 0 "$work/zeros.bin" > blob-zeros.hex
xxd -p -r blob-clienthello.hex > "$work/clienthello.bin"

# 5. The file dumpers, on every blob.
for blob in clienthello tricky zeros; do
  in="$work/$blob.bin"
  xxd "$in" > "xxd-$blob.txt"
  xxd -g1 "$in" > "xxd-g1-$blob.txt"
  xxd -a "$in" > "xxd-a-$blob.txt"
  od -A x -t x1z "$in" > "od-x1z-$blob.txt"
  od -t x1 "$in" > "od-x1-$blob.txt"
  hexdump -C "$in" > "hexdump-C-$blob.txt"
  xxd -p "$in" > "plain-$blob.txt"
done
echo "vectors written to $(pwd)"

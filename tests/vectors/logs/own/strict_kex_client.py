# A minimal SSH client that offers strict KEX and then sends SSH_MSG_IGNORE during the initial key exchange,
# which a strict-KEX server must treat as a violation. Usage: python3 strict_kex_client.py PORT
import socket, struct, os, sys
def pkt(payload):
    pad = 8 - ((5 + len(payload)) % 8)
    if pad < 4: pad += 8
    return struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + os.urandom(pad)
def namelist(s): b = s.encode(); return struct.pack(">I", len(b)) + b
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"SSH-2.0-shakedown_strict_kex_test\r\n")
buf = b""
while b"\r\n" not in buf: buf += s.recv(1)
kex = bytes([20]) + os.urandom(16)
for n in ["curve25519-sha256,kex-strict-c-v00@openssh.com", "ssh-ed25519", "aes128-ctr", "aes128-ctr",
          "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""]:
    kex += namelist(n)
kex += b"\x00" + struct.pack(">I", 0)
s.sendall(pkt(kex))
s.sendall(pkt(bytes([2]) + struct.pack(">I", 0)))   # SSH_MSG_IGNORE during the initial key exchange
try:
    while s.recv(4096): pass
except Exception: pass

#!/usr/bin/env python3
"""Writes transport.tsv: SSH transport vectors computed independently of shakedown, with Python's hashlib/hmac and
the `cryptography` package (python3-cryptography, a dependency of the paramiko that scripts/setup.sh installs).
Fixed inputs, so the file is reproducible except the signatures' own randomness (ECDSA); run it again to refresh.
"""
import hashlib, hmac, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.poly1305 import Poly1305
from cryptography.hazmat.primitives.asymmetric import ed25519, ec, x25519
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

rows = []
def put(vector, field, value):
    rows.append((vector, field, value.hex() if isinstance(value, bytes) else str(value)))

def string(b): return struct.pack(">I", len(b)) + b
def mpint(n_bytes):
    b = n_bytes.lstrip(b"\0")
    if b and b[0] & 0x80: b = b"\0" + b
    return struct.pack(">I", len(b)) + b

# --- curve25519 agreement, exchange hash (RFC 8731 / RFC 5656 layout) and key derivation (RFC 4253 7.2)
client = x25519.X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
server = x25519.X25519PrivateKey.from_private_bytes(bytes(range(101, 133)))
q_c = client.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
q_s = server.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
k = client.exchange(server.public_key())
v_c, v_s = b"SSH-2.0-shakedown_0.1", b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"
i_c, i_s = bytes([20]) + bytes(16) + b"client-kexinit", bytes([20]) + bytes(range(16)) + b"server-kexinit"
host = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(50, 82)))
host_pub = host.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
k_s = string(b"ssh-ed25519") + string(host_pub)
h = hashlib.sha256(string(v_c) + string(v_s) + string(i_c) + string(i_s) + string(k_s) + string(q_c) + string(q_s)
                   + mpint(k)).digest()
for f, v in [("client_id", v_c), ("server_id", v_s), ("client_kexinit", i_c), ("server_kexinit", i_s),
             ("host_key", k_s), ("client_value", q_c), ("server_value", q_s), ("shared_secret", k), ("H", h)]:
    put("curve25519", f, v)
session_id = h
def derive(letter, size):
    out = hashlib.sha256(mpint(k) + h + letter + session_id).digest()
    while len(out) < size:
        out += hashlib.sha256(mpint(k) + h + out).digest()
    return out[:size]
for letter in "ABCDEF":
    put("curve25519", "key_" + letter, derive(letter.encode(), 64))
put("curve25519", "client_private", bytes(range(1, 33)))
put("curve25519", "server_private", bytes(range(101, 133)))

# --- host key signatures over H
put("sig-ed25519", "host_key", k_s)
put("sig-ed25519", "signature", string(b"ssh-ed25519") + string(host.sign(h)))
put("sig-ed25519", "H", h)
ec_key = ec.derive_private_key(123456789, ec.SECP256R1())
point = ec_key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
r, s = decode_dss_signature(ec_key.sign(h, ec.ECDSA(hashes.SHA256())))
as_bytes = lambda n: n.to_bytes((n.bit_length() + 7) // 8, "big")
put("sig-ecdsa", "host_key", string(b"ecdsa-sha2-nistp256") + string(b"nistp256") + string(point))
put("sig-ecdsa", "signature", string(b"ecdsa-sha2-nistp256") + string(mpint(as_bytes(r)) + mpint(as_bytes(s))))
put("sig-ecdsa", "H", h)

# --- chacha20-poly1305@openssh.com: one packet, K_2 = key[0:32] (payload, Poly1305 key), K_1 = key[32:64] (length)
key = bytes(range(200, 256)) + bytes(range(8))
seq = 7
payload = bytes([5]) + string(b"ssh-userauth")
padding = bytes(range(1, 1 + (8 - (1 + len(payload)) % 8 + (8 if (8 - (1 + len(payload)) % 8) < 4 else 0))))
plain = struct.pack(">IB", 1 + len(payload) + len(padding), len(padding)) + payload + padding
def chacha(k32, counter, data):
    nonce = struct.pack("<Q", counter) + struct.pack(">Q", seq)
    return Cipher(algorithms.ChaCha20(k32, nonce), mode=None).encryptor().update(data)
enc = chacha(key[32:], 0, plain[:4]) + chacha(key[:32], 1, plain[4:])
tag = Poly1305.generate_tag(chacha(key[:32], 0, bytes(32)), enc)
for f, v in [("key", key), ("sequence", seq), ("payload", payload), ("sealed", enc + tag)]:
    put("chacha20-poly1305", f, v)

# --- aes128-ctr + hmac-sha2-256 (encrypt-and-MAC over the sequence number and the clear packet), two packets
key, iv, mac_key = bytes(range(16)), bytes(range(16, 32)), bytes(range(32, 64))
enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
sealed = b""
for seq, payload in [(3, bytes([2]) + string(b"x")), (4, bytes([5]) + string(b"ssh-userauth"))]:
    pad = 16 - (5 + len(payload)) % 16
    if pad < 4: pad += 16
    plain = struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + bytes(pad)
    sealed += enc.update(plain) + hmac.new(mac_key, struct.pack(">I", seq) + plain, hashlib.sha256).digest()
    put("aes128-ctr", "payload_%d" % seq, payload)
for f, v in [("key", key), ("iv", iv), ("mac_key", mac_key), ("first_sequence", 3), ("sealed", sealed)]:
    put("aes128-ctr", f, v)

with open(__file__.replace("make_vectors.py", "transport.tsv"), "w") as out:
    out.write("# Made by make_vectors.py with hashlib, hmac and python3-cryptography; not by shakedown.\n")
    out.write("vector\tfield\tvalue\n")
    for row in rows:
        out.write("\t".join(row) + "\n")

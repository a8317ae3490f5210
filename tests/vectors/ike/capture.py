#!/usr/bin/env python3
"""Regenerates the IKE vectors in this folder from real strongSwan charon instances on loopback.

Two private charons run (see charon-lab.sh): I initiates connections whose remote port is a UDP socket of this
script; R is a responder with one narrow proposal and vendor IDs on. Each request I sends is saved, relayed to R,
and R's answer is saved. A third charon, C, asks for cookies once one IKE SA is half open: its COOKIE answer is
relayed back to I, whose retry (with the cookie echoed) is saved too. Run as root (charon needs a mount namespace for its fixed pid file):
    python3 tests/vectors/ike/capture.py
"""
import os, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "charon-lab.sh")
I_PORT, R_PORT, LISTEN, C_PORT = 15710, 15720, 15730, 15740

INITIATOR = """connections {
%s}
secrets { ike-1 { id-1 = init.example
                  id-2 = resp.example
                  secret = vector-secret } }
"""
CONN = """  %(name)s {
    version = %(version)s
    local_addrs = 127.0.0.1
    remote_addrs = 127.0.0.1
    remote_port = %(port)d
    proposals = %(proposals)s
    keyingtries = 1
    local { auth = psk
            id = init.example }
    remote { auth = psk
             id = resp.example }
    children { c { esp_proposals = aes256-sha256 } }
  }
"""
RESPONDER = """connections {
  resp {
    version = 2
    local_addrs = 127.0.0.1
    remote_addrs = 127.0.0.1
    proposals = aes256-sha256-modp2048
    local { auth = psk
            id = resp.example }
    remote { auth = psk
             id = init.example }
    children { c { esp_proposals = aes256-sha256 } }
  }
}
secrets { ike-1 { id-1 = init.example
                  id-2 = resp.example
                  secret = vector-secret } }
"""
CASES = [
    # name, IKE version, initiator proposals, what the responder answers
    ("sa-init-ok", 2, "aes256-sha256-modp2048,aes128gcm16-prfsha256-ecp256-x25519", "SA KE Nr and notifies"),
    ("sa-init-no-proposal", 2, "aes128-sha1-modp1536", "NO_PROPOSAL_CHOSEN"),
    ("sa-init-wrong-ke", 2, "aes256-sha256-modp3072-modp2048", "INVALID_KE_PAYLOAD asking for MODP_2048"),
    ("ikev1-main-mode", 1, "aes256-sha256-modp2048", "an IKEv1 informational: the responder has no IKEv1 connection"),
]
COOKIE_CONN = ("sa-init-cookie", 2, "aes256-sha256-modp2048")


def write_hex(name, data, comment):
    with open(os.path.join(HERE, name + ".hex"), "w") as f:
        f.write("# " + comment + "\n")
        f.write(data.hex() + "\n")


def drain(sock):
    sock.settimeout(0.2)
    try:
        while True:
            sock.recvfrom(65535)
    except socket.timeout:
        pass
    sock.settimeout(5)


def capture_cookie(sock, idir, version):
    """C answers a first request normally (one SA half open), then asks I's next request for a cookie."""
    with open(os.path.join(HERE, "sa-init-ok-request.hex")) as f:
        first = bytes.fromhex([l for l in f if not l.startswith("#")][0].strip())
    sock.sendto(first, ("127.0.0.1", C_PORT))
    sock.recvfrom(65535)
    uri = "unix://" + os.path.join(idir, "charon.vici")
    init = subprocess.Popen(["swanctl", "--initiate", "--uri", uri, "--ike", COOKIE_CONN[0], "--timeout", "3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    request, initiator = sock.recvfrom(65535)
    sock.sendto(request, ("127.0.0.1", C_PORT))
    cookie, _ = sock.recvfrom(65535)
    write_hex("sa-init-cookie-response", cookie,
              "COOKIE challenge from charon (%s) with cookie_threshold = 1 and one IKE SA half open" % version)
    sock.sendto(cookie, initiator)
    while True:
        retry, _ = sock.recvfrom(65535)
        if retry != request:  # skip retransmissions of the first request
            break
    write_hex("sa-init-cookie-retry-request", retry,
              "IKE_SA_INIT request from charon (%s) repeated with the COOKIE it was given" % version)
    init.wait()
    drain(sock)


def der_children(data):
    """The (start, end) spans of the DER elements laid end to end in data."""
    spans, i = [], 0
    while i < len(data):
        length, head = data[i + 1], 2
        if length & 0x80:
            n = length & 0x7f
            length, head = int.from_bytes(data[i + 2:i + 2 + n], "big"), 2 + n
        spans.append((i, i + head + length, head))
        i += head + length
    return spans


def capture_dn(work):
    """An ID_DER_ASN1_DN value: the subject of a self-signed certificate made by strongSwan's pki."""
    dn = "C=CH, O=strongSwan Test, OU=IKE, CN=moon.strongswan.org"
    key = subprocess.run(["pki", "--gen", "--type", "ecdsa", "--size", "256", "--outform", "der"],
                         capture_output=True, check=True).stdout
    open(os.path.join(work, "key.der"), "wb").write(key)
    cert = subprocess.run(["pki", "--self", "--in", os.path.join(work, "key.der"), "--type", "ecdsa",
                           "--dn", dn, "--outform", "der"], capture_output=True, check=True).stdout
    start, end, head = der_children(cert)[0]
    tbs = cert[start + head:end]
    s, e, h = der_children(tbs)[0]
    tbs_body = tbs[s + h:e]
    issuer = der_children(tbs_body)[3]  # version, serial, signature, issuer
    write_hex("id-der-asn1-dn", tbs_body[issuer[0]:issuer[1]],
              "subject DER of a certificate made by strongSwan pki --self --dn \"%s\"" % dn)


def main():
    work = tempfile.mkdtemp(prefix="ike-vectors-")
    idir, rdir = os.path.join(work, "i"), os.path.join(work, "r")
    os.makedirs(idir)
    os.makedirs(rdir)
    cdir = os.path.join(work, "c")
    os.makedirs(cdir)
    open(os.path.join(cdir, "swanctl.conf"), "w").write(RESPONDER)
    conns = "".join(CONN % dict(name=n, version=v, port=LISTEN, proposals=p)
                    for n, v, p in [case[:3] for case in CASES] + [COOKIE_CONN])
    open(os.path.join(idir, "swanctl.conf"), "w").write(INITIATOR % conns)
    open(os.path.join(rdir, "swanctl.conf"), "w").write(RESPONDER)
    subprocess.run([LAB, "start", idir, str(I_PORT)], check=True)
    subprocess.run([LAB, "start", rdir, str(R_PORT), "yes"], check=True)
    subprocess.run([LAB, "start", cdir, str(C_PORT), "no", "1"], check=True)
    version = subprocess.run(["/usr/lib/ipsec/charon", "--version"], capture_output=True, text=True).stdout.strip()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", LISTEN))
    sock.settimeout(5)
    try:
        for name, ver, proposals, answer in CASES:
            uri = "unix://" + os.path.join(idir, "charon.vici")
            init = subprocess.Popen(["swanctl", "--initiate", "--uri", uri, "--ike", name, "--timeout", "2"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            request, _ = sock.recvfrom(65535)
            write_hex(name + "-request", request,
                      "%s IKE%s request from charon (%s), proposals %s" % (name, "v%d" % ver, version, proposals))
            sock.sendto(request, ("127.0.0.1", R_PORT))
            try:
                response, _ = sock.recvfrom(65535)
                write_hex(name + "-response", response,
                          "%s response from charon (%s) offering only aes256-sha256-modp2048: %s" %
                          (name, version, answer))
            except socket.timeout:
                print("%s: no response (%s)" % (name, answer))
            init.wait()
            drain(sock)
        capture_cookie(sock, idir, version)
    finally:
        subprocess.run([LAB, "stop", idir])
        subprocess.run([LAB, "stop", rdir])
        subprocess.run([LAB, "stop", cdir])
    capture_dn(work)
    print("vectors written to", HERE, "; charon logs in", work)


if __name__ == "__main__":
    sys.exit(main())

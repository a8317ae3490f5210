#!/usr/bin/env python3
"""Regenerates the IKE vectors in this folder from real strongSwan charon instances on loopback.

Two private charons run (see charon-lab.sh): I initiates connections whose remote port is a UDP socket of this
script; R is a responder with one narrow proposal and vendor IDs on. Each request I sends is saved, relayed to R,
and R's answer is saved. Run as root (charon needs a mount namespace for its fixed pid file):
    python3 tests/vectors/ike/capture.py
"""
import os, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "charon-lab.sh")
I_PORT, R_PORT, LISTEN = 15710, 15720, 15730

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


def write_hex(name, data, comment):
    with open(os.path.join(HERE, name + ".hex"), "w") as f:
        f.write("# " + comment + "\n")
        f.write(data.hex() + "\n")


def main():
    work = tempfile.mkdtemp(prefix="ike-vectors-")
    idir, rdir = os.path.join(work, "i"), os.path.join(work, "r")
    os.makedirs(idir)
    os.makedirs(rdir)
    conns = "".join(CONN % dict(name=n, version=v, port=LISTEN, proposals=p) for n, v, p, _ in CASES)
    open(os.path.join(idir, "swanctl.conf"), "w").write(INITIATOR % conns)
    open(os.path.join(rdir, "swanctl.conf"), "w").write(RESPONDER)
    subprocess.run([LAB, "start", idir, str(I_PORT)], check=True)
    subprocess.run([LAB, "start", rdir, str(R_PORT), "yes"], check=True)
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
            sock.settimeout(0.2)
            try:
                while True:
                    sock.recvfrom(65535)  # retransmissions
            except socket.timeout:
                pass
            sock.settimeout(5)
    finally:
        subprocess.run([LAB, "stop", idir])
        subprocess.run([LAB, "stop", rdir])
    print("vectors written to", HERE, "; charon logs in", work)


if __name__ == "__main__":
    sys.exit(main())

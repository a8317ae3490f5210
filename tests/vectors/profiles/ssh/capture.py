#!/usr/bin/python3
"""Captures what the real clients on this machine send, for the SSH client profiles (data/profiles/ssh).

  openssh-<version>-client.hex   the ssh client's identification line + KEXINIT packet, as it sent them to a
                                 listening socket on 127.0.0.1 (raw bytes, hex, 32 bytes a line)
  openssh-<version>-G.txt        'ssh -G -F /dev/null example.invalid' (the client's effective defaults)
  openssh-<version>-Q.txt        'ssh -Q kex|key|cipher|mac' (every name this build knows)

Run: python3 tests/vectors/profiles/ssh/capture.py   (no root needed; loopback only, timeouts on every read)
"""
import os
import re
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 10.0


def client_kexinit():
    """Listens on 127.0.0.1, runs ssh against it, returns its identification line + first binary packet."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(TIMEOUT)
    port = server.getsockname()[1]
    ssh = subprocess.Popen(["ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                            "-o", "UserKnownHostsFile=/dev/null", "-p", str(port), "nobody@127.0.0.1", "true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn, _ = server.accept()
        conn.settimeout(TIMEOUT)
        conn.sendall(b"SSH-2.0-capture\r\n")
        data = b""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            lf = data.find(b"\n")
            if lf >= 0 and len(data) >= lf + 5:
                length = int.from_bytes(data[lf + 1:lf + 5], "big")
                if len(data) >= lf + 5 + length:
                    conn.close()
                    return data[:lf + 5 + length]
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        raise RuntimeError("no identification + KEXINIT from ssh within the timeout")
    finally:
        ssh.kill()
        ssh.wait(timeout=TIMEOUT)
        server.close()


def write(name, text):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(text)


def main():
    version_line = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    version = re.match(r"OpenSSH_([0-9.]+)", version_line).group(1)
    raw = client_kexinit()
    lines = [raw[i:i + 32].hex() for i in range(0, len(raw), 32)]
    write("openssh-%s-client.hex" % version,
          "# ssh client of %s (ssh -F /dev/null, empty known_hosts): identification + KEXINIT\n" % version_line
          + "\n".join(lines) + "\n")
    g = subprocess.run(["ssh", "-G", "-F", "/dev/null", "example.invalid"], capture_output=True, text=True).stdout
    wanted = ("kexalgorithms ", "hostkeyalgorithms ", "ciphers ", "macs ", "compression ")
    write("openssh-%s-G.txt" % version, "".join(l + "\n" for l in g.splitlines() if l.startswith(wanted)))
    q = ""
    for kind in ("kex", "key", "cipher", "mac"):
        names = subprocess.run(["ssh", "-Q", kind], capture_output=True, text=True).stdout.split()
        q += "%s\t%s\n" % (kind, ",".join(names))
    write("openssh-%s-Q.txt" % version, q)
    print("captured %d bytes from %s" % (len(raw), version_line))


if __name__ == "__main__":
    main()

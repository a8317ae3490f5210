#!/usr/bin/python3
"""Regenerates the SSH vectors in this folder from the real peers on this machine.

  sshd-kexinit.hex   what OpenSSH sshd sends a new client: identification line + KEXINIT packet (raw bytes)
  ssh-kexinit.hex    what the OpenSSH ssh client sends a server: identification line + KEXINIT packet
  messages.tsv       message payloads exchanged by Paramiko (client) and OpenSSH sshd (server), taken from
                     Paramiko's packetizer after decryption, one row per message

Run as root (sshd needs /run/sshd): python3 tests/vectors/ssh/capture.py
Everything talks only to 127.0.0.1 on high ports, with timeouts on every read.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SSHD = "/usr/sbin/sshd"
TIMEOUT = 10.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_until_kexinit(sock):
    """Reads the identification line and the first binary packet (the KEXINIT)."""
    sock.settimeout(TIMEOUT)
    data = b""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        line_end = data.find(b"SSH-")
        if line_end >= 0:
            lf = data.find(b"\n", line_end)
            if lf >= 0 and len(data) >= lf + 5:
                length = int.from_bytes(data[lf + 1:lf + 5], "big")
                if len(data) >= lf + 5 + length:
                    return data[:lf + 5 + length]
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    raise RuntimeError("no identification + KEXINIT within the timeout")


def write_hex(name, source, data):
    with open(os.path.join(HERE, name), "w") as f:
        f.write("# " + source + "\n")
        for i in range(0, len(data), 32):
            f.write(data[i:i + 32].hex() + "\n")


def make_sshd(tmp):
    keys = []
    for kind, bits in (("ed25519", None), ("ecdsa", "256"), ("rsa", "3072")):
        path = os.path.join(tmp, "host_" + kind)
        cmd = ["ssh-keygen", "-q", "-N", "", "-t", kind, "-f", path]
        if bits:
            cmd += ["-b", bits]
        subprocess.run(cmd, check=True)
        keys.append(path)
    user_key = os.path.join(tmp, "user_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", user_key], check=True)
    with open(os.path.join(tmp, "authorized_keys"), "w") as f:
        f.write(open(user_key + ".pub").read())
    with open(os.path.join(tmp, "banner"), "w") as f:
        f.write("shakedown capture banner\n")
    conf = os.path.join(tmp, "sshd_config")
    with open(conf, "w") as f:
        for k in keys:
            f.write("HostKey %s\n" % k)
        f.write("ListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nPermitRootLogin yes\nStrictModes no\n")
        f.write("AuthorizedKeysFile %s\n" % os.path.join(tmp, "authorized_keys"))
        f.write("Banner %s\nMaxAuthTries 3\nPasswordAuthentication yes\nLogLevel ERROR\n" % os.path.join(tmp, "banner"))
    return conf, keys, user_key


def start_sshd(conf):
    os.makedirs("/run/sshd", exist_ok=True)
    port = free_port()
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", conf, "-p", str(port)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("sshd did not start")


def capture_sshd_kexinit(port):
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(b"SSH-2.0-shakedown_capture\r\n")
        return read_until_kexinit(s)


def capture_ssh_kexinit():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(TIMEOUT)
    port = srv.getsockname()[1]
    client = subprocess.Popen(
        ["ssh", "-o", "BatchMode=yes", "-F", "/dev/null", "-o", "ConnectTimeout=5", "-o",
         "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-p", str(port), "127.0.0.1", "true"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn, _ = srv.accept()
        with conn:
            conn.sendall(b"SSH-2.0-shakedown_capture\r\n")
            return read_until_kexinit(conn)
    finally:
        srv.close()
        client.wait(timeout=TIMEOUT)


class Recorder:
    """Hooks Paramiko's packetizer so every payload sent and received is kept, in order."""

    def __init__(self, paramiko):
        self.rows = []
        self.label = ""
        packet = paramiko.packet.Packetizer
        original_send, original_read = packet.send_message, packet.read_message
        recorder = self

        def send_message(pkt, data):
            recorder.rows.append((recorder.label, "client", bytes(paramiko.common.asbytes(data))))
            return original_send(pkt, data)

        def read_message(pkt):
            cmd, msg = original_read(pkt)
            recorder.rows.append((recorder.label, "server", bytes([cmd]) + msg.asbytes()))
            return cmd, msg

        packet.send_message, packet.read_message = send_message, read_message


def session(paramiko, port, kex, work):
    t = paramiko.Transport(("127.0.0.1", port))
    t.banner_timeout = t.auth_timeout = TIMEOUT
    t.get_security_options().kex = [kex]
    t.start_client(timeout=TIMEOUT)
    try:
        work(t)
    finally:
        t.close()


def channel_traffic(paramiko, t):
    """A session channel running a command, an unknown channel request, and an unknown channel type."""
    chan = t.open_session(timeout=TIMEOUT)
    chan.exec_command("echo shakedown; echo oops >&2")
    chan.makefile().read()
    chan.makefile_stderr().read()
    chan.recv_exit_status()
    chan.close()
    probe = t.open_session(timeout=TIMEOUT)
    request = paramiko.Message()
    request.add_byte(bytes([98]))
    request.add_int(probe.remote_chanid)
    request.add_string("shakedown-probe@example.com")
    request.add_boolean(True)
    t._send_user_message(request)
    time.sleep(0.3)
    probe.close()
    try:
        t.open_channel("shakedown-unknown@example.com", timeout=TIMEOUT)
    except paramiko.ChannelException:
        pass


def full_session(paramiko, user_key):
    def work(t):
        try:
            t.auth_none("root")
        except paramiko.BadAuthenticationType:
            pass
        try:
            t.auth_password("root", "not-the-password")
        except paramiko.AuthenticationException:
            pass
        t.auth_publickey("root", paramiko.Ed25519Key.from_private_key_file(user_key))
        t.send_ignore(16)
        debug = paramiko.Message()
        debug.add_byte(bytes([4]))
        debug.add_boolean(False)
        debug.add_string("shakedown capture debug message")
        debug.add_string("")
        t._send_user_message(debug)
        t.global_request("keepalive@openssh.com", wait=True)
        t.request_port_forward("127.0.0.1", 0)
        channel_traffic(paramiko, t)
        unassigned = paramiko.Message()
        unassigned.add_byte(bytes([150]))
        unassigned.add_string("unassigned number probe")
        t._send_user_message(unassigned)
        time.sleep(0.3)
        vendor = paramiko.Message()
        vendor.add_byte(bytes([199]))
        vendor.add_string("local extension probe")
        t._send_user_message(vendor)
        time.sleep(0.5)
    return work


def vendor_before_auth(paramiko):
    def work(t):
        vendor = paramiko.Message()
        vendor.add_byte(bytes([199]))
        vendor.add_string("local extension probe before authentication")
        t._send_user_message(vendor)
        try:
            t.auth_none("root")
        except (paramiko.AuthenticationException, paramiko.SSHException, EOFError):
            pass
    return work


def refused_session(paramiko):
    def work(t):
        for _ in range(4):
            try:
                t.auth_password("root", "still-not-the-password")
            except (paramiko.AuthenticationException, paramiko.SSHException, EOFError):
                if not t.is_active():
                    break
    return work


def capture_messages(port, user_key):
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    import paramiko
    rec = Recorder(paramiko)
    plans = (("curve25519-sha256@libssh.org", full_session(paramiko, user_key)),
             ("ecdh-sha2-nistp256", lambda t: None),
             ("diffie-hellman-group14-sha256", lambda t: None),
             ("diffie-hellman-group-exchange-sha256", lambda t: None),
             ("curve25519-sha256@libssh.org", vendor_before_auth(paramiko)),
             ("curve25519-sha256@libssh.org", refused_session(paramiko)))
    for kex, work in plans:
        rec.label = kex
        session(paramiko, port, kex, work)
    return rec.rows, paramiko.__version__


def main():
    version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    with tempfile.TemporaryDirectory() as tmp:
        conf, keys, user_key = make_sshd(tmp)
        proc, port = start_sshd(conf)
        try:
            write_hex("sshd-kexinit.hex", "sshd of " + version + ", host keys ed25519, ecdsa-256, rsa-3072",
                      capture_sshd_kexinit(port))
            write_hex("ssh-kexinit.hex", "ssh client of " + version + " (ssh -F /dev/null)", capture_ssh_kexinit())
            rows, pversion = capture_messages(port, user_key)
        finally:
            proc.terminate()
            proc.wait(timeout=TIMEOUT)
    with open(os.path.join(HERE, "messages.tsv"), "w") as f:
        f.write("# Payloads exchanged by Paramiko %s (client) and sshd of %s (server), captured by capture.py.\n"
                % (pversion, version))
        f.write("session\tkex\tdirection\tnumber\thex\n")
        session_no = 0
        last = None
        for label, direction, payload in rows:
            if payload[0] == 20 and direction == "client":
                session_no += 1
            f.write("%d\t%s\t%s\t%d\t%s\n" % (session_no, label, direction, payload[0], payload.hex()))
    print("captured %d messages" % len(rows))


if __name__ == "__main__":
    main()

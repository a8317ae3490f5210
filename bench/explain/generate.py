#!/usr/bin/env python3
"""Writes a synthetic syslog of about SIZE_MB megabytes: a realistic mix of daemon lines, with rare failure lines
that the knowledge base recognises. Usage: generate.py SIZE_MB OUT. Deterministic (fixed seed)."""
import random
import sys

COMMON = [
    "{h} systemd[1]: Started Session {n} of User admin.",
    "{h} systemd-logind[512]: New session {n} of user admin.",
    "{h} sshd[{p}]: Accepted publickey for admin from 192.0.2.{o} port {n} ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4",
    "{h} sshd[{p}]: pam_unix(sshd:session): session opened for user admin(uid=1000) by (uid=0)",
    "{h} sshd[{p}]: Received disconnect from 192.0.2.{o} port {n}:11: disconnected by user",
    "{h} CRON[{p}]: (root) CMD (   test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily ))",
    "{h} kernel: [{n}.{o}] IPv4: martian source 10.0.0.{o} from 10.0.1.{o}, on dev eth0",
    "{h} charon[{p}]: 09[IKE] sending keep alive to 198.51.100.{o}[4500]",
    "{h} charon[{p}]: 12[NET] received packet: from 198.51.100.{o}[4500] to 203.0.113.5[4500] (80 bytes)",
    "{h} vsftpd[{p}]: [ftp] OK DOWNLOAD: Client \"192.0.2.{o}\", \"/pub/file{n}.bin\", 104857 bytes, 2048.00Kbyte/sec",
    "{h} postfix/smtpd[{p}]: connect from unknown[192.0.2.{o}]",
    "{h} dhclient[{p}]: DHCPACK of 10.0.0.{o} from 10.0.0.1",
]
RARE = [
    "{h} sshd[{p}]: Unable to negotiate with 192.0.2.{o} port {n}: no matching key exchange method found. "
    "Their offer: diffie-hellman-group1-sha1 [preauth]",
    "{h} charon[{p}]: 07[IKE] received NO_PROPOSAL_CHOSEN notify error",
    "{h} vsftpd[{p}]: [ftp] FTP response: Client \"192.0.2.{o}\", \"522 SSL connection failed: session reuse required\"",
]


def render(rnd, template):
    return "Nov 22 01:%02d:%02d " % (rnd.randrange(60), rnd.randrange(60)) + template.format(
        h="host%d" % rnd.randrange(8), p=rnd.randrange(1000, 99999), n=rnd.randrange(100000),
        o=rnd.randrange(1, 255)) + "\n"


def main():
    size = int(sys.argv[1]) * 1024 * 1024
    rnd = random.Random(42)
    # A pool of rendered lines sampled in bulk keeps generation fast; rare lines are mixed in one per ~10 000.
    pool = [render(rnd, rnd.choice(COMMON)) for _ in range(50000)]
    written = 0
    with open(sys.argv[2], "w") as out:
        while written < size:
            batch = rnd.choices(pool, k=100000)
            batch[rnd.randrange(len(batch))] = render(rnd, rnd.choice(RARE))
            text = "".join(batch)
            out.write(text)
            written += len(text)


if __name__ == "__main__":
    main()

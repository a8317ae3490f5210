#!/usr/bin/python3
"""Regenerates what OpenSSH itself says about sshd_config / ssh_config files, from the real programs.

  src/audit/openssh/keywords.tsv   every keyword each program and version accepts: status (known, deprecated,
                                   unsupported), whether sshd allows it inside Match, the kind of value it takes
                                   (enum with its words, or the message a bad value gets) - found by running
                                   sshd -t / ssh -G on probe files, never typed
  src/audit/openssh/messages.tsv   the messages for an unknown keyword, a deprecated or unsupported one, a keyword
                                   not allowed in Match, a missing argument, and the closing "terminating" line
  sshd/*.conf, ssh/*.conf          test files (good and broken); beside each, NAME.VERSION.out holds the exit code
                                   and the stderr of sshd -t -f (ssh -G -F) with the file named as FILE

Candidate keywords: the .It Cm entries of the shipped man page plus every lowercase string (and suffix of one)
in the binaries; each is classified by the message the program prints for it. Runs as any user; only temp files.
  python3 tests/vectors/ssh/config-validate/capture.py
"""
import gzip
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
OUT = os.path.join(ROOT, "src/audit/openssh")
O10 = "/opt/shakedown-peers/openssh10"
PROGRAMS = {
    ("9.2", "sshd"): dict(bin=["/usr/sbin/sshd"], man="/usr/share/man/man5/sshd_config.5.gz",
                          src="sshd -t of OpenSSH 9.2p1 (Debian 12 package 1:9.2p1-2+deb12u10)"),
    ("10.0", "sshd"): dict(bin=[O10 + "/usr/sbin/sshd", O10 + "/usr/lib/openssh/sshd-session"],
                           man=O10 + "/usr/share/man/man5/sshd_config.5.gz",
                           src="sshd -t of OpenSSH 10.0p1 (Debian bookworm-backports package)"),
    ("9.2", "ssh"): dict(bin=["/usr/bin/ssh"], man="/usr/share/man/man5/ssh_config.5.gz",
                         src="ssh -G of OpenSSH 9.2p1 (Debian 12 package 1:9.2p1-2+deb12u10)"),
    ("10.0", "ssh"): dict(bin=[O10 + "/usr/bin/ssh"], man=O10 + "/usr/share/man/man5/ssh_config.5.gz",
                          src="ssh -G of OpenSSH 10.0p1 (Debian bookworm-backports package)"),
}
BOGUS = "sdbogus"
BLOCK_WORDS = {"match", "host", "include"}  # change the block or read files: known by definition, probed apart
ALGO_KEYWORDS = {"ciphers": "Ciphers", "macs": "MACs", "kexalgorithms": "KexAlgorithms",
                 "hostkeyalgorithms": "HostKeyAlgorithms", "pubkeyacceptedalgorithms": "HostKeyAlgorithms",
                 "pubkeyacceptedkeytypes": "HostKeyAlgorithms", "hostbasedacceptedalgorithms": "HostKeyAlgorithms",
                 "hostbasedacceptedkeytypes": "HostKeyAlgorithms", "casignaturealgorithms": "HostKeyAlgorithms",
                 "hostbasedkeytypes": "HostKeyAlgorithms"}


class Runner:
    def __init__(self, tmp, version, program):
        self.tmp, self.version, self.program = tmp, version, program
        self.exe = PROGRAMS[(version, program)]["bin"][0]
        self.key = os.path.join(tmp, "hostkey")
        if not os.path.exists(self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.key], check=True)

    def run(self, text, name="probe"):
        """(exit code, stderr lines) of the program reading text as its config file."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        if self.program == "sshd":
            cmd = [self.exe, "-t", "-f", path, "-h", self.key]
        else:
            cmd = [self.exe, "-G", "-F", path, "shakedown.invalid"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
                           env={"PATH": "/usr/bin:/bin", "HOME": self.tmp})
        lines = [l.replace(path, "@FILE@") for l in r.stderr.splitlines() if "Pseudo-terminal" not in l]
        return r.returncode, lines


def line_messages(lines):
    """line number -> messages naming it."""
    out = {}
    for l in lines:
        m = re.search(r"@FILE@:? line (\d+):? ", l)
        if m:
            out.setdefault(int(m.group(1)), []).append(l)
    return out


def man_keywords(path):
    """lowercase -> canonical name, and lowercase -> the .Cm words of its paragraph."""
    names, words, current = {}, {}, None
    with gzip.open(path, "rt") as f:
        for raw in f:
            m = re.match(r"\.It Cm (\S+)", raw)
            if m:
                current = m.group(1).lower()
                names[current] = m.group(1)
                words[current] = set()
                continue
            if current:
                for w in re.findall(r"(?:^\.|\s)Cm ([A-Za-z0-9@._-]+)", raw):
                    words[current].add(w.lower())
    return names, words


def binary_candidates(paths):
    out = set()
    for p in paths:
        text = subprocess.run(["strings", "-n", "4", p], capture_output=True, text=True).stdout
        for s in set(text.split("\n")):
            if re.fullmatch(r"[a-z][a-z0-9]{3,40}", s):
                out.update(s[i:] for i in range(len(s) - 3))
    return out


def written(keyword):
    """The keyword as the probe files write it: its case swapped, to see whether messages echo it as written."""
    return keyword.swapcase()


def template(line, keyword=None, value=None):
    t = re.sub(r"line \d+", "line {line}", line.replace("@FILE@", "{file}"))
    if keyword:
        t = t.replace(written(keyword), "{keyword}").replace(keyword.lower(), "{keyword_lower}")
    if value:
        t = t.replace(value, "{value}")
    return t


def classify(run, candidates):
    """lowercase keyword -> status (known, deprecated, unsupported, unknown), one run per fatal error."""
    status, todo = {}, sorted(candidates - BLOCK_WORDS)
    while todo:
        _, lines = run.run("".join(written(k) + " " + BOGUS + "\n" for k in todo))
        msgs = line_messages(lines)
        last = max(msgs) if msgs else len(todo)
        for n in range(1, last + 1):
            k, said = todo[n - 1], " ".join(msgs.get(n, []))
            if "Bad configuration option" in said:
                status[k] = "unknown"
            elif "Deprecated option" in said:
                status[k] = "deprecated"
            elif "Unsupported option" in said:
                status[k] = "unsupported"
            else:
                status[k] = "known"
        todo = todo[last:]
    for k in BLOCK_WORDS:
        if run.program == "sshd" and k == "host":
            continue
        status[k] = "known"
    return status


def value_kind(run, keyword, man_words):
    """(kind, enum words, template of the bad-value message, whether it stops the program at once)."""
    code, lines = run.run(written(keyword) + " " + BOGUS + "\n")
    said = [l for l in lines if "line 1" in l]
    if not said:
        return "text", "", "", ""
    counted = "yes" if any("terminating" in l for l in lines) else "no"
    msg = template(said[0], keyword, BOGUS)
    if keyword in ALGO_KEYWORDS:
        return "algos:" + ALGO_KEYWORDS[keyword], "", msg, counted
    if 'unsupported option "' + BOGUS in said[0]:
        words = sorted(w for w in man_words | {"yes", "no", "true", "false", "on", "off"}
                       if not run.run(written(keyword) + " " + w + "\n")[1])
        return "enum", ",".join(words), msg, counted
    if "integer value invalid" in said[0]:
        return "int", "", msg, counted
    if "invalid time value" in said[0]:
        return "time", "", msg, counted
    if keyword == "port":
        return "port", "", msg, counted
    return "other", "", msg, counted


def match_allowed(run, keyword):
    _, lines = run.run("Match User nobody\n" + written(keyword) + " " + BOGUS + "\n")
    return "no" if any("not allowed within a Match block" in l for l in lines) else "yes"


def messages(run, status):
    """kind -> (template, counted) for the keyword-level messages, taken from probe files."""
    out = {}
    def first(text, kw=None):
        code, lines = run.run(text)
        said = [l for l in lines if "line " in l]
        counted = "yes" if any("terminating" in l for l in lines) else ("warning" if code == 0 else "no")
        return (template(said[0], kw) if said else ""), counted, lines
    out["unknown"] = first(written("ShakedownNoSuchKeyword") + " 1\n", "ShakedownNoSuchKeyword")[:2]
    for kind in ("deprecated", "unsupported"):
        sample = sorted(k for k, s in status.items() if s == kind)
        if sample:
            out[kind] = first(written(sample[0]) + " 1\n", sample[0])[:2]
    missing = "X11Forwarding" if run.program == "sshd" else "ForwardX11"
    out["missing-argument"] = first(written(missing) + "\n", missing)[:2]
    _, _, lines = first(written("ShakedownNoSuchKeyword") + " 1\n")
    out["terminating"] = ([re.sub(r"\b1 bad", "{count} bad", l.replace("@FILE@", "{file}"))
                           for l in lines if "terminating" in l] or [""])[0], "no"
    if run.program == "sshd":
        out["not-in-match"] = first("Match User nobody\n" + written("Port") + " 22\n", "Port")[:2]
    return out


def capture_tables(tmp):
    krows, mrows = [], []
    for (version, program), p in PROGRAMS.items():
        run = Runner(tmp, version, program)
        names, words = man_keywords(p["man"])
        status = classify(run, set(names) | binary_candidates(p["bin"]))
        for k in sorted(k for k, s in status.items() if s != "unknown"):
            kind, enum, msg, counted = ("block", "", "", "") if k in BLOCK_WORDS else \
                value_kind(run, k, words.get(k, set()))
            match = match_allowed(run, k) if program == "sshd" and k not in BLOCK_WORDS else "-"
            krows.append([version, program, names.get(k, k), status[k], match, kind, enum, msg, counted, p["src"]])
        for kind, (msg, counted) in messages(run, status).items():
            mrows.append([version, program, kind, msg, counted, p["src"]])
        print(version, program, sum(1 for s in status.values() if s != "unknown"), "keywords", file=sys.stderr)
    write_tsv(os.path.join(OUT, "keywords.tsv"), ["version", "program", "keyword", "status", "match", "value",
                                                  "values", "bad_value_message", "bad_value_counted", "source"], krows)
    write_tsv(os.path.join(OUT, "messages.tsv"), ["version", "program", "kind", "message", "counted", "source"],
              mrows)


def write_tsv(path, header, rows):
    with open(path, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(c.replace("\t", " ") for c in r) + "\n")


def capture_vectors(tmp):
    for program in ("sshd", "ssh"):
        folder = os.path.join(HERE, program)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".conf"):
                continue
            with open(os.path.join(folder, name)) as f:
                text = f.read()
            for version in ("9.2", "10.0"):
                code, lines = Runner(tmp, version, program).run(text, "FILE")
                lines = [l.replace("@FILE@", "FILE") for l in lines]
                with open(os.path.join(folder, name[:-5] + "." + version + ".out"), "w") as f:
                    f.write("exit %d\n" % code)
                    f.write("".join(l + "\n" for l in lines))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        if "--vectors-only" not in sys.argv:
            capture_tables(tmp)
        capture_vectors(tmp)


if __name__ == "__main__":
    main()

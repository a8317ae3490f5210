#!/usr/bin/env python3
"""What one SSH tool learned, from its saved output, as one word for bench/ssh/run.sh.

Usage: learned.py shakedown|ssh-audit|nmap OUTPUT_FILE. Prints algorithms=N,host_keys=N,predictions=…: the algorithms
listed (key exchange + host key + cipher + MAC, one direction, the lists all three tools show), the distinct host keys
fingerprinted, and the client outcomes predicted (how many connect).
"""
import json
import re
import sys

SHAKEDOWN_LISTS = ("kex_algorithms", "server_host_key_algorithms", "encryption_algorithms_server_to_client",
                   "mac_algorithms_server_to_client")
NMAP_LISTS = "kex_algorithms|server_host_key_algorithms|encryption_algorithms|mac_algorithms"


def shakedown(text):
    doc = json.loads(text)
    algos, prints, preds, connects = 0, set(), 0, 0
    for section in doc.get("sections", []):
        for field in section.get("fields", []):
            kids = {c["name"]: c for c in field.get("children", [])}
            if field["name"] == "message" and field.get("value") == "KEXINIT" and not algos:
                algos = sum(len(kids[k].get("children", [])) for k in SHAKEDOWN_LISTS if k in kids)
            elif field["name"] == "host_key" and "fingerprint" in kids:
                prints.add(kids["fingerprint"].get("value"))
            elif field["name"] == "client" and "prediction" in kids:
                preds += 1
                connects += kids["prediction"].get("value") == "connects"
    return algos, len(prints), f"{preds}({connects}_connect)"


def ssh_audit(text):
    doc = json.loads(text)
    algos = sum(len(doc.get(k, [])) for k in ("kex", "key", "enc", "mac"))
    prints = {f["hash"] for f in doc.get("fingerprints", []) if f.get("hash_alg") == "SHA256"}
    return algos, len(prints), "none"


def nmap(text):
    algos = sum(int(n) for n in re.findall(r"^\|\s+(?:%s): \((\d+)\)" % NMAP_LISTS, text, re.M))
    prints = set(re.findall(r"^\|_?\s+\d+ ([0-9a-f:]{32,47}) \(", text, re.M))
    return algos, len(prints), "none"


def main():
    reader = {"shakedown": shakedown, "ssh-audit": ssh_audit, "nmap": nmap}[sys.argv[1]]
    try:
        algos, keys, preds = reader(open(sys.argv[2]).read())
    except ValueError:
        print("no-report")
        return
    print(f"algorithms={algos},host_keys={keys},predictions={preds}")


if __name__ == "__main__":
    main()

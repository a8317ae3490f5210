#!/usr/bin/env python3
"""Writes the KB's line patterns for the grep comparison: literal signals (grep -F -f) and every pattern as an
extended regex (grep -E -f). Usage: patterns.py KB_DIR LITERALS_OUT REGEX_OUT."""
import pathlib
import re
import sys

import yaml


def main():
    literals, regexes = [], []
    for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
        rule = yaml.safe_load(path.read_text())
        for signal in rule.get("signals", []):
            if "literal" in signal:
                literals.append(str(signal["literal"]))
                regexes.append(re.escape(str(signal["literal"])))
            elif "regex" in signal:
                # \s is not POSIX ERE; everything else the KB uses is.
                regexes.append(str(signal["regex"]).replace("\\s", "[[:space:]]"))
    pathlib.Path(sys.argv[2]).write_text("\n".join(literals) + "\n")
    pathlib.Path(sys.argv[3]).write_text("\n".join(regexes) + "\n")


if __name__ == "__main__":
    main()

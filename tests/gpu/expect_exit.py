#!/usr/bin/env python3
"""Runs a probe and checks its exit code and its whole stderr, word for word.

usage: expect_exit.py CODE EXPECTED_STDERR PROGRAM [ARGS...]
"""
import subprocess
import sys


def main() -> int:
    code, expected, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    errors = []
    if run.returncode != code:
        errors.append(f"exit code {run.returncode}, expected {code}")
    if run.stderr.rstrip("\n") != expected:
        errors.append(f"stderr:\n  {run.stderr.rstrip()!r}\nexpected:\n  {expected!r}")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

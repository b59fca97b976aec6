#!/usr/bin/env python3
"""Checks that every `$ dlscale ...` example in README.md is the real output of the current
build. A block ending in a line `  ...` shows only the start of the output."""
import re
import subprocess
import sys

readme, dlscale = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
blocks = re.findall(r"```\n\$ (dlscale [^\n]+)\n(.*?)```", text, re.S)
failed = 0
for command, shown in blocks:
    run = subprocess.run([dlscale] + command.split()[1:], capture_output=True, text=True,
                         timeout=60)
    real = run.stdout
    if ".onnx" in command and "ONNX support is not built" in run.stderr:
        print("skipped " + command + " (this build has no ONNX import: -Donnx)")
        continue
    partial = shown.endswith("  ...\n")
    ok = real.startswith(shown[: -len("  ...\n")]) if partial else real == shown
    print(("ok      " if ok else "DIFFERS ") + command)
    failed += not ok
if not blocks:
    print("no examples found in", readme)
    failed = 1
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""In a build without ONNX (-Donnx=disabled, or libonnx-dev missing), a .onnx path is exit 2
with the way to enable it."""
import subprocess
import sys

dlscale = sys.argv[1]
for args in (["networks", "model.onnx"], ["networks", "import", "model.onnx"],
             ["sweep", "--network", "model.onnx"]):
    r = subprocess.run([dlscale] + args, capture_output=True, text=True, timeout=60)
    expected = ("dlscale: model.onnx: ONNX support is not built into this dlscale; install it "
                "(apt-get install libonnx-dev libprotobuf-dev) and reconfigure: meson setup "
                "--reconfigure build -Donnx=enabled\n")
    if r.returncode != 2 or r.stderr != expected:
        print(f"{args}: exit {r.returncode}, stderr {r.stderr!r}; expected exit 2, {expected!r}")
        sys.exit(1)
print("ok")

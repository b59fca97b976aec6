#!/usr/bin/env python3
"""Exports the test models afresh with python3-torch, with their weights inline (--full) and
stripped, and checks that dlscale counts exactly torch's sum(p.numel()) for each, and the
same as for the committed copies. Exit 77 (skipped) where torch is not installed."""
import json
import os
import subprocess
import sys
import tempfile

dlscale, export = sys.argv[1], sys.argv[2]
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
committed = os.path.join(os.path.dirname(os.path.abspath(export)), "models")


def counts(folder):
    with open(os.path.join(folder, "torch_params.txt")) as f:
        return {w[0]: int(w[1]) for w in (l.split() for l in f if l.strip() and not l.startswith("#"))}


def imported(path):
    r = subprocess.run([dlscale, "networks", path, "--json"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit(f"{path}: dlscale exit {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)["networks"][0]


failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for variant in ("stripped", "full"):
        out = os.path.join(tmp, variant)
        r = subprocess.run([python, export, out] + (["--full"] if variant == "full" else []),
                           capture_output=True, text=True, timeout=240)
        if r.returncode == 77:
            print(r.stderr.strip())
            sys.exit(77)
        if r.returncode != 0:
            raise SystemExit(f"export_models.py exit {r.returncode}: {r.stderr[-2000:]}")
        for name, torch_count in counts(out).items():
            net = imported(os.path.join(out, name + ".onnx"))
            ref = imported(os.path.join(committed, name + ".onnx"))
            ok = net["parameters"] == torch_count and ref["parameters"] == torch_count \
                and net["forward_macs"] == ref["forward_macs"]
            print(f"{'ok     ' if ok else 'DIFFERS'} {variant:8} {name:12} torch {torch_count} "
                  f"dlscale {net['parameters']} (committed {ref['parameters']}), "
                  f"MACs {net['forward_macs']} (committed {ref['forward_macs']})")
            failed += not ok
sys.exit(1 if failed else 0)

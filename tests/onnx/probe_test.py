#!/usr/bin/env python3
"""The CPU gradient probe on imported models: a model whose layers all have native .net
statements runs (real forward and backward passes); one with written-out counts is exit 2
naming the layer, before anything is allocated.

usage: probe_test.py DLSCALE_GRAD_PROBE MODELS_DIR
"""
import os
import subprocess
import sys

probe, models = sys.argv[1], sys.argv[2]
failed = 0

mlp = os.path.join(models, "mlp_mnist.onnx")
r = subprocess.run([probe, mlp, "--quick", "--batch", "8", "--threads", "1"],
                   capture_output=True, text=True, timeout=120)
if r.returncode != 0 or "fc" not in r.stdout:
    print(f"FAIL {mlp}: exit {r.returncode}, stderr {r.stderr!r}")
    failed += 1
else:
    print(f"ok      {mlp} runs")

tx = os.path.join(models, "transformer.onnx")
r = subprocess.run([probe, tx, "--quick", "--batch", "2"], capture_output=True, text=True, timeout=120)
want = (f"dlscale-grad-probe: {tx}: layer 'embed/Gather' (flatten) has its counts written out (out=), "
        "not a geometry the probe can run; estimate this network from a profile's [rates] instead\n")
if r.returncode != 2 or r.stderr != want or r.stdout != "":
    print(f"FAIL {tx}: exit {r.returncode}, stderr {r.stderr!r}, expected {want!r}")
    failed += 1
else:
    print(f"ok      {tx} refused")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""Benchmark: dlscale-grad-probe against PyTorch on the same network, batch and threads.

For each case and thread count, the probe and PyTorch (torch_grad.py, built from the probe's
own layer list, parameter counts checked) run in turn, probe then PyTorch, PAIRS times; each
run reports its median t_grad over its timed passes, each pair gives probe / PyTorch, and the
median of those ratios is printed with their range. A median above --target fails (exit 1):
the performance target lives here, not in the unit tests. Without PyTorch: exit 77 (skip).

usage: bench_vs_torch.py PROBE [--pairs 5] [--threads 1,2] [--target 1.1]
                              [--cases MNIST-MLP:64,CIFAR10-CNN:32,SqueezeNet:8,ResNet34:8]
                              [--backend auto]
PyTorch's interpreter: $DLSCALE_TORCH_PYTHON, else this one, else /usr/bin/python3 (where
Debian's python3-torch installs), whichever imports torch.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# Warm-up and timed passes per run: enough passes for a stable median, a few seconds a run.
PASSES = {"MNIST-MLP": (20, 200), "CIFAR10-CNN": (5, 30), "SqueezeNet": (2, 5), "ResNet34": (2, 5)}


def torch_python():
    for py in (os.environ.get("DLSCALE_TORCH_PYTHON"), sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import torch"], capture_output=True).returncode == 0:
            return py
    return None


def run(cmd, pattern, what):
    r = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(pattern, r.stdout)
    if r.returncode != 0 or not m:
        sys.exit(f"bench_vs_torch.py: {what} failed (exit {r.returncode}): {' '.join(cmd)}\n"
                 f"{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return float(m.group(1)), r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("probe")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--target", type=float, default=1.1)
    ap.add_argument("--cases", default="MNIST-MLP:64,CIFAR10-CNN:32,SqueezeNet:8,ResNet34:8")
    ap.add_argument("--backend", default="auto")
    a = ap.parse_args()
    py = torch_python()
    if py is None:
        print("bench_vs_torch.py: PyTorch not found (apt-get install python3-torch); skipped")
        return 77
    missed = []
    print(f"load average at start: {os.getloadavg()}")
    print(f"{'network':<12} {'batch':>5} {'thr':>3} {'probe_ms':>10} {'torch_ms':>10} "
          f"{'ratio_med':>9} {'min':>6} {'max':>6}  backend")
    with tempfile.TemporaryDirectory() as tmp:
        for case in a.cases.split(","):
            net, batch = case.split(":")
            warmup, repeat = PASSES.get(net, (2, 5))
            layers = os.path.join(tmp, f"{net}.json")
            with open(layers, "w") as f:
                f.write(subprocess.run([a.probe, net, "--layers-json"], capture_output=True,
                                       text=True, check=True).stdout)
            for threads in a.threads.split(","):
                probe_cmd = [a.probe, net, "--batch", batch, "--threads", threads, "--backend",
                             a.backend, "--warmup", str(warmup), "--repeat", str(repeat)]
                torch_cmd = [py, os.path.join(HERE, "torch_grad.py"), layers, "--batch", batch,
                             "--threads", threads, "--warmup", str(warmup), "--repeat", str(repeat)]
                probe_s, torch_s, backend = [], [], "?"
                for _ in range(a.pairs):
                    ms, out = run(probe_cmd, r"t_grad median ([0-9.]+) ms", "the probe")
                    probe_s.append(ms / 1e3)
                    backend = re.search(r"backend (.*)", out).group(1)
                    torch_s.append(run(torch_cmd, r"t_grad_median_s ([0-9.e-]+)", "PyTorch")[0])
                ratios = [p / t for p, t in zip(probe_s, torch_s)]
                med = statistics.median(ratios)
                print(f"{net:<12} {batch:>5} {threads:>3} {1e3 * statistics.median(probe_s):>10.3f} "
                      f"{1e3 * statistics.median(torch_s):>10.3f} {med:>9.3f} {min(ratios):>6.3f} "
                      f"{max(ratios):>6.3f}  {backend}", flush=True)
                if med > a.target:
                    missed.append(f"{net} b{batch} t{threads}: {med:.3f}")
    print(f"load average at end: {os.getloadavg()}")
    if missed:
        print(f"target probe / PyTorch <= {a.target} missed: {'; '.join(missed)}")
        return 1
    print(f"target probe / PyTorch <= {a.target} met everywhere")
    return 0


if __name__ == "__main__":
    sys.exit(main())

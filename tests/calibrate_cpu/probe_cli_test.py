#!/usr/bin/env python3
"""dlscale-grad-probe's bad input: exit 2, nothing on stdout, and exactly this on stderr.

usage: probe_cli_test.py DLSCALE_GRAD_PROBE
"""
import subprocess
import sys

probe = sys.argv[1]
known = ("AlexNet, CIFAR10-CNN, GoogLeNet, GoogLeNet-aux, Inception-v3, Inception-v3-aux, "
         "MNIST-MLP, ResNet152, ResNet34, ResNet50, SqueezeNet, SqueezeNet1.1, VGG16, VGG16E, VGG19")
cases = {
    ("no-such-net",): f"network 'no-such-net': neither a file nor a known network; one of {known}",
    ("MNIST-MLP", "--batch", "0"): "batch size 0 is invalid; 1 or more expected",
    ("MNIST-MLP", "--batch", "x"): "the argument ('x') for option '--batch' is invalid; see --help",
    ("MNIST-MLP", "--batches", "4,0"): "--batches '4,0': comma-separated batch sizes of 1 or more expected",
    ("MNIST-MLP", "--batches", "4,a"): "--batches '4,a': comma-separated batch sizes of 1 or more expected",
    ("MNIST-MLP", "--repeat", "0"): "repeat 0 is invalid; 1 or more expected",
    ("MNIST-MLP", "--warmup", "-1"): "warmup -1 is invalid; 0 or more expected",
    ("MNIST-MLP", "--threads", "-2"): "threads -2 is invalid; 0 (all cores) or more expected",
    (): "a network name or file expected; see --help",
    ("MNIST-MLP", "--bogus"): "unrecognised option '--bogus'; see --help",
}
failures = 0
for args, message in cases.items():
    r = subprocess.run([probe, *args], capture_output=True, text=True, timeout=30)
    want = f"dlscale-grad-probe: {message}\n"
    if r.returncode != 2 or r.stderr != want or r.stdout != "":
        failures += 1
        print(f"FAIL {args}: exit {r.returncode}, stderr {r.stderr!r}, expected {want!r}")
print(f"{len(cases)} cases, {failures} failure(s)")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""dlscale-grad-probe's bad input: exit 2, nothing on stdout, and exactly this on stderr.
Batch sizes too large for the memory are refused with the estimate, at once, before any
allocation; so are shapes whose element counts overflow 64 bits.

usage: probe_cli_test.py DLSCALE_GRAD_PROBE
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

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
    ("MNIST-MLP", "--backend", "cudnn"): "--backend 'cudnn': unknown backend; auto, eigen or onednn expected",
}
failures = 0
for args, message in cases.items():
    r = subprocess.run([probe, *args], capture_output=True, text=True, timeout=30)
    want = f"dlscale-grad-probe: {message}\n"
    if r.returncode != 2 or r.stderr != want or r.stdout != "":
        failures += 1
        print(f"FAIL {args}: exit {r.returncode}, stderr {r.stderr!r}, expected {want!r}")


# Memory: the estimate against MemAvailable (or RLIMIT_AS), in a fraction of a second. Under
# `ulimit -v 4 GB` so that a probe without the check fails by bad_alloc, not by taking the
# machine's memory.
def limited(gb):
    # AddressSanitizer reserves terabytes of shadow address space and cannot start under such
    # a limit: in the sanitize setup (ASAN_OPTIONS set) the probe runs unlimited.
    if "ASAN_OPTIONS" in os.environ:
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (gb << 30, gb << 30))


def mem_available_gib():
    with open("/proc/meminfo") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("MemAvailable:")) / (1 << 20)


MEMORY = (r"dlscale-grad-probe: {opt} {batch}: {net} needs about [0-9.]+ [KMGTPE]iB \((\d+) bytes: "
          r"{what}\) but [0-9.]+ [KMGTPE]?i?B is available "
          r"\((MemAvailable in /proc/meminfo|what RLIMIT_AS \(ulimit -v\) leaves)\); a smaller "
          r"batch expected\n")
EIGEN = "activations, gradients, im2col buffers, weights"
ONEDNN = "activations, gradients, weights, oneDNN workspaces and scratchpad"
memory_cases = [
    (["MNIST-MLP", "--batch", "2147483647", "--backend", "eigen"], "--batch", 2147483647, "MNIST-MLP", 4, EIGEN),
    (["MNIST-MLP", "--batch", "8", "--batches", "1,2147483647", "--backend", "eigen"], "--batches",
     2147483647, "MNIST-MLP", 4, EIGEN),
    # 2000 x CIFAR10-CNN: about 3.5 GiB (1.8 MiB a sample, mostly im2col), more than the 2 GiB
    # of address space allowed here and less than most machines' MemAvailable.
    (["CIFAR10-CNN", "--batch", "2000", "--backend", "eigen"], "--batch", 2000, "CIFAR10-CNN", 2, EIGEN),
]
# The oneDNN backend's own estimate, where the build has it.
if subprocess.run([probe, "MNIST-MLP", "--backend", "onednn", "--layers-json"], capture_output=True).returncode == 0:
    memory_cases += [
        (["MNIST-MLP", "--batch", "2147483647", "--backend", "onednn"], "--batch", 2147483647,
         "MNIST-MLP", 4, ONEDNN),
        (["MNIST-MLP", "--batch", "8", "--batches", "1,2147483647", "--backend", "onednn"], "--batches",
         2147483647, "MNIST-MLP", 4, ONEDNN),
        # oneDNN needs no im2col: 5000 x CIFAR10-CNN is about 5.1 GiB (1.1 MiB a sample).
        (["CIFAR10-CNN", "--batch", "5000", "--backend", "onednn"], "--batch", 5000, "CIFAR10-CNN", 2, ONEDNN),
    ]
for args, opt, batch, net, gb, what in memory_cases:
    if limited(gb) is None and gb == 2:  # fits MemAvailable: only the limit makes it refused
        print(f"skip {args}: no address-space limit under AddressSanitizer")
        continue
    t0 = time.monotonic()
    r = subprocess.run([probe, *args], capture_output=True, text=True, timeout=60, preexec_fn=limited(gb))
    seconds = time.monotonic() - t0
    m = re.fullmatch(MEMORY.format(opt=opt, batch=batch, net=net, what=what), r.stderr)
    ok = r.returncode == 2 and m is not None and r.stdout == "" and seconds < 10
    # The estimate holds at least the input activations and their gradient in float.
    ok = ok and int(m.group(1)) >= 2 * 4 * batch
    if ok and gb == 2 and mem_available_gib() > 3:  # then the address space limit is what binds
        ok = m.group(2).startswith("what RLIMIT_AS")
    if not ok:
        failures += 1
        print(f"FAIL {args}: exit {r.returncode} in {seconds:.1f} s, stderr {r.stderr!r}")
    else:
        print(f"ok   {args}: {r.stderr.strip()}")

# A shape of 2^64 elements (c <= 2^24 and h, w <= 2^20 pass the parser): refused, one line.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "ovf5.net")
    with open(path, "w") as f:
        f.write("name Ovf5\ninput data 16777216 1048576 1048576\nrelu r\n")
    r = subprocess.run([probe, path, "--batch", "1", "--repeat", "1", "--warmup", "0", "--threads", "1"],
                       capture_output=True, text=True, timeout=60, preexec_fn=limited(4))
    lines = r.stderr.splitlines()
    if not (r.returncode == 2 and len(lines) == 1 and lines[0].startswith("dlscale-grad-probe: ")
            and "internal error" not in r.stderr and r.stdout == ""):
        failures += 1
        print(f"FAIL ovf5.net: exit {r.returncode}, stderr {r.stderr!r}")
    else:
        print(f"ok   ovf5.net: {r.stderr.strip()}")
print(f"{len(cases) + len(memory_cases) + 1} cases, {failures} failure(s)")
sys.exit(1 if failures else 0)

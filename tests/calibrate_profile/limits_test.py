#!/usr/bin/env python3
"""dlscale-calibrate refuses, before measuring anything, what it cannot do: batch sizes whose
working set exceeds the memory available (with the estimate in the message), and seconds
beyond a day. Each case: exit 2, one line on stderr, nothing written, within seconds.

usage: limits_test.py DLSCALE_CALIBRATE
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

calibrate = sys.argv[1]
failures = []


def check(ok, what):
    print(("ok      " if ok else "FAILED  ") + what)
    if not ok:
        failures.append(what)


def limit_address_space():  # a calibrate without the check fails by bad_alloc, not by swapping
    # AddressSanitizer reserves terabytes of shadow address space and cannot start under a
    # 4 GiB limit; in the sanitize setup the check against MemAvailable is tested unlimited.
    if "ASAN_OPTIONS" not in os.environ:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


MEMORY = (r"dlscale-calibrate: {opt} 2147483647: MNIST-MLP needs about [0-9.]+ [KMGTPE]iB "
          r"\(\d+ bytes: (?:activations, gradients, im2col buffers, weights|activations, gradients, weights, oneDNN workspaces and scratchpad)\) but [0-9.]+ [KMGTPE]?i?B "
          r"is available \((MemAvailable in /proc/meminfo|what RLIMIT_AS \(ulimit -v\) leaves)\); "
          r"a smaller batch expected\n")
cases = [
    (["--batch", "2147483647"], MEMORY.format(opt="--batch")),
    (["--batch", "8", "--batches", "4,2147483647"], MEMORY.format(opt="--batches")),
    (["--tcp-budget", "1e300"],
     re.escape("dlscale-calibrate: --tcp-budget: 1e+300 is not valid; a number of seconds from 0 "
               "to 86400 expected\n")),
    (["--tcp-budget", "86401"],
     re.escape("dlscale-calibrate: --tcp-budget: 86401 is not valid; a number of seconds from 0 "
               "to 86400 expected\n")),
]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "x.profile")
    for args, pattern in cases:
        t0 = time.monotonic()
        r = subprocess.run([calibrate, "--quick", "--device", "cpu", "--tcp", "none", "--networks", "MNIST-MLP",
                            "--threads", "1", *args, "--out", out], capture_output=True, text=True,
                           timeout=60, preexec_fn=limit_address_space)
        seconds = time.monotonic() - t0
        check(r.returncode == 2 and re.fullmatch(pattern, r.stderr) and r.stdout == "" and seconds < 10,
              f"{args}: exit {r.returncode} in {seconds:.1f} s, stderr {r.stderr!r}")
        check(not os.listdir(tmp), f"{args}: nothing written")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

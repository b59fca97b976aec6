#!/usr/bin/env python3
"""dlscale-calibrate --device, --precision, --nccl and --collectives without a GPU: bad input
exits 2 with the exact message; a GPU that is required and missing exits 77 with the exact
message; auto falls back to the CPU and says so. On a machine with a GPU the 77 cases measure
instead, and the test checks that the profile says GPU.

usage: device_test.py DLSCALE_CALIBRATE BUILT(yes|no: the cuDNN probe was compiled in)
"""
import os
import re
import subprocess
import sys
import tempfile

calibrate, built = sys.argv[1], sys.argv[2] == "yes"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args, timeout=120):
    return subprocess.run([calibrate, *args], capture_output=True, text=True, timeout=timeout)


QUICK = ["--quick", "--tcp", "none", "--networks", "MNIST-MLP", "--threads", "1"]
NOT_BUILT = ("GPU support not built; reconfigure with -Dcuda=enabled (the CUDA toolkit and "
             "cuDNN)")
# cudaGetDeviceCount's own error string follows; it depends on the driver, one line of text.
NO_DEVICE = r"no CUDA device \(cudaGetDeviceCount: [^\n]+\)"

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "x.profile")
    bad = {
        ("--precision", "fp8"): "--precision: 'fp8' is not valid; fp32, fp16 or bf16 expected",
        ("--device", "tpu"): "--device: 'tpu' is not valid; cpu, gpu or auto expected",
        ("--nccl", "--collectives", "gossip"):
            "--collectives: unknown collective 'gossip'; all-reduce, reduce-scatter, "
            "all-gather, broadcast or reduce expected",
        ("--nccl", "--collectives", "all_reduce"):
            "--collectives: unknown collective 'all_reduce'; all-reduce, reduce-scatter, "
            "all-gather, broadcast or reduce expected",
        ("--collectives", "all-reduce"): "--collectives: only with --nccl",
        ("--nccl-max-bytes", "4096"): "--nccl-max-bytes: only with --nccl",
        ("--nccl", "--nccl-max-bytes", "512"):
            "--nccl-max-bytes: 512 is not valid; 1024 (the first size) or more expected",
        ("--device", "cpu", "--precision", "bf16"):
            "--precision bf16: the CPU probe runs fp32 only; --device gpu expected",
        ("--device", "cpu", "--nccl"):
            "--nccl: the NCCL collectives run on GPUs; --device gpu or auto expected",
    }
    for args, message in bad.items():
        r = run([*QUICK, *args, "--out", out])
        check(r.returncode == 2 and r.stderr == f"dlscale-calibrate: {message}\n" and r.stdout == "",
              f"{args}: exit {r.returncode}, stderr {r.stderr!r}")
        check(not os.path.exists(out), f"{args}: no profile written")

    # A GPU required: exit 77 and one line, nothing written; with a GPU, a GPU profile.
    for args, option in [(("--device", "gpu"), "--device gpu"),
                         (("--precision", "fp16"), "--precision fp16"),
                         (("--nccl",), "--nccl")]:
        r = run([*QUICK, *args, "--out", out])
        if r.returncode == 0:
            text = open(out).read()
            check(re.search(r"^t_grad_s \S+ batch=32 origin=measured source=\"GPU ", text, re.M),
                  f"{args}: exit 0 with a GPU, but t_grad was not measured on it")
            os.remove(out)
            continue
        reason = re.escape(NOT_BUILT) if not built else NO_DEVICE
        check(r.returncode == 77 and re.fullmatch(f"dlscale-calibrate: {re.escape(option)}: "
                                                  f"{reason}\n", r.stderr) and r.stdout == "",
              f"{args}: exit {r.returncode}, stderr {r.stderr!r}")
        check(not os.path.exists(out), f"{args}: no profile written")

    # auto (the default) without a GPU: the CPU, said in the output.
    r = run([*QUICK, "--out", out])
    check(r.returncode == 0, f"auto: exit {r.returncode} {r.stderr!r}")
    first = r.stdout.splitlines()[0] if r.stdout else ""
    reason = re.escape(NOT_BUILT) if not built else NO_DEVICE
    check(re.fullmatch(f"device: cpu \\(auto: {reason}\\)", first) or first.startswith("device: gpu "),
          f"auto: first line {first!r}")
    # Built with CUDA and cuDNN, [machine] holds the GPU line and the CUDA and cuDNN versions
    # (and NCCL's where it was found, not required here).
    text = open(out).read() if os.path.exists(out) else ""
    if built:
        for key in ("gpu", "cuda", "cudnn"):
            check(re.search(rf"^{key} \S", text, re.M), f"[machine] {key} line")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

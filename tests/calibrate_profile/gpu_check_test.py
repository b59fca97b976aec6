#!/usr/bin/env python3
"""calibrate/gpu-check.sh without a GPU: --help, bad options (exit 2), --dry-run lists every step
in order with the commands it would run (exit 0), and a plain run without a GPU exits 77
without building anything.

usage: gpu_check_test.py SCRIPT
"""
import os
import shutil
import subprocess
import sys
import tempfile

script = sys.argv[1]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run(["bash", script, *args], capture_output=True, text=True, timeout=60)


r = run("--help")
check(r.returncode == 0 and r.stdout.startswith("usage: calibrate/gpu-check.sh"), f"--help: {r.returncode}")
for args, message in [(("--budget", "8m"), "--budget '8m': a whole number of seconds expected"),
                      (("--jobs", "0"), "--jobs '0': an integer >= 1 expected"),
                      (("--bogus",), "unknown option '--bogus'; see --help"),
                      (("--mpi-hosts", "a,b"), "--mpi-hosts 'a,b': HOST:GPUS,HOST:GPUS,... expected"),
                      (("--mpi-hosts", "a:4"), "--mpi-hosts 'a:4': 2 hosts or more expected"),
                      (("--mpi-hosts", "a:4,b:2"),
                       "--mpi-hosts 'a:4,b:2': the same GPUS on every host expected")]:
    r = run(*args)
    check(r.returncode == 2 and r.stderr == f"gpu-check.sh: {message}\n", f"{args}: {r.returncode} {r.stderr!r}")

with tempfile.TemporaryDirectory() as tmp:
    build = os.path.join(tmp, "b")
    r = run("--dry-run", "--build-dir", build, "--jobs", "3")
    steps = [line.split()[0] for line in r.stdout.splitlines()]
    check(r.returncode == 0 and steps == ["configure", "build", "gpu-suite", "calib-fp32", "calib-fp16",
                                          "predict", "calib-nccl", "predict-nccl"], f"--dry-run steps: {steps}")
    check(f"meson setup {build} -Dcuda=enabled -Dnccl=enabled\n" in r.stdout, "configure with CUDA and NCCL")
    check(f"meson compile -C {build} -j 3\n" in r.stdout, "build with --jobs")
    check("--suite gpu --suite calibrate_gpu" in r.stdout, "the gpu suite")
    check("--device gpu --precision fp16 --networks MNIST-MLP,CIFAR10-CNN" in r.stdout, "fp16 calibration")
    check("--device gpu --nccl" in r.stdout, "NCCL calibration")
    check(not os.path.exists(build), "--dry-run created nothing")
    # --mpi-hosts: the inter-node calibration under mpirun and a hierarchical prediction on it.
    r = run("--dry-run", "--build-dir", build, "--mpi-hosts", "n1:4,n2:4")
    steps = [line.split()[0] for line in r.stdout.splitlines()]
    check(r.returncode == 0 and steps[-2:] == ["calib-mpi", "predict-mpi"], f"--mpi-hosts steps: {steps}")
    check("mpirun --host n1:4,n2:4 -np 8 " in r.stdout and "dlscale-calibrate --device gpu --nccl" in r.stdout,
          "mpirun over both hosts, one rank per GPU")
    check("--scheme hierarchical --gpus-per-node 4 --workers 8" in r.stdout, "hierarchical at 2 x 4")
    # No GPU here (nvidia-smi missing or finding none): 77 before anything is built.
    if shutil.which("nvidia-smi") is None:
        r = run("--build-dir", build)
        check(r.returncode == 77 and r.stderr == "gpu-check.sh: no GPU (nvidia-smi finds none); nothing run\n",
              f"no GPU: {r.returncode} {r.stderr!r}")
        check(not os.path.exists(build), "no GPU: nothing built")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

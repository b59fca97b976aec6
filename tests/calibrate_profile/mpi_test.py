#!/usr/bin/env python3
"""dlscale-calibrate under `mpirun -np 2` on this host. With --nccl and MPI in the build: every
rank agrees, and without a GPU the job exits 77 with the plain run's one line, said once (on a
host with 2 GPUs or more it measures instead: intra-node sections at N = G = 2; with 1 GPU it
refuses 2 ranks on it). Without MPI in the build, --nccl under mpirun is exit 2 on every rank.
Without --nccl, 2 ranks are exit 2 on every rank. Nothing is written unless measured.
Exit 77 (skip) without mpirun.

usage: mpi_test.py DLSCALE_CALIBRATE MPI_BUILT(yes|no) GPU_BUILT(yes|no)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

calibrate, mpi_built, gpu_built = sys.argv[1], sys.argv[2] == "yes", sys.argv[3] == "yes"
mpirun = shutil.which("mpirun")
if mpirun is None:
    print("mpirun not found; skipped")
    sys.exit(77)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args):
    # --oversubscribe: 2 ranks whatever the core count; --allow-run-as-root: CI runs as root.
    cmd = [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2", calibrate, *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        check(False, f"{args}: mpirun did not finish within 120 s (a rank left waiting?)")
        return None


def ours(stderr):
    # mpirun adds its own report of a non-zero exit; the program's lines carry its name.
    return [l for l in stderr.splitlines() if l.startswith("dlscale-calibrate:")]


QUICK = ["--quick", "--tcp", "none", "--networks", "MNIST-MLP", "--threads", "1"]
NOT_BUILT = ("GPU support not built; reconfigure with -Dcuda=enabled (the CUDA toolkit and "
             "cuDNN)")
NO_DEVICE = r"no CUDA device \(cudaGetDeviceCount: [^\n]+\)"

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "x.profile")

    r = run([*QUICK, "--nccl", "--out", out])
    if r is not None and not mpi_built:
        expected = ("dlscale-calibrate: --nccl under an MPI launcher: this build has no MPI "
                    "(reconfigure with -Dmpi=enabled); without mpirun, --nccl measures this "
                    "node's GPUs in one process")
        check(r.returncode == 2 and ours(r.stderr) == [expected] * 2,
              f"no MPI: exit {r.returncode}, stderr {r.stderr!r}")
        check(not os.path.exists(out), "no MPI: no profile written")
    elif r is not None and r.returncode == 0:  # a host with 2 GPUs or more
        text = open(out).read()
        check(re.search(r"^\[collective all-reduce\]\nscope intra-node\nworkers 2\ngpus_per_node 2$",
                        text, re.M), "2 GPUs: an intra-node all-reduce at N = G = 2")
        check(len(re.findall(r"^\[collective ", text, re.M)) == 5, "2 GPUs: five collectives")
        check(len(re.findall(r"^device: ", r.stdout, re.M)) == 1, "2 GPUs: rank 0 alone prints")
        os.remove(out)
    elif r is not None and r.returncode == 2:  # one GPU: two ranks on it refused
        check(re.fullmatch(r"dlscale-calibrate: --nccl under MPI: 2 ranks on \S+, which has 1 CUDA "
                           r"device; one rank per GPU expected", "\n".join(ours(r.stderr))),
              f"1 GPU: stderr {r.stderr!r}")
    elif r is not None:
        reason = NO_DEVICE if gpu_built else re.escape(NOT_BUILT)
        lines = ours(r.stderr)
        # Every rank agrees on 77; one rank says why, in the plain run's words.
        check(r.returncode == 77, f"no device: exit {r.returncode}, stderr {r.stderr!r}")
        check(len(lines) == 1 and re.fullmatch(f"dlscale-calibrate: --nccl: {reason}", lines[0]),
              f"no device: our lines {lines!r}")
        check(r.stdout == "", f"no device: stdout {r.stdout!r}")
        check(not os.path.exists(out), "no device: no profile written")

    r = run([*QUICK, "--out", out])
    if r is not None:
        expected = ("dlscale-calibrate: 2 MPI ranks without --nccl: each would calibrate alone and "
                    "write the same profile; only --nccl runs across ranks, the rest runs without "
                    "mpirun")
        check(r.returncode == 2 and ours(r.stderr) == [expected] * 2,
              f"without --nccl: exit {r.returncode}, stderr {r.stderr!r}")
        check(not os.path.exists(out), "without --nccl: no profile written")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

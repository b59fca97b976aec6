#!/usr/bin/env python3
"""Runs dlscale-gpu-probe or dlscale-nccl-probe with CSV output and checks what it measured.

usage: check_probe_output.py {gpu|nccl} PROGRAM [ARGS...]
Exit 77 (skip) when the probe exits 77 with its no-device message; 1 on any failed check; 0 otherwise.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

GPU_HEADER = "network,device,dtype,batch,layer,kind,forward_ms,backward_ms,forward_macs_per_sample"
SWEEP_HEADER = "network,device,dtype,batch,t_grad_median_ms,t_grad_min_ms,t_grad_max_ms"
NCCL_HEADER = "collective,ranks,size_bytes,count,time_us,algbw_GBps,busbw_GBps"
FIT_HEADER = "collective,ranks,alpha_us,beta_GBps,r_squared,max_abs_residual,bad_fit"


def bus_factor(collective: str, n: int) -> float:
    """nccl-tests' factors, written out again so a change in the C++ header is caught."""
    return {"all_reduce": 2 * (n - 1) / n, "all_gather": (n - 1) / n,
            "reduce_scatter": (n - 1) / n}.get(collective, 1.0)


def read(path, header, errors):
    with open(path) as f:
        lines = f.read().splitlines()
    if not lines or lines[0] != header:
        errors.append(f"{path}: header {lines[:1]}, expected {header!r}")
        return []
    return list(csv.DictReader(lines))


def positive(value: str) -> bool:
    v = float(value)
    return math.isfinite(v) and v > 0


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def check_gpu(args, tmp, run, errors):
    rows = read(os.path.join(tmp, "layers.csv"), GPU_HEADER, errors)
    if "t_grad median" not in run.stdout:
        errors.append("no 't_grad median' line")
    if not rows:
        errors.append("no layer rows")
    for r in rows:
        if r["dtype"] != option(args, "--dtype", "fp32"):
            errors.append(f"dtype {r['dtype']}")
        if not (positive(r["forward_ms"]) and positive(r["backward_ms"])):
            errors.append(f"layer {r['layer']}: times {r['forward_ms']}, {r['backward_ms']} not > 0")
    batches = option(args, "--batches")
    if batches:
        sweep = read(os.path.join(tmp, "sweep.csv"), SWEEP_HEADER, errors)
        if [r["batch"] for r in sweep] != batches.split(","):
            errors.append(f"sweep batches {[r['batch'] for r in sweep]}, expected {batches}")
        for r in sweep:
            lo, med, hi = (float(r[k]) for k in ("t_grad_min_ms", "t_grad_median_ms", "t_grad_max_ms"))
            if not 0 < lo <= med <= hi:
                errors.append(f"sweep batch {r['batch']}: min {lo} median {med} max {hi}")


def check_nccl(args, tmp, run, errors):
    rows = read(os.path.join(tmp, "sizes.csv"), NCCL_HEADER, errors)
    fits = read(os.path.join(tmp, "fits.csv"), FIT_HEADER, errors)
    wanted = option(args, "--collectives", "broadcast,reduce,all_reduce,all_gather,reduce_scatter,send_recv")
    if sorted({r["collective"] for r in rows}) != sorted(wanted.split(",")):
        errors.append(f"collectives {sorted({r['collective'] for r in rows})}, expected {wanted}")
    for r in rows:
        n, algbw, busbw = int(r["ranks"]), float(r["algbw_GBps"]), float(r["busbw_GBps"])
        if not (positive(r["time_us"]) and positive(r["algbw_GBps"])):
            errors.append(f"{r['collective']} {r['size_bytes']} B: time or algbw not > 0")
        if abs(busbw - algbw * bus_factor(r["collective"], n)) > 2e-6 + 1e-3 * algbw:
            errors.append(f"{r['collective']} {r['size_bytes']} B: busbw {busbw} != algbw {algbw} x factor")
        if abs(algbw - int(r["size_bytes"]) / float(r["time_us"]) * 1e-3) > 2e-6 + 1e-3 * algbw:
            errors.append(f"{r['collective']} {r['size_bytes']} B: algbw {algbw} != size / time")
    for f in fits:
        if not positive(f["beta_GBps"]):
            errors.append(f"fit {f['collective']}: beta {f['beta_GBps']} not > 0")


def main() -> int:
    kind, cmd = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "gpu":
            extra = ["--csv", os.path.join(tmp, "layers.csv")]
            if "--batches" in cmd:
                extra += ["--sweep-csv", os.path.join(tmp, "sweep.csv")]
        else:
            extra = ["--csv", os.path.join(tmp, "sizes.csv"), "--fit-csv", os.path.join(tmp, "fits.csv")]
        run = subprocess.run(cmd + extra, capture_output=True, text=True, timeout=600)
        print(run.stdout, end="")
        print(run.stderr, end="", file=sys.stderr)
        if run.returncode == 77:
            # the documented skip: exactly this message, then nothing measured
            prefix = f"dlscale-{kind}-probe: no CUDA device (cudaGetDeviceCount: "
            if run.stderr.startswith(prefix) and run.stderr.rstrip().endswith(")"):
                return 77
            print(f"exit 77 without the message {prefix!r}...)")
            return 1
        if run.returncode != 0:
            print(f"exit code {run.returncode}")
            return 1
        errors = []
        (check_gpu if kind == "gpu" else check_nccl)(cmd[1:], tmp, run, errors)
        for e in errors:
            print(e)
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

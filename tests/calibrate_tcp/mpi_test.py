#!/usr/bin/env python3
"""dlscale-tcp-probe under mpirun with 3 ranks on this host: rank 0 serves over loopback, ranks
1 and 2 measure in turn, then both send to rank 0 at once. Exit 77 (skip) without mpirun or
without MPI in the build.

usage: mpi_test.py DLSCALE_TCP_PROBE
"""
import shutil
import subprocess
import sys

probe = sys.argv[1]
mpirun = shutil.which("mpirun")
if mpirun is None:
    print("mpirun not found; skipped")
    sys.exit(77)
if "this build has MPI" not in subprocess.run([probe, "--help"], capture_output=True, text=True).stdout:
    print("dlscale-tcp-probe built without MPI; skipped")
    sys.exit(77)

# --oversubscribe: 3 ranks on a 2-core machine; --allow-run-as-root: CI runs as root.
cmd = [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "3", probe, "--quick",
       "--output", "csv"]
try:
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
except subprocess.TimeoutExpired:
    print("FAIL: mpirun did not finish within 60 s")
    sys.exit(1)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


check(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-2000:]}")
lines = r.stdout.splitlines()
check(lines and lines[0] == "rank,client_host,server_host,measurement,direction,client,bytes,"
      "seconds_median,seconds_min,seconds_max,bandwidth_MBps", "one shared header")
rows = [l.split(",") for l in lines[1:] if not l.startswith("#")]
for rank in ("1", "2"):
    sweep = [int(f[6]) for f in rows if f[0] == rank and f[3] == "sweep"]
    # --quick: 1 KiB doubling to 1 MiB.
    check(sweep == [1024 << k for k in range(11)], f"rank {rank}: sweep sizes {sweep}")
    check(any(l.startswith(f"# rank {rank}: fit ") for l in lines), f"rank {rank}: a fit line")
    check(any(f[0] == rank and f[3] == "duplex" for f in rows), f"rank {rank}: duplex rows")
fan = [f for f in rows if f[3] == "mpi_fan_in"]
check(sorted(f[0] for f in fan) == ["1", "2"] and all(float(f[10]) > 0 for f in fan),
      "a fan-in row per rank with a bandwidth")
check(any(l.startswith("# mpi_fan_in ranks=2 bytes=1048576 jain_index=") for l in lines),
      "the fan-in summary")
check(not any(f[0] == "0" for f in rows), "rank 0 only serves")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""dlscale-calibrate --out: a path that exists and is not a regular file (a symbolic link, a
FIFO, a folder, a character device) is refused with exit 2 and one exact line, before anything
is measured, and is left as it was; a missing folder likewise. Temporary files that a killed
run left next to --out are removed, but only names of exactly our form, and never one that a
live writer holds. Everything happens in a private temporary folder.

usage: out_path_test.py DLSCALE_CALIBRATE paths|device
  paths:  links, FIFOs, folders, missing folders, stale temporary files
  device: a private character device made with mknod (exit 77 where mknod is refused);
          never the system's /dev/null
"""
import fcntl
import os
import stat
import subprocess
import sys
import tempfile
import time

calibrate, mode = os.path.abspath(sys.argv[1]), sys.argv[2]  # the runs use the temporary folder as cwd
failures = []
# The smallest calibration: one small network, no TCP, one thread.
QUICK = ["--quick", "--device", "cpu", "--tcp", "none", "--networks", "MNIST-MLP", "--threads", "1"]
EXPECTED = "a regular file or a new path expected"


def check(ok, what):
    print(("ok      " if ok else "FAILED  ") + what)
    if not ok:
        failures.append(what)


def calibrate_to(out, cwd, timeout=60):
    t0 = time.monotonic()
    r = subprocess.run([calibrate, *QUICK, "--out", out], capture_output=True, text=True,
                       timeout=timeout, cwd=cwd)
    return r, time.monotonic() - t0


def refused(out, cwd, message):
    r, seconds = calibrate_to(out, cwd)
    want = f"dlscale-calibrate: --out {out}: {message}\n"
    # Refused before measuring: no progress line on stderr (the probe logs "... t_grad at
    # batch ..." as it starts), nothing on stdout.
    check(r.returncode == 2 and r.stderr == want and r.stdout == "",
          f"--out {out}: exit {r.returncode}, stderr {r.stderr!r}, expected {want!r} ({seconds:.2f} s)")


def paths(tmp):
    with open(os.path.join(tmp, "real.profile"), "w") as f:
        f.write("old\n")
    os.symlink("real.profile", os.path.join(tmp, "link.profile"))
    refused("link.profile", tmp, f"is a symbolic link; {EXPECTED} (links are not followed: "
            "give the target's path)")
    check(os.path.islink(os.path.join(tmp, "link.profile")), "the link is still a link")
    check(open(os.path.join(tmp, "real.profile")).read() == "old\n", "its target is unchanged")
    os.symlink("nowhere.profile", os.path.join(tmp, "dangling.profile"))
    refused("dangling.profile", tmp, f"is a symbolic link; {EXPECTED} (links are not followed: "
            "give the target's path)")
    check(not os.path.exists(os.path.join(tmp, "nowhere.profile")), "a dangling link's target is not created")

    os.mkfifo(os.path.join(tmp, "fifo.profile"))
    refused("fifo.profile", tmp, f"is a FIFO; {EXPECTED}")
    check(stat.S_ISFIFO(os.lstat(os.path.join(tmp, "fifo.profile")).st_mode), "the FIFO is still a FIFO")
    os.mkdir(os.path.join(tmp, "dir.profile"))
    refused("dir.profile", tmp, f"is a directory; {EXPECTED}")
    refused("no-such-folder/x.profile", tmp,
            "cannot write in folder no-such-folder: No such file or directory")

    # Stale temporaries next to target.profile: ours (dead writer) go, the rest stay.
    stale = [".target.profile.0123abcd.tmp", ".target.profile.ffffffff.tmp"]
    kept = [".target.profile.0123ABCD.tmp",      # upper case: not a name we make
            ".target.profile.0123abc.tmp",       # 7 digits
            ".target.profile.0123abcd.tmp.keep", # a suffix
            ".other.profile.0123abcd.tmp",       # another target
            "target.profile.0123abcd.tmp"]       # not hidden
    for name in stale + kept:
        with open(os.path.join(tmp, name), "w") as f:
            f.write("partial")
    live = ".target.profile.00000000.tmp"       # a live writer's: locked
    held = open(os.path.join(tmp, live), "w")
    fcntl.flock(held, fcntl.LOCK_EX)
    os.mkfifo(os.path.join(tmp, ".target.profile.deadbeef.tmp"))  # not a regular file: kept
    os.symlink("real.profile", os.path.join(tmp, ".target.profile.abcdef01.tmp"))  # a link: kept
    r, _ = calibrate_to("target.profile", tmp)
    check(r.returncode == 0 and os.path.isfile(os.path.join(tmp, "target.profile")),
          f"calibration next to stale files: exit {r.returncode} {r.stderr[-300:]!r}")
    left = set(os.listdir(tmp))
    check(not any(n in left for n in stale), f"stale temporaries removed: {sorted(left)}")
    check(all(n in left for n in kept), "names not of our exact form kept")
    check(live in left, "a temporary locked by a live writer kept")
    check(".target.profile.deadbeef.tmp" in left and ".target.profile.abcdef01.tmp" in left,
          "a FIFO and a link of our form kept")
    check(open(os.path.join(tmp, "real.profile")).read() == "old\n", "the link's target untouched")
    for name in stale:
        check(f"dlscale-calibrate: removed {name}, left by an interrupted run\n" in r.stderr,
              f"the removal of {name} is logged")
    held.close()


def device(tmp):
    path = os.path.join(tmp, "fakenull.profile")
    try:  # /dev/null's numbers on a private node, as the audit did; never the real one
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError as e:
        print(f"mknod refused ({e}); skipped")
        sys.exit(77)
    refused("fakenull.profile", tmp, f"is a character device; {EXPECTED}")
    st = os.lstat(path)
    check(stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3), "the device node is unchanged")


with tempfile.TemporaryDirectory() as tmp:
    {"paths": paths, "device": device}[mode](tmp)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

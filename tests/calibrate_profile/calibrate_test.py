#!/usr/bin/env python3
"""dlscale-calibrate end to end: a --quick calibration writes a profile that `dlscale sweep
--profile` reads; bad input exits 2 with the exact message; Ctrl-C leaves the old profile.

usage: calibrate_test.py DLSCALE_CALIBRATE DLSCALE
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

calibrate, dlscale = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args, timeout=120):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


with tempfile.TemporaryDirectory() as tmp:
    # 1. The CI calibration: both small networks, under a minute (the meson timeout).
    path = os.path.join(tmp, "quick.profile")
    r = run([calibrate, "--quick", "--device", "cpu", "--estimate", "AlexNet", "--out", path])
    check(r.returncode == 0, f"--quick exit {r.returncode}: {r.stderr}")
    text = open(path).read() if os.path.exists(path) else ""
    check("\n[machine]\n" in text and re.search(r"\ncores \d+\n", text), "machine section")
    for net in ("MNIST-MLP", "CIFAR10-CNN"):
        section = text.split(f"[network {net}]")[-1].split("\n[")[0]
        # batch 32 and the default sweep 16, 8, 4; --quick times 3 passes of each.
        check(len(re.findall(r"^t_grad_s \S+ batch=(32|16|8|4) origin=measured", section, re.M)) == 4,
              f"{net}: four t_grad_s lines")
        check(len(re.findall(r"^grad_sample_s ", section, re.M)) == 12, f"{net}: 12 raw passes")
        check(re.search(r"^t_comm_s \S+ origin=measured", section, re.M), f"{net}: measured t_comm")
        # The per-layer medians at the main batch, one line per layer but the input.
        table = run([dlscale, "networks", net]).stdout.split("\nlayer ")[1].split("\n\n")[0]
        layers = sum(1 for row in table.splitlines()[1:] if row.split()[1:2] != ["input"])
        check(len(re.findall(r"^layer_s \S+ forward=\S+ backward=\S+ batch=32$", section, re.M)) == layers,
              f"{net}: {layers} layer_s lines")
    check(re.search(r"\[link tcp\]\nalpha_s \S+ origin=fitted", text), "fitted tcp link")
    check(len(re.findall(r"^transfer_s \S+ bytes=\d+$", text, re.M)) >= 3 * 3, "raw transfers")
    check(r.stdout.endswith(f"wrote {path}\n"), "summary names the file")
    check(r.stdout.startswith("device: cpu\n"), f"the device is said: {r.stdout[:80]!r}")
    # AlexNet is estimated: t_grad from the class rates, t_comm from the fit, both marked.
    check(re.search(r"\[network AlexNet\]\nt_grad_s \S+ batch=32 origin=fitted source=\"estimated "
                    r"from the per-class rates \(CPU (?:oneDNN|Eigen) [^,]*fp32[^,]*, threads \d+, pooled over MNIST-MLP, "
                    r"CIFAR10-CNN\)\"\nt_comm_s \S+ origin=fitted", text),
          "AlexNet estimated and marked fitted")
    check(re.search(r"\n\[rates\]\nbatch_size 32 origin=measured .*\nconv \S+\nfc \S+\n", text),
          "[rates] section with conv and fc")
    # A network the profile never saw: dlscale estimates its t_grad from [rates] and says so.
    e = run([dlscale, "predict", "--profile", path, "--network", "VGG16", "--scheme", "ring",
             "--workers", "4"])
    check(e.returncode == 0 and "note: t_grad " in e.stdout and "estimated from the per-class "
          "rates of profile" in e.stdout, f"predict VGG16 on [rates]: {e.returncode} {e.stderr}")
    # The overlap's readiness comes from those layer times.
    o = run([dlscale, "predict", "--profile", path, "--network", "CIFAR10-CNN", "--scheme", "ring",
             "--workers", "4", "--overlap", "buckets:64KiB"])
    check(o.returncode == 0 and "per-layer times measured by profile" in o.stdout,
          f"overlap from the profile's layer times: {o.returncode} {o.stdout[-400:]} {o.stderr}")
    # --tcp-min-bytes 1 MiB: the fit's sweep is 1 and 2 MiB; MNIST-MLP's 444,584 B are still
    # timed for its t_comm but are not among the fit's raw transfers.
    above = os.path.join(tmp, "above.profile")
    a = run([calibrate, "--quick", "--device", "cpu", "--networks", "MNIST-MLP", "--tcp-min-bytes",
             "1048576", "--out", above])
    atext = open(above).read() if os.path.exists(above) else ""
    sizes = sorted({int(b) for b in re.findall(r"^transfer_s \S+ bytes=(\d+)$", atext, re.M)})
    check(a.returncode == 0 and sizes == [1048576, 2097152], f"--tcp-min-bytes sweep: {sizes} {a.stderr}")
    check(re.search(r"^t_comm_s \S+ origin=measured", atext, re.M), "t_comm below the fit's sizes")
    check("least squares over 2 sizes from 1048576 B" in atext, "the fit says where it starts")
    s = run([dlscale, "sweep", "--profile", path, "--workers", "1:4", "--format", "csv"])
    check(s.returncode == 0, f"sweep --profile exit {s.returncode}: {s.stderr}")
    rows = [l for l in s.stdout.splitlines() if l.startswith(("MNIST-MLP,", "CIFAR10-CNN,"))]
    check(len(rows) > 0 and len(rows) % 4 == 0, f"sweep rows for both networks: {len(rows)}")

    # 2. Bad input: exit 2, the exact message, and no profile written.
    bad = {
        ("--batch", "0"): "--batch: '0' is not valid; an integer >= 1 expected",
        ("--batches", "4,x"): "--batches: 'x' is not valid; an integer >= 1 expected",
        ("--tcp", "nowhere"): "--tcp: 'nowhere' is not valid; local, none or HOST:PORT expected",
        ("--tcp", "h:1"): "--tcp HOST:PORT needs --token T (printed by `dlscale-tcp-probe --serve`)",
        ("--tcp", "h:70000", "--token", "ab"): "--tcp: port 70000 is not valid; 1..65535 expected",
        ("--repeat", "0"): "--repeat: 0 is not valid; 1 or more expected",
        ("--threads", "-1"): "--threads: -1 is not valid; 0 (all cores) or more expected",
        ("--tcp-budget", "-1"): "--tcp-budget: -1 is not valid; a number of seconds from 0 to 86400 expected",
        ("--tcp-repeat", "0"): "--tcp-repeat: 0 is not valid; 1 or more expected",
        ("--tcp-min-bytes", "0"): "--tcp-min-bytes: '0' is not valid; an integer >= 1 expected",
        ("--networks", ","): "--networks: empty; at least one network expected",
        ("--bogus",): "unrecognised option '--bogus'; see --help",
    }
    for args, message in bad.items():
        out = os.path.join(tmp, "bad.profile")
        r = run([calibrate, *args, "--out", out])
        check(r.returncode == 2 and r.stderr == f"dlscale-calibrate: {message}\n" and r.stdout == "",
              f"{args}: exit {r.returncode}, stderr {r.stderr!r}")
        check(not os.path.exists(out), f"{args}: no profile written")
    r = run([calibrate, "--quick", "--estimate", "ResNet34", "--out", os.path.join(tmp, "bad.profile")])
    check(r.returncode == 2 and r.stderr == "dlscale-calibrate: --estimate: ResNet34 has batchnorm "
          "layers (e.g. 'bn1'), which none of the measured networks (MNIST-MLP, CIFAR10-CNN) has; "
          "measure a network with them too\n", f"--estimate ResNet34: {r.returncode} {r.stderr!r}")
    r = run([calibrate, "--networks", "no-such-net", "--out", os.path.join(tmp, "bad.profile")])
    check(r.returncode == 2 and r.stderr.startswith("dlscale-calibrate: network 'no-such-net': "),
          f"unknown network: {r.returncode} {r.stderr!r}")

    # 3. Ctrl-C in the middle of a long run: the previous profile is intact, no temporary file.
    keep = os.path.join(tmp, "keep", "lab.profile")
    os.makedirs(os.path.dirname(keep))
    with open(path) as src, open(keep, "w") as dst:
        dst.write(src.read())
    before = open(keep).read()
    p = subprocess.Popen([calibrate, "--device", "cpu", "--networks", "SqueezeNet", "--batch", "8", "--warmup", "0",
                          "--repeat", "1000", "--tcp", "none", "--out", keep],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    try:
        p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, "Ctrl-C: the calibration did not stop within 30 s")
    check(p.returncode != 0, f"Ctrl-C: exit {p.returncode}")
    check(open(keep).read() == before, "Ctrl-C: the previous profile changed")
    check(os.listdir(os.path.dirname(keep)) == ["lab.profile"], "Ctrl-C: a temporary file was left")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""dlscale-tcp-probe from the outside: bad input exits 2 with the exact message on stderr and
nothing else; --serve and --connect work as two processes; the server survives a wrong token."""
import signal
import subprocess
import sys

probe = sys.argv[1]
failed = 0


def check(ok, what):
    global failed
    print(("ok      " if ok else "FAILED  ") + what)
    failed += not ok


def bad(args, message):
    try:
        r = subprocess.run([probe] + args, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:  # e.g. a --stream of 1e300 s accepted: a hang
        return check(False, f"{args}: still running after 20 s")
    expected = "dlscale-tcp-probe: " + message + "\n"
    check(r.returncode == 2 and r.stderr == expected and r.stdout == "",
          f"{args}: exit {r.returncode}, stderr {r.stderr!r}" + ("" if r.stderr == expected else f", expected {expected!r}"))


TOKEN = "0123456789abcdef0123456789abcdef"
bad(["--reps", "0"], "--reps 0 is invalid; 1 or more expected")
bad(["--reps", "-3"], "--reps -3 is invalid; 1 or more expected")
bad(["--warmup", "x"], "--warmup x is invalid; 0 or more expected")
SECONDS = "a number of seconds > 0 and <= 86400 expected"
bad(["--budget", "-1"], f"--budget -1 is invalid; {SECONDS}")
bad(["--budget", "nan"], f"--budget nan is invalid; {SECONDS}")
bad(["--budget", "inf"], f"--budget inf is invalid; {SECONDS}")
bad(["--idle-timeout", "0"], f"--idle-timeout 0 is invalid; {SECONDS}")
# Beyond a day: 1e12 s overflowed std::chrono (UB), 1e300 made every wait time out at once.
# --quick so that a probe that accepts them finishes quickly (and fails the check).
bad(["--quick", "--fan-in", "0", "--idle-timeout", "1e12"], f"--idle-timeout 1e12 is invalid; {SECONDS}")
bad(["--quick", "--fan-in", "0", "--idle-timeout", "1e300"], f"--idle-timeout 1e300 is invalid; {SECONDS}")
bad(["--quick", "--fan-in", "0", "--idle-timeout", "86400.5"], f"--idle-timeout 86400.5 is invalid; {SECONDS}")
bad(["--quick", "--fan-in", "0", "--budget", "1e300"], f"--budget 1e300 is invalid; {SECONDS}")
bad(["--quick", "--fan-in", "0", "--stream", "1e300"], f"--stream 1e300 is invalid; {SECONDS}")
# A stream frame above the largest message the server takes: refused before the sweep runs.
bad(["--quick", "--fan-in", "0", "--max-bytes", "4096", "--stream", "0.2"],
    "--stream-chunk 1048576 (the default) is above the largest message of 4096 bytes "
    "(--max-bytes); a chunk of 1024 to 4096 bytes or a larger maximum expected")
bad(["--quick", "--fan-in", "0", "--stream", "0.2", "--stream-chunk", "2097152"],
    "--stream-chunk 2097152 is above the largest message of 1048576 bytes (--quick); a chunk of "
    "1024 to 1048576 bytes or a larger maximum expected")
bad(["--fan-in", "65"], "--fan-in 65 is invalid; 0 (skip) to 64 expected")
bad(["--max-bytes", "100"], "--max-bytes 100 is invalid; a number of bytes, 1024 or more expected")
bad(["--fit-from", "-1"], "--fit-from -1 is invalid; a number of bytes expected")
bad(["--socket-buffer", "1e9"], "--socket-buffer 1e9 is invalid; 0 (kernel autotuning) to 1073741824 expected")
bad(["--output", "xml"], "--output 'xml' is invalid; table, csv or json expected")
bad(["--network", "no-such-net"],
    "--network: network 'no-such-net': neither a file nor a known network; one of AlexNet, "
    "CIFAR10-CNN, GoogLeNet, GoogLeNet-aux, Inception-v3, Inception-v3-aux, MNIST-MLP, "
    "ResNet152, ResNet34, ResNet50, SqueezeNet, SqueezeNet1.1, VGG16, VGG16E, VGG19")
bad(["--network", "VGG16", "--max-bytes", "4096"], "--network and --max-bytes both given; one of them expected")
bad(["--connect", "localhost", "--token", TOKEN],
    "--connect 'localhost' is invalid; HOST:PORT with a port from 1 to 65535 expected")
bad(["--connect", "localhost:0", "--token", TOKEN],
    "--connect 'localhost:0' is invalid; HOST:PORT with a port from 1 to 65535 expected")
bad(["--connect", "localhost:99999", "--token", TOKEN],
    "--connect 'localhost:99999' is invalid; HOST:PORT with a port from 1 to 65535 expected")
bad(["--connect", ":80", "--token", TOKEN], "--connect ':80' is invalid; HOST:PORT with a port from 1 to 65535 expected")
bad(["--connect", "localhost:80"], "--connect needs --token (the 'token' line printed by --serve)")
bad(["--connect", "localhost:80", "--token", "abc"],
    "--token 'abc' is invalid; the 32 hex digits printed by --serve expected")
bad(["--serve", "--connect", "localhost:80"], "--serve and --connect both given; one mode expected")
bad(["--bind", "0.0.0.0"], "--bind, --port and --max-message need --serve")
bad(["--serve", "--bind", "example.com"], "--bind 'example.com' is invalid; an IPv4 or IPv6 address expected")
bad(["--serve", "--port", "70000"], "--port 70000 is invalid; 0 to 65535 expected")
bad(["--no-such-option"], "unrecognised option '--no-such-option'; see --help")

# Two processes: a server, a client with a wrong token (exit 1, server survives), a good client.
server = subprocess.Popen([probe, "--serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    port_line, token_line = server.stdout.readline().split(), server.stdout.readline().split()
    check(port_line[0] == "port" and token_line[0] == "token" and len(token_line[1]) == 32,
          f"--serve prints port and token: {port_line} {token_line}")
    target = "127.0.0.1:" + port_line[1]
    wrong = subprocess.run([probe, "--connect", target, "--token", TOKEN, "--quick"],
                           capture_output=True, text=True, timeout=30)
    check(wrong.returncode == 1 and "wrong token?" in wrong.stderr, f"wrong token: exit {wrong.returncode}")
    good = subprocess.run([probe, "--connect", target, "--token", token_line[1], "--quick", "--output", "csv"],
                          capture_output=True, text=True, timeout=30)
    lines = good.stdout.splitlines()
    check(good.returncode == 0 and lines[0] ==
          "measurement,direction,client,bytes,seconds_median,seconds_min,seconds_max,bandwidth_MBps",
          f"--connect --quick --output csv: exit {good.returncode}, header {lines[:1]}, stderr {good.stderr[-300:]!r}")
    sizes = [int(l.split(",")[3]) for l in lines if l.startswith("sweep,")]
    check(sizes == sorted(set(sizes)) and sizes[0] == 1024 and sizes[-1] == 1 << 20, f"sweep sizes {sizes}")
    check(any(l.startswith("# fit from_bytes=0 alpha_s=") for l in lines), "csv has the fit")
finally:
    server.send_signal(signal.SIGTERM)
    _, log = server.communicate(timeout=20)
check(server.returncode == 0, f"server exit {server.returncode} after SIGTERM")
check("1 wrong token" in log, "server counted the wrong token: " + log.strip().splitlines()[-1])
sys.exit(1 if failed else 0)

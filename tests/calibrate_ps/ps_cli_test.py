#!/usr/bin/env python3
"""dlscale-ps from the outside on loopback: bad input exits 2 with the exact message on stderr
and nothing on stdout; central (fair and fifo), sync and async, and sharded runs finish with one
line per timed iteration that `summary` pools; a wrong token, a missing worker and a broken
worker output fail as documented, within their timeouts."""
import os
import subprocess
import sys
import tempfile
import time

ps = sys.argv[1]
TOKEN = "0123456789abcdef0123456789abcdef"
failed = 0


def check(ok, what):
    global failed
    print(("ok      " if ok else "FAILED  ") + what)
    failed += not ok


def bad(args, message):
    r = subprocess.run([ps] + args, capture_output=True, text=True, timeout=20)
    expected = "dlscale-ps: " + message + "\n"
    check(r.returncode == 2 and r.stderr == expected and r.stdout == "",
          f"{args}: exit {r.returncode}, stderr {r.stderr!r}" + ("" if r.stderr == expected else f", expected {expected!r}"))


def start_server(args):
    p = subprocess.Popen([ps, "server", "--bind", "127.0.0.1", "--port", "0", "--token", TOKEN] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    assert line[0] == "listening", line
    return p, int(line[1])


def run(server_args, worker_args, workers, servers=1, what=""):
    """Starts `servers` servers and `workers` workers; returns the workers' outputs."""
    procs = [start_server(server_args + ["--shards", str(servers), "--shard", str(j)] if servers > 1 else server_args)
             for j in range(servers)]
    addr = ",".join(f"127.0.0.1:{port}" for _, port in procs)
    ws = [subprocess.Popen([ps, "worker", "--servers", addr, "--token", TOKEN] + worker_args,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    outs = [w.communicate(timeout=60) for w in ws]
    rcs = [w.returncode for w in ws] + [p.wait(timeout=60) for p, _ in procs]
    check(all(rc == 0 for rc in rcs), f"{what}: every process exits 0 ({rcs}; {[o[1] for o in outs]})")
    return [o[0] for o in outs]


bad([], "role '' is invalid; server, worker or summary expected (dlscale-ps ROLE --help)")
bad(["server", "--port", "0", "--workers", "2", "--bytes", "100", "--token", "nope"],
    "--token 'nope' is invalid; 32 hex digits expected")
bad(["server", "--workers", "2", "--bytes", "100", "--token", TOKEN], "--port expected")
bad(["worker", "--servers", "127.0.0.1:1", "--bytes", "0", "--compute", "0", "--token", TOKEN],
    "--bytes 0 is invalid; a number of bytes, 1 to 2^40 expected")
bad(["worker", "--servers", "127.0.0.1:1", "--bytes", "10", "--compute", "0", "--iterations", "0", "--token", TOKEN],
    "--iterations 0 is invalid; 1 to 1000000 expected")
bad(["worker", "--servers", "127.0.0.1:1", "--network", "no-such-net", "--compute", "0", "--token", TOKEN],
    "--network: network 'no-such-net': neither a file nor a known network; one of AlexNet, "
    "CIFAR10-CNN, GoogLeNet, GoogLeNet-aux, Inception-v3, Inception-v3-aux, MNIST-MLP, "
    "ResNet152, ResNet34, ResNet50, SqueezeNet, SqueezeNet1.1, VGG16, VGG16E, VGG19")
bad(["worker", "--bogus"], "unrecognised option '--bogus'; see dlscale-ps worker --help")
check(subprocess.run([ps, "--help"], capture_output=True).returncode == 0, "--help exits 0")
check(subprocess.run([ps, "worker", "--help"], capture_output=True).returncode == 0, "worker --help exits 0")

common = ["--iterations", "3", "--warmup", "1", "--timeout", "30"]
with tempfile.TemporaryDirectory() as tmp:
    for policy in ["fair", "fifo"]:
        for mode in ["sync-join", "async"]:
            outs = run(["--workers", "3", "--bytes", "1000000", "--policy", policy, "--mode", mode],
                       ["--bytes", "1000000", "--compute", "0.01"] + common, 3,
                       what=f"central {policy} {mode}")
            files = []
            for i, o in enumerate(outs):
                f = os.path.join(tmp, f"{policy}-{mode}-{i}.txt")
                open(f, "w").write(o)
                files.append(f)
                lines = [l for l in o.splitlines() if l and not l.startswith("#")]
                check(lines[0] == "iteration,seconds" and len(lines) == 4,
                      f"central {policy} {mode}: worker {i} prints a header and 3 iterations")
                # Each iteration sleeps 10 ms first: no time can be below it.
                check(all(float(l.split(",")[1]) >= 0.01 for l in lines[1:]),
                      f"central {policy} {mode}: worker {i}'s iterations include the 10 ms sleep")
            r = subprocess.run([ps, "summary"] + files, capture_output=True, text=True)
            p50, p90, n = r.stdout.strip().split(",")
            check(r.returncode == 0 and n == "9" and float(p90) >= float(p50) >= 0.01,
                  f"central {policy} {mode}: summary pools 9 samples ({r.stdout.strip()})")
            r = subprocess.run([ps, "summary", "--slowest"] + files, capture_output=True, text=True)
            check(r.returncode == 0 and r.stdout.strip().split(",")[2] == "3",
                  f"central {policy} {mode}: summary --slowest takes one worker's 3 ({r.stdout.strip()})")
    outs = run(["--workers", "2", "--network", "MNIST-MLP"],
               ["--network", "MNIST-MLP", "--compute", "0.005"] + common, 2, servers=2, what="sharded over 2 servers")
    check(all("bytes per server" in o for o in outs), "sharded: the workers say the shards they push")

    broken = os.path.join(tmp, "broken.txt")
    open(broken, "w").write("iteration,seconds\n1,0.5\n2,x\n")
    bad(["summary", broken], f"{broken}:3: '2,x': 'ITERATION,SECONDS' with iteration 2 and seconds > 0 expected")

# A wrong token: the worker is refused (exit 1), the server fails the run (exit 1).
server, port = start_server(["--workers", "1", "--bytes", "1000", "--timeout", "5"])
w = subprocess.run([ps, "worker", "--servers", f"127.0.0.1:{port}", "--bytes", "1000", "--compute", "0",
                    "--token", "f" * 32], capture_output=True, text=True, timeout=20)
check(w.returncode == 1 and "rejected" in w.stderr, f"wrong token: worker exit {w.returncode}, {w.stderr.strip()!r}")
check(server.wait(timeout=20) == 1, "wrong token: the server fails the run")

# A worker pushing another size than the server holds is dropped; both fail. (Larger than the
# shard, the transport's cap refuses the frame before dlscale-ps looks at it: "oversize".)
server, port = start_server(["--workers", "1", "--bytes", "2000", "--timeout", "10"])
w = subprocess.run([ps, "worker", "--servers", f"127.0.0.1:{port}", "--bytes", "1500", "--compute", "0",
                    "--timeout", "10", "--token", TOKEN], capture_output=True, text=True, timeout=20)
err = server.communicate(timeout=20)[1]
check(w.returncode == 1 and server.returncode == 1 and "push (this server's shard) of 1500 bytes; 2000 expected" in err,
      f"a wrong push size: worker exit {w.returncode}, server exit {server.returncode}, {err.strip()!r}")

# One of two workers never comes: both ends give up at their timeouts, not later.
t0 = time.monotonic()
server, port = start_server(["--workers", "2", "--bytes", "1000", "--timeout", "3"])
w = subprocess.run([ps, "worker", "--servers", f"127.0.0.1:{port}", "--bytes", "1000", "--compute", "0",
                    "--timeout", "2", "--token", TOKEN], capture_output=True, text=True, timeout=20)
rc = server.wait(timeout=20)
check(w.returncode == 1 and rc == 1 and time.monotonic() - t0 < 10,
      f"a missing worker: worker exit {w.returncode}, server exit {rc}, {time.monotonic() - t0:.1f} s")
sys.exit(1 if failed else 0)

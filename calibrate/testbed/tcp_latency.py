#!/usr/bin/env python3
"""One-way latency of a small TCP message between two hosts of the emulated cluster: half the
median round trip of COUNT 64-byte ping-pongs (TCP_NODELAY), as a user would measure alpha.

usage: tcp_latency.py serve PORT            (prints 'ready', answers one client, exits)
       tcp_latency.py ping HOST PORT COUNT  (prints the one-way latency in seconds)
"""
import socket
import statistics
import sys
import time

MESSAGE = 64


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise SystemExit("tcp_latency: peer closed early")
        data += chunk
    return data


def serve(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(30)
    print("ready", flush=True)
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn.settimeout(30)
    while True:
        try:
            data = recv_exact(conn, MESSAGE)
        except SystemExit:
            return
        conn.sendall(data)


def ping(host, port, count):
    sock = socket.create_connection((host, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    payload = b"x" * MESSAGE
    rtts = []
    for _ in range(count):
        t0 = time.perf_counter()
        sock.sendall(payload)
        recv_exact(sock, MESSAGE)
        rtts.append(time.perf_counter() - t0)
    sock.close()
    print(f"{statistics.median(rtts) / 2:.9g}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "ping":
        ping(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)

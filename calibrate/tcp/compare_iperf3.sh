#!/usr/bin/env bash
# Compares dlscale-tcp-probe's steady-state TCP bandwidth (--stream) with iperf3's, on the same
# paths in the same run: loopback, and a veth pair between two network namespaces whose a->b
# direction tc (tbf) shapes to RATE. Both tools stream CHUNK-byte writes through 4 MiB socket
# buffers for SECONDS; the table gives both medians and whether they agree within 10 %.
#
# usage: calibrate/tcp/compare_iperf3.sh [PROBE]   (default build/calibrate/tcp/dlscale-tcp-probe)
# environment: RATE (tc rate, default 200mbit), SECONDS_PER_RUN (default 3), CHUNK (bytes,
#              default 1048576, at most iperf3's 1 MiB), REPEATS (runs of each tool, taking
#              turns; the medians are compared; default 5)
# exit: 0 both paths within 10 %, 1 not, 77 cannot run here (not root, a tool missing)
set -euo pipefail

probe=${1:-build/calibrate/tcp/dlscale-tcp-probe}
rate=${RATE:-200mbit}
secs=${SECONDS_PER_RUN:-3}
chunk=${CHUNK:-1048576}
repeats=${REPEATS:-5}
skip() { echo "compare_iperf3: $*; skipped" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces and tc)"
for tool in ip tc iperf3 python3 timeout awk; do
  command -v "$tool" >/dev/null || skip "$tool not found"
done
[ -x "$probe" ] || skip "$probe is not built"

ns_a=dls-a-$$ ns_b=dls-b-$$ veth_a=dlsa$$ veth_b=dlsb$$
addr_b=10.77.0.2
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns_a" 2>/dev/null || true
  ip netns del "$ns_b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# iperf3's receiver-side rate, MB/s (10^6 bytes).
iperf3_mbps() {  # NETNS_PREFIX... -- SERVER_ADDR
  local port=$((20000 + RANDOM % 20000))
  "${server_ns[@]}" "${pin_server[@]}" timeout $((secs + 30)) iperf3 -s -1 -B "$1" -p "$port" >/dev/null 2>&1 &
  pids+=($!)
  sleep 0.5
  "${client_ns[@]}" "${pin_client[@]}" timeout $((secs + 20)) iperf3 -c "$1" -p "$port" -t "$secs" -l "$chunk" \
      -w 4M -J | python3 -c 'import json, sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 8e6)'
}

# dlscale-tcp-probe --serve on SERVER_ADDR in the server namespace, --connect --stream from the
# client one; the stream row's bandwidth, MB/s.
# Each turn's server writes to files of its own, created empty here before the server starts:
# with one shared file, truncated by the background child's redirection, the wait below could
# read the previous turn's token before the child ran and connect to a server that was gone.
probe_mbps() {  # SERVER_ADDR
  local out err server port token
  out=$(mktemp "$work/serve-XXXXXX.out")
  err=$(mktemp "$work/serve-XXXXXX.err")
  "${server_ns[@]}" "${pin_server[@]}" timeout $((secs + 60)) "$probe" --serve --bind "$1" >"$out" 2>"$err" &
  server=$!
  pids+=("$server")
  for _ in $(seq 50); do grep -q '^token ' "$out" && break; sleep 0.1; done
  port=$(awk '$1 == "port" {print $2}' "$out")
  token=$(awk '$1 == "token" {print $2}' "$out")
  [ -n "$token" ] || { cat "$err" >&2; echo "compare_iperf3: the probe server did not start" >&2; exit 1; }
  "${client_ns[@]}" "${pin_client[@]}" timeout $((secs + 60)) "$probe" --connect "$1:$port" --token "$token" \
      --max-bytes "$chunk" --budget 0.1 --reps 1 --fan-in 0 --stream "$secs" --stream-chunk "$chunk" \
      --output csv 2>/dev/null | awk -F, '$1 == "stream" {print $8}'
  # This runs in a command substitution, whose pids+= the EXIT trap never sees: stop the
  # server here rather than leave it pinned until its timeout.
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The two tools take turns, REPEATS times each, and each keeps its median: a shared machine's
# drift then hits both alike.
# Server and client each on a processor of their own (when there are two), for both tools:
# on loopback the throughput is the processors' copy rate, and whether the two ends share a
# processor changes it by half.
pin_server=() pin_client=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 0) pin_client=(taskset -c 1)
fi

results=()
compare() {  # LABEL SERVER_ADDR
  local i=() d=()
  for _ in $(seq "$repeats"); do
    i+=("$(iperf3_mbps "$2")")
    d+=("$(probe_mbps "$2")")
  done
  echo "compare_iperf3: $1: iperf3 ${i[*]} MB/s; dlscale ${d[*]} MB/s" >&2
  results+=("$1|$(printf '%s\n' "${i[@]}" | median)|$(printf '%s\n' "${d[@]}" | median)")
}

# 1. Loopback.
server_ns=() client_ns=()
compare loopback 127.0.0.1

# 2. Two namespaces joined by a veth pair, a->b shaped to $rate.
ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add "$veth_a" type veth peer name "$veth_b"
ip link set "$veth_a" netns "$ns_a"
ip link set "$veth_b" netns "$ns_b"
ip -n "$ns_a" addr add 10.77.0.1/24 dev "$veth_a"
ip -n "$ns_b" addr add "$addr_b/24" dev "$veth_b"
for ns in "$ns_a" "$ns_b"; do ip -n "$ns" link set lo up; done
ip -n "$ns_a" link set "$veth_a" up
ip -n "$ns_b" link set "$veth_b" up
# A token bucket of 256 KiB: deep enough that TCP sees the rate, not the burst size.
ip netns exec "$ns_a" tc qdisc add dev "$veth_a" root tbf rate "$rate" burst 256kb latency 100ms
server_ns=(ip netns exec "$ns_b") client_ns=(ip netns exec "$ns_a")
compare "veth+tbf $rate" "$addr_b"

status=0
printf '%-22s %14s %14s %8s  %s\n' path "iperf3 MB/s" "dlscale MB/s" ratio "within 10 %"
for row in "${results[@]}"; do
  IFS='|' read -r label i d <<<"$row"
  read -r ratio verdict < <(awk -v i="$i" -v d="$d" 'BEGIN { r = d / i; printf "%.3f %s\n", r, (r >= 0.9 && r <= 1.1) ? "PASS" : "FAIL" }')
  printf '%-22s %14.1f %14.1f %8s  %s\n' "$label" "$i" "$d" "$ratio" "$verdict"
  [ "$verdict" = PASS ] || status=1
done
exit $status

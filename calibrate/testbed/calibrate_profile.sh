#!/usr/bin/env bash
# A profile of the emulated cluster measured as a user would on real hosts: dlscale-tcp-probe
# --serve on host 1, dlscale-calibrate --tcp on host 0 (its link fit: alpha and beta of one-way
# TCP transfers over a size sweep between the two shaped hosts, with the fit's residual; t_grad
# of MNIST-MLP on this CPU, which the testbed's sleeping workers do not use).
#
# usage: calibrate/testbed/calibrate_profile.sh RATE_BPS OUT.profile
# environment: BUILD (build), TCP_BUDGET (5 s for the size sweep)
# exit: 0 written, 1 failed, 77 cannot run here
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rate=${1:?usage: calibrate_profile.sh RATE_BPS OUT.profile}
out=${2:?usage: calibrate_profile.sh RATE_BPS OUT.profile}
build=${BUILD:-build}
probe=$build/calibrate/tcp/dlscale-tcp-probe
calibrate=$build/calibrate/profile/dlscale-calibrate
. "$here/netns.sh"
trap tb_down EXIT
trap 'exit 130' INT TERM
tb_can_run || exit 77
for exe in "$probe" "$calibrate"; do
  [ -x "$exe" ] || { echo "calibrate_profile: $exe is not built; skipped" >&2; exit 77; }
done
tb_cleanup_stale
# The fit starts at the first power of two above four of htb's bursts: the token bucket passes
# a burst unshaped on both shapers (a real NIC serialises every byte), which no
# alpha + bytes / beta describes (measured at 12.5 MB/s: 32 KiB took 0.17 to 5.2 ms).
min_bytes=$(awk -v b="$(tb_burst "$rate")" 'BEGIN { m = 1024; while (m < 4 * b) m *= 2; print m }')
tb_up 2 "$rate" 0
served=$(mktemp)
tb_exec 1 timeout 300 "$probe" --serve --bind "$(tb_addr 1)" >"$served" 2>/dev/null &
server=$!
for _ in $(seq 100); do grep -q '^token ' "$served" && break; sleep 0.1; done
port=$(awk '$1 == "port" {print $2}' "$served")
token=$(awk '$1 == "token" {print $2}' "$served")
rm -f "$served"
[ -n "$token" ] || { echo "calibrate_profile: the probe server did not start" >&2; exit 1; }
tb_exec 0 timeout 300 "$calibrate" --networks MNIST-MLP --threads 1 --repeat 3 \
  --tcp "$(tb_addr 1):$port" --token "$token" --tcp-budget "${TCP_BUDGET:-5}" --tcp-min-bytes "$min_bytes" --tcp-repeat 9 \
  --name "testbed-$rate-Bps" --out "$out" >&2
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
grep -A3 '^\[link tcp\]' "$out" >&2

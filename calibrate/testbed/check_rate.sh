#!/usr/bin/env bash
# Checks that the emulated cluster's shaping gives the rate asked for: two hosts at RATE_BPS
# bytes/s, dlscale-tcp-probe --stream from host 0 to host 1 (steady-state TCP payload rate),
# compared with the rate. TCP payload is at most 1448 of every 1514 bytes on the wire (95.6 %),
# so the check passes when payload / rate lies in [0.85, 1.02].
#
# usage: calibrate/testbed/check_rate.sh [RATE_BPS ...]   (default 12500000 = 100 Mbit/s)
# environment: BUILD (build folder, default build), PROBE (default BUILD/calibrate/tcp/
#   dlscale-tcp-probe), SECONDS_PER_RUN (default 2)
# prints: rate_Bps,payload_Bps,ratio per rate; exit 0 all within, 1 not, 77 cannot run here
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-build}
secs=${SECONDS_PER_RUN:-2}
probe=${PROBE:-$build/calibrate/tcp/dlscale-tcp-probe}
. "$here/netns.sh"
trap tb_down EXIT
trap 'exit 130' INT TERM
tb_can_run || exit 77
[ -x "$probe" ] || { echo "check_rate: $probe is not built; skipped" >&2; exit 77; }
tb_cleanup_stale

# The probe's stream rate from host 0 to host 1, bytes/s.
stream_rate() {
  local out port token server rate
  out=$(mktemp)
  tb_exec 1 timeout $((secs + 60)) "$probe" --serve --bind "$(tb_addr 1)" >"$out" 2>/dev/null &
  server=$!
  for _ in $(seq 100); do grep -q '^token ' "$out" && break; sleep 0.1; done
  port=$(awk '$1 == "port" {print $2}' "$out")
  token=$(awk '$1 == "token" {print $2}' "$out")
  rm -f "$out"
  [ -n "$token" ] || { echo "check_rate: the probe server did not start" >&2; return 1; }
  rate=$(tb_exec 0 timeout $((secs + 60)) "$probe" --connect "$(tb_addr 1):$port" --token "$token" \
      --max-bytes 1048576 --budget 0.1 --reps 1 --fan-in 0 --stream "$secs" \
      --stream-chunk 1048576 --output csv 2>/dev/null | awk -F, '$1 == "stream" {print $8 * 1e6}')
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  echo "$rate"
}

status=0
echo "rate_Bps,payload_Bps,ratio"
for rate in "${@:-12500000}"; do
  tb_up 2 "$rate" 0
  got=$(stream_rate)
  ratio=$(awk -v g="$got" -v r="$rate" 'BEGIN { printf "%.4f", g / r }')
  echo "$rate,$got,$ratio"
  awk -v x="$ratio" 'BEGIN { exit !(x >= 0.85 && x <= 1.02) }' || {
    echo "check_rate: $rate B/s shaped, $got B/s of TCP payload measured: outside [0.85, 1.02]" >&2
    status=1
  }
  tb_down
done
exit $status

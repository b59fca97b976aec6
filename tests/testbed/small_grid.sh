#!/usr/bin/env bash
# The emulated cluster end to end, small enough for the default test suite (N <= 4, well under
# a minute): the shaped rate checked with the TCP probe, Open MPI's ring and tree all-reduce
# timed on 2 and 4 hosts, and `dlscale validate` scoring the measured rows.
# Fails when the shaping misses the rate, a run fails or computes a wrong sum, validate refuses
# the CSV the testbed wrote, or the 1 MiB tree rows' closed-form error leaves +-50 % (the tree's
# exchanges go one way at a time, which Open MPI's TCP transport serves at the link's rate; the
# ring's two-way exchanges and small messages it does not, docs/validation-findings.md); seen
# here: -1 % to -30 % with the machine's load at 3-6. Unshaped, the prediction would be several
# times the measurement.
# usage: small_grid.sh DLSCALE TCP_PROBE ALLREDUCE_TIME      exit 77 without namespaces or MPI
set -euo pipefail
dlscale=$1 probe=$2 bench=$3
here=$(cd "$(dirname "$0")" && pwd)
testbed=$here/../../calibrate/testbed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate=50000000   # 400 Mbit/s

set +e
PROBE=$probe SECONDS_PER_RUN=1 "$testbed/check_rate.sh" "$rate"
rc=$?
set -e
[ $rc -eq 0 ] || exit $rc   # 77: no namespaces here

BENCH=$bench HOSTS="2 4" RATES_BPS=$rate SIZES="65536 1048576" ALGOS="ring tree" ITERS=5 \
  WARMUP=1 BUDGET=2 TIMEOUT=30 "$testbed/mpi_allreduce.sh" "$work/runs.csv"
[ "$(grep -vc '^#' "$work/runs.csv")" -eq 9 ] || { echo "small_grid: a header and 8 rows expected" >&2; cat "$work/runs.csv"; exit 1; }

"$dlscale" validate --measured "$work/runs.csv" --jitter-runs 0
"$dlscale" validate --measured "$work/runs.csv" --jitter-runs 0 --format csv > "$work/scores.csv"
# Columns of validate's CSV: 5 bytes, 8 scheme, 14 closed_error_pct.
awk -F, '$8 == "tree" && $5 == 1048576 { n++; e = $14 < 0 ? -$14 : $14; if (e > 50) bad++ }
         END { if (n != 2 || bad) { printf "small_grid: %d 1 MiB tree rows, %d outside +-50 %%\n", n, bad; exit 1 } }' \
  "$work/scores.csv"

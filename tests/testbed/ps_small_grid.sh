#!/usr/bin/env bash
# dlscale's own parameter server on the emulated cluster, small enough for the default test
# suite (N = 2 and 4 at 50 MB/s, one t_grad, sync-join and async; about 20 s): ps_grid.sh
# writes the rows, `dlscale validate` must accept and score them, and the measurements must
# show what the schemes are about:
#   - the FIFO semaphore beats fair sharing at N = 4, sync-join (MODELS.md: (N+1) t_c + t_g
#     against up to 2N t_c + t_g, i.e. 5 t_c against 8 t_c; seen here: 0.063 s against 0.081 s);
#   - the synchronous fifo and sharded rows' closed-form error stays within +-30 % (seen here:
#     -0.1 % to +5.4 % on a quiet machine; the loaded machine makes measurements slower, so
#     errors negative). Unshaped, the transfers would take a tenth of the prediction and the
#     errors would be around +40 % and more.
# usage: ps_small_grid.sh DLSCALE PS          exit 77 without root or network namespaces
set -euo pipefail
dlscale=$1 ps=$2
here=$(cd "$(dirname "$0")" && pwd)
testbed=$here/../../calibrate/testbed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

set +e
PS=$ps HOSTS="2 4" RATES_BPS=50000000 T_GRAD_S=0.02 MODES="sync-join async" ITERS=5 WARMUP=1 \
  TIMEOUT=30 "$testbed/ps_grid.sh" "$work/runs.csv"
rc=$?
set -e
[ $rc -eq 0 ] || exit $rc   # 77: no namespaces here
[ "$(grep -vc '^#' "$work/runs.csv")" -eq 13 ] || { echo "ps_small_grid: a header and 12 rows expected" >&2; cat "$work/runs.csv"; exit 1; }

"$dlscale" validate --measured "$work/runs.csv" --jitter-runs 0
"$dlscale" validate --measured "$work/runs.csv" --jitter-runs 0 --format csv > "$work/scores.csv"
# Columns of validate's CSV: 6 workers, 8 scheme, 9 mode, 10 measured_p50_s, 14 closed_error_pct.
awk -F, '$6 == 4 && $9 == "sync-join" && $8 == "central" { fair = $10 }
         $6 == 4 && $9 == "sync-join" && $8 == "central-semaphore" { fifo = $10 }
         END { if (!(fifo > 0 && fair > fifo)) { printf "ps_small_grid: N = 4 sync-join: fifo %s s not below fair %s s\n", fifo, fair; exit 1 } }' \
  "$work/scores.csv"
awk -F, '$9 == "sync-join" && ($8 == "central-semaphore" || $8 == "sharded-placed") {
           n++; e = $14 < 0 ? -$14 : $14; if (e > 30) { bad++; print "ps_small_grid: line " $1 ": " $14 " %" } }
         END { if (n != 4 || bad) { printf "ps_small_grid: %d sync fifo/sharded rows, %d outside +-30 %%\n", n, bad; exit 1 } }' \
  "$work/scores.csv"

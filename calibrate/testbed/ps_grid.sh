#!/usr/bin/env bash
# dlscale's own parameter server (calibrate/ps: dlscale-ps over the framed TCP transport) on the
# emulated cluster, appended to a measured-runs CSV (docs/measured-runs.md). One worker per host
# (G = 1); compute emulated by sleeping; the network's fp32 tensors are the bytes exchanged.
#   central            one server on a host of its own (host N), fair: every worker at once,
#                      one thread each, the kernel shares the link      -> scheme central
#   central-semaphore  the same server with the fifo policy: one transfer per direction at a
#                      time, in arrival order (MODELS.md "Access semaphore") -> central-semaphore
#   sharded-placed     K = N servers, server k on worker host k (the thesis's distributed server:
#                      a worker reaches its own shard over loopback), shard k = dlscale's model-
#                      order placement of the tensors (algorithm 3.7)   -> sharded-placed
# Modes: sync-join and sync-split (a barrier per iteration at every server; split sleeps
# t_grad / N, what dlscale predicts without a measured t_grad(b/N), and the row says t_grad) and
# async (no barrier; each worker pushes, then pulls at once). t_iter is a worker's time per
# iteration (sleep, push, pull) after the warm-up: sync pools every worker's (the barrier gives
# them one pace); async takes the slowest worker's batches alone (`summary --slowest`): workers
# need not keep one pace (the one next to the largest shard is faster), t_train is the slowest
# one's D/N batches, and validate compares with predict's async t_iter = t_train / ceil(D/N).
# latency_s is the one-way latency of a 64-byte TCP message between two hosts (tb_latency).
#
# usage: calibrate/testbed/ps_grid.sh OUT.csv
# environment (defaults): BUILD (build), PS (BUILD/calibrate/ps/dlscale-ps), HOSTS ("2 4 8"),
#   RATES_BPS ("12500000 50000000 125000000"), NETWORK (MNIST-MLP), T_GRAD_S ("0.02 0.2"),
#   MODES ("sync-join async"), SCHEMES ("central central-semaphore sharded-placed"),
#   ITERS (10), WARMUP (2), TIMEOUT (60 s per run), RAW_DIR (unset; set: every run's worker
#   outputs are kept in RAW_DIR/RATE-N-SCHEME-MODE-TGRAD/)
# exit: 0 done, 1 a run failed, 2 a bad scheme or mode, 77 cannot run here (no root/namespaces)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: ps_grid.sh OUT.csv}
build=${BUILD:-build}
ps=${PS:-$build/calibrate/ps/dlscale-ps}
hosts_list=${HOSTS:-2 4 8}
rates=${RATES_BPS:-12500000 50000000 125000000}
network=${NETWORK:-MNIST-MLP}
t_grads=${T_GRAD_S:-0.02 0.2}
modes=${MODES:-sync-join async}
schemes=${SCHEMES:-central central-semaphore sharded-placed}
iters=${ITERS:-10}
warmup=${WARMUP:-2}
limit=${TIMEOUT:-60}
for s in $schemes; do
  case $s in central | central-semaphore | sharded-placed) ;;
    *) echo "ps_grid: scheme '$s' is invalid; central, central-semaphore or sharded-placed expected" >&2; exit 2 ;; esac
done
for m in $modes; do
  case $m in sync-join | sync-split | async) ;;
    *) echo "ps_grid: mode '$m' is invalid; sync-join, sync-split or async expected" >&2; exit 2 ;; esac
done
. "$here/netns.sh"
work=$(mktemp -d)
trap 'tb_down; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
tb_can_run || exit 77
[ -x "$ps" ] || { echo "ps_grid: $ps is not built" >&2; exit 1; }
tb_cleanup_stale

header=$(echo system algorithm network bytes workers workers_per_host link_rate_Bps latency_s \
  t_grad_s t_grad_how scheme mode bucket_bytes t_iter_p50_s t_iter_p90_s speedup repeats | tr ' ' ,)
[ -s "$out" ] || { echo "# written by calibrate/testbed/ps_grid.sh on $(uname -srm), $(nproc) cores"; echo "$header"; } > "$out"
echo "# ps_grid.sh: HOSTS=\"$hosts_list\" RATES_BPS=\"$rates\" NETWORK=$network T_GRAD_S=\"$t_grads\" MODES=\"$modes\" SCHEMES=\"$schemes\" ITERS=$iters WARMUP=$warmup" >> "$out"

# One run: servers, then workers, each inside its host under `timeout`; waited on here so that
# INT/TERM is handled at once (the EXIT trap's tb_down ends what runs inside the hosts).
# Prints nothing; the workers' outputs are $work/w*.out.
run_ps() {
  local n=$1 scheme=$2 mode=$3 compute=$4 server_host=$5
  # Below the ephemeral range (32768-60999): a worker's outgoing connection of the last run may
  # still hold any port inside it on that host.
  local port=$((20000 + RANDOM % 12000)) token policy=fair k=1 j i pids=() servers=""
  token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  [ "$scheme" = central-semaphore ] && policy=fifo
  [ "$scheme" = sharded-placed ] && k=$n
  rm -f "$work"/*.out
  for ((j = 0; j < k; j++)); do
    local h=$server_host
    [ "$k" -gt 1 ] && h=$j
    tb_exec "$h" timeout "$limit" "$ps" server --port "$port" --workers "$n" --network "$network" \
      --shards "$k" --shard "$j" --policy "$policy" --mode "$mode" --token "$token" \
      --timeout "$limit" > "$work/s$j.out" 2> "$work/s$j.err" &
    pids+=($!)
    servers+="$(tb_addr "$h"):$port,"
  done
  for ((j = 0; j < k; j++)); do
    for _ in $(seq 100); do grep -q '^listening' "$work/s$j.out" 2>/dev/null && break; sleep 0.05; done
    grep -q '^listening' "$work/s$j.out" || { echo "ps_grid: server $j did not start" >&2; cat "$work/s$j.err" >&2; return 1; }
  done
  for ((i = 0; i < n; i++)); do
    tb_exec "$i" timeout "$limit" "$ps" worker --servers "${servers%,}" --network "$network" \
      --compute "$compute" --iterations "$iters" --warmup "$warmup" \
      --token "$token" --timeout "$limit" > "$work/w$i.out" 2> "$work/w$i.err" &
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  [ $failed = 0 ] || { cat "$work"/*.err >&2; return 1; }
}

describe() {
  case $1 in
    central) echo "central fair (thread per worker)" ;;
    central-semaphore) echo "central fifo semaphore (one transfer per direction)" ;;
    sharded-placed) echo "sharded K=N model-order placement" ;;
  esac
}

max_hosts=$(echo "$hosts_list" | tr ' ' '\n' | sort -n | tail -1)
for rate in $rates; do
  tb_up "$((max_hosts + 1))" "$rate" 0   # host max_hosts: the central server's own
  lat=$(tb_latency)
  echo "ps_grid: rate $rate B/s, one-way latency $lat s" >&2
  for n in $hosts_list; do
    for t_grad in $t_grads; do
      for mode in $modes; do
        compute=$t_grad
        [ "$mode" = sync-split ] && compute=$(awk -v t="$t_grad" -v n="$n" 'BEGIN { printf "%.9g", t / n }')
        for scheme in $schemes; do
          run_ps "$n" "$scheme" "$mode" "$compute" "$max_hosts" ||
            { echo "ps_grid: N=$n $scheme $mode t_grad $t_grad at $rate B/s failed" >&2; exit 1; }
          if [ -n "${RAW_DIR:-}" ]; then
            mkdir -p "$RAW_DIR/$rate-$n-$scheme-$mode-$t_grad" && cp "$work"/w*.out "$RAW_DIR/$rate-$n-$scheme-$mode-$t_grad/"
          fi
          slowest=()
          [ "$mode" = async ] && slowest=(--slowest)
          IFS=, read -r p50 p90 reps <<< "$("$ps" summary "${slowest[@]}" "$work"/w*.out)"
          echo "dlscale-ps,$(describe "$scheme"),$network,,$n,1,$rate,$lat,$t_grad,sleep,$scheme,$mode,,$p50,$p90,,$reps" >> "$out"
          echo "  N=$n $scheme $mode t_grad $t_grad: p50 $p50 s, p90 $p90 s" >&2
        done
      done
    done
  done
  tb_down
done

#!/usr/bin/env bash
# PyTorch DistributedDataParallel (gloo) on the emulated cluster, appended to a measured-runs
# CSV (docs/measured-runs.md): one rank per host, the MNIST-MLP with sleep-emulated per-layer
# compute (ddp_worker.py), bucket_cap_mb varied. Predicted as dlscale's ring (gloo's all-reduce
# is a ring reduce-scatter + all-gather) without overlap, which dlscale does not model yet.
#
# usage: calibrate/testbed/ddp_grid.sh OUT.csv
# environment (defaults): PYTHON (/usr/bin/python3, with torch), HOSTS ("2 4"), RATES_BPS
#   ("12500000"), T_GRAD_S ("0.05"), BUCKETS_MB ("25 0.05"), ITERS (10), WARMUP (2),
#   TIMEOUT (120 s per run)
# exit: 0 done, 1 a run failed, 77 cannot run here (no root/namespaces, or no torch)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: ddp_grid.sh OUT.csv}
python=${PYTHON:-/usr/bin/python3}
hosts_list=${HOSTS:-2 4}
rates=${RATES_BPS:-12500000}
t_grads=${T_GRAD_S:-0.05}
buckets=${BUCKETS_MB:-25 0.05}
iters=${ITERS:-10}
warmup=${WARMUP:-2}
limit=${TIMEOUT:-120}
. "$here/netns.sh"
result=$(mktemp)
trap 'tb_down; rm -f "$result"' EXIT
trap 'exit 130' INT TERM
tb_can_run || exit 77
"$python" -c 'import torch.distributed as d; assert d.is_gloo_available()' 2>/dev/null ||
  { echo "ddp_grid: $python has no torch with gloo; skipped" >&2; exit 77; }
tb_cleanup_stale

header=$(echo system algorithm network bytes workers workers_per_host link_rate_Bps latency_s \
  t_grad_s t_grad_how scheme mode bucket_bytes t_iter_p50_s t_iter_p90_s speedup repeats | tr ' ' ,)
[ -s "$out" ] || { echo "# written by calibrate/testbed/ddp_grid.sh on $(uname -srm), $(nproc) cores"; echo "$header"; } > "$out"

# One training of N ranks; rank 0's line into $result. Called directly (not in a command
# substitution) and waiting on its ranks, so that INT/TERM is handled at once: the EXIT trap's
# tb_down then ends the ranks inside the hosts.
run_ddp() {
  local n=$1 t_grad=$2 bucket=$3 port=$((30000 + RANDOM % 20000)) i pids=()
  : > "$result"
  for ((i = n - 1; i >= 0; i--)); do
    if [ "$i" -eq 0 ]; then
      tb_exec 0 env GLOO_SOCKET_IFNAME=eth0 timeout "$limit" "$python" "$here/ddp_worker.py" 0 "$n" "$(tb_addr 0)" "$port" \
        "$t_grad" "$bucket" "$iters" "$warmup" > "$result" &
    else
      tb_exec "$i" env GLOO_SOCKET_IFNAME=eth0 timeout "$limit" "$python" "$here/ddp_worker.py" "$i" "$n" "$(tb_addr 0)" "$port" \
        "$t_grad" "$bucket" "$iters" "$warmup" > /dev/null &
    fi
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  return $failed
}

max_hosts=$(echo "$hosts_list" | tr ' ' '\n' | sort -n | tail -1)
for rate in $rates; do
  tb_up "$max_hosts" "$rate" 0
  lat=$(tb_latency)
  echo "ddp_grid: rate $rate B/s, one-way latency $lat s" >&2
  for n in $hosts_list; do
    for t_grad in $t_grads; do
      for bucket in $buckets; do
        run_ddp "$n" "$t_grad" "$bucket" ||
          { echo "ddp_grid: N=$n t_grad $t_grad bucket $bucket MB failed" >&2; exit 1; }
        line=$(cat "$result")
        bucket_bytes=$(awk -v b="$bucket" 'BEGIN { printf "%d", b * 1048576 }')
        IFS=, read -r p50 p90 reps <<< "$line"
        echo "pytorch-ddp-gloo,bucket_cap_mb $bucket,MNIST-MLP,,$n,1,$rate,$lat,$t_grad,sleep,ring,sync-join,$bucket_bytes,$p50,$p90,,$reps" >> "$out"
        echo "  N=$n t_grad $t_grad bucket $bucket MB: $line" >&2
      done
    done
  done
  tb_down
done

#!/usr/bin/env bash
# Open MPI's all-reduce on the emulated cluster, appended to a measured-runs CSV
# (docs/measured-runs.md). G ranks per host (GPUS_PER_HOST, default 1; ranks placed host by
# host, so a flat ring crosses each NIC once each way), each host in its own network namespace
# with its NIC shaped to the rate; ranks of one host talk over its loopback, unshaped (dlscale's
# default intra-node link: not a bottleneck). mpirun starts the ranks through netns_agent.sh.
# The coll_tuned algorithm is forced per run:
#   ring                -> allreduce 4 (ring), predicted by dlscale's ring
#   tree                -> allreduce 2 (reduce then broadcast) with binomial reduce (5) and
#                          binomial broadcast (6), unsegmented: dlscale's tree
#   recursive-doubling  -> allreduce 3: no dlscale scheme models it; its rows go to
#                          OUT-unmodelled.csv (with scheme 'recursive-doubling'), not to OUT
#   hierarchical        -> coll han (Open MPI 4.1's hierarchical all-reduce: reduce inside each
#                          host, between the hosts' leaders libnbc's reduce and broadcast
#                          pipelined in 64 KiB segments (coll_han_allreduce_up_module 0), not
#                          a ring; broadcast inside each host): what a user of Open MPI would
#                          compare with dlscale's hierarchical, whose inter-node step is a ring
#                          (docs/validation-findings.md); for G > 1
#   reduce-scatter, all-gather -> the ring all-reduce's two halves on their own (reduce_scatter
#                          3 and allgather 4, both ring; sizes rounded down to a multiple of
#                          4 N, nccl-tests' convention): no dlscale scheme is half an
#                          all-reduce, so their rows go to OUT-unmodelled.csv as well
# latency_s is the one-way latency of a 64-byte TCP message between two hosts, measured
# (tcp_latency.py) before each rate's runs: this kernel has no netem, so no delay is added.
#
# usage: calibrate/testbed/mpi_allreduce.sh OUT.csv
# environment (defaults): BUILD (build), BENCH (BUILD/calibrate/testbed/dlscale-allreduce-time),
#   HOSTS ("2 4"), GPUS_PER_HOST (1), RATES_BPS ("12500000"),
#   SIZES ("4096 65536 444584 4993696"), ALGOS ("ring tree recursive-doubling"), ITERS (10),
#   WARMUP (2), BUDGET (5 s per size), TIMEOUT (120 s per mpirun), LINKS (1: Open MPI's
#   btl_tcp_links, TCP connections per pair of ranks; a value other than 1 is written into the
#   algorithm column)
# exit: 0 done, 1 a run failed, 77 cannot run here (no root, namespaces, tc or mpirun)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: mpi_allreduce.sh OUT.csv}
build=${BUILD:-build}
bench=${BENCH:-$build/calibrate/testbed/dlscale-allreduce-time}
hosts_list=${HOSTS:-2 4}
rates=${RATES_BPS:-12500000}
sizes=${SIZES:-4096 65536 444584 4993696}
algos=${ALGOS:-ring tree recursive-doubling}
iters=${ITERS:-10}
warmup=${WARMUP:-2}
budget=${BUDGET:-5}
limit=${TIMEOUT:-120}
links=${LINKS:-1}
per_host=${GPUS_PER_HOST:-1}
[[ $per_host =~ ^[1-9][0-9]*$ ]] || { echo "mpi_allreduce: GPUS_PER_HOST: '$per_host' is not valid; an integer >= 1 expected" >&2; exit 2; }
. "$here/netns.sh"
result=$(mktemp)
running=""
trap 'tb_down; rm -f "$result"' EXIT
# On INT/TERM: timeout (its own process group) passes TERM on to mpirun; an mpirun whose
# daemons are gone does not exit on it, so the whole group is killed a moment later.
stop_running() {
  [ -n "$running" ] || return 0
  kill -TERM "$running" 2>/dev/null || true
  sleep 1
  kill -KILL -- "-$running" 2>/dev/null || true
}
trap 'stop_running; exit 130' INT TERM
tb_can_run || exit 77
command -v mpirun >/dev/null || { echo "mpi_allreduce: mpirun not found; skipped" >&2; exit 77; }
[ -x "$bench" ] || { echo "mpi_allreduce: $bench is not built (needs -Dmpi); skipped" >&2; exit 77; }
tb_cleanup_stale

header=$(echo system algorithm network bytes workers workers_per_host link_rate_Bps latency_s \
  t_grad_s t_grad_how scheme mode bucket_bytes t_iter_p50_s t_iter_p90_s speedup repeats | tr ' ' ,)
unmodelled=${out%.csv}-unmodelled.csv
for f in "$out" "$unmodelled"; do
  [ -s "$f" ] || { echo "# written by calibrate/testbed/mpi_allreduce.sh on $(uname -srm), $(nproc) cores"; echo "$header"; } > "$f"
done

# mpirun's MCA parameters forcing ALGO.
forced() {
  local p=(--mca coll_tuned_use_dynamic_rules 1)
  case $1 in
    ring) p+=(--mca coll_tuned_allreduce_algorithm 4) ;;
    tree) p+=(--mca coll_tuned_allreduce_algorithm 2 --mca coll_tuned_reduce_algorithm 5
              --mca coll_tuned_reduce_algorithm_segmentsize 0 --mca coll_tuned_bcast_algorithm 6
              --mca coll_tuned_bcast_algorithm_segmentsize 0) ;;
    recursive-doubling) p+=(--mca coll_tuned_allreduce_algorithm 3) ;;
    hierarchical) p+=(--mca coll_han_priority 100 --mca coll_tuned_allreduce_algorithm 4) ;;
    reduce-scatter) p+=(--mca coll_tuned_reduce_scatter_algorithm 3) ;;
    all-gather) p+=(--mca coll_tuned_allgather_algorithm 4) ;;
    *) echo "mpi_allreduce: unknown algorithm '$1'; ring, tree, recursive-doubling, hierarchical, reduce-scatter or all-gather expected" >&2; exit 2 ;;
  esac
  echo "${p[@]}"
}
describe() {
  local links_note=""
  [ "$links" = 1 ] || links_note=" btl_tcp_links $links"
  case $1 in
    ring) echo "coll_tuned allreduce 4 (ring)$links_note" ;;
    tree) echo "coll_tuned allreduce 2 (binomial reduce + binomial bcast)$links_note" ;;
    recursive-doubling) echo "coll_tuned allreduce 3 (recursive doubling)$links_note" ;;
    hierarchical) echo "coll han (libnbc reduce + bcast between hosts)$links_note" ;;
    reduce-scatter) echo "coll_tuned reduce_scatter 3 (ring)$links_note" ;;
    all-gather) echo "coll_tuned allgather 4 (ring)$links_note" ;;
  esac
}
# The benchmark's --op and sizes (a multiple of 4 N for the halves) for ALGO at N ranks.
op_of() { case $1 in reduce-scatter) echo reduce_scatter ;; all-gather) echo allgather ;; *) echo allreduce ;; esac; }
sizes_for() {
  local algo=$1 n=$2 b
  for b in $sizes; do
    case $algo in reduce-scatter | all-gather) echo $((b - b % (4 * n))) ;; *) echo "$b" ;; esac
  done | paste -sd, -
}

export TB_ID=$tb_id TB_SUBNET=$tb_subnet OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
max_hosts=$(echo "$hosts_list" | tr ' ' '\n' | sort -n | tail -1)
for rate in $rates; do
  tb_up "$max_hosts" "$rate" 0
  lat=$(tb_latency)
  echo "mpi_allreduce: rate $rate B/s, one-way latency $lat s" >&2
  for hosts in $hosts_list; do
    n=$((hosts * per_host))
    host_arg=$(for ((i = 0; i < hosts; i++)); do printf '%s:%s,' "$(tb_addr "$i")" "$per_host"; done)
    for algo in $algos; do
      # A start-up that hangs (seen once in ten runs on the loaded 2-core machine: mpirun
      # silent until its timeout) is retried once; a second failure fails the grid.
      # mpirun runs in the background and the script waits for it, so that a TERM or INT
      # is handled at once (bash runs traps only between foreground commands).
      lines=""
      for attempt in 1 2; do
        # shellcheck disable=SC2046
        timeout "$limit" mpirun -np "$n" --map-by slot --host "${host_arg%,}" --mca plm rsh \
            --mca plm_rsh_agent "$here/netns_agent.sh" --mca plm_rsh_no_tree_spawn 1 \
            --mca btl tcp,self --mca btl_tcp_if_include "$tb_subnet.0/24" \
            --mca oob_tcp_if_include "$tb_subnet.0/24" --mca mpi_yield_when_idle 1 \
            --mca btl_tcp_links "$links" $(forced "$algo") "$bench" --op "$(op_of "$algo")" \
            --sizes "$(sizes_for "$algo" "$n")" --iters "$iters" --warmup "$warmup" \
            --budget "$budget" > "$result" &
        running=$!
        if wait "$running"; then
          running=""
          lines=$(cat "$result")
          break
        fi
        running=""
        echo "mpi_allreduce: mpirun failed (attempt $attempt): N=$n $algo at $rate B/s" >&2
      done
      [ -n "$lines" ] || exit 1
      target=$out scheme=$algo
      case $algo in recursive-doubling | reduce-scatter | all-gather) target=$unmodelled ;; esac
      while IFS=, read -r bytes p50 p90 reps; do
        echo "openmpi,$(describe "$algo"),,$bytes,$n,$per_host,$rate,$lat,0,none,$scheme,sync-join,,$p50,$p90,,$reps" >> "$target"
        echo "  N=$n $algo $bytes B: p50 $p50 s" >&2
      done <<< "$lines"
    done
  done
  tb_down
done

#!/usr/bin/env bash
# The whole validation report: the emulated cluster's grid measured (mpi_allreduce.sh), scored
# by `dlscale validate`, and written with the machine and the commands to docs/validation.md;
# the measured rows to docs/validation-runs.csv (recursive doubling, which no dlscale scheme
# models, to docs/validation-runs-unmodelled.csv), and dlscale's own parameter server
# (ps_grid.sh) to docs/validation-runs-ps.csv, scored on its own.
#
# usage: calibrate/testbed/report.sh            (from the repository root, after a build)
# environment (defaults): BUILD (build), HOSTS ("2 3 4"), RATES_BPS ("12500000 50000000
#   125000000"), SIZES ("4096 65536 444584 4993696"), ITERS (10), LINKS_VARIANT (1: also run
#   the ring with btl_tcp_links 2 at the middle rate), DDP_RATE_BPS (12500000: PyTorch DDP runs,
#   skipped without torch), PS_HOSTS ("2 4 8": the parameter-server grid; empty: skipped)
# Takes about 20 minutes on 2 cores (half of it the parameter-server grid); ranks spin while
# they wait, so it loads every core.
set -euo pipefail
build=${BUILD:-build}
dlscale=$build/src/cli/dlscale
hosts=${HOSTS:-2 3 4}
rates=${RATES_BPS:-12500000 50000000 125000000}
sizes=${SIZES:-4096 65536 444584 4993696}
iters=${ITERS:-10}
runs=docs/validation-runs.csv
unmodelled=docs/validation-runs-unmodelled.csv
ps_runs=docs/validation-runs-ps.csv
ps_hosts=${PS_HOSTS-2 4 8}
report=docs/validation.md
[ -x "$dlscale" ] || { echo "report: $dlscale is not built" >&2; exit 1; }
rm -f "$runs" "$unmodelled"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rate_check=$(BUILD=$build calibrate/testbed/check_rate.sh $rates)
BUILD=$build HOSTS="$hosts" RATES_BPS="$rates" SIZES="$sizes" ITERS=$iters \
  calibrate/testbed/mpi_allreduce.sh "$runs"
if [ "${LINKS_VARIANT:-1}" = 1 ]; then
  middle=$(echo $rates | tr ' ' '\n' | sed -n 2p)
  BUILD=$build HOSTS="$hosts" RATES_BPS="${middle:-$rates}" SIZES="$sizes" ITERS=$iters ALGOS=ring LINKS=2 \
    calibrate/testbed/mpi_allreduce.sh "$runs"
fi
ddp_rate=${DDP_RATE_BPS:-12500000}
ddp_ran=0
set +e
BUILD=$build HOSTS="2 4" RATES_BPS=$ddp_rate T_GRAD_S="0.02 0.2" BUCKETS_MB="25 0.05" ITERS=$iters \
  calibrate/testbed/ddp_grid.sh "$runs"
case $? in 0) ddp_ran=1 ;; 77) ;; *) echo "report: the DDP grid failed" >&2; exit 1 ;; esac
set -e
# dlscale's own parameter server: central (fair, fifo) and sharded, sync-join and async over
# all rates; sync-split at the middle rate only (the same exchange with a shorter sleep).
ps_middle=$(echo $rates | tr ' ' '\n' | sed -n 2p)
ps_middle=${ps_middle:-$rates}
if [ -n "$ps_hosts" ]; then
  rm -f "$ps_runs"
  BUILD=$build HOSTS="$ps_hosts" RATES_BPS="$rates" T_GRAD_S="0.02 0.2" MODES="sync-join async" ITERS=$iters \
    calibrate/testbed/ps_grid.sh "$ps_runs"
  BUILD=$build HOSTS="$ps_hosts" RATES_BPS="$ps_middle" T_GRAD_S="0.2" MODES="sync-split" ITERS=$iters \
    calibrate/testbed/ps_grid.sh "$ps_runs"
fi
# The profile a user would measure between two hosts, per rate: its link fit.
fits=$(for rate in $rates; do
  BUILD=$build calibrate/testbed/calibrate_profile.sh "$rate" "$work/$rate.profile" >/dev/null 2>&1 &&
    awk -v r="$rate" '$1 == "alpha_s" {a = $2} $1 == "beta_Bps" {b = $2} $1 == "max_relative_residual" {m = $2}
      END { printf "%s,%.3g,%.4g,%.3f\n", r, a, b, m }' "$work/$rate.profile"
done)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
table=$("$dlscale" validate --measured "$runs")
[ -z "$ps_hosts" ] || ps_table=$("$dlscale" validate --measured "$ps_runs")

{
  echo "# Validation on an emulated cluster"
  echo
  echo "Written by \`calibrate/testbed/report.sh\` ($started); every figure below is measured"
  echo "by it or computed by \`dlscale validate\` from those measurements."
  echo
  echo "## Machine"
  echo
  echo "- $(uname -srm), $(nproc) cores: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- $(mpirun --version 2>&1 | head -1)"
  echo "- load average (1, 5, 15 min) before: $load_before, after: $load_after (the machine is shared)"
  echo
  echo "## The cluster"
  echo
  echo "One network namespace per host, a veth pair from each to one bridge; each host's egress"
  echo "(inside its namespace) and ingress (the bridge side of its veth) shaped by htb to the"
  echo "rate (\`calibrate/testbed/netns.sh\`). One MPI rank per host. The shaped rate, checked"
  echo "with dlscale-tcp-probe's stream between two hosts (\`calibrate/testbed/check_rate.sh\`;"
  echo "TCP payload, at most 95.6 % of the wire rate):"
  echo
  echo '```'
  echo "$rate_check"
  echo '```'
  echo
  echo "## Commands"
  echo
  echo '```sh'
  echo "BUILD=$build calibrate/testbed/check_rate.sh $rates"
  echo "BUILD=$build HOSTS=\"$hosts\" RATES_BPS=\"$rates\" SIZES=\"$sizes\" ITERS=$iters calibrate/testbed/mpi_allreduce.sh $runs"
  [ "${LINKS_VARIANT:-1}" = 1 ] &&
    echo "BUILD=$build HOSTS=\"$hosts\" RATES_BPS=\"${middle:-$rates}\" SIZES=\"$sizes\" ITERS=$iters ALGOS=ring LINKS=2 calibrate/testbed/mpi_allreduce.sh $runs"
  [ $ddp_ran = 1 ] &&
    echo "BUILD=$build HOSTS=\"2 4\" RATES_BPS=$ddp_rate T_GRAD_S=\"0.02 0.2\" BUCKETS_MB=\"25 0.05\" ITERS=$iters calibrate/testbed/ddp_grid.sh $runs"
  if [ -n "$ps_hosts" ]; then
    echo "BUILD=$build HOSTS=\"$ps_hosts\" RATES_BPS=\"$rates\" T_GRAD_S=\"0.02 0.2\" MODES=\"sync-join async\" ITERS=$iters calibrate/testbed/ps_grid.sh $ps_runs"
    echo "BUILD=$build HOSTS=\"$ps_hosts\" RATES_BPS=\"$ps_middle\" T_GRAD_S=\"0.2\" MODES=\"sync-split\" ITERS=$iters calibrate/testbed/ps_grid.sh $ps_runs"
    echo "$dlscale validate --measured $ps_runs"
  fi
  echo "BUILD=$build calibrate/testbed/calibrate_profile.sh RATE OUT.profile   # for each rate"
  echo "$dlscale validate --measured $runs"
  echo '```'
  echo
  echo "## dlscale validate"
  echo
  echo '```'
  echo "$table"
  echo '```'
  echo
  if [ -n "$ps_hosts" ]; then
    echo "## dlscale's parameter server (\`calibrate/ps\`, \`$ps_runs\`)"
    echo
    echo "One worker per host, the MNIST-MLP's fp32 tensors, compute slept; the central server"
    echo "on a host of its own (fair: every worker at once; fifo: the access semaphore), the"
    echo "sharded server on every worker host with dlscale's model-order placement."
    echo
    echo '```'
    echo "$ps_table"
    echo '```'
    echo
  fi
  echo "Recursive doubling (no dlscale scheme models it) was measured too: \`$unmodelled\`."
  [ $ddp_ran = 1 ] || echo "PyTorch DDP: skipped (no torch with gloo here)."
  echo
  echo "## The link as dlscale-calibrate fits it between two hosts"
  echo
  echo '```'
  echo "rate_Bps,alpha_s,beta_Bps,max_relative_residual"
  echo "$fits"
  echo '```'
  echo
  echo "What these figures say, target by target, and why each miss happens:"
  echo "\`docs/validation-findings.md\` (written by hand from this report)."
} > "$report"
echo "report: wrote $report, $runs, $unmodelled${ps_hosts:+ and $ps_runs}" >&2

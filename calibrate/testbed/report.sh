#!/usr/bin/env bash
# The whole validation report: a profile per link rate calibrated between two hosts
# (calibrate_profile.sh, as a user would on real ones) into docs/validation-profiles/, the
# emulated cluster's grid measured (mpi_allreduce.sh, ddp_grid.sh), scored by `dlscale
# validate` on the nominal rates and on those profiles, and written with the machine and the
# commands to docs/validation.md; the measured rows to docs/validation-runs.csv, each naming
# the profile of its rate in the `profile` column (recursive doubling, which no dlscale scheme
# models, to docs/validation-runs-unmodelled.csv), and dlscale's own parameter server
# (ps_grid.sh) to docs/validation-runs-ps.csv, scored on its own.
#
# usage: calibrate/testbed/report.sh            (from the repository root, after a build)
# environment (defaults): BUILD (build), HOSTS ("2 3 4"), RATES_BPS ("12500000 50000000
#   125000000"), SIZES ("4096 65536 444584 4993696"), ALGOS ("ring tree recursive-doubling
#   reduce-scatter all-gather"), ITERS (10), LINKS_VARIANT (1: also run the ring with
#   btl_tcp_links 2 at the middle rate), LARGE_HOSTS ("8 16": the ring and the tree at the two
#   large sizes on more hosts), GPUS_PER_HOST_VARIANT (2: the ring and Open MPI's hierarchical
#   all-reduce (coll han) with that many ranks per host on 2 and 4 hosts, at the middle rate and
#   the large sizes; empty: none), DDP_RATES_BPS (RATES_BPS: PyTorch DDP runs on 2 and 4 hosts with
#   two bucket sizes at each rate, and on DDP_LARGE_HOSTS ("8 16") with 25 MB at the lowest rate;
#   skipped without torch), PS_HOSTS ("2 4 8": the parameter-server grid; empty: skipped),
#   PS_LARGE_HOSTS ("16": the parameter server's sync-join rows on more hosts at the lowest rate)
# Takes about 30 minutes on 2 cores (5-10 of them the parameter-server grid); ranks spin while
# they wait, so it loads every core.
set -euo pipefail
build=${BUILD:-build}
dlscale=$build/src/cli/dlscale
hosts=${HOSTS:-2 3 4}
rates=${RATES_BPS:-12500000 50000000 125000000}
sizes=${SIZES:-4096 65536 444584 4993696}
algos=${ALGOS:-ring tree recursive-doubling reduce-scatter all-gather}
large_hosts=${LARGE_HOSTS:-8 16}
per_host=${GPUS_PER_HOST_VARIANT-2}
ddp_large_hosts=${DDP_LARGE_HOSTS:-8 16}
iters=${ITERS:-10}
runs=docs/validation-runs.csv
unmodelled=docs/validation-runs-unmodelled.csv
ps_runs=docs/validation-runs-ps.csv
ps_hosts=${PS_HOSTS-2 4 8}
ps_large_hosts=${PS_LARGE_HOSTS-16}
report=docs/validation.md
profiles=docs/validation-profiles
[ -x "$dlscale" ] || { echo "report: $dlscale is not built" >&2; exit 1; }
rm -f "$runs" "$unmodelled"
rm -rf "$profiles"
mkdir -p "$profiles"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rate_check=$(BUILD=$build calibrate/testbed/check_rate.sh $rates)
BUILD=$build HOSTS="$hosts" RATES_BPS="$rates" SIZES="$sizes" ALGOS="$algos" ITERS=$iters \
  calibrate/testbed/mpi_allreduce.sh "$runs"
large_sizes=$(echo $sizes | tr ' ' '\n' | sort -n | tail -2 | paste -sd' ' -)
middle=$(echo $rates | tr ' ' '\n' | sed -n 2p)
if [ -n "$large_hosts" ]; then
  BUILD=$build HOSTS="$large_hosts" RATES_BPS="$rates" SIZES="$large_sizes" ALGOS="ring tree" ITERS=$iters \
    calibrate/testbed/mpi_allreduce.sh "$runs"
fi
if [ "${LINKS_VARIANT:-1}" = 1 ]; then
  BUILD=$build HOSTS="$hosts" RATES_BPS="${middle:-$rates}" SIZES="$sizes" ITERS=$iters ALGOS=ring LINKS=2 \
    calibrate/testbed/mpi_allreduce.sh "$runs"
fi
if [ -n "$per_host" ]; then
  BUILD=$build HOSTS="2 4" GPUS_PER_HOST=$per_host RATES_BPS="${middle:-$rates}" SIZES="$large_sizes" \
    ALGOS="ring hierarchical" ITERS=$iters calibrate/testbed/mpi_allreduce.sh "$runs"
fi
ddp_rates=${DDP_RATES_BPS:-$rates}
lowest=$(echo $rates | tr ' ' '\n' | sort -n | head -1)
ddp_ran=0
set +e
BUILD=$build HOSTS="2 4" RATES_BPS="$ddp_rates" T_GRAD_S="0.02 0.2" BUCKETS_MB="25 0.05" ITERS=$iters \
  calibrate/testbed/ddp_grid.sh "$runs"
case $? in 0) ddp_ran=1 ;; 77) ;; *) echo "report: the DDP grid failed" >&2; exit 1 ;; esac
if [ $ddp_ran = 1 ] && [ -n "$ddp_large_hosts" ]; then
  BUILD=$build HOSTS="$ddp_large_hosts" RATES_BPS=$lowest T_GRAD_S="0.02 0.2" BUCKETS_MB=25 ITERS=$iters \
    calibrate/testbed/ddp_grid.sh "$runs" || { echo "report: the large DDP grid failed" >&2; exit 1; }
fi
set -e
# dlscale's own parameter server: central (fair, fifo) and sharded, sync-join and async over
# all rates; sync-split at the middle rate only (the same exchange with a shorter sleep).
if [ -n "$ps_hosts" ]; then
  rm -f "$ps_runs"
  BUILD=$build HOSTS="$ps_hosts" RATES_BPS="$rates" T_GRAD_S="0.02 0.2" MODES="sync-join async" ITERS=$iters \
    calibrate/testbed/ps_grid.sh "$ps_runs"
  BUILD=$build HOSTS="$ps_hosts" RATES_BPS="${middle:-$rates}" T_GRAD_S="0.2" MODES="sync-split" ITERS=$iters \
    calibrate/testbed/ps_grid.sh "$ps_runs"
  if [ -n "$ps_large_hosts" ]; then
    BUILD=$build HOSTS="$ps_large_hosts" RATES_BPS="$lowest" T_GRAD_S="0.02 0.2" MODES="sync-join" ITERS=$iters \
      calibrate/testbed/ps_grid.sh "$ps_runs"
  fi
fi
# The profile a user would measure between two hosts, per rate (its link fit), named by each
# row of that rate (the column's path is relative to the runs file's folder).
fits=$(for rate in $rates; do
  BUILD=$build calibrate/testbed/calibrate_profile.sh "$rate" "$profiles/testbed-$rate.profile" >/dev/null 2>&1 &&
    awk -v r="$rate" '$1 == "alpha_s" {a = $2} $1 == "beta_Bps" {b = $2} $1 == "max_relative_residual" {m = $2}
      END { printf "%s,%.3g,%.4g,%.3f\n", r, a, b, m }' "$profiles/testbed-$rate.profile"
done)
# FILE with a profile column: each row's rate's profile, where one was calibrated.
name_profiles() {
  awk -F, -v OFS=, -v dir="$profiles" -v rel="${profiles#docs/}" '
    /^#/ || NF == 0 { print; next }
    /^system,/ { if ($NF != "profile") $0 = $0 ",profile"; print; next }
    { f = dir "/testbed-" $7 ".profile"; ok = (getline line < f) > 0; close(f)
      print $0 "," (ok ? rel "/testbed-" $7 ".profile" : "") }
  ' "$1" > "$work/named.csv"
  cp "$work/named.csv" "$1"
}
# FILE without its last (profile) column, to OUT: the rows on their nominal rates.
nominal_of() { awk -F, -v OFS=, '/^#/ || NF == 0 { print; next } { NF = NF - 1; print }' "$1" > "$2"; }
name_profiles "$runs"
[ -z "$ps_hosts" ] || name_profiles "$ps_runs"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
table=$("$dlscale" validate --measured "$runs")
# The same rows on the nominal rates and latencies (the profile column left out).
nominal_of "$runs" "$work/nominal.csv"
nominal=$("$dlscale" validate --measured "$work/nominal.csv")
if [ -n "$ps_hosts" ]; then
  ps_table=$("$dlscale" validate --measured "$ps_runs")
  nominal_of "$ps_runs" "$work/ps-nominal.csv"
  ps_nominal=$("$dlscale" validate --measured "$work/ps-nominal.csv")
fi

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
  echo "BUILD=$build HOSTS=\"$hosts\" RATES_BPS=\"$rates\" SIZES=\"$sizes\" ALGOS=\"$algos\" ITERS=$iters calibrate/testbed/mpi_allreduce.sh $runs"
  [ -n "$large_hosts" ] &&
    echo "BUILD=$build HOSTS=\"$large_hosts\" RATES_BPS=\"$rates\" SIZES=\"$large_sizes\" ALGOS=\"ring tree\" ITERS=$iters calibrate/testbed/mpi_allreduce.sh $runs"
  [ "${LINKS_VARIANT:-1}" = 1 ] &&
    echo "BUILD=$build HOSTS=\"$hosts\" RATES_BPS=\"${middle:-$rates}\" SIZES=\"$sizes\" ITERS=$iters ALGOS=ring LINKS=2 calibrate/testbed/mpi_allreduce.sh $runs"
  [ -n "$per_host" ] &&
    echo "BUILD=$build HOSTS=\"2 4\" GPUS_PER_HOST=$per_host RATES_BPS=\"${middle:-$rates}\" SIZES=\"$large_sizes\" ALGOS=\"ring hierarchical\" ITERS=$iters calibrate/testbed/mpi_allreduce.sh $runs"
  [ $ddp_ran = 1 ] &&
    echo "BUILD=$build HOSTS=\"2 4\" RATES_BPS=\"$ddp_rates\" T_GRAD_S=\"0.02 0.2\" BUCKETS_MB=\"25 0.05\" ITERS=$iters calibrate/testbed/ddp_grid.sh $runs"
  [ $ddp_ran = 1 ] && [ -n "$ddp_large_hosts" ] &&
    echo "BUILD=$build HOSTS=\"$ddp_large_hosts\" RATES_BPS=$lowest T_GRAD_S=\"0.02 0.2\" BUCKETS_MB=25 ITERS=$iters calibrate/testbed/ddp_grid.sh $runs"
  if [ -n "$ps_hosts" ]; then
    echo "BUILD=$build HOSTS=\"$ps_hosts\" RATES_BPS=\"$rates\" T_GRAD_S=\"0.02 0.2\" MODES=\"sync-join async\" ITERS=$iters calibrate/testbed/ps_grid.sh $ps_runs"
    echo "BUILD=$build HOSTS=\"$ps_hosts\" RATES_BPS=\"${middle:-$rates}\" T_GRAD_S=\"0.2\" MODES=\"sync-split\" ITERS=$iters calibrate/testbed/ps_grid.sh $ps_runs"
    [ -z "$ps_large_hosts" ] ||
      echo "BUILD=$build HOSTS=\"$ps_large_hosts\" RATES_BPS=\"$lowest\" T_GRAD_S=\"0.02 0.2\" MODES=\"sync-join\" ITERS=$iters calibrate/testbed/ps_grid.sh $ps_runs"
    echo "$dlscale validate --measured $ps_runs"
  fi
  echo "BUILD=$build calibrate/testbed/calibrate_profile.sh RATE $profiles/testbed-RATE.profile   # for each rate"
  echo "$dlscale validate --measured $runs   # each row on its rate's profile"
  echo "$dlscale validate --measured NOMINAL.csv   # the same rows without the profile column"
  echo '```'
  echo
  echo "## dlscale validate, each row on the profile calibrated at its rate"
  echo
  echo '```'
  echo "$table"
  echo '```'
  echo
  echo "## dlscale validate on the nominal rates (what tc was asked for) and latencies"
  echo
  echo '```'
  echo "$nominal"
  echo '```'
  echo
  if [ -n "$ps_hosts" ]; then
    echo "## dlscale's parameter server (\`calibrate/ps\`, \`$ps_runs\`)"
    echo
    echo "One worker per host, the MNIST-MLP's fp32 tensors, compute slept; the central server"
    echo "on a host of its own (fair: every worker at once; fifo: the access semaphore), the"
    echo "sharded server on every worker host with dlscale's model-order placement. Each row on"
    echo "its rate's profile:"
    echo
    echo '```'
    echo "$ps_table"
    echo '```'
    echo
    echo "On the nominal rates and latencies:"
    echo
    echo '```'
    echo "$ps_nominal"
    echo '```'
    echo
  fi
  echo "Recursive doubling and the ring's two halves on their own (reduce-scatter, all-gather),"
  echo "which no dlscale scheme models, were measured too: \`$unmodelled\`."
  [ $ddp_ran = 1 ] || echo "PyTorch DDP: skipped (no torch with gloo here)."
  echo
  echo "## The link as dlscale-calibrate fits it between two hosts"
  echo
  echo "In \`$profiles/\`; the fit starts above htb's burst (\`--tcp-min-bytes\`, see"
  echo "\`calibrate_profile.sh\`)."
  echo
  echo '```'
  echo "rate_Bps,alpha_s,beta_Bps,max_relative_residual"
  echo "$fits"
  echo '```'
  echo
  echo "What these figures say, target by target, and why each miss happens:"
  echo "\`docs/validation-findings.md\` (written by hand from this report)."
} > "$report"
echo "report: wrote $report, $runs and $unmodelled" >&2

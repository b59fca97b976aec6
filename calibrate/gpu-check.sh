#!/usr/bin/env bash
# One command for a machine with a GPU: build with CUDA and NCCL, run the `gpu` suite, calibrate
# two small networks on the GPU (and the NCCL collectives where there are 2 GPUs or more),
# predict from that profile, and print a summary, all within a time budget (8 minutes by
# default). Run from anywhere; it works in the repository that holds it.
set -u -o pipefail

usage() {
  cat <<'EOF'
usage: calibrate/gpu-check.sh [--build-dir DIR] [--budget SECONDS] [--jobs N]
                             [--mpi-hosts HOST:GPUS,...] [--dry-run] [--help]

On a machine with an NVIDIA GPU: configure DIR (default build-gpu) with -Dcuda=enabled
-Dnccl=enabled, build it, run `meson test --suite gpu --suite calibrate_gpu`, then
`dlscale-calibrate --device gpu` on MNIST-MLP and CIFAR10-CNN in fp32 and fp16, predict ring
from the fp32 profile, and with 2 GPUs or more calibrate --nccl and predict hierarchical from
its collective fits; print a summary of every step with its seconds. Each step gets what
is left of --budget (default 480 s = 8 min); a step past it is stopped and reported.
With --mpi-hosts, also the inter-node step: `mpirun --host HOSTS -np TOTAL dlscale-calibrate
--nccl` (one rank per GPU; rank 0 on the first host writes the profile), then hierarchical
predicted from its inter-node and intra-node fits. mpirun must reach every host, and the
build folder must be at the same path on each (a shared file system): this script builds on
this host only.

  --build-dir DIR   build folder (default build-gpu, inside the repository)
  --budget SECONDS  the whole run's limit (default 480)
  --jobs N          build jobs (default: the number of CPUs)
  --mpi-hosts LIST  HOST:GPUS,HOST:GPUS,... for the inter-node NCCL step (2 hosts or more,
                    the same GPUS on each: dlscale-calibrate refuses an uneven layout)
  --dry-run         print the steps' commands and exit 0, running nothing
  --help            this text

Exit: 0 every step passed; 1 a step failed or ran out of time; 2 bad option; 77 no GPU
(nvidia-smi finds none), nothing else run.
EOF
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=build-gpu
budget=480
jobs=$(nproc 2>/dev/null || echo 2)
dry_run=0
mpi_hosts=

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir: a folder expected}; shift 2 ;;
    --budget) budget=${2:-}; shift 2 ;;
    --jobs) jobs=${2:-}; shift 2 ;;
    --mpi-hosts) mpi_hosts=${2:-}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --help|-h) usage; exit 0 ;;
    *) echo "gpu-check.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done
case "$budget" in
  ''|*[!0-9]*) echo "gpu-check.sh: --budget '$budget': a whole number of seconds expected" >&2; exit 2 ;;
esac
case "$jobs" in
  ''|*[!0-9]*|0) echo "gpu-check.sh: --jobs '$jobs': an integer >= 1 expected" >&2; exit 2 ;;
esac

# --mpi-hosts: HOST:GPUS entries, 2 hosts or more, the same GPUS on each; mpi_np = their sum.
mpi_np=0
mpi_per_host=0
if [ -n "$mpi_hosts" ]; then
  hosts=0
  IFS=, read -r -a entries <<<"$mpi_hosts"
  for e in "${entries[@]}"; do
    case "$e" in
      ?*:[1-9]|?*:[1-9][0-9]) ;;
      *) echo "gpu-check.sh: --mpi-hosts '$mpi_hosts': HOST:GPUS,HOST:GPUS,... expected" >&2; exit 2 ;;
    esac
    n=${e##*:}
    if [ "$mpi_per_host" != 0 ] && [ "$n" != "$mpi_per_host" ]; then
      echo "gpu-check.sh: --mpi-hosts '$mpi_hosts': the same GPUS on every host expected" >&2; exit 2
    fi
    mpi_per_host=$n
    mpi_np=$((mpi_np + n))
    hosts=$((hosts + 1))
  done
  if [ "$hosts" -lt 2 ]; then
    echo "gpu-check.sh: --mpi-hosts '$mpi_hosts': 2 hosts or more expected" >&2; exit 2
  fi
fi

cd "$repo" || exit 1
start=$(date +%s)
profile="$build_dir/gpu-check.profile"
profile16="$build_dir/gpu-check-fp16.profile"
summary=()
failed=0

left() { echo $((budget - ($(date +%s) - start))); }

# step NAME COMMAND...: runs COMMAND within the time left, logs to $build_dir/gpu-check-NAME.log.
step() {
  local name=$1; shift
  if [ "$dry_run" = 1 ]; then
    printf '%-14s %s\n' "$name" "$*"
    return 0
  fi
  local remaining t0 rc log="$build_dir/gpu-check-$name.log"
  remaining=$(left)
  if [ "$remaining" -le 0 ]; then
    summary+=("$(printf '%-14s SKIPPED   (budget of %s s spent)' "$name" "$budget")")
    failed=1
    return 1
  fi
  mkdir -p "$build_dir"
  t0=$(date +%s)
  echo "== $name: $*"
  timeout --signal=INT --kill-after=10 "$remaining" "$@" > >(tee "$log") 2>&1
  rc=$?
  local status=ok
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status="TIMEOUT"; failed=1
  elif [ "$rc" = 77 ]; then status="skip(77)"; failed=1
  elif [ "$rc" != 0 ]; then status="FAIL($rc)"; failed=1
  fi
  summary+=("$(printf '%-14s %-9s %4d s  log %s' "$name" "$status" $(($(date +%s) - t0)) "$log")")
  return "$rc"
}

if [ "$dry_run" = 0 ]; then
  if ! command -v nvidia-smi >/dev/null || ! gpus=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null) || [ -z "$gpus" ]; then
    echo "gpu-check.sh: no GPU (nvidia-smi finds none); nothing run" >&2
    exit 77
  fi
  gpu_count=$(printf '%s\n' "$gpus" | wc -l)
  echo "GPUs ($gpu_count):"
  printf '  %s\n' "$gpus"
else
  gpu_count=2  # a dry run lists the NCCL step too
fi

export NINJA_JOBS="$jobs"
if [ -d "$build_dir/meson-info" ]; then
  step configure meson configure "$build_dir" -Dcuda=enabled -Dnccl=enabled
else
  step configure meson setup "$build_dir" -Dcuda=enabled -Dnccl=enabled
fi || true
step build meson compile -C "$build_dir" -j "$jobs" || true
step gpu-suite meson test -C "$build_dir" --suite gpu --suite calibrate_gpu --print-errorlogs || true
calibrate="$build_dir/calibrate/profile/dlscale-calibrate"
step calib-fp32 "$calibrate" --device gpu --precision fp32 --networks MNIST-MLP,CIFAR10-CNN \
  --quick --tcp local --out "$profile" || true
step calib-fp16 "$calibrate" --device gpu --precision fp16 --networks MNIST-MLP,CIFAR10-CNN \
  --quick --tcp none --out "$profile16" || true
step predict "$build_dir/src/cli/dlscale" predict --profile "$profile" --network CIFAR10-CNN \
  --scheme ring --workers 8 || true
if [ "$gpu_count" -ge 2 ]; then
  # The node's all-reduce fit drives hierarchical's intra-node link (said in the notes).
  step calib-nccl "$calibrate" --device gpu --nccl --networks MNIST-MLP --quick --tcp local \
    --out "$build_dir/gpu-check-nccl.profile" || true
  step predict-nccl "$build_dir/src/cli/dlscale" predict --profile "$build_dir/gpu-check-nccl.profile" \
    --network MNIST-MLP --scheme hierarchical --gpus-per-node "$gpu_count" --workers "$gpu_count" || true
fi

if [ "$mpi_np" -gt 0 ]; then
  # Across nodes: [collective NAME] sections with scope inter-node (N = every rank, G = GPUS),
  # and node 0's intra-node ones where GPUS >= 2; hierarchical then uses both.
  # Absolute paths: mpirun starts the ranks on the other hosts in their home folders.
  case "$build_dir" in /*) abs_build=$build_dir ;; *) abs_build=$repo/$build_dir ;; esac
  step calib-mpi mpirun --host "$mpi_hosts" -np "$mpi_np" "$abs_build/calibrate/profile/dlscale-calibrate" \
    --device gpu --nccl --networks MNIST-MLP --quick --tcp none --out "$abs_build/gpu-check-mpi.profile" || true
  step predict-mpi "$build_dir/src/cli/dlscale" predict --profile "$build_dir/gpu-check-mpi.profile" \
    --network MNIST-MLP --scheme hierarchical --gpus-per-node "$mpi_per_host" --workers "$mpi_np" || true
fi

[ "$dry_run" = 1 ] && exit 0
echo
echo "== summary ($(( $(date +%s) - start )) s of a $budget s budget)"
printf '%s\n' "${summary[@]}"
for f in "$profile" "$profile16"; do
  [ -f "$f" ] || continue
  echo "-- $f"
  grep -E '^(\[network |t_grad_s .* batch=32 |gpu |cuda |cudnn |nccl |gpu_driver )' "$f" | cut -c1-160
done
if [ -f "$build_dir/gpu-check-nccl.profile" ]; then
  echo "-- $build_dir/gpu-check-nccl.profile"
  grep -E '^(\[collective |workers |alpha_s |busbw_Bps |max_relative_residual )' \
    "$build_dir/gpu-check-nccl.profile" | cut -c1-120
fi
if [ -f "$build_dir/gpu-check-mpi.profile" ]; then
  echo "-- $build_dir/gpu-check-mpi.profile"
  grep -E '^(\[collective |scope |workers |gpus_per_node |alpha_s |busbw_Bps |max_relative_residual )' \
    "$build_dir/gpu-check-mpi.profile" | cut -c1-120
fi
if [ "$failed" = 0 ]; then echo "gpu-check: every step passed"; else echo "gpu-check: FAILED"; fi
exit "$failed"

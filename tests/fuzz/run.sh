#!/usr/bin/env bash
# tests/fuzz/run.sh MINUTES [TARGET...]: build the libFuzzer targets in build-fuzz/ (clang,
# ASan + UBSan, -Dfuzz=true) and fuzz each TARGET (network, profile, topology, cli,
# measured_runs; default all five, one after the other) for MINUTES (a decimal number; 0.5 = 30 s).
# Corpus: build-fuzz/fuzz-corpus/TARGET (kept between runs, not committed), seeded from
# data/ (tests/fuzz/seeds/TARGET for cli and measured_runs) and tests/fuzz/regressions/TARGET.
# Findings: build-fuzz/fuzz-findings/TARGET/{crash,leak,timeout,oom,slow-unit}-*; logs in
# build-fuzz/fuzz-logs/TARGET.log. Prints per target the inputs tried and the new findings;
# exits 1 if any target found something, 0 otherwise.
# Environment: FUZZ_BUILD_DIR (default build-fuzz), NINJA_JOBS (ninja -j), FUZZ_FORK=0 (stop
# at the first finding instead of recording it and going on), FUZZ_ARGS (more libFuzzer
# flags, e.g. -jobs or -only_ascii=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: tests/fuzz/run.sh MINUTES [network|profile|topology|cli|measured_runs]..."
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
minutes=$1
shift
[[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "$usage (MINUTES: a number)" >&2; exit 2; }
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')
all=(network profile topology cli measured_runs)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "$usage (unknown target '$t')" >&2; exit 2; }
done

seeds_of() {
  case $1 in
    network) echo data/networks ;;
    profile) echo data/profiles ;;
    topology) echo data/topologies ;;
    cli) echo tests/fuzz/seeds/cli ;;
    measured_runs) echo tests/fuzz/seeds/measured_runs ;;
  esac
}

build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
if [ ! -f "$build_dir/build.ninja" ]; then
  # Only what the targets need: no CUDA/NCCL/MPI, no test suite (the fuzz regression tests
  # come with -Dfuzz=true).
  CXX=${FUZZ_CXX:-clang++} meson setup "$build_dir" -Dfuzz=true -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
    -Dcuda=disabled -Dnccl=disabled -Dmpi=disabled
fi
ninja -C "$build_dir" ${NINJA_JOBS:+-j "$NINJA_JOBS"} "${targets[@]/#/tests/fuzz/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
[ "${FUZZ_FORK:-1}" = 0 ] && mode=()
found=0
summary=()
for t in "${targets[@]}"; do
  corpus=$build_dir/fuzz-corpus/$t
  findings=$build_dir/fuzz-findings/$t
  log=$build_dir/fuzz-logs/$t.log
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  # Seed: the shipped files (not their READMEs) and the committed regression inputs.
  find "$(seeds_of "$t")" tests/fuzz/regressions/"$t" -maxdepth 1 -type f ! -name 'README*' \
    -exec cp -n -t "$corpus" {} +
  stamp=$(mktemp)
  echo "run.sh: fuzz_$t for ${seconds}s (log $log)" >&2
  rc=0
  # shellcheck disable=SC2086
  # timeout: a safety net only; libFuzzer stops itself at -max_total_time.
  timeout -k 10 $((seconds + 60)) "$build_dir/tests/fuzz/fuzz_$t" "$corpus" -dict="tests/fuzz/$t.dict" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${mode[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1 || rc=$?
  # Inputs tried: libFuzzer's last status line ("#N ..." or, forked, "#N: ...").
  stat=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  new=$(find "$findings" -type f -newer "$stamp" | sort)
  rm -f "$stamp"
  summary+=("fuzz_$t: exit $rc; ${stat:-no status line (see the log)}")
  if [ -n "$new" ]; then
    found=1
    while IFS= read -r f; do summary+=("  finding: $f (reproduce: $build_dir/tests/fuzz/fuzz_$t $f)"); done <<<"$new"
  elif [ "$rc" -ne 0 ]; then
    found=1
    summary+=("  failed without a finding file; see $log")
  fi
done
printf '%s\n' "${summary[@]}"
exit "$found"

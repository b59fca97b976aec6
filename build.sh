#!/usr/bin/env bash
# dlscale: install what is missing, build, and run.
#   ./build.sh          install packages (Debian 12), build, run the main job on the embedded
#                       default profile: a speedup sweep of the thesis's four networks for every
#                       scheme and mode, printed as a table and written to out/sweep.csv
#   ./build.sh test     build if needed and run the whole test suite (non-zero on any failure)
#   ./build.sh sanitize the test suite under AddressSanitizer, LeakSanitizer and UBSan in
#                       build-sanitize/ (gcc, debugoptimized, no CUDA/NCCL); any report fails
#                       (tests/sanitize/README.md)
#   ./build.sh fuzz [MINUTES [TARGET...]]
#                       build the libFuzzer targets with clang in build-fuzz/ and run each for
#                       MINUTES (default 1); installs clang and its libFuzzer runtime if missing
#                       (tests/fuzz/README.md)
# Environment: BUILD_DIR (default build; build-sanitize for sanitize), MESON_ARGS (extra
# `meson setup` arguments; sanitize adds its own), NINJA_JOBS (ninja -j; default: ninja's).
set -euo pipefail
cd "$(dirname "$0")"
build_dir=${BUILD_DIR:-build}

packages=(meson ninja-build pkg-config g++ python3 libboost-graph-dev
          libboost-program-options-dev libfmt-dev libeigen3-dev doctest-dev gnuplot-nox
          libopenmpi-dev openmpi-bin libonnx-dev libprotobuf-dev libdnnl-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Packages only the fuzz path needs: clang and libFuzzer's runtime (libclang_rt.fuzzer).
fuzz_packages=(clang libclang-rt-14-dev)

configure_and_build() {
  # nvcc lives outside PATH in the CUDA toolkit; with it Meson compiles the CUDA targets.
  [ -x /usr/local/cuda/bin/nvcc ] && export PATH="/usr/local/cuda/bin:$PATH"
  if [ ! -f "$build_dir/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup "$build_dir" ${MESON_ARGS:-}
  fi
  ninja -C "$build_dir" ${NINJA_JOBS:+-j "$NINJA_JOBS"}
}

case "${1:-all}" in
  all)
    install_missing
    configure_and_build
    mkdir -p out
    "$build_dir/src/cli/dlscale" sweep --csv out/sweep.csv
    echo "build.sh: wrote out/sweep.csv" >&2
    ;;
  test)
    install_missing
    configure_and_build
    meson test -C "$build_dir" --print-errorlogs
    ;;
  sanitize)
    install_missing
    build_dir=${BUILD_DIR:-build-sanitize}
    # The sanitizers' own arguments come last so that MESON_ARGS cannot turn them off.
    MESON_ARGS="${MESON_ARGS:-} -Db_sanitize=address,undefined -Db_lundef=false \
      -Dbuildtype=debugoptimized -Dcuda=disabled -Dnccl=disabled"
    configure_and_build
    # --setup sanitize (tests/meson.build): ASAN/UBSAN/LSAN_OPTIONS, LSan suppressions for
    # Open MPI's own leaks, timeouts x3.
    meson test -C "$build_dir" --setup sanitize --print-errorlogs
    ;;
  fuzz)
    packages+=("${fuzz_packages[@]}")
    install_missing
    shift
    exec tests/fuzz/run.sh "${1:-1}" "${@:2}"
    ;;
  *)
    echo "usage: ./build.sh [all|test|sanitize|fuzz [MINUTES [TARGET...]]]" >&2
    exit 2
    ;;
esac

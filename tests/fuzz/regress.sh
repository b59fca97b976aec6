#!/usr/bin/env bash
# regress.sh FUZZ_TARGET DIR...: runs the libFuzzer target once on every file in the DIRs
# (README files excepted) and fails on the first crash, sanitizer report, timeout (10 s) or
# memory above 2 GiB. Used by the `fuzz` suite's regression tests (tests/fuzz/meson.build).
set -euo pipefail
target=$1
shift
inputs=()
for dir in "$@"; do
  while IFS= read -r -d '' f; do inputs+=("$f"); done \
    < <(find "$dir" -type f ! -name 'README*' -print0 | sort -z)
done
echo "regress.sh: $(basename "$target") on ${#inputs[@]} inputs from $*"
[ ${#inputs[@]} -eq 0 ] && exit 0
# Files, not folders: libFuzzer then runs each once and writes nothing.
exec "$target" -rss_limit_mb=2048 -timeout=10 "${inputs[@]}"

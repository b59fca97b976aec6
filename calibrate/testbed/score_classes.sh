#!/usr/bin/env bash
# dlscale validate's error summary per class of measured rows (the classes that
# docs/validation-findings.md explains), each class scored by validate on its own rows.
# usage: calibrate/testbed/score_classes.sh [RUNS.csv] [DLSCALE]
#   (defaults docs/validation-runs.csv, build/src/cli/dlscale)
# prints: class,predictor,rows,median_abs_error_pct,p90_abs_error_pct,max_abs_error_pct,bias_pct,inside_interval
set -euo pipefail
runs=${1:-docs/validation-runs.csv}
dlscale=${2:-build/src/cli/dlscale}
# In the runs file's folder: a row's profile path is relative to the file's folder.
rows=$(mktemp -p "$(dirname "$runs")" .score-classes.XXXXXX.csv)
trap 'rm -f "$rows"' EXIT

# CLASS AWK-CONDITION over the measured-runs columns ($1 system, $2 algorithm, $4 bytes,
# $5 workers, $6 workers_per_host, $9 t_grad_s, $11 scheme, $12 mode)
class() {
  { grep -m1 '^system,' "$runs"; awk -F, "!/^#/ && !/^system,/ && ($2)" "$runs"; } > "$rows"
  [ "$(wc -l < "$rows")" -gt 1 ] || return 0
  "$dlscale" validate --measured "$rows" --format csv |
    awk -F, -v OFS=, -v c="$1" '/^"closed form"|^"simulator"/ && $2 > 0 { gsub(/"/, "", $1); print c "," $0 }'
}

echo "class,predictor,rows,median_abs_error_pct,p90_abs_error_pct,max_abs_error_pct,bias_pct,inside_interval"
class "Open MPI / all rows" '$1 == "openmpi"'
class "Open MPI / <= 64 KiB" '$1 == "openmpi" && $4 <= 65536'
class "Open MPI / >= 444584 B" '$1 == "openmpi" && $4 >= 444584'
class "ring N = 2 (one connection per pair) / >= 444584 B" '$1 == "openmpi" && $11 == "ring" && $5 == 2 && $2 !~ /links/ && $4 >= 444584'
class "ring N >= 3 (one connection per pair) / >= 444584 B" '$1 == "openmpi" && $11 == "ring" && $5 >= 3 && $6 == 1 && $2 !~ /links/ && $4 >= 444584'
class "ring N = 3 and 4 / >= 444584 B" '$1 == "openmpi" && $11 == "ring" && $5 >= 3 && $5 <= 4 && $6 == 1 && $2 !~ /links/ && $4 >= 444584'
class "ring N = 8 and 16 / >= 444584 B" '$1 == "openmpi" && $11 == "ring" && $5 >= 8 && $6 == 1 && $4 >= 444584'
class "ring btl_tcp_links 2 / >= 444584 B" '$2 ~ /links 2/ && $4 >= 444584'
class "tree / >= 444584 B" '$1 == "openmpi" && $11 == "tree" && $4 >= 444584'
class "tree N = 2 and 3 / >= 444584 B" '$1 == "openmpi" && $11 == "tree" && $5 <= 3 && $4 >= 444584'
class "tree N >= 4 / >= 444584 B" '$1 == "openmpi" && $11 == "tree" && $5 >= 4 && $4 >= 444584'
class "2 ranks per host: ring" '$1 == "openmpi" && $6 == 2 && $11 == "ring"'
class "2 ranks per host: hierarchical (coll han)" '$1 == "openmpi" && $6 == 2 && $11 == "hierarchical"'
class "PyTorch DDP / all rows" '$1 == "pytorch-ddp-gloo"'
class "PyTorch DDP / t_grad 0.2 s" '$1 == "pytorch-ddp-gloo" && $9 == 0.2'
class "PyTorch DDP / t_grad 0.02 s" '$1 == "pytorch-ddp-gloo" && $9 == 0.02'
class "dlscale-ps / all rows" '$1 == "dlscale-ps"'
class "dlscale-ps / central fair / sync" '$1 == "dlscale-ps" && $11 == "central" && $12 != "async"'
class "dlscale-ps / central fair / async" '$1 == "dlscale-ps" && $11 == "central" && $12 == "async"'
class "dlscale-ps / central fifo / sync" '$1 == "dlscale-ps" && $11 == "central-semaphore" && $12 != "async"'
class "dlscale-ps / central fifo / async" '$1 == "dlscale-ps" && $11 == "central-semaphore" && $12 == "async"'
class "dlscale-ps / sharded placed / sync" '$1 == "dlscale-ps" && $11 == "sharded-placed" && $12 != "async"'
class "dlscale-ps / sharded placed / async" '$1 == "dlscale-ps" && $11 == "sharded-placed" && $12 == "async"'

#pragma once
/// Ring all-reduce (Horovod / NCCL; second reference): reduce-scatter then all-gather,
/// each of N workers sends and receives 2 (N-1) chunks of bytes / N.
#include "dlscale/models/bounds.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::models {

/// All-reduce of `bytes` over N workers on identical links [s]: 2 (N-1) (alpha + (bytes/N) / beta).
Seconds ring_allreduce(int workers, Bytes bytes, const LinkModel& link);

/// One synchronous iteration on a fitted link [s]: t_g + 2 (N-1) (alpha + (bytes/N) / beta). Exact.
Bounds ring_sync_iter(int workers, Bytes bytes, const LinkModel& link, Seconds t_grad);

/// One synchronous iteration from t_comm alone (alpha = 0, bytes / beta = t_comm) [s]:
/// t_g + 2 (N-1) t_c / N, which is the even sharded server (4.12). Exact.
Bounds ring_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

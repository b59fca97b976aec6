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

namespace dlscale::models {

/// Flat ring over N workers placed node by node on cluster `c` (which has a NIC): each NIC
/// carries one ring flow each way, each worker's link one. A step moves bytes/N over every
/// hop at once and the slowest hop sets the pace (the pipeline's sends are paced by it, see
/// the simulator's twin), so with M > 1 nodes
///   2 (N-1) (a + bytes/N / min(B, B_i))
/// and inside one node 2 (N-1) (a_i + bytes/N / B_i) (MODELS.md "Real clusters").
Seconds ring_allreduce(int workers, Bytes bytes, const Cluster& c);

}  // namespace dlscale::models

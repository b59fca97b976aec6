#pragma once
/// Hierarchical all-reduce (MODELS.md extension; Horovod's hierarchical mode, NCCL's
/// intra-node then inter-node rings): with G workers per node and M nodes,
///   1. reduce-scatter inside each node: a ring of G over its fast link, (G-1) steps of bytes/G;
///   2. all-reduce of each node's bytes/G across the M nodes: a ring, 2 (M-1) steps of bytes/(G M);
///   3. all-gather inside each node: (G-1) steps of bytes/G.
/// Ring costs per Thakur, Rabenseifner & Gropp (2005).
#include "dlscale/models/bounds.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::models {

/// All-reduce of `bytes` over `workers` placed `per_node` to a node (the last node may hold
/// fewer; it is costed as a full one) [s]:
///   2 (G-1) (alpha_i + bytes/G / beta_i) + 2 (M-1) (alpha + bytes/(G M) / beta),
/// with G = min(per_node, N) and M = ceil(N / G).
Seconds hierarchical_allreduce(int workers, int per_node, Bytes bytes, const LinkModel& intra,
                               const LinkModel& inter);

/// One synchronous iteration [s]: t_g + the all-reduce. Exact.
Bounds hierarchical_sync_iter(int workers, int per_node, Bytes bytes, const LinkModel& intra,
                              const LinkModel& inter, Seconds t_grad);

}  // namespace dlscale::models

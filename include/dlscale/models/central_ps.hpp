#pragma once
/// Central parameter server (thesis 4.1.1 and 4.2.1): every worker talks to one server.
#include <cstdint>

#include "dlscale/models/bounds.hpp"

namespace dlscale::models {

/// One synchronous iteration [s]: best (N+1) t_c + t_g (4.4-4.6), worst 2N t_c + t_g
/// (4.7-4.9), estimate their mean (4.11).
Bounds central_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

/// Asynchronous training of D batches [s]: best max((D+1) t_c + t_g, (N-1) t_c + (D/N)(2 t_c + t_g))
/// (4.13-4.15), worst (D/N)(2N t_c + t_g) (4.16-4.18), estimate their mean (4.20).
/// D/N is ceil(D / N): the slowest worker's share.
Bounds central_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

#include "dlscale/scenario.hpp"

namespace dlscale::models {

/// One synchronous iteration with the central server on a host of its own (NIC B_s: the
/// servers' NIC, else the nodes' B) on cluster `c` [s]. A transfer crosses the server's NIC,
/// its worker's node NIC and the worker's link, so alone it takes t_c = W / min(B_s, B, B_i);
/// every message pays the inter-node latency a once each way:
///   best (one transfer at a time, 4.4): 2a + (N+1) t_c + t_g
///   worst (all at once, 4.7): 2a + 2 max(N W / B_s, G W / B, W / B_i) + t_g
/// With G = 1 and B_s = B these are 4.4 and 4.7 with t_c = W / B.
Bounds central_cluster_sync_iter(int workers, const Cluster& c, Bytes bytes, Seconds t_grad);

/// The time one transfer takes alone on cluster `c`, without latency: W / min(B_s, B, B_i).
Seconds central_cluster_transfer(const Cluster& c, Bytes bytes);

}  // namespace dlscale::models

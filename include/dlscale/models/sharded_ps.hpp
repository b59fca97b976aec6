#pragma once
/// Distributed (sharded) parameter server (thesis 4.1.2 and 4.2.2): every worker holds a
/// share of the weights and serves it to the others.
#include <cstdint>

#include "dlscale/models/bounds.hpp"

namespace dlscale::models {

/// One synchronous iteration, weights split evenly [s]: 2 t_c (N-1)/N + t_g (4.12). Exact.
Bounds sharded_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

/// One synchronous iteration with the largest share f_max of the weights on one worker [s]:
/// 2 (N-1) f_max t_c + t_g (MODELS.md; equals 4.12 when f_max = 1/N). Exact.
Bounds sharded_placed_sync_iter(int workers, double f_max, Seconds t_comm, Seconds t_grad);

/// Asynchronous training of D batches, even split [s]: (D/N)(2 t_c (N-1)/N + t_g) (4.21),
/// with D/N = ceil(D / N), the slowest worker's share. Exact.
Bounds sharded_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad);

/// Asynchronous training with largest share f_max [s]: (D/N)(2 (N-1) f_max t_c + t_g).
Bounds sharded_placed_async_train(int workers, std::int64_t batches, double f_max,
                                  Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

#include <span>

#include "dlscale/scenario.hpp"

namespace dlscale::models {

/// One direction (weights out, or gradients in) of the sharded server's exchange on cluster
/// `c` (which has a NIC), with K = server_loads.size() servers, server k holding
/// server_loads[k] bytes [s]. All transfers run at once, so the phase lasts as long as its
/// busiest link (MODELS.md "Real clusters"), plus the latency of the longest route:
///   node m's NIC out   F_m (P - p_m)           F_m: bytes of the servers on node m
///   node m's NIC in    p_m (W - F_m)           (W when the servers have hosts of their own)
///   server k's NIC     P L_k                   (own host, at the servers' NIC rate)
///   server k's link    P L_k                   (on a node, at B_i)
///   a worker's link    W (aggregating: W / g_m)
/// where p_m = g_m workers on node m exchange whole sets (aggregating: 1, the node exchanges
/// one set split over its workers) and P = sum p_m; server k runs on node k mod M. One
/// server per node, even loads, G = 1 and no intra limit gives 4.12's (N-1)/N t_c; G > 1
/// gives G (M-1)/M W / B. Equal to max-min sharing in the simulator whenever the busiest
/// link's transfers are not held back elsewhere, as with even loads or one server per node;
/// a lower bound otherwise.
Seconds sharded_exchange(int workers, const Cluster& c, std::span<const double> server_loads,
                         Bytes bytes);

/// Per-node aggregation's two intra-node steps around the exchange: a ring reduce-scatter
/// (and later all-gather) of G workers, (G-1) (a_i + W/G / B_i) each [s].
Seconds node_ring_step(const Cluster& c, Bytes bytes);

/// One direction with its intra-node step [s]: the exchange, plus one intra-node ring step
/// when aggregating. Independent of t_g and the mode, so a sweep computes it once per N.
Seconds sharded_cluster_phase(int workers, const Cluster& c, std::span<const double> server_loads,
                              Bytes bytes);

/// One synchronous iteration [s]: t_g + 2 x sharded_cluster_phase. Exact as far as
/// sharded_exchange is.
Bounds sharded_cluster_sync_iter(int workers, const Cluster& c, std::span<const double> server_loads,
                                 Bytes bytes, Seconds t_grad);

}  // namespace dlscale::models

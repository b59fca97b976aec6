#pragma once
// Private to the training simulation: one run's engine, flow network and workers, and what
// every process records. Participants 0..N-1 are workers, participant N the central server.
// Without a topology they are hosts 0..N of a star, host h with the links 2h (up,
// host -> switch) and 2h+1 (down, switch -> host); with one, `hosts` maps them.
#include <array>
#include <functional>
#include <span>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dlscale/models/overlap.hpp"
#include "dlscale/sim/training.hpp"
#include "sim/training/cluster_fabric.hpp"

namespace dlscale::sim::training {

/// Iteration (or asynchronous batch) durations in bounded memory: the count and mean are
/// exact; percentiles come from a uniform sample of at most 2^16 of them (reservoir sampling,
/// algorithm R, with its own fixed-seed generator so that the run's jitter draws do not
/// change). Exact whenever the run has no more durations than that.
class DurationStats {
 public:
  void add(double t);
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double percentile(double q) const;

 private:
  static constexpr std::size_t capacity = std::size_t{1} << 16;
  std::vector<double> kept_;
  std::int64_t count_ = 0;
  double sum_ = 0;
  std::mt19937_64 rng_{0x5eed};
};

struct Run {
  /// `servers`: participants N..N+servers-1 are servers (the central server when `central`;
  /// the K servers of a sharded scheme on a cluster with NICs); 0: workers only, and the
  /// thesis's sharded workers serve the shards.
  Run(const Scenario& s, Mode mode, int workers, const SimOptions& o, Sharing sharing,
      int servers, bool central);

  /// The whole weight set in bytes (a stand-in of 1e9 when the network is unknown: only the
  /// ratio to the link capacity, t_comm, matters then).
  Bytes weights() const { return weights_; }
  /// Shard owners of the sharded schemes: the K servers, or the N workers themselves.
  int owners() const { return servers_ > 0 ? servers_ : n; }
  /// The participant that owns shard j.
  int owner(int j) const { return servers_ > 0 ? n + j : j; }
  /// Owners other than worker w itself.
  int remote_owners(int w) const { return owners() - (servers_ == 0 && w < n ? 1 : 0); }
  /// Bytes of shard j (sharded schemes): `shards` when set, else an even split.
  Bytes shard(int j) const {
    if (!shards.empty()) return Bytes{shards[static_cast<std::size_t>(j)]};
    const auto b = weights_.v, k = static_cast<std::uint64_t>(owners());
    return Bytes{b / k + (static_cast<std::uint64_t>(j) < b % k ? 1 : 0)};
  }
  /// Starts a flow host `from` -> host `to` of `size` bytes.
  void send(int from, int to, Bytes size, Action on_done);
  /// Worker `w` computes its next batch (base x speed x straggler x jitter), then `then` runs.
  void compute(int w, Action then);
  /// The duration of worker `w`'s next batch, drawn as `compute` draws it and traced, for a
  /// process that schedules events inside the batch (the overlap's gradient readiness).
  Seconds draw_compute(int w);
  /// Records one iteration (or async batch) that took `t`.
  void record(Seconds t) {
    durations.add(t.v);
    if (options_.on_iteration) options_.on_iteration();
  }
  /// Fills everything but the process-specific fields.
  SimResult finish(const Scenario& s);

  Engine engine;
  std::optional<ClusterFabric> cluster;  ///< the described cluster's network, if any
  std::vector<int> hosts;  ///< fabric host of each participant: workers 0..N-1, then the server
  FlowNetwork net;
  int n;
  Seconds t_grad_step;  ///< per batch and worker: t_grad, or t_grad(b/N) for split
  DurationStats durations;
  std::map<std::int64_t, std::int64_t> staleness;
  std::int64_t iterations = 0;
  std::vector<TraceSpan> trace;
  std::vector<std::uint64_t> shards;  ///< bytes per owner (placed sharded schemes), or empty
  std::vector<std::string> notes;

 private:
  Seconds compute_time(int w);

  std::vector<LinkId> route_;  ///< scratch for topology and cluster routes
  int servers_ = 0;
  Bytes weights_;
  std::vector<double> factor_;  ///< speed x straggler, per worker
  const SimOptions& options_;
  std::mt19937_64 rng_;
};

/// The central server, synchronous (join or split): download, compute, upload, barrier.
void central_sync(Run& r, std::int64_t iterations);
/// The central server, asynchronous: each worker loops over its share of D with no barrier.
void central_async(Run& r, std::int64_t batches);
/// The sharded server: all-to-all of weights, compute, all-to-all of gradients, barrier.
void sharded_sync(Run& r, std::int64_t iterations);
/// The sharded server with overlap: compute; bucket by bucket, once every worker has it ready
/// and the previous one is exchanged, an all-to-all push of its shares, then the pull.
void sharded_overlapped_sync(Run& r, std::span<const models::GradBucket> buckets,
                             std::int64_t iterations);
/// The sharded server, asynchronous: each worker loops over its share of D with no barrier.
void sharded_async(Run& r, std::int64_t batches);
/// Per-node aggregation before the K servers: pull slices, all-gather in the node, compute,
/// reduce-scatter in the node, push slices, barrier. Full nodes of `workers_per_node`.
void aggregated_sync(Run& r, int workers_per_node, std::int64_t iterations);
/// Hierarchical all-reduce on full nodes of `workers_per_node`: compute, reduce-scatter in the
/// node, all-reduce rings across nodes, all-gather in the node, barrier.
void hierarchical_sync(Run& r, int workers_per_node, std::int64_t iterations);
/// Ring all-reduce: compute, then 2 (N-1) chunk steps to the right neighbour.
void ring_sync(Run& r, std::int64_t iterations);

/// One ring phase of a bucket's exchange: `steps` chunks of `chunk` bytes from each worker w to
/// next[w] (see GroupRing).
struct RingPhase {
  int steps = 0;
  Bytes chunk;
  std::vector<int> next;
};
/// Overlap (MODELS.md "Overlap"): bucket k of `buckets` is ready share_k into each worker's
/// compute; a worker enters bucket k's exchange, the chain of ring phases `phases(bytes_k)`,
/// once it is ready and the worker's exchange of bucket k-1 has ended. The iteration ends when
/// every worker has computed and ended its last exchange.
void overlapped_ring_sync(Run& r, std::span<const models::GradBucket> buckets,
                          const std::function<std::vector<RingPhase>(Bytes)>& phases,
                          std::int64_t iterations);
/// The phases of a ring all-reduce of `bytes` over all N workers: 2 (N-1) steps of bytes/N.
std::vector<RingPhase> ring_phases(int workers, Bytes bytes);
/// The phases of a hierarchical all-reduce on full nodes of g (aggregated.cpp).
std::vector<RingPhase> hierarchical_phases(int workers, int g, Bytes bytes);

}  // namespace dlscale::sim::training

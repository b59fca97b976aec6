#pragma once
/// What is being predicted: the measured inputs of one network on one cluster. The closed
/// forms and the simulator are pure functions of a Scenario.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/units.hpp"

namespace dlscale {

/// How weights and gradients travel.
enum class Scheme {
  central,           ///< one parameter server (thesis 4.3-4.11, 4.13-4.20)
  central_semaphore, ///< central server behind an access semaphore (thesis 7.1-7.3)
  sharded,           ///< distributed server, weights split evenly (4.12, 4.21)
  sharded_placed,    ///< distributed server, tensors placed by algorithm 3.7 (model order)
  sharded_lpt,       ///< distributed server, tensors placed largest first
  ring,              ///< ring all-reduce (Horovod / NCCL), synchronous only
  tree,              ///< binomial-tree reduce + broadcast all-reduce, synchronous only
  hierarchical,      ///< intra-node ring, inter-node ring, intra-node gather; needs Scenario::cluster
};
/// How batches are trained.
enum class Mode {
  sync_join,   ///< each iteration trains N batches; I = ceil(D / N)
  sync_split,  ///< each iteration trains one batch cut into N parts; I = D
  async,       ///< no iterations; each worker trains D / N batches
};
std::string_view to_string(Scheme s);
std::string_view to_string(Mode m);
/// Accept the CLI spellings ("central", "distributed" = sharded, "sharded-placed", "ring", ...,
/// "sync-join", "sync-split", "async"); throw ConfigError listing the valid names.
Scheme parse_scheme(std::string_view text);
Mode parse_mode(std::string_view text);
/// Every scheme that needs no description of the nodes: all but `hierarchical`.
const std::vector<Scheme>& all_schemes();
const std::vector<Mode>& all_modes();
/// The all-reduce schemes (ring, tree, hierarchical) have no asynchronous form.
bool supports(Scheme s, Mode m);

/// A link: t(bytes) = alpha + bytes / beta.
struct LinkModel {
  Seconds alpha;
  BytesPerSec beta;
  Seconds time(Bytes b) const { return alpha + b / beta; }
};

/// Where the parameter servers of a cluster run (MODELS.md "Real clusters").
struct ServerModel {
  /// K. 0: the scheme's default (central: 1; sharded: one per node, or N without a cluster).
  int count = 0;
  /// Set: the servers have hosts of their own, each with a NIC of this rate each way; absent:
  /// server k runs on worker node k mod M and shares that node's NIC. The central server
  /// always has its own host (the thesis's setup), with this NIC or the nodes' one.
  std::optional<BytesPerSec> dedicated_nic;
};

/// A cluster of M = ceil(N / G) nodes of G workers (the last node may hold fewer) that share
/// one NIC per node (MODELS.md "Real clusters"). Without `nic`, the nodes only group workers
/// for the hierarchical all-reduce and every worker keeps the scenario's own link (the thesis:
/// one GPU per host).
struct Cluster {
  int workers_per_node = 1;  ///< G
  /// Between workers of one node, per worker each way (NVLink, PCIe, shared memory). beta =
  /// infinity: not a bottleneck (not given).
  LinkModel intra{Seconds{0}, BytesPerSec{std::numeric_limits<double>::infinity()}};
  /// The node's NIC, each way, shared by its G workers: alpha = the latency of one message
  /// between workers of different nodes (>= intra.alpha), beta = the NIC rate.
  std::optional<LinkModel> nic;
  ServerModel servers;
  /// Per-node aggregation before the servers (TensorFlow replicated variables, MXNet
  /// device + dist kvstore, BytePS): reduce-scatter inside the node, each worker exchanges its
  /// 1/G slice with the servers, all-gather inside the node.
  bool aggregate = false;
  /// Nodes that hold `workers` workers.
  int nodes(int workers) const { return (workers + workers_per_node - 1) / workers_per_node; }
  /// Workers on node m (0-based) when `workers` are placed node by node: G, or fewer on the last.
  int workers_on(int node, int workers) const {
    return std::min(workers_per_node, workers - node * workers_per_node);
  }
  /// Servers of a sharded scheme at N workers: `servers.count`, else one per node.
  int server_count(int workers) const {
    return servers.count > 0 ? servers.count : nodes(workers);
  }
};

/// When gradients are exchanged relative to backpropagation (MODELS.md "Overlap").
enum class OverlapPolicy {
  none,     ///< every exchange starts after t_grad: the thesis's model
  tensor,   ///< one exchange per tensor as soon as it is ready (parameter-server frameworks)
  buckets,  ///< tensors grouped in reverse layer order into buckets (PyTorch DDP)
};
std::string_view to_string(OverlapPolicy p);

/// PyTorch DDP's defaults: bucket_cap_mb = 25 and dist._DEFAULT_FIRST_BUCKET_BYTES = 1 MiB
/// (torch/nn/parallel/distributed.py; the first bucket is small so that the first all-reduce
/// starts early). Horovod's tensor fusion buffer is 64 MiB per cycle (HOROVOD_FUSION_THRESHOLD).
inline constexpr std::uint64_t ddp_bucket_bytes = 25ull << 20;
inline constexpr std::uint64_t ddp_first_bucket_bytes = 1ull << 20;

struct Overlap {
  OverlapPolicy policy = OverlapPolicy::none;
  std::uint64_t bucket_bytes = ddp_bucket_bytes;        ///< buckets: cap of every bucket but the first
  std::uint64_t first_bucket_bytes = ddp_first_bucket_bytes;  ///< buckets: cap of the first
};

/// One gradient tensor for the overlap: its bytes and when it is ready, as a fraction of t_grad
/// (t_fwd + the backward times of the layers from the last down to its own, over t_grad).
struct GradTensor {
  std::uint64_t bytes = 0;
  double ready_share = 1;
};

/// The links of the all-reduce schemes (ring, tree, hierarchical) derived from a profile's
/// all-reduce fits (dlscale/collective.hpp: allreduce_link). For those schemes only, `inter`
/// replaces the link between nodes (the cluster's NIC, or Scenario::link without one) and
/// `intra` the cluster's intra-node link; the parameter servers keep `link`, `cluster` and
/// t_comm (TCP).
struct AllreduceLinks {
  std::optional<LinkModel> inter, intra;
  std::string inter_source, intra_source;  ///< said in the notes: which fit, at which N
  std::vector<std::string> notes;  ///< fits the profile has but these schemes do not use, and why
  bool empty() const { return !inter && !intra; }
};

/// What an all-reduce scheme runs on: the scenario's link and cluster with its AllreduceLinks
/// over them (AllreduceLinks says which field each replaces).
struct AllreduceInputs {
  std::optional<LinkModel> link;
  std::optional<Cluster> cluster;
};

struct Scenario {
  std::string network;  ///< for output only
  Seconds t_grad;       ///< one worker, one batch (of `batch_size` samples when known)
  /// Measured t_grad by batch size, used by sync-split for t_grad(b / N).
  std::map<std::int64_t, Seconds> t_grad_by_batch;
  std::optional<std::int64_t> batch_size;  ///< b, when known
  Seconds t_comm;       ///< the whole weight set once over one link at full rate
  Bytes weight_bytes;   ///< size of the weight set (0 when unknown)
  /// Link model for latency-aware schemes (ring). When absent: alpha = 0, beta = bytes / t_comm.
  std::optional<LinkModel> link;
  /// Bytes of every trainable tensor in model order (algorithm 3.7); empty when unknown, and
  /// then the placed schemes fall back to the even split and say so.
  std::vector<std::uint64_t> tensor_bytes;
  std::int64_t batches = 128;  ///< D, batches to train (thesis experiments: 128)
  /// The cluster: nodes of G workers sharing a NIC, servers, aggregation. Required by the
  /// hierarchical scheme; absent: the thesis's one worker per host, each with `link`/t_comm.
  std::optional<Cluster> cluster;
  /// Overlap of the exchange with backpropagation; `none` keeps the thesis's model.
  Overlap overlap;
  /// The network's gradient tensors in model order with their readiness (whole tensors, not
  /// the --split-tensors pieces); needed by every overlap policy but `none`.
  std::vector<GradTensor> grad_tensors;
  /// Where the readiness came from (per-layer measurements, or multiply-add shares).
  std::string grad_timing_source;
  /// Caveats about the inputs (a t_grad estimated rather than measured), repeated in every
  /// prediction's notes.
  std::vector<std::string> input_notes;
  /// The profile's collective fits for ring, tree and hierarchical; empty: they use `link`
  /// and `cluster` like every scheme.
  AllreduceLinks allreduce;
};

/// `s.link` and `s.cluster` with `s.allreduce` over them.
AllreduceInputs allreduce_inputs(const Scenario& s);

}  // namespace dlscale

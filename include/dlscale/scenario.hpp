#pragma once
/// What is being predicted: the measured inputs of one network on one cluster. The closed
/// forms and the simulator are pure functions of a Scenario.
#include <cstdint>
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
  hierarchical,      ///< intra-node ring, inter-node ring, intra-node gather; needs Scenario::node
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

/// Workers grouped into nodes with a faster link inside (for the hierarchical all-reduce).
struct NodeModel {
  int workers_per_node = 1;
  LinkModel intra;  ///< the link between workers of one node (NVLink, PCIe, shared memory)
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
  /// Node grouping; required by the hierarchical scheme only.
  std::optional<NodeModel> node;
  /// Caveats about the inputs (a t_grad estimated rather than measured), repeated in every
  /// prediction's notes.
  std::vector<std::string> input_notes;
};

}  // namespace dlscale

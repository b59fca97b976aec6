#pragma once
/// Data-parallel training simulated on the event engine and the flow network: workers and
/// servers exchange weights and gradients as flows, compute as timed events, and the
/// result is measured rather than assumed. With no jitter it reproduces the closed forms
/// (FIFO sharing = the central best case, fair sharing = the worst case); with jitter,
/// stragglers or uneven shards it shows where a real cluster lands.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/scenario.hpp"
#include "dlscale/sim/flows.hpp"
#include "dlscale/sim/topology.hpp"
#include "dlscale/units.hpp"

namespace dlscale::sim {

/// How one worker's compute time varies from batch to batch.
enum class Jitter { none, normal, lognormal };

struct SimOptions {
  Sharing sharing = Sharing::fair;  ///< central_semaphore always uses fifo (section 7.2)
  Jitter jitter = Jitter::none;
  double cv = 0;                    ///< coefficient of variation of t_grad, >= 0
  double straggler_fraction = 0;    ///< share of workers, in [0, 1], slower by `straggler_factor`
  double straggler_factor = 1;      ///< >= 1
  std::vector<double> worker_speed; ///< optional per-worker t_grad factors (> 0), one per worker
  std::uint64_t seed = 1;           ///< the only source of randomness: same seed, same result
  bool trace = false;               ///< record every compute and transfer span (SimResult::trace)
  /// Simulate at most this many iterations (>= 1) and extrapolate t_train from their mean;
  /// absent: all I of them. Asynchronous runs simulate this many batches per worker (at most
  /// D in all) and scale t_train by D / simulated batches.
  std::optional<std::int64_t> iterations;
  /// Most transfers one simulate() call may start (SimWork::flows); past it, ConfigError
  /// before anything runs. A few million transfers take a second.
  double max_flows = 1e8;
  /// Called after every simulated iteration (asynchronous: every batch), e.g. for progress.
  std::function<void()> on_iteration;
  /// The cluster's network; absent: every host on one non-blocking switch (a star) with a
  /// full-duplex NIC of weight_bytes / t_comm each way. Workers take the topology's hosts in
  /// file order and the central server the next one (or the host of its `server` line).
  std::shared_ptr<const Topology> topology;
};

/// One span of the timeline: a worker computing, or a transfer from request to last byte
/// (queueing included). Hosts 0..N-1 are the workers, host N the central server.
struct TraceSpan {
  const char* what;  ///< "compute" or "transfer"
  int host;          ///< the computing host, or the sender
  int peer;          ///< the receiver of a transfer; -1 for compute
  Seconds start, duration;
  Bytes bytes;       ///< transfers only
};

/// How much of one link the run used.
struct LinkUtilization {
  std::string name;
  double utilization = 0;  ///< bytes carried / (capacity x t_train)
  double busy = 0;         ///< time carrying at least one flow / t_train (>= utilization)
};

struct SimResult {
  Seconds t_train;
  double speedup = 0;              ///< D t_grad / t_train (eq. 4.23)
  std::int64_t iterations = 0;     ///< synchronous iterations I of the training (0 for async)
  std::int64_t simulated_iterations = 0;  ///< of which simulated (< I with SimOptions::iterations)
  Seconds t_iter_mean, t_iter_p50, t_iter_p99;  ///< per iteration (async: per batch of a worker)
  std::vector<LinkUtilization> links;           ///< every link, in link order
  std::map<std::int64_t, std::int64_t> staleness;  ///< async: updates between read and write -> count
  std::uint64_t events = 0;        ///< events the engine processed
  std::vector<TraceSpan> trace;    ///< with SimOptions::trace: compute spans as they start, transfers as they end
  std::vector<std::string> notes;  ///< assumptions the run made (e.g. the placement's f_max)
};

/// What one simulation costs, known before it starts.
struct SimWork {
  double flows = 0;       ///< transfers it starts (time: each is a few events)
  double peak_flows = 0;  ///< transfers in flight at once, at most (memory)
  double iterations = 0;  ///< iterations it simulates (asynchronous: batches)
};
/// Transfers in flight that fit in memory: about 270 bytes each, so 2^22 is about 1.1 GiB
/// (the sharded all-to-all holds N (N-1) at once: N = 2048 is the largest it allows).
inline constexpr double max_peak_flows = 1 << 22;
/// Most transfers a run with SimOptions::trace may record (the timeline holds every one).
inline constexpr double max_traced_flows = 1e6;

/// The work of simulate(s, scheme, mode, workers, o) without running it: per simulated
/// iteration the central server moves 2N transfers, the sharded all-to-all 2N(N-1), the ring
/// 2N(N-1) chunks; asynchronous runs move 2 (central) or 2(N-1) (sharded) per batch.
SimWork estimate_work(const Scenario& s, Scheme scheme, Mode mode, int workers,
                      const SimOptions& o);
/// Throws ConfigError naming `what` when `w` passes o.max_flows or max_peak_flows.
void check_work(const SimWork& w, const SimOptions& o, std::string_view what);

/// True for the (scheme, mode) pairs `simulate` implements.
bool simulated(Scheme scheme, Mode mode);

/// Simulates training D = s.batches batches on `workers` workers. Without a topology, hosts
/// hang off one non-blocking switch, each with a full-duplex NIC whose links move the whole
/// weight set in t_comm (capacity weight_bytes / t_comm; latency alpha when the scenario has a
/// link); with one, flows follow its routes and its capacities ("1x" = weight_bytes / t_comm).
/// Simulated: central, central_semaphore, sharded (even), sharded_placed (algorithm 3.7),
/// sharded_lpt (largest first), ring; other schemes throw ConfigError. Throws ConfigError for bad options (workers < 1, cv < 0, fraction outside
/// [0, 1], factor < 1, a speed list of the wrong length or with a value <= 0, a topology
/// with fewer hosts than the run needs).
SimResult simulate(const Scenario& s, Scheme scheme, Mode mode, int workers,
                   const SimOptions& options = {});

}  // namespace dlscale::sim

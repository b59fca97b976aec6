#pragma once
/// Predictions from the closed forms: one row per (scheme, mode, workers), sweeps over
/// worker counts, and the optimum.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

/// Best case, worst case and the estimate used for speedup (their mean for the central
/// server, eq. 4.11 / 4.20; all three equal where the model is exact).
struct Range {
  Seconds best, worst, estimate;
};

struct Prediction {
  std::string network;
  Scheme scheme = Scheme::central;
  Mode mode = Mode::sync_join;
  int workers = 1;
  std::int64_t iterations = 0;  ///< I (sync); 0 for async
  Range t_iter;                 ///< one iteration (sync); for async the mean time per batch per worker
  Range t_train;                ///< whole training, D batches
  /// t_iter - t_grad_used: the communication not hidden behind backpropagation (all of it
  /// without overlap; for async the mean per batch).
  Range exposed_comm;
  /// The scenario's overlap policy; printers show exposed_comm only when it is not none, so
  /// that the thesis's output stays as it was.
  OverlapPolicy overlap = OverlapPolicy::none;
  double speedup_best = 0, speedup_worst = 0, speedup = 0;  ///< eq. 4.23: D t_grad / t_train
  double efficiency = 0;        ///< speedup / workers
  Seconds t_grad_used;          ///< per worker per step (t_grad, or t_grad(b/N) for split)
  std::int64_t batches = 0;     ///< D, the batches of the training
  /// Workers with no batch to train (sync-join and async with N > D): the speedup is capped
  /// by D, not by communication; printers show it beside the number.
  std::int64_t idle_workers = 0;
  /// Facts a user must know about this row, e.g. "D=128 not divisible by N=3: I = ceil(D/N)",
  /// "split: t_grad/N (no measured t_grad(b/N))", "placement f_max = 0.74".
  std::vector<std::string> notes;
};

/// One prediction; throws ConfigError for workers < 1 or an unsupported (scheme, mode).
Prediction predict(const Scenario& s, Scheme scheme, Mode mode, int workers);

/// Inclusive worker range; `step` > 1 gives a linear stride, `geometric` doubles; a non-empty
/// `list` gives exactly those counts (ascending, first and last its ends).
struct WorkerRange {
  int first = 1, last = 8;
  int step = 1;
  bool geometric = false;
  std::vector<int> list;
  std::vector<int> values() const;
};
/// "8" (1..8), "1:4096", "2:64:2" (step 2), "1:1024:x2" (doubling) or a list "8,16,32,64";
/// throws ConfigError for < 1, non-numbers, first > last, or a repeated count.
WorkerRange parse_worker_range(std::string_view text);

/// All supported (scheme, mode) pairs of `schemes` x `modes`, for each worker count, handed
/// to `visit` one row at a time (scheme, then mode, then workers ascending): a long sweep
/// needs no memory for its rows.
void sweep_each(const Scenario& s, std::span<const Scheme> schemes, std::span<const Mode> modes,
                const WorkerRange& workers, const std::function<void(const Prediction&)>& visit);
/// The rows of `sweep_each`, kept; throws ConfigError beyond 2,000,000 rows.
std::vector<Prediction> sweep(const Scenario& s, std::span<const Scheme> schemes,
                              std::span<const Mode> modes, const WorkerRange& workers);

/// The questions `optimal` answers besides the fastest N.
struct OptimumQuestions {
  double min_efficiency = 0.8;  ///< efficient: the largest N with speedup / N >= this, in (0, 1]
  double knee_gain = 0.1;  ///< knee: from it on, doubling N gains < this fraction; in (0, 1]
  std::optional<double> worker_hour_price;  ///< cheapest: price of one worker for an hour, >= 0
  std::optional<double> node_hour_price;    ///< and of one node (needs Scenario::node), >= 0
  std::optional<Seconds> deadline;          ///< cheapest among the N that finish within it
};

struct Optimum {
  Scheme scheme;
  Mode mode;
  int servers = 0;  ///< K when the caller compared several (optimal --servers 1,2,4); else 0
  Prediction best;  ///< fastest: the shortest estimated t_train (ties: fewer workers)
  /// The fastest N is the largest one searched and a larger N would be faster still: with the
  /// default search, no optimum below 1,000,000 workers; with --workers, the range's edge.
  bool still_rising = false;
  std::string edge_note;  ///< what lies beyond the searched range, when it matters
  std::optional<Prediction> efficient;  ///< largest N with efficiency >= min_efficiency
  std::optional<Prediction> knee;       ///< the N from which on doubling gains < knee_gain
  std::optional<Prediction> cheapest;   ///< lowest cost (within the deadline), with a price
  double cheapest_cost = 0;             ///< t_train [h] x (N x worker + nodes x node price)
  std::string cheapest_note;            ///< e.g. that no N meets the deadline
  /// The bucket size when the caller compared several (optimal --bucket-sizes); else 0.
  std::uint64_t bucket_bytes = 0;
};

/// The answers for each supported (scheme, mode). With `range`, exactly its worker counts
/// (an answer at its upper edge is flagged when N beyond it does better). Without, every N up
/// to 1024, then a 1 % geometric grid and the N = ceil(D/k) where the iteration count steps,
/// up to 1,000,000, and every N between the grid points around each answer: between those
/// points the models change smoothly, so the answers match an exhaustive search.
std::vector<Optimum> optimal(const Scenario& s, std::span<const Scheme> schemes,
                             std::span<const Mode> modes, const std::optional<WorkerRange>& range,
                             const OptimumQuestions& questions = {});
/// The fastest worker count for each supported (scheme, mode) within `workers`.
std::vector<Optimum> optimal(const Scenario& s, std::span<const Scheme> schemes,
                             std::span<const Mode> modes, const WorkerRange& workers);
/// The overall fastest of `optima` (shortest estimated t_train; ties: fewer workers, then the
/// earlier entry); throws ConfigError when empty.
const Optimum& overall_best(std::span<const Optimum> optima);

}  // namespace dlscale

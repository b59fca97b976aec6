// The optimum search: the fastest, the most efficient, the cheapest worker count and the
// knee, for each (scheme, mode). The closed forms are cheap, so the default search covers
// every N a user could mean instead of stopping at the end of a display range.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/predict.hpp"
#include "predict/rows.hpp"

namespace dlscale {
namespace {

// Every N up to here is evaluated; beyond it a geometric grid (and the steps of ceil(D/N)).
constexpr int exhaustive_up_to = 1024;
constexpr double grid_ratio = 1.01;
// The N = ceil(D/k) where sync-join's iteration count steps are added while there are at most
// this many of them above exhaustive_up_to (D up to about 2e7); beyond, the 1 % grid and the
// scan around each answer still find the right step to within one grid cell.
constexpr std::int64_t max_step_points = 20000;

// Rows of one (scheme, mode), computed once per N.
class Evaluator {
 public:
  Evaluator(const Scenario& s, Scheme scheme, Mode mode)
      : s_(s), scheme_(scheme), mode_(mode),
        placed_(detail::uses_placement(s, scheme)),
        shares_(placed_ ? s.tensor_bytes : std::vector<std::uint64_t>{},
                scheme == Scheme::sharded_lpt) {}

  const Prediction& at(int n) {
    if (const auto it = rows_.find(n); it != rows_.end()) return it->second;
    detail::PerWorkers pw = detail::uneven_notes(s_, n);
    detail::set_placement(pw, s_, scheme_, n, &shares_);
    return rows_.emplace(n, detail::predict_row(s_, scheme_, mode_, n, pw)).first->second;
  }
  double t_train(int n) { return at(n).t_train.estimate.v; }

 private:
  const Scenario& s_;
  Scheme scheme_;
  Mode mode_;
  bool placed_;
  models::PlacementShares shares_;
  std::map<int, Prediction> rows_;
};

// The worker counts the default search evaluates, ascending.
std::vector<int> default_candidates(const Scenario& s, Mode mode) {
  constexpr int cap = detail::max_workers;
  std::vector<int> ns;
  for (int n = 1; n <= std::min(cap, exhaustive_up_to); ++n) ns.push_back(n);
  for (double n = exhaustive_up_to; n < cap;) {
    n = std::max(n + 1, std::ceil(n * grid_ratio));
    ns.push_back(static_cast<int>(std::min<double>(n, cap)));
  }
  if (mode != Mode::sync_split && s.batches / exhaustive_up_to <= max_step_points)
    for (std::int64_t k = 1; k <= s.batches; ++k) {
      const std::int64_t n = (s.batches + k - 1) / k;  // the fewest workers with I = k
      if (n <= exhaustive_up_to) break;
      if (n <= cap) ns.push_back(static_cast<int>(n));
    }
  std::sort(ns.begin(), ns.end());
  ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
  return ns;
}

// The N strictly between the candidates around position i, which the default search scans
// one by one once an answer lands there (empty inside the exhaustive part).
std::vector<int> neighbourhood(const std::vector<int>& ns, std::size_t i) {
  std::vector<int> out;
  const int lo = i > 0 ? ns[i - 1] : ns[i];
  const int hi = i + 1 < ns.size() ? ns[i + 1] : ns[i];
  for (int n = lo + 1; n < hi; ++n) out.push_back(n);
  return out;
}

struct Search {
  Evaluator& e;
  const std::vector<int>& ns;
  bool exhaustive;  ///< ns is the user's range: nothing between its values is looked at
  /// The N the cluster can run (K <= N servers, full nodes for per-node aggregation).
  std::function<bool(int)> allowed;

  // The smallest N minimising key(N), over the candidates then around the winner.
  template <class Key>
  std::optional<int> arg_min(Key key) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < ns.size(); ++i)
      if (const auto k = key(ns[i]); k && (!best || *k < *key(ns[*best]))) best = i;
    if (!best) return std::nullopt;
    int n = ns[*best];
    if (!exhaustive)
      for (const int m : neighbourhood(ns, *best))
        if (const auto k = allowed(m) ? key(m) : std::nullopt;
            k && (*k < *key(n) || (*k == *key(n) && m < n)))
          n = m;
    return n;
  }

  // The largest N with ok(N), assuming ok holds up to some N and not beyond (checked at
  // every candidate; the scan between two grid points finds the exact last one).
  template <class Ok>
  std::optional<int> last(Ok ok) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < ns.size(); ++i)
      if (ok(ns[i])) found = i;
    if (!found) return std::nullopt;
    int n = ns[*found];
    if (!exhaustive && *found + 1 < ns.size())
      for (int m = n + 1; m < ns[*found + 1]; ++m)
        if (allowed(m) && ok(m)) n = m;
    return n;
  }
};

// Knee: the N from which on doubling the workers gains less than `gain` (the speedup at 2N
// against N); the N after the last one where doubling still paid. With a slow start (t_comm
// close to t_grad, so two workers are hardly faster than one) the first such N would be 1 and
// say nothing; this is the point where scaling stops paying for good.
std::optional<Prediction> knee(Search& search, double gain) {
  const auto pays = [&](int m) {
    return 2LL * m <= detail::max_workers &&
           search.e.at(2 * m).speedup >= (1 + gain) * search.e.at(m).speedup;
  };
  const auto last_paying = search.last(pays);
  if (!last_paying) return search.e.at(search.ns.front());
  const auto next = std::upper_bound(search.ns.begin(), search.ns.end(), *last_paying);
  if (next == search.ns.end()) return std::nullopt;  // still paying at the largest N
  return search.e.at(search.exhaustive ? *next : *last_paying + 1);
}

std::string hours(double seconds) { return fmt::format("{:.4g} h", seconds / 3600); }

void answer_fastest(Optimum& o, Search& search, const std::optional<WorkerRange>& range) {
  const int n = *search.arg_min([&](int m) { return std::optional(search.e.t_train(m)); });
  o.best = search.e.at(n);
  const int cap = detail::max_workers;
  if (!range) {
    if (n == cap) {
      o.still_rising = true;
      o.edge_note = fmt::format("no optimum below {} workers: the speedup keeps rising", cap);
    }
    return;
  }
  // The user's range: say when the answer is its edge and the model does better beyond it.
  for (const int beyond : {n + 1, 2 * n}) {
    if (n != range->last || beyond > cap) break;
    if (search.e.t_train(beyond) < o.best.t_train.estimate.v) {
      o.still_rising = true;
      o.edge_note = fmt::format("at the edge of --workers (last {}): N = {} is faster (speedup "
                                "{:.4g}); widen the range or leave --workers out",
                                range->last, beyond, search.e.at(beyond).speedup);
      return;
    }
  }
}

double cost(const Prediction& p, const Scenario& s, const OptimumQuestions& q) {
  const double nodes = s.cluster ? s.cluster->nodes(p.workers) : 0;
  return p.t_train.estimate.v / 3600 *
         (p.workers * q.worker_hour_price.value_or(0) + nodes * q.node_hour_price.value_or(0));
}

void answer_cheapest(Optimum& o, Search& search, const Scenario& s, const OptimumQuestions& q) {
  if (!q.worker_hour_price && !q.node_hour_price) return;
  const auto meets = [&](int m) { return !q.deadline || search.e.t_train(m) <= q.deadline->v; };
  const auto n = search.arg_min([&](int m) {
    return meets(m) ? std::optional(cost(search.e.at(m), s, q)) : std::nullopt;
  });
  if (!n) {
    o.cheapest_note = fmt::format("no N meets the deadline of {}; the fastest, N = {}, takes {}",
                                  hours(q.deadline->v), o.best.workers,
                                  hours(o.best.t_train.estimate.v));
    return;
  }
  o.cheapest = search.e.at(*n);
  o.cheapest_cost = cost(*o.cheapest, s, q);
}

void check_questions(const Scenario& s, const OptimumQuestions& q) {
  if (!(q.min_efficiency > 0 && q.min_efficiency <= 1))
    throw ConfigError(fmt::format("optimal: --min-efficiency: {}; a number in (0, 1] expected",
                                  q.min_efficiency));
  if (!(q.knee_gain > 0 && q.knee_gain <= 1))
    throw ConfigError(fmt::format("optimal: --knee-gain: {}; a number in (0, 1] expected",
                                  q.knee_gain));
  for (const auto& price : {q.worker_hour_price, q.node_hour_price})
    if (price && !(*price >= 0 && std::isfinite(*price)))
      throw ConfigError(fmt::format("optimal: price {}; a finite number >= 0 per hour expected",
                                    *price));
  if (q.node_hour_price && !s.cluster)
    throw ConfigError("optimal: --node-price needs the nodes described: --gpus-per-node G");
  if (q.deadline && !(q.deadline->v > 0 && std::isfinite(q.deadline->v)))
    throw ConfigError(fmt::format("optimal: --deadline: {} s; a time > 0 expected", q.deadline->v));
}

}  // namespace

std::vector<Optimum> optimal(const Scenario& s, std::span<const Scheme> schemes,
                             std::span<const Mode> modes, const std::optional<WorkerRange>& range,
                             const OptimumQuestions& q) {
  detail::validate(s);
  check_questions(s, q);
  for (const Scheme scheme : schemes) detail::check_scheme_inputs(s, scheme);
  std::vector<Optimum> out;
  for (const Scheme scheme : schemes)
    for (const Mode mode : modes) {
      if (!supports(scheme, mode)) continue;
      Evaluator e(s, scheme, mode);
      std::vector<int> ns = range ? range->values() : default_candidates(s, mode);
      if (range && ns.size() > 2'000'000)
        throw ConfigError(fmt::format("optimal: {} worker counts; at most 2000000 expected (a "
                                      "step, or leave --workers out)", ns.size()));
      const auto allowed = [&s, scheme](int n) { return detail::cluster_allows(s, scheme, n); };
      // Only the N the cluster can run are candidates (K <= N servers, full nodes when
      // aggregating); a range that holds none of them is refused as sweep would refuse it.
      const int first = ns.front();
      std::erase_if(ns, [&](int n) { return !allowed(n); });
      if (ns.empty()) detail::check_cluster_request(s, scheme, first);  // throws: none can run
      Search search{e, ns, range.has_value(), allowed};
      Optimum o{scheme, mode, 0, {}, false, {}, {}, {}, {}, 0, {}};
      answer_fastest(o, search, range);
      if (const auto n = search.last([&](int m) { return e.at(m).efficiency >= q.min_efficiency; }))
        o.efficient = e.at(*n);
      o.knee = knee(search, q.knee_gain);
      answer_cheapest(o, search, s, q);
      out.push_back(std::move(o));
    }
  return out;
}

std::vector<Optimum> optimal(const Scenario& s, std::span<const Scheme> schemes,
                             std::span<const Mode> modes, const WorkerRange& workers) {
  return optimal(s, schemes, modes, std::optional(workers));
}

const Optimum& overall_best(std::span<const Optimum> optima) {
  if (optima.empty()) throw ConfigError("optimum: no supported (scheme, mode) pair was given");
  std::size_t best = 0;
  for (std::size_t i = 1; i < optima.size(); ++i) {
    const auto& a = optima[i].best;
    const auto& b = optima[best].best;
    if (a.t_train.estimate < b.t_train.estimate ||
        (a.t_train.estimate == b.t_train.estimate && a.workers < b.workers))
      best = i;
  }
  return optima[best];
}

}  // namespace dlscale

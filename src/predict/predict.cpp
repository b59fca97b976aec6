// predict(): picks the closed form of a (scheme, mode), turns iterations into training time
// and training time into speedup (4.23), and records every assumption as a note.
#include "dlscale/predict.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/central_ps.hpp"
#include "dlscale/models/hierarchical.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/models/semaphore.hpp"
#include "dlscale/models/sharded_ps.hpp"
#include "dlscale/models/tree.hpp"
#include "predict/rows.hpp"

namespace dlscale {
namespace {

using models::Bounds;
using Notes = std::vector<std::string>;

// t_grad(b/N) when it was measured, else the thesis's t_grad / N.
Seconds split_t_grad(const Scenario& s, int n, Notes& notes) {
  if (n == 1) return s.t_grad;
  if (s.batch_size && *s.batch_size % n == 0) {
    const auto it = s.t_grad_by_batch.find(*s.batch_size / n);
    if (it != s.t_grad_by_batch.end()) {
      notes.push_back(fmt::format("split: measured t_grad(b/N = {}) = {:.6g} s", it->first,
                                  it->second.v));
      return it->second;
    }
  }
  notes.push_back("split: t_grad/N (no measured t_grad(b/N))");
  return s.t_grad / n;
}

void add_note(Notes& notes, const std::string& note) {
  if (!note.empty()) notes.push_back(note);
}

Bounds sharded_iter(const Scenario& s, Scheme scheme, int n, Seconds t_g,
                    const detail::PerWorkers& pw, Notes& notes) {
  add_note(notes, pw.placement_note);
  if (detail::nic_cluster(s) != nullptr) return models::exact(t_g + 2.0 * pw.cluster_phase);
  const auto share = scheme == Scheme::sharded ? std::nullopt : pw.f_max;
  if (!share) return models::sharded_sync_iter(n, s.t_comm, t_g);
  return models::sharded_placed_sync_iter(n, *share, s.t_comm, t_g);
}

Bounds sharded_train(const Scenario& s, Scheme scheme, int n, const detail::PerWorkers& pw,
                     Notes& notes) {
  add_note(notes, pw.placement_note);
  if (detail::nic_cluster(s) != nullptr) {
    // 4.21 on the cluster: every worker runs its ceil(D/N) batches back to back, each with
    // both phases of the exchange.
    const double per_worker = static_cast<double>(models::batches_per_worker(s.batches, n));
    return models::exact(per_worker * (s.t_grad + 2.0 * pw.cluster_phase));
  }
  const auto share = scheme == Scheme::sharded ? std::nullopt : pw.f_max;
  if (!share) return models::sharded_async_train(n, s.batches, s.t_comm, s.t_grad);
  return models::sharded_placed_async_train(n, s.batches, *share, s.t_comm, s.t_grad);
}

// Where the all-reduce schemes' links come from when the profile's collective fits replace
// the scenario's (AllreduceLinks).
void allreduce_note(const Scenario& s, std::string_view scheme, Notes& notes) {
  const AllreduceLinks& a = s.allreduce;
  for (const auto& note : a.notes) notes.push_back(fmt::format("{}: {}", scheme, note));
  if (a.inter)
    notes.push_back(fmt::format("{}: link between nodes alpha = {:.6g} s, beta = {:.6g} B/s from "
                                "{}", scheme, a.inter->alpha.v, a.inter->beta.v, a.inter_source));
  if (a.intra && s.cluster)
    notes.push_back(fmt::format("{}: intra-node link alpha = {:.6g} s, beta = {:.6g} B/s from {}",
                                scheme, a.intra->alpha.v, a.intra->beta.v, a.intra_source));
}

Bounds ring_iter(const Scenario& s, int n, Seconds t_g, Notes& notes) {
  allreduce_note(s, "ring", notes);
  const AllreduceInputs in = allreduce_inputs(s);
  if (in.cluster && in.cluster->nic) {
    notes.push_back("ring: flat ring placed node by node, one flow per NIC each way");
    return models::exact(t_g + models::ring_allreduce(n, s.weight_bytes, *in.cluster));
  }
  if (in.link && s.weight_bytes.v > 0) {
    notes.push_back(fmt::format("ring: link alpha = {:.6g} s, beta = {:.6g} B/s", in.link->alpha.v,
                                in.link->beta.v));
    return models::ring_sync_iter(n, s.weight_bytes, *in.link, t_g);
  }
  // alpha = 0 and bytes / beta = t_comm: the ring then moves what the even sharded server does.
  notes.push_back("ring: no link model; alpha = 0, bytes/beta = t_comm");
  return models::ring_sync_iter(n, s.t_comm, t_g);
}

Bounds tree_iter(const Scenario& s, int n, Seconds t_g, Notes& notes) {
  allreduce_note(s, "tree", notes);
  const AllreduceInputs in = allreduce_inputs(s);
  if (in.cluster && in.cluster->nic) {
    notes.push_back("tree: binomial reduce + broadcast placed node by node; rounds inside a node "
                    "at the intra-node rate, rounds across nodes at the NIC's");
    return models::exact(t_g + models::tree_allreduce(n, s.weight_bytes, *in.cluster));
  }
  if (in.link && s.weight_bytes.v > 0) {
    notes.push_back(fmt::format("tree: binomial reduce + broadcast, 2 ceil(log2 N) rounds; link "
                                "alpha = {:.6g} s, beta = {:.6g} B/s", in.link->alpha.v,
                                in.link->beta.v));
    return models::tree_sync_iter(n, s.weight_bytes, *in.link, t_g);
  }
  notes.push_back("tree: binomial reduce + broadcast, 2 ceil(log2 N) rounds of t_comm (no link "
                  "model)");
  return models::tree_sync_iter(n, s.t_comm, t_g);
}

Bounds hierarchical_iter(const Scenario& s, int n, Seconds t_g, Notes& notes) {
  allreduce_note(s, "hierarchical", notes);
  const AllreduceInputs in = allreduce_inputs(s);
  const Cluster& c = *in.cluster;  // checked by check_scheme_inputs
  const int g = c.workers_per_node;
  std::string source;
  const LinkModel inter = detail::hierarchical_inter(s, n, &source);
  notes.push_back(fmt::format("hierarchical: {} workers per node, intra beta = {:.6g} B/s, inter "
                              "beta = {:.6g} B/s{}", g, c.intra.beta.v, inter.beta.v, source));
  if (n % g != 0 && n > g)
    notes.push_back(fmt::format("hierarchical: N={} not a multiple of {}: the last node is "
                                "costed as a full one", n, g));
  return models::hierarchical_sync_iter(n, g, s.weight_bytes, c.intra, inter, t_g);
}

// The central server on a cluster has a host of its own (the thesis's setup).
Bounds central_iter(const Scenario& s, int n, Seconds t_g, Notes& notes) {
  const Cluster* c = detail::nic_cluster(s);
  if (c == nullptr) return models::central_sync_iter(n, s.t_comm, t_g);
  notes.push_back(c->servers.dedicated_nic ? "central: server on a host of its own, NIC "
                                            "--server-nic"
                                          : "central: server on a host of its own, NIC as the "
                                            "nodes'");
  return models::central_cluster_sync_iter(n, *c, s.weight_bytes, t_g);
}

Bounds central_train(const Scenario& s, int n, Notes& notes) {
  const Cluster* c = detail::nic_cluster(s);
  if (c == nullptr) return models::central_async_train(n, s.batches, s.t_comm, s.t_grad);
  // Best: 4.13-4.15 with one transfer alone on the cluster (latency included) as t_c; worst:
  // every batch pays the synchronous worst case's all-at-once exchange (4.16).
  const Seconds t_c = c->nic->alpha + models::central_cluster_transfer(*c, s.weight_bytes);
  const Bounds iter = central_iter(s, n, s.t_grad, notes);
  const double per_worker = static_cast<double>(models::batches_per_worker(s.batches, n));
  return models::mean_bounds(models::central_async_train(n, s.batches, t_c, s.t_grad).best,
                             per_worker * iter.worst);
}

Bounds sync_iter(const Scenario& s, Scheme scheme, int n, Seconds t_g,
                 const detail::PerWorkers& pw, Notes& notes) {
  switch (scheme) {
    case Scheme::central: return central_iter(s, n, t_g, notes);
    case Scheme::central_semaphore: {
      notes.push_back("semaphore: FIFO access enforces the central best case (7.1-7.3)");
      return models::behind_semaphore(central_iter(s, n, t_g, notes));
    }
    case Scheme::ring: return ring_iter(s, n, t_g, notes);
    case Scheme::tree: return tree_iter(s, n, t_g, notes);
    case Scheme::hierarchical: return hierarchical_iter(s, n, t_g, notes);
    case Scheme::sharded:
    case Scheme::sharded_placed:
    case Scheme::sharded_lpt:
      return sharded_iter(s, scheme, n, t_g, pw, notes);
  }
  throw ConfigError("scheme: unknown value");
}

Bounds async_train(const Scenario& s, Scheme scheme, int n, const detail::PerWorkers& pw,
                   Notes& notes) {
  switch (scheme) {
    case Scheme::central: return central_train(s, n, notes);
    case Scheme::central_semaphore: {
      notes.push_back("semaphore: FIFO access enforces the central best case (7.1-7.3)");
      return models::behind_semaphore(central_train(s, n, notes));
    }
    case Scheme::sharded:
    case Scheme::sharded_placed:
    case Scheme::sharded_lpt:
      return sharded_train(s, scheme, n, pw, notes);
    case Scheme::ring:
    case Scheme::tree:
    case Scheme::hierarchical: break;
  }
  throw ConfigError(fmt::format("scheme '{}' with mode 'async': unsupported; all-reduce is "
                                "synchronous", to_string(scheme)));
}

Range scaled(const Bounds& b, double k) { return {k * b.best, k * b.worst, k * b.estimate}; }

void set_speedup(const Scenario& s, Prediction& p) {
  const Seconds serial = static_cast<double>(s.batches) * s.t_grad;  // 4.23 numerator
  p.speedup_best = serial / p.t_train.best;
  p.speedup_worst = serial / p.t_train.worst;
  p.speedup = serial / p.t_train.estimate;
  p.efficiency = p.speedup / p.workers;
  // The inputs are bounded so that this cannot happen; if a combination still overflows, it
  // is refused rather than printed as inf or NaN.
  for (double v : {p.t_train.best.v, p.t_train.worst.v, p.t_train.estimate.v, p.speedup_best,
                   p.speedup_worst, p.speedup})
    if (!std::isfinite(v) || v <= 0)
      throw ConfigError(fmt::format("scenario '{}': {} {} at N = {}: t_train = {} s, speedup {}: "
                                    "not a finite number > 0; t_grad, t_comm and D of more "
                                    "moderate size expected", s.network, to_string(p.scheme),
                                    to_string(p.mode), p.workers, p.t_train.estimate.v, p.speedup));
}

}  // namespace

namespace detail {

PerWorkers uneven_notes(const Scenario& s, int workers) {
  PerWorkers pw;
  if (s.batches % workers == 0) return pw;
  const std::int64_t per_worker = models::batches_per_worker(s.batches, workers);
  pw.uneven_join = fmt::format("D={} not divisible by N={}: I = ceil(D/N) = {}", s.batches,
                               workers, per_worker);
  pw.uneven_async = fmt::format(
      "D={} not divisible by N={}: the slowest worker trains ceil(D/N) = {} batches", s.batches,
      workers, per_worker);
  // The closed forms still charge every worker's transfers, so a user must know that some
  // of them have no batch to train.
  if (workers > s.batches) {
    const auto idle = fmt::format("; N > D: {} workers have no batch but are still counted",
                                  workers - s.batches);
    pw.uneven_join += idle;
    pw.uneven_async += idle;
  }
  return pw;
}

void set_placement(PerWorkers& pw, const Scenario& s, Scheme scheme, int workers,
                   const models::PlacementShares* shares) {
  pw.f_max.reset();
  pw.cluster_phase = Seconds{0};
  pw.placement_note.clear();
  pw.server_loads.clear();
  if (s.overlap.policy != OverlapPolicy::none && !pw.buckets) set_overlap(pw, s);
  const bool sharded = scheme == Scheme::sharded || is_placed(scheme);
  const Cluster* c = nic_cluster(s);
  if (!sharded) return;
  const bool placed = uses_placement(s, scheme) && shares != nullptr && shares->total() > 0;
  const int units = c != nullptr ? c->server_count(workers) : workers;
  const char* order = scheme == Scheme::sharded_lpt ? "largest first" : "model order";
  if (c != nullptr) {
    const double total = static_cast<double>(s.weight_bytes.v);
    std::vector<double> loads;
    if (placed) {
      const double scale = total / static_cast<double>(shares->total());
      std::uint64_t largest = 0;
      for (const auto b : shares->loads(units)) {
        loads.push_back(scale * static_cast<double>(b));
        largest = std::max(largest, b);
      }
      pw.f_max = static_cast<double>(largest) / static_cast<double>(shares->total());
    } else {
      loads.assign(static_cast<std::size_t>(units), total / units);
    }
    pw.cluster_phase = models::sharded_cluster_phase(workers, *c, loads, s.weight_bytes);
    if (pw.buckets) pw.server_loads = loads;
    const auto where = c->servers.dedicated_nic
        ? fmt::format("on hosts of their own, NIC {:.6g} B/s", c->servers.dedicated_nic->v)
        : std::string(c->servers.count > 0 ? "on the nodes (server k on node k mod M)"
                                            : "one per node");
    pw.placement_note = fmt::format(
        "{}: K = {} servers {}{}, {}", to_string(scheme), units, where,
        c->aggregate ? ", per-node aggregation" : "",
        placed ? fmt::format("placement {} f_max = {:.4g} (even 1/K = {:.4g}{})", order,
                             *pw.f_max, 1.0 / units,
                             is_placed(scheme) ? "" : ": not reachable with whole tensors; "
                                                      "--split-tensors SIZE cuts them")
               : fmt::format("even split 1/K{}", is_placed(scheme) ? " (no tensor list)" : ""));
    return;
  }
  if (!is_placed(scheme)) return;
  if (!placed) {
    pw.placement_note = fmt::format("{}: no tensor list; even split f_max = 1/N (4.12)",
                                    to_string(scheme));
    return;
  }
  pw.f_max = shares->f_max(units);
  pw.placement_note = fmt::format("placement ({}): f_max = {:.4g} (even 1/N = {:.4g})", order,
                                  *pw.f_max, 1.0 / workers);
}

bool cluster_allows(const Scenario& s, Scheme scheme, int workers) {
  const Cluster* c = nic_cluster(s);
  const bool sharded = scheme == Scheme::sharded || is_placed(scheme);
  if (c == nullptr || !sharded) return true;
  return c->servers.count <= workers && (!c->aggregate || workers % c->workers_per_node == 0);
}

void check_cluster_request(const Scenario& s, Scheme scheme, int workers) {
  if (cluster_allows(s, scheme, workers)) return;
  const Cluster& c = *s.cluster;
  if (c.servers.count > workers)
    throw ConfigError(fmt::format("scenario '{}': {} at N = {}: {} servers (--servers) for {} "
                                  "workers; K <= N expected", s.network, to_string(scheme),
                                  workers, c.servers.count, workers));
  throw ConfigError(fmt::format("scenario '{}': {} at N = {}: per-node aggregation needs full "
                                "nodes; N a multiple of G = {} expected", s.network,
                                to_string(scheme), workers, c.workers_per_node));
}

bool is_placed(Scheme scheme) {
  return scheme == Scheme::sharded_placed || scheme == Scheme::sharded_lpt;
}

bool uses_placement(const Scenario& s, Scheme scheme) {
  if (s.tensor_bytes.empty()) return false;
  return is_placed(scheme) || (scheme == Scheme::sharded && nic_cluster(s) != nullptr);
}

Prediction predict_row(const Scenario& s, Scheme scheme, Mode mode, int workers,
                       const PerWorkers& pw) {
  Prediction p;
  p.network = s.network;
  p.scheme = scheme;
  p.mode = mode;
  p.workers = workers;
  p.batches = s.batches;
  if (mode != Mode::sync_split && workers > s.batches) p.idle_workers = workers - s.batches;
  p.notes = s.input_notes;
  const std::int64_t per_worker = models::batches_per_worker(s.batches, workers);
  if (mode == Mode::async) {
    add_note(p.notes, pw.uneven_async);
    if (pw.buckets)
      p.notes.push_back(fmt::format("overlap {}: not modelled asynchronously (each worker "
                                    "exchanges after its batch); as none", to_string(s.overlap.policy)));
    const Bounds train = async_train(s, scheme, workers, pw, p.notes);
    p.t_train = scaled(train, 1.0);
    p.t_iter = scaled(train, 1.0 / static_cast<double>(per_worker));
    p.t_grad_used = s.t_grad;
  } else {
    const bool split = mode == Mode::sync_split;
    p.iterations = split ? s.batches : per_worker;
    if (!split) add_note(p.notes, pw.uneven_join);
    p.t_grad_used = split ? split_t_grad(s, workers, p.notes) : s.t_grad;
    Bounds iter = sync_iter(s, scheme, workers, p.t_grad_used, pw, p.notes);
    if (pw.buckets) iter = overlapped_iter(s, scheme, workers, p.t_grad_used, pw, p.notes);
    p.t_iter = scaled(iter, 1.0);
    p.t_train = scaled(iter, static_cast<double>(p.iterations));  // 4.2
  }
  p.overlap = s.overlap.policy;
  p.exposed_comm = {p.t_iter.best - p.t_grad_used, p.t_iter.worst - p.t_grad_used,
                    p.t_iter.estimate - p.t_grad_used};
  set_speedup(s, p);
  return p;
}

}  // namespace detail

Prediction predict(const Scenario& s, Scheme scheme, Mode mode, int workers) {
  detail::validate(s);
  detail::check_request(scheme, mode, workers);
  detail::check_scheme_inputs(s, scheme);
  detail::check_cluster_request(s, scheme, workers);
  const models::PlacementShares shares(s.tensor_bytes, scheme == Scheme::sharded_lpt);
  detail::PerWorkers pw = detail::uneven_notes(s, workers);
  detail::set_placement(pw, s, scheme, workers, &shares);
  return detail::predict_row(s, scheme, mode, workers, pw);
}

}  // namespace dlscale

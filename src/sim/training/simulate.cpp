// simulate(): checks the request, builds the run and starts the process of the scheme.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/bounds.hpp"
#include "dlscale/models/overlap.hpp"
#include "dlscale/models/placement.hpp"
#include "sim/training/run.hpp"

namespace dlscale::sim {
namespace {

bool has_central_server(Scheme scheme) {
  return scheme == Scheme::central || scheme == Scheme::central_semaphore;
}

// The cluster forms apply: a described cluster with NICs and no topology file.
const Cluster* nic_cluster(const Scenario& s, const SimOptions& o) {
  return !o.topology && s.cluster && s.cluster->nic ? &*s.cluster : nullptr;
}

// Server participants of the run: the central server; the K servers of a sharded scheme on a
// cluster; none for the thesis's sharded server, whose workers serve the shards.
int server_participants(const Scenario& s, Scheme scheme, int workers, const SimOptions& o) {
  if (has_central_server(scheme)) return 1;
  const Cluster* c = nic_cluster(s, o);
  if (c == nullptr || scheme == Scheme::ring) return 0;
  return c->server_count(workers);
}

void check(const Scenario& s, Scheme scheme, Mode mode, int workers, const SimOptions& o) {
  if (workers < 1)
    throw ConfigError(fmt::format("simulate: workers = {}; an integer >= 1 expected", workers));
  if (!std::isfinite(s.t_grad.v) || s.t_grad.v <= 0 || !std::isfinite(s.t_comm.v) || s.t_comm.v <= 0)
    throw ConfigError("simulate: t_grad and t_comm must be finite and > 0 [s]");
  if (s.batches < 1)
    throw ConfigError(fmt::format("simulate: batches D = {}; an integer >= 1 expected", s.batches));
  // Bounded so that every jitter draw stays finite: a cv of 1e308 made compute times inf and
  // a lognormal cv of 1e200 made them NaN. A cv of 10 is already 1000 % variation.
  if (!(o.cv >= 0 && o.cv <= 10))
    throw ConfigError(fmt::format("simulate: --cv: {}; a number in [0, 10] expected", o.cv));
  if (!(o.straggler_fraction >= 0 && o.straggler_fraction <= 1))
    throw ConfigError(fmt::format("simulate: straggler fraction = {}; a number in [0, 1] expected",
                                  o.straggler_fraction));
  if (!(o.straggler_factor >= 1 && o.straggler_factor <= 1e6))
    throw ConfigError(fmt::format("simulate: straggler factor = {}; a number in [1, 1e6] expected",
                                  o.straggler_factor));
  if (!o.worker_speed.empty() && o.worker_speed.size() != static_cast<std::size_t>(workers))
    throw ConfigError(fmt::format("simulate: {} worker speeds for {} workers; one per worker "
                                  "expected", o.worker_speed.size(), workers));
  for (double f : o.worker_speed)
    if (!(f >= 1e-6 && f <= 1e6))
      throw ConfigError(fmt::format("simulate: worker speed factor {}; a number in [1e-6, 1e6] "
                                    "expected", f));
  if (o.iterations && *o.iterations < 1)
    throw ConfigError(fmt::format("simulate: iterations = {}; an integer >= 1 expected",
                                  *o.iterations));
  if (!(o.max_flows >= 1))
    throw ConfigError(fmt::format("simulate: max flows = {}; a number >= 1 expected", o.max_flows));
  if (o.topology) {
    // A `server` line reserves its host for the central server whatever the scheme, so the
    // workers have the other hosts; a central server without that line needs one more.
    const bool server = has_central_server(scheme);
    const bool reserved = o.topology->server_host().has_value();
    const int worker_hosts = o.topology->host_count() - (reserved ? 1 : 0);
    const int needed = workers + (server && !reserved ? 1 : 0);
    if (worker_hosts < needed)
      throw ConfigError(fmt::format(
          "{}: {} hosts{}, {} needed ({} workers{}); fewer workers or more hosts expected",
          o.topology->origin(), worker_hosts, reserved ? " besides the server's" : "", needed,
          workers, server && !reserved ? " and the central server" : ""));
  }
  if (!supports(scheme, mode))
    throw ConfigError(fmt::format("simulate: scheme '{}' with mode '{}': unsupported; all-reduce "
                                  "is synchronous", to_string(scheme), to_string(mode)));
  if (scheme == Scheme::hierarchical) {
    const Cluster* c = nic_cluster(s, o);
    if (c == nullptr || workers % c->workers_per_node != 0)
      throw ConfigError("simulate: hierarchical is simulated on a described cluster (--nic, "
                        "--gpus-per-node G) with full nodes, N a multiple of G, and no topology "
                        "file");
  }
  if (const Cluster* c = nic_cluster(s, o)) {
    const bool sharded = scheme == Scheme::sharded || scheme == Scheme::sharded_placed ||
                         scheme == Scheme::sharded_lpt;
    if (sharded && c->aggregate && mode == Mode::async)
      throw ConfigError("simulate: per-node aggregation (--aggregate) is simulated synchronously "
                        "only; sync-join or sync-split expected");
    if (sharded && c->aggregate && workers % c->workers_per_node != 0)
      throw ConfigError(fmt::format("simulate: per-node aggregation needs full nodes; N = {} a "
                                    "multiple of G = {} expected", workers, c->workers_per_node));
    if (sharded && c->servers.count > workers)
      throw ConfigError(fmt::format("simulate: {} servers (--servers) for {} workers; K <= N "
                                    "expected", c->servers.count, workers));
    if (s.weight_bytes.v == 0)
      throw ConfigError("simulate: a cluster with a NIC needs the weight size (--network, or "
                        "--params or --bytes)");
  }
}

// Shard sizes of the placed schemes (and of `sharded` on a described cluster, as the closed
// form's detail::uses_placement): the network's tensors placed on the owners in model order
// (algorithm 3.7) or largest first. Without a tensor list that adds up to the weight set, the
// even split of 4.12, said in a note.
void place_shards(training::Run& run, const Scenario& s, Scheme scheme) {
  if (run.owners() != run.n)
    run.notes.push_back(fmt::format("{} servers{}", run.owners(),
                                    s.cluster->servers.dedicated_nic ? " on hosts of their own"
                                                                     : " on the nodes (k mod M)"));
  if (scheme == Scheme::sharded && !(run.cluster && !s.tensor_bytes.empty())) return;
  std::uint64_t total = 0;
  for (auto b : s.tensor_bytes) total += b;
  if (s.tensor_bytes.empty() || total != run.weights().v) {
    run.notes.push_back(fmt::format("{}: no tensor list; even split f_max = 1/N (4.12)",
                                    to_string(scheme)));
    return;
  }
  const bool lpt = scheme == Scheme::sharded_lpt;
  auto p = lpt ? models::place_largest_first(s.tensor_bytes, run.owners())
               : models::place_model_order(s.tensor_bytes, run.owners());
  run.notes.push_back(fmt::format("placement ({}): f_max = {:.4g} (even 1/{} = {:.4g})",
                                  lpt ? "largest first" : "model order", p.f_max,
                                  run.owners() == run.n ? "N" : "K", 1.0 / run.owners()));
  run.shards = std::move(p.loads);
}

// Overlap is simulated for the synchronous all-reduce; asynchronous runs exchange after each
// batch (as the closed form, which says so in a note).
bool overlapped(const Scenario& s, Mode mode) {
  return s.overlap.policy != OverlapPolicy::none && mode != Mode::async;
}

void check_overlap(const Scenario& s, Scheme scheme, Mode mode) {
  if (!overlapped(s, mode)) return;
  const bool sharded = scheme == Scheme::sharded || scheme == Scheme::sharded_placed ||
                       scheme == Scheme::sharded_lpt;
  const bool aggregated = s.cluster && s.cluster->aggregate;
  if (scheme != Scheme::ring && scheme != Scheme::hierarchical && !(sharded && !aggregated))
    throw ConfigError(fmt::format("simulate: --overlap {} is simulated for ring, hierarchical and "
                                  "the sharded servers without --aggregate; '{}'{} with overlap "
                                  "is a closed form only so far (dlscale predict), or --overlap "
                                  "none", to_string(s.overlap.policy), to_string(scheme),
                                  sharded ? " with --aggregate" : ""));
  if (s.grad_tensors.empty() || s.weight_bytes.v == 0)
    throw ConfigError(fmt::format("simulate: --overlap {}: needs the network's gradient tensors; "
                                  "a network description expected (--network)",
                                  to_string(s.overlap.policy)));
}

}  // namespace

bool simulated(Scheme scheme, Mode mode) {
  switch (scheme) {
    case Scheme::central:
    case Scheme::central_semaphore: return true;
    case Scheme::sharded:
    case Scheme::sharded_placed:
    case Scheme::sharded_lpt: return true;
    case Scheme::ring:
    case Scheme::hierarchical: return mode != Mode::async;  // hierarchical: on a cluster
    default: return false;
  }
}

SimResult simulate(const Scenario& s, Scheme scheme, Mode mode, int workers, const SimOptions& o) {
  if ((scheme == Scheme::ring || scheme == Scheme::hierarchical) && !s.allreduce.empty()) {
    // The closed forms' inputs (allreduce_inputs): the profile's collective fits replace the
    // links between and inside nodes. Without a cluster the star's hosts run at the fitted
    // beta, so the twin of the ring formula on that link is the one simulated.
    Scenario a = s;
    const AllreduceInputs in = allreduce_inputs(s);
    a.link = in.link;
    a.cluster = in.cluster;
    a.allreduce = {};
    if (!(a.cluster && a.cluster->nic) && a.link && a.weight_bytes.v > 0)
      a.t_comm = a.weight_bytes / a.link->beta;
    return simulate(a, scheme, mode, workers, o);
  }
  check(s, scheme, mode, workers, o);
  check_overlap(s, scheme, mode);
  check_work(estimate_work(s, scheme, mode, workers, o), o,
             fmt::format("{} {} N={}", to_string(scheme), to_string(mode), workers));
  const Sharing sharing = scheme == Scheme::central_semaphore ? Sharing::fifo : o.sharing;
  training::Run run(s, mode, workers, o, sharing, server_participants(s, scheme, workers, o),
                    has_central_server(scheme));
  const std::int64_t all =
      mode == Mode::sync_split ? s.batches : models::batches_per_worker(s.batches, workers);
  const std::int64_t iterations = o.iterations ? std::min(*o.iterations, all) : all;
  // Asynchronous: --iterations K is K batches per worker (the first K N of D), then scaled.
  const std::int64_t async_batches =
      o.iterations && *o.iterations < (s.batches + workers - 1) / workers
          ? *o.iterations * workers : s.batches;
  switch (scheme) {
    case Scheme::central:
    case Scheme::central_semaphore:
      if (mode == Mode::async) training::central_async(run, async_batches);
      else training::central_sync(run, iterations);
      break;
    case Scheme::sharded:
    case Scheme::sharded_placed:
    case Scheme::sharded_lpt:
      place_shards(run, s, scheme);
      if (mode == Mode::async) training::sharded_async(run, async_batches);
      else if (const Cluster* c = nic_cluster(s, o); c && c->aggregate)
        training::aggregated_sync(run, c->workers_per_node, iterations);
      else if (overlapped(s, mode))
        training::sharded_overlapped_sync(run, models::make_buckets(s.grad_tensors, s.overlap),
                                          iterations);
      else training::sharded_sync(run, iterations);
      break;
    case Scheme::ring:
      if (overlapped(s, mode)) {
        const auto buckets = models::make_buckets(s.grad_tensors, s.overlap);
        training::overlapped_ring_sync(
            run, buckets, [workers](Bytes b) { return training::ring_phases(workers, b); },
            iterations);
      } else {
        training::ring_sync(run, iterations);
      }
      break;
    case Scheme::hierarchical:
      if (overlapped(s, mode)) {
        const auto buckets = models::make_buckets(s.grad_tensors, s.overlap);
        const int g = s.cluster->workers_per_node;
        training::overlapped_ring_sync(
            run, buckets,
            [workers, g](Bytes b) { return training::hierarchical_phases(workers, g, b); },
            iterations);
      } else {
        training::hierarchical_sync(run, s.cluster->workers_per_node, iterations);
      }
      break;
    default:
      throw ConfigError(fmt::format("simulate: scheme '{}' is not simulated yet; central, "
                                    "central-semaphore, sharded, sharded-placed, sharded-lpt, "
                                    "ring or hierarchical expected",
                                    to_string(scheme)));
  }
  SimResult r = run.finish(s);
  if (mode == Mode::async && async_batches < s.batches) {
    // Extrapolated: the rate of the simulated batches held for all D of them.
    r.t_train = r.t_train * (static_cast<double>(s.batches) / static_cast<double>(async_batches));
    r.speedup = static_cast<double>(s.batches) * s.t_grad / r.t_train;
    r.notes.push_back(fmt::format("asynchronous: {} of {} batches simulated ({} per worker), "
                                  "t_train scaled by D / {}", async_batches, s.batches,
                                  *o.iterations, async_batches));
  }
  if (mode != Mode::async && iterations < all) {
    // Extrapolated: the mean simulated iteration for every one of the I iterations.
    r.simulated_iterations = iterations;
    r.iterations = all;
    r.t_train = r.t_iter_mean * static_cast<double>(all);
    r.speedup = static_cast<double>(s.batches) * s.t_grad / r.t_train;
  }
  // The inputs are bounded so that this cannot happen; a result that still overflowed is
  // refused rather than printed as inf or NaN.
  if (!std::isfinite(r.t_train.v) || !(r.t_train.v > 0) || !std::isfinite(r.speedup) ||
      !std::isfinite(r.t_iter_p99.v))
    throw ConfigError(fmt::format("simulate: {} {} at N = {}: t_train = {} s, speedup {}: not a "
                                  "finite number > 0; inputs of more moderate size expected",
                                  to_string(scheme), to_string(mode), workers, r.t_train.v,
                                  r.speedup));
  return r;
}

}  // namespace dlscale::sim

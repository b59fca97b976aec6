// The cost of a simulation before it runs, so that a request that would take hours or
// exhaust memory is refused with its size and the option that raises the limit.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/bounds.hpp"
#include "dlscale/models/overlap.hpp"
#include "dlscale/sim/training.hpp"

namespace dlscale::sim {

SimWork estimate_work(const Scenario& s, Scheme scheme, Mode mode, int workers,
                      const SimOptions& o) {
  const double n = workers;
  const bool sharded = scheme == Scheme::sharded || scheme == Scheme::sharded_placed ||
                       scheme == Scheme::sharded_lpt;
  // Owners of the shards: the K servers of a described cluster, else the N workers.
  const bool servers = sharded && !o.topology && s.cluster && s.cluster->nic;
  const double k = servers ? s.cluster->server_count(workers) : n;
  const double remote = servers ? k : n - 1;  // owners each worker talks to over the network
  SimWork w;
  if (mode == Mode::async) {
    const double batches = static_cast<double>(
        o.iterations ? std::min<double>(static_cast<double>(s.batches),
                                        static_cast<double>(*o.iterations) * n)
                     : static_cast<double>(s.batches));
    w.flows = batches * (sharded ? 2 * remote : 2);
    w.iterations = batches;
    w.peak_flows = sharded ? n * remote : n;
    return w;
  }
  const double all = static_cast<double>(
      mode == Mode::sync_split ? s.batches : models::batches_per_worker(s.batches, workers));
  const double iterations = o.iterations ? std::min(all, static_cast<double>(*o.iterations)) : all;
  // Per-node aggregation adds two rings of G-1 steps inside every node.
  const double rings = servers && s.cluster->aggregate ? 2 * n * (s.cluster->workers_per_node - 1) : 0;
  // Hierarchical: 2 (G-1) steps inside the node and 2 (M-1) across, for every worker.
  const double g = s.cluster ? s.cluster->workers_per_node : 1;
  const double hierarchical = 2 * n * (g - 1 + n / g - 1);
  const double per_iteration = scheme == Scheme::ring           ? 2 * n * (n - 1)
                               : scheme == Scheme::hierarchical ? hierarchical
                               : sharded                        ? 2 * n * remote + rings
                                                                : 2 * n;
  // Overlap: every bucket is an exchange of its own (ring, hierarchical, sharded).
  const bool all_reduce = scheme == Scheme::ring || scheme == Scheme::hierarchical || sharded;
  const double exchanges = all_reduce && s.overlap.policy != OverlapPolicy::none &&
                                   mode != Mode::async
                               ? static_cast<double>(models::make_buckets(s.grad_tensors, s.overlap).size())
                               : 1.0;
  w.flows = iterations * per_iteration * exchanges;
  w.iterations = iterations;
  w.peak_flows = sharded ? n * remote : n;
  return w;
}

void check_work(const SimWork& w, const SimOptions& o, std::string_view what) {
  if (w.peak_flows > max_peak_flows)
    throw ConfigError(fmt::format("simulate: {}: about {:.3g} transfers in flight at once; at "
                                  "most {:.3g} fit in memory (about 1 GiB); fewer workers "
                                  "expected", what, w.peak_flows, max_peak_flows));
  // A timeline keeps every span (about 50 bytes each) and is meant to be looked at.
  if (o.trace && w.flows > max_traced_flows)
    throw ConfigError(fmt::format("simulate: {}: --trace: about {:.3g} transfers; a timeline of "
                                  "at most {:.3g} expected (fewer workers or --iterations K)",
                                  what, w.flows, max_traced_flows));
  if (w.flows > o.max_flows)
    throw ConfigError(fmt::format("simulate: {}: about {:.3g} transfers to simulate; at most "
                                  "{:.3g} (--max-flows; a few million take a second); fewer "
                                  "workers, --iterations K, or a larger --max-flows expected",
                                  what, w.flows, o.max_flows));
}

}  // namespace dlscale::sim

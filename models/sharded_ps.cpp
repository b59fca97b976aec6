#include "dlscale/models/sharded_ps.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <vector>

namespace dlscale::models {

Bounds sharded_sync_iter(int workers, Seconds t_comm, Seconds t_grad) {
  assert(workers >= 1);
  const double n = workers;
  // 4.12: each worker sends and receives (N-1)/N of the weights, then of the gradients.
  return exact(2.0 * t_comm * ((n - 1) / n) + t_grad);
}

Bounds sharded_placed_sync_iter(int workers, double f_max, Seconds t_comm, Seconds t_grad) {
  assert(workers >= 1 && f_max >= 0 && f_max <= 1);
  const double n = workers;
  // The worker holding the largest share f_max serves it to N-1 others (weights out,
  // gradients in); everyone waits for that worker.
  return exact(2.0 * (n - 1) * f_max * t_comm + t_grad);
}

Bounds sharded_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad) {
  const double per_worker = static_cast<double>(batches_per_worker(batches, workers));
  return exact(per_worker * sharded_sync_iter(workers, t_comm, t_grad).estimate);  // 4.21
}

Bounds sharded_placed_async_train(int workers, std::int64_t batches, double f_max,
                                  Seconds t_comm, Seconds t_grad) {
  const double per_worker = static_cast<double>(batches_per_worker(batches, workers));
  return exact(per_worker * sharded_placed_sync_iter(workers, f_max, t_comm, t_grad).estimate);
}

}  // namespace dlscale::models

namespace dlscale::models {

Seconds sharded_exchange(int workers, const Cluster& c, std::span<const double> server_loads,
                         Bytes bytes) {
  assert(workers >= 1 && c.nic && !server_loads.empty());
  const double w = static_cast<double>(bytes.v);
  const int nodes = c.nodes(workers);
  const auto servers = static_cast<int>(server_loads.size());
  const bool own_hosts = c.servers.dedicated_nic.has_value();
  const auto units = [&](int m) { return c.aggregate ? 1 : c.workers_on(m, workers); };
  const double all_units = c.aggregate ? nodes : workers;
  double busiest = 0;  // [s]
  const double heaviest = *std::max_element(server_loads.begin(), server_loads.end());
  busiest = std::max(busiest, all_units * heaviest / (own_hosts ? c.servers.dedicated_nic->v
                                                                : c.intra.beta.v));
  // A worker's own link: the whole set, or its slice of it when aggregating (the last node
  // may hold fewer workers and so larger slices).
  busiest = std::max(busiest, (c.aggregate ? w / c.workers_on(nodes - 1, workers) : w) / c.intra.beta.v);
  // Node m's NICs, holding F_m bytes of servers.
  const auto node = [&](int m, double f) {
    busiest = std::max({busiest, f * (all_units - units(m)) / c.nic->beta.v,
                        units(m) * (w - f) / c.nic->beta.v});
  };
  if (own_hosts) {
    node(0, 0);  // a full node (or the only one) and the last, which may be partial
    node(nodes - 1, 0);
  } else if (servers <= nodes) {
    // Server k on node k. All nodes but the last hold G workers, so of those only the largest
    // load (most sent out) and the smallest (most fetched in) matter; node 0 stands for them.
    double most = 0, least = std::numeric_limits<double>::infinity();
    for (int k = 0; k < servers; ++k) {
      const double load = server_loads[static_cast<std::size_t>(k)];
      if (k == nodes - 1) {
        node(k, load);
      } else {
        most = std::max(most, load);
        least = std::min(least, load);
      }
    }
    if (most > 0 || std::isfinite(least)) {
      node(0, most);
      node(0, least);
    }
    // Nodes K..M-1 hold none; of those a full one and the last matter.
    if (servers < nodes) {
      node(servers, 0);
      node(nodes - 1, 0);
    }
  } else {
    std::vector<double> on_node(static_cast<std::size_t>(nodes), 0.0);  // F_m
    for (int k = 0; k < servers; ++k)
      on_node[static_cast<std::size_t>(k % nodes)] += server_loads[static_cast<std::size_t>(k)];
    for (int m = 0; m < nodes; ++m) node(m, on_node[static_cast<std::size_t>(m)]);
  }
  // Every route crosses a NIC unless the whole run is one node with its servers on it.
  const Seconds latency = nodes > 1 || own_hosts ? c.nic->alpha : c.intra.alpha;
  return latency + Seconds{busiest};
}

Seconds node_ring_step(const Cluster& c, Bytes bytes) {
  const double g = c.workers_per_node;
  return (g - 1) * (c.intra.alpha + Seconds{static_cast<double>(bytes.v) / g / c.intra.beta.v});
}

Seconds sharded_cluster_phase(int workers, const Cluster& c, std::span<const double> server_loads,
                              Bytes bytes) {
  const Seconds exchange = sharded_exchange(workers, c, server_loads, bytes);
  return c.aggregate ? exchange + node_ring_step(c, bytes) : exchange;
}

Bounds sharded_cluster_sync_iter(int workers, const Cluster& c, std::span<const double> server_loads,
                                 Bytes bytes, Seconds t_grad) {
  return exact(t_grad + 2.0 * sharded_cluster_phase(workers, c, server_loads, bytes));
}

}  // namespace dlscale::models

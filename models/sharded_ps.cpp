#include "dlscale/models/sharded_ps.hpp"

#include <algorithm>
#include <cassert>
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
  const bool own_hosts = c.servers.dedicated_nic.has_value();
  const auto units = [&](int m) { return c.aggregate ? 1 : c.workers_on(m, workers); };
  const double all_units = c.aggregate ? nodes : workers;
  std::vector<double> on_node(static_cast<std::size_t>(nodes), 0.0);  // F_m
  double busiest = 0;  // [s]
  for (std::size_t k = 0; k < server_loads.size(); ++k) {
    const double served = all_units * server_loads[k];
    if (own_hosts) {
      busiest = std::max(busiest, served / c.servers.dedicated_nic->v);
    } else {
      on_node[k % static_cast<std::size_t>(nodes)] += server_loads[k];
      busiest = std::max(busiest, served / c.intra.beta.v);
    }
  }
  for (int m = 0; m < nodes; ++m) {
    const double f = on_node[static_cast<std::size_t>(m)];
    busiest = std::max({busiest, f * (all_units - units(m)) / c.nic->beta.v,
                        units(m) * (w - f) / c.nic->beta.v});
    const double worker_bytes = c.aggregate ? w / c.workers_on(m, workers) : w;
    busiest = std::max(busiest, worker_bytes / c.intra.beta.v);
  }
  // Every route crosses a NIC unless the whole run is one node with its servers on it.
  const Seconds latency = nodes > 1 || own_hosts ? c.nic->alpha : c.intra.alpha;
  return latency + Seconds{busiest};
}

Seconds node_ring_step(const Cluster& c, Bytes bytes) {
  const double g = c.workers_per_node;
  return (g - 1) * (c.intra.alpha + Seconds{static_cast<double>(bytes.v) / g / c.intra.beta.v});
}

Bounds sharded_cluster_sync_iter(int workers, const Cluster& c, std::span<const double> server_loads,
                                 Bytes bytes, Seconds t_grad) {
  Seconds phase = sharded_exchange(workers, c, server_loads, bytes);
  if (c.aggregate) phase += node_ring_step(c, bytes);
  return exact(t_grad + 2.0 * phase);
}

}  // namespace dlscale::models

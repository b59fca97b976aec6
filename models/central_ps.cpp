#include "dlscale/models/central_ps.hpp"

#include <algorithm>
#include <cassert>

namespace dlscale::models {

Bounds central_sync_iter(int workers, Seconds t_comm, Seconds t_grad) {
  assert(workers >= 1);
  const double n = workers;
  // 4.4: the last worker waits for N-1 downloads, downloads, computes, uploads.
  const Seconds best = (n + 1) * t_comm + t_grad;
  // 4.7: all N transfers share the server link, each N times slower.
  const Seconds worst = (2 * n) * t_comm + t_grad;
  return mean_bounds(best, worst);
}

Bounds central_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad) {
  assert(workers >= 1 && batches >= 1);
  const double n = workers;
  const double d = static_cast<double>(batches);
  const double per_worker = static_cast<double>(batches_per_worker(batches, workers));
  // 4.14: the server sends D weight sets, then waits for the last gradient.
  const Seconds server = (d + 1) * t_comm + t_grad;
  // 4.13: the last worker to start waits N-1 downloads, then runs its D/N batches back to back.
  const Seconds last_worker = (n - 1) * t_comm + per_worker * (2.0 * t_comm + t_grad);
  const Seconds best = std::max(server, last_worker);  // 4.15
  const Seconds worst = per_worker * ((2 * n) * t_comm + t_grad);  // 4.16
  return mean_bounds(best, worst);
}

}  // namespace dlscale::models

namespace dlscale::models {

Seconds central_cluster_transfer(const Cluster& c, Bytes bytes) {
  const double server = c.servers.dedicated_nic.value_or(c.nic->beta).v;
  return Seconds{static_cast<double>(bytes.v) / std::min({server, c.nic->beta.v, c.intra.beta.v})};
}

Bounds central_cluster_sync_iter(int workers, const Cluster& c, Bytes bytes, Seconds t_grad) {
  assert(workers >= 1 && c.nic);
  const double w = static_cast<double>(bytes.v);
  const double server = c.servers.dedicated_nic.value_or(c.nic->beta).v;
  const Seconds a2 = 2.0 * c.nic->alpha;
  const Seconds best = a2 + (workers + 1.0) * central_cluster_transfer(c, bytes) + t_grad;
  const int g = std::min(c.workers_per_node, workers);
  const double phase = std::max({workers * w / server, g * w / c.nic->beta.v, w / c.intra.beta.v});
  const Seconds worst = a2 + Seconds{2 * phase} + t_grad;
  return mean_bounds(best, worst);
}

}  // namespace dlscale::models

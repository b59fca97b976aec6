#include "dlscale/models/sharded_ps.hpp"

#include <cassert>

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

#include "dlscale/models/semaphore.hpp"

#include <cassert>

#include "dlscale/models/central_ps.hpp"

namespace dlscale::models {

Bounds semaphore_transfer(int workers, Seconds t_comm) {
  assert(workers >= 1);
  const double n = workers;
  // 7.1: nobody ahead; 7.2: N-1 ahead; estimate: the mean wait over queue positions 0..N-1.
  return {t_comm, n * t_comm, ((n + 1) / 2) * t_comm};
}

Bounds semaphore_sync_iter(int workers, Seconds t_comm, Seconds t_grad) {
  // The FIFO queue admits one download at a time, which is exactly the schedule of the
  // central best case; the range is kept so callers see what the semaphore rules out.
  return behind_semaphore(central_sync_iter(workers, t_comm, t_grad));
}

Bounds semaphore_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad) {
  return behind_semaphore(central_async_train(workers, batches, t_comm, t_grad));
}

}  // namespace dlscale::models

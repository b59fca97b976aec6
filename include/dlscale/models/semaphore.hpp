#pragma once
/// Central server behind an access semaphore (thesis 7.2): one transfer per direction at a
/// time, the others wait in a FIFO queue.
#include <cstdint>

#include "dlscale/models/bounds.hpp"

namespace dlscale::models {

/// One transfer through the semaphore [s]: best t_c (free queue, 7.1), worst N t_c
/// (N-1 ahead, 7.2), so t_sem <= t_par = N t_c (7.3); estimate (N+1)/2 t_c, the mean over
/// the N queue positions.
Bounds semaphore_transfer(int workers, Seconds t_comm);

/// The semaphore's bounds from the central server's: the FIFO queue enforces the serialized
/// schedule of the best case, so estimate = best; worst unchanged. Used on clusters too.
constexpr Bounds behind_semaphore(const Bounds& central) {
  return {central.best, central.worst, central.best};
}

/// One synchronous iteration [s]. The semaphore enforces the serialized schedule of the
/// central best case, so estimate = best = (N+1) t_c + t_g (4.4); worst = 2N t_c + t_g
/// (7.2 on both transfers, never worse than the unsynchronised worst case 4.7).
Bounds semaphore_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

/// Asynchronous training of D batches [s]: estimate = best = the central best case
/// (4.13-4.15); worst = the central worst case (4.16), which 7.3 bounds from above.
Bounds semaphore_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

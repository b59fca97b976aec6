#pragma once
/// Distributed (sharded) parameter server (thesis 4.1.2 and 4.2.2): every worker holds a
/// share of the weights and serves it to the others.
#include <cstdint>

#include "dlscale/models/bounds.hpp"

namespace dlscale::models {

/// One synchronous iteration, weights split evenly [s]: 2 t_c (N-1)/N + t_g (4.12). Exact.
Bounds sharded_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

/// One synchronous iteration with the largest share f_max of the weights on one worker [s]:
/// 2 (N-1) f_max t_c + t_g (MODELS.md; equals 4.12 when f_max = 1/N). Exact.
Bounds sharded_placed_sync_iter(int workers, double f_max, Seconds t_comm, Seconds t_grad);

/// Asynchronous training of D batches, even split [s]: (D/N)(2 t_c (N-1)/N + t_g) (4.21),
/// with D/N = ceil(D / N), the slowest worker's share. Exact.
Bounds sharded_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad);

/// Asynchronous training with largest share f_max [s]: (D/N)(2 (N-1) f_max t_c + t_g).
Bounds sharded_placed_async_train(int workers, std::int64_t batches, double f_max,
                                  Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

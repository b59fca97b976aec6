#pragma once
/// Central parameter server (thesis 4.1.1 and 4.2.1): every worker talks to one server.
#include <cstdint>

#include "dlscale/models/bounds.hpp"

namespace dlscale::models {

/// One synchronous iteration [s]: best (N+1) t_c + t_g (4.4-4.6), worst 2N t_c + t_g
/// (4.7-4.9), estimate their mean (4.11).
Bounds central_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

/// Asynchronous training of D batches [s]: best max((D+1) t_c + t_g, (N-1) t_c + (D/N)(2 t_c + t_g))
/// (4.13-4.15), worst (D/N)(2N t_c + t_g) (4.16-4.18), estimate their mean (4.20).
/// D/N is ceil(D / N): the slowest worker's share.
Bounds central_async_train(int workers, std::int64_t batches, Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

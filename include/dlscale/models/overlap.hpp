#pragma once
/// Overlap of the gradient exchange with backpropagation (MODELS.md "Overlap"): gradients are
/// grouped into exchanges in readiness order, and exchange k starts when its gradients are
/// ready and the previous exchange has ended.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "dlscale/models/bounds.hpp"
#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale::models {

/// One exchange: its bytes, and the share of t_grad after which all its gradients are ready.
struct GradBucket {
  Bytes bytes;
  double ready_share = 1;
};

/// The exchanges of `policy` over `tensors` (model order), in readiness order. buckets: the
/// tensors in reverse model order fill a bucket until it holds at least its cap (the first
/// bucket `first_cap`, the others `cap`), as PyTorch DDP's
/// compute_bucket_assignment_by_size (torch/csrc/distributed/c10d/reducer.cpp) does; tensor:
/// one exchange per tensor; none: one exchange of everything, ready at t_grad.
std::vector<GradBucket> make_buckets(std::span<const GradTensor> tensors, const Overlap& policy);

/// The exchange time of one bucket [s] (the scheme's, latency included), by its bytes.
using ExchangeTime = std::function<Bounds(Bytes)>;

/// One synchronous iteration with overlap [s], for best, worst and estimate each:
///   e_k = max(r_k, e_(k-1)) + c(bytes_k),  r_k = ready_share_k t_g,  e_0 = 0
///   t_iter = max(t_g, e_last)
/// (the weight update is neglected, as in 4.1). O(buckets). No buckets: t_g.
Bounds overlapped_sync_iter(std::span<const GradBucket> buckets, Seconds t_grad,
                            const ExchangeTime& exchange);

}  // namespace dlscale::models

#include "dlscale/models/overlap.hpp"

#include <algorithm>

namespace dlscale::models {

std::vector<GradBucket> make_buckets(std::span<const GradTensor> tensors, const Overlap& policy) {
  std::vector<GradBucket> out;
  if (policy.policy == OverlapPolicy::none) {
    std::uint64_t total = 0;
    for (const auto& t : tensors) total += t.bytes;
    if (!tensors.empty()) out.push_back({Bytes{total}, 1.0});
    return out;
  }
  // Backpropagation produces the last layer's gradients first: walk the tensors backwards.
  GradBucket open{Bytes{0}, 0.0};
  bool has_tensor = false;
  for (auto t = tensors.rbegin(); t != tensors.rend(); ++t) {
    open.bytes.v += t->bytes;
    open.ready_share = std::max(open.ready_share, t->ready_share);
    has_tensor = true;
    const std::uint64_t cap = out.empty() ? policy.first_bucket_bytes : policy.bucket_bytes;
    // DDP closes a bucket once it holds at least its cap (the tensor that crosses the cap
    // stays in it); `tensor` closes after every tensor.
    if (policy.policy == OverlapPolicy::tensor || open.bytes.v >= cap) {
      out.push_back(open);
      open = {Bytes{0}, 0.0};
      has_tensor = false;
    }
  }
  if (has_tensor) out.push_back(open);
  return out;
}

Bounds overlapped_sync_iter(std::span<const GradBucket> buckets, Seconds t_grad,
                            const ExchangeTime& exchange) {
  // The three recurrences side by side: one call of the exchange time per bucket.
  Seconds best{0}, worst{0}, estimate{0};
  for (const GradBucket& b : buckets) {
    const Seconds ready = b.ready_share * t_grad;
    const Bounds c = exchange(b.bytes);
    best = std::max(ready, best) + c.best;
    worst = std::max(ready, worst) + c.worst;
    estimate = std::max(ready, estimate) + c.estimate;
  }
  return {std::max(t_grad, best), std::max(t_grad, worst), std::max(t_grad, estimate)};
}

}  // namespace dlscale::models

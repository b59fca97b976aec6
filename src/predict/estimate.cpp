#include "dlscale/estimate.hpp"

#include <algorithm>

namespace dlscale {

bool counts_macs(LayerKind k) { return k == LayerKind::conv || k == LayerKind::fc; }

double layer_work(const Layer& l, std::int64_t batch) {
  const auto b = static_cast<double>(batch);
  return counts_macs(l.kind) ? 3.0 * static_cast<double>(l.macs) * b
                             : static_cast<double>(l.out.elements()) * b;
}

GradEstimate estimate_t_grad(const Network& net, std::int64_t batch,
                             std::span<const LayerClassRate> rates) {
  GradEstimate e;
  for (const auto& l : net.layers()) {
    if (l.kind == LayerKind::input) continue;
    const auto it = std::find_if(rates.begin(), rates.end(),
                                 [&](const LayerClassRate& r) { return r.kind == l.kind; });
    if (it == rates.end() || !(it->per_second > 0)) {
      if (std::find(e.unmeasured.begin(), e.unmeasured.end(), l.kind) == e.unmeasured.end())
        e.unmeasured.push_back(l.kind);
      continue;
    }
    e.t_grad += Seconds{layer_work(l, batch) / it->per_second};
  }
  return e;
}

}  // namespace dlscale

// Per-class throughput of measured layers; the estimate for unmeasured networks is the core's
// (dlscale/estimate.hpp), which profiles use too.
#include <map>

#include "calibrate/cpu/runner.hpp"
#include "dlscale/estimate.hpp"

namespace dlscale::calib {

std::vector<ClassRate> class_rates(std::span<const LayerTiming> layers, int batch) {
  std::map<LayerKind, ClassRate> by_kind;
  for (const auto& l : layers) {
    auto& c = by_kind[l.kind];
    c.kind = l.kind;
    c.per_mac = counts_macs(l.kind);
    ++c.layers;
    c.time += l.forward + l.backward;
    Layer layer;
    layer.kind = l.kind;
    layer.macs = l.macs;
    layer.out = l.out;
    c.work += layer_work(layer, batch);
  }
  std::vector<ClassRate> out;
  for (auto& [kind, c] : by_kind) {
    c.rate = c.time.v > 0 ? c.work / c.time.v : 0;
    out.push_back(c);
  }
  return out;
}

GradEstimate estimate_t_grad(const Network& net, int batch, std::span<const ClassRate> rates) {
  std::vector<LayerClassRate> r;
  for (const auto& c : rates) r.push_back({c.kind, c.rate});
  return dlscale::estimate_t_grad(net, batch, r);
}

}  // namespace dlscale::calib

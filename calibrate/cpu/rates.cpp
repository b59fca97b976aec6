// Per-class throughput and the FLOP-based estimate of t_grad for an unmeasured network.
#include <algorithm>
#include <map>

#include "calibrate/cpu/runner.hpp"

namespace dlscale::calib {
namespace {

bool counts_macs(LayerKind k) { return k == LayerKind::conv || k == LayerKind::fc; }

// Work of one layer per iteration at `batch`, in the class's unit (see ClassRate).
double work_of(LayerKind kind, std::int64_t macs, const Shape& out, int batch) {
  return counts_macs(kind) ? 3.0 * double(macs) * batch : double(out.elements()) * batch;
}

}  // namespace

std::vector<ClassRate> class_rates(std::span<const LayerTiming> layers, int batch) {
  std::map<LayerKind, ClassRate> by_kind;
  for (const auto& l : layers) {
    auto& c = by_kind[l.kind];
    c.kind = l.kind;
    c.per_mac = counts_macs(l.kind);
    ++c.layers;
    c.time += l.forward + l.backward;
    c.work += work_of(l.kind, l.macs, l.out, batch);
  }
  std::vector<ClassRate> out;
  for (auto& [kind, c] : by_kind) {
    c.rate = c.time.v > 0 ? c.work / c.time.v : 0;
    out.push_back(c);
  }
  return out;
}

GradEstimate estimate_t_grad(const Network& net, int batch, std::span<const ClassRate> rates) {
  GradEstimate e;
  for (const auto& l : net.layers()) {
    if (l.kind == LayerKind::input) continue;
    const auto it = std::find_if(rates.begin(), rates.end(),
                                 [&](const ClassRate& r) { return r.kind == l.kind; });
    if (it == rates.end() || it->rate <= 0) {
      if (std::find(e.unmeasured.begin(), e.unmeasured.end(), l.kind) == e.unmeasured.end())
        e.unmeasured.push_back(l.kind);
      continue;
    }
    e.t_grad += Seconds{work_of(l.kind, l.macs, l.out, batch) / it->rate};
  }
  return e;
}

}  // namespace dlscale::calib

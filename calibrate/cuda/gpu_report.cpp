#include "calibrate/cuda/gpu_report.hpp"

#include <ostream>

#include <fmt/ostream.h>

namespace dlscale::calib {

void print_gpu_measurement(const GpuGradMeasurement& g, std::ostream& out) {
  const auto& m = g.m;
  fmt::print(out, "{}: batch {}, {}, {}, {} warm-up + {} timed runs (CUDA events)\n", m.network, m.batch,
             g.device, to_string(g.dtype), m.warmup, m.repeat);
  fmt::print(out, "{:<28} {:<9} {:>12} {:>12}\n", "layer", "kind", "forward_ms", "backward_ms");
  for (const auto& l : m.layers)
    fmt::print(out, "{:<28} {:<9} {:>12.4f} {:>12.4f}\n", l.name, to_string(l.kind), 1e3 * l.forward.v,
               1e3 * l.backward.v);
  fmt::print(out, "t_grad median {:.4f} ms (min {:.4f}, max {:.4f})\n", 1e3 * m.t_grad.median.v,
             1e3 * m.t_grad.min.v, 1e3 * m.t_grad.max.v);
  fmt::print(out, "{:<9} {:>6} {:>10} {:>14}  (conv, fc: 3 x MACs x batch per iteration)\n", "class", "layers",
             "time_ms", "rate");
  for (const auto& c : m.classes)
    fmt::print(out, "{:<9} {:>6} {:>10.4f} {:>14.3f} {}\n", to_string(c.kind), c.layers, 1e3 * c.time.v,
               c.per_mac ? c.rate * 1e-9 : c.rate * 1e-6, c.per_mac ? "GMAC/s" : "Melem/s");
  for (const auto& n : g.notes) fmt::print(out, "note: {}\n", n);
}

void print_gpu_sweep(std::span<const GpuGradMeasurement> sweep, std::ostream& out) {
  fmt::print(out, "\nsweep: {:>6} {:>16} {:>12} {:>12}\n", "batch", "t_grad_median_ms", "min_ms", "max_ms");
  for (const auto& g : sweep)
    fmt::print(out, "       {:>6} {:>16.4f} {:>12.4f} {:>12.4f}\n", g.m.batch, 1e3 * g.m.t_grad.median.v,
               1e3 * g.m.t_grad.min.v, 1e3 * g.m.t_grad.max.v);
}

void write_layer_csv(const GpuGradMeasurement& g, std::ostream& out) {
  fmt::print(out, "network,device,dtype,batch,layer,kind,forward_ms,backward_ms,forward_macs_per_sample\n");
  for (const auto& l : g.m.layers)
    fmt::print(out, "{},{},{},{},{},{},{:.6f},{:.6f},{}\n", g.m.network, g.device, to_string(g.dtype), g.m.batch,
               l.name, to_string(l.kind), 1e3 * l.forward.v, 1e3 * l.backward.v, l.macs);
}

void write_sweep_csv(std::span<const GpuGradMeasurement> sweep, std::ostream& out) {
  fmt::print(out, "network,device,dtype,batch,t_grad_median_ms,t_grad_min_ms,t_grad_max_ms\n");
  for (const auto& g : sweep)
    fmt::print(out, "{},{},{},{},{:.6f},{:.6f},{:.6f}\n", g.m.network, g.device, to_string(g.dtype), g.m.batch,
               1e3 * g.m.t_grad.median.v, 1e3 * g.m.t_grad.min.v, 1e3 * g.m.t_grad.max.v);
}

}  // namespace dlscale::calib

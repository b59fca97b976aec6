#include "calibrate/cuda/pool_geometry.hpp"

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {

long long floor_pool_size(long long in, int window, int pad, int stride) {
  const long long span = in + 2LL * pad - window;
  return span < 0 ? 0 : span / stride + 1;
}

PoolGeometry pool_geometry(const Layer& L) {
  PoolGeometry g;
  if (L.kind == LayerKind::global_avgpool) {
    // One window over the whole plane; the stride only has to be positive.
    g.window_h = static_cast<int>(L.in.h);
    g.window_w = static_cast<int>(L.in.w);
    g.stride_h = g.window_h;
    g.stride_w = g.window_w;
    return g;
  }
  if (L.kind != LayerKind::maxpool && L.kind != LayerKind::avgpool)
    throw ConfigError(fmt::format("layer {}: {} is not a pooling layer", L.name, to_string(L.kind)));
  g.window_h = L.kernel_h;
  g.window_w = L.kernel_w;
  g.stride_h = g.stride_w = L.stride;
  for (int extra = 0; extra <= 2; ++extra) {
    if (floor_pool_size(L.in.h, L.kernel_h, L.pad + extra, L.stride) != L.out.h ||
        floor_pool_size(L.in.w, L.kernel_w, L.pad_w + extra, L.stride) != L.out.w)
      continue;
    g.pad_h = L.pad + extra;
    g.pad_w = L.pad_w + extra;
    if (extra > 0)
      g.note = fmt::format("{}: ceil mode emulated with padding {} instead of {} (same work, "
                           "windows shifted)", L.name, g.pad_h, L.pad);
    return g;
  }
  throw ConfigError(fmt::format("layer {}: output {}x{} from input {}x{} (kernel {}, stride {}, pad {}) "
                                "cannot be reproduced by cuDNN's floor-mode pooling",
                                L.name, L.out.h, L.out.w, L.in.h, L.in.w, L.kernel_h, L.stride, L.pad));
}

}  // namespace dlscale::calib

#include "calibrate/cpu/pool.hpp"

#include <algorithm>
#include <limits>

namespace dlscale::calib {
namespace {

// Window bounds along one axis: [start, end) clipped to the input, and the size clipped to
// the padded input (the average's divisor).
struct Span {
  std::int64_t lo, hi, padded;
};
Span window(std::int64_t o, int k, int stride, int pad, std::int64_t in) {
  const auto start = o * stride - pad;
  const auto end = std::min(start + k, in + pad);
  return {std::max<std::int64_t>(start, 0), std::min(end, in), end - start};
}

}  // namespace

template <class T>
void maxpool_forward(const PoolGeom& g, const T* x, T* y, std::vector<std::int32_t>& arg) {
  arg.resize(static_cast<std::size_t>(g.out.size()));
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.in.c; ++nc) {
    const T* src = x + nc * g.in.plane();
    for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
      const auto wy = window(oy, g.k, g.stride, g.pad, g.in.h);
      for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
        const auto wx = window(ox, g.k, g.stride, g.pad, g.in.w);
        T best = -std::numeric_limits<T>::infinity();
        std::int64_t at = wy.lo * g.in.w + wx.lo;
        for (auto iy = wy.lo; iy < wy.hi; ++iy)
          for (auto ix = wx.lo; ix < wx.hi; ++ix)
            if (src[iy * g.in.w + ix] > best) best = src[at = iy * g.in.w + ix];
        const auto o = nc * g.out.plane() + oy * g.out.w + ox;
        y[o] = best;
        arg[static_cast<std::size_t>(o)] = static_cast<std::int32_t>(at);
      }
    }
  }
}

template <class T>
void maxpool_backward(const PoolGeom& g, const T* dy, const std::vector<std::int32_t>& arg, T* dx) {
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.in.c; ++nc) {
    T* d = dx + nc * g.in.plane();
    std::fill(d, d + g.in.plane(), T(0));
    for (std::int64_t p = nc * g.out.plane(); p < (nc + 1) * g.out.plane(); ++p)
      d[arg[static_cast<std::size_t>(p)]] += dy[p];
  }
}

template <class T>
void avgpool_forward(const PoolGeom& g, const T* x, T* y) {
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.in.c; ++nc) {
    const T* src = x + nc * g.in.plane();
    for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
      const auto wy = window(oy, g.k, g.stride, g.pad, g.in.h);
      for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
        const auto wx = window(ox, g.k, g.stride, g.pad, g.in.w);
        T sum = 0;
        for (auto iy = wy.lo; iy < wy.hi; ++iy)
          for (auto ix = wx.lo; ix < wx.hi; ++ix) sum += src[iy * g.in.w + ix];
        y[nc * g.out.plane() + oy * g.out.w + ox] = sum / T(wy.padded * wx.padded);
      }
    }
  }
}

template <class T>
void avgpool_backward(const PoolGeom& g, const T* dy, T* dx) {
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.in.c; ++nc) {
    T* d = dx + nc * g.in.plane();
    std::fill(d, d + g.in.plane(), T(0));
    for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
      const auto wy = window(oy, g.k, g.stride, g.pad, g.in.h);
      for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
        const auto wx = window(ox, g.k, g.stride, g.pad, g.in.w);
        const T share = dy[nc * g.out.plane() + oy * g.out.w + ox] / T(wy.padded * wx.padded);
        for (auto iy = wy.lo; iy < wy.hi; ++iy)
          for (auto ix = wx.lo; ix < wx.hi; ++ix) d[iy * g.in.w + ix] += share;
      }
    }
  }
}

template <class T>
void global_avgpool_forward(const Dims& in, const T* x, T* y) {
  MapV<T>(y, in.n * in.c) = CMapR<T>(x, in.n * in.c, in.plane()).rowwise().mean();
}

template <class T>
void global_avgpool_backward(const Dims& in, const T* dy, T* dx) {
  MapR<T>(dx, in.n * in.c, in.plane()).colwise() = CMapV<T>(dy, in.n * in.c) / T(in.plane());
}

#define DLSCALE_POOL_INSTANTIATE(T)                                                             \
  template void maxpool_forward<T>(const PoolGeom&, const T*, T*, std::vector<std::int32_t>&); \
  template void maxpool_backward<T>(const PoolGeom&, const T*,                                 \
                                    const std::vector<std::int32_t>&, T*);                     \
  template void avgpool_forward<T>(const PoolGeom&, const T*, T*);                             \
  template void avgpool_backward<T>(const PoolGeom&, const T*, T*);                            \
  template void global_avgpool_forward<T>(const Dims&, const T*, T*);                          \
  template void global_avgpool_backward<T>(const Dims&, const T*, T*);
DLSCALE_POOL_INSTANTIATE(float)
DLSCALE_POOL_INSTANTIATE(double)

}  // namespace dlscale::calib

#include "calibrate/cpu/norm.hpp"

#include <algorithm>
#include <cmath>

namespace dlscale::calib {
namespace {

// View of channel c over the whole batch: n rows of one plane each, `sample` apart.
template <class T>
using ChanMap = Eigen::Map<MatR<T>, 0, Eigen::OuterStride<>>;
template <class T>
using CChanMap = Eigen::Map<const MatR<T>, 0, Eigen::OuterStride<>>;

template <class T>
CChanMap<T> channel(const Dims& d, const T* p, std::int64_t c) {
  return CChanMap<T>(p + c * d.plane(), d.n, d.plane(), Eigen::OuterStride<>(d.sample()));
}
template <class T>
ChanMap<T> channel(const Dims& d, T* p, std::int64_t c) {
  return ChanMap<T>(p + c * d.plane(), d.n, d.plane(), Eigen::OuterStride<>(d.sample()));
}

// Sum over the channel window [c - size/2, c + size/2] of f(channel j) for one pixel stride.
std::pair<std::int64_t, std::int64_t> lrn_window(const Dims& d, const LrnParams& p, std::int64_t c) {
  return {std::max<std::int64_t>(0, c - p.size / 2), std::min(d.c - 1, c + p.size / 2)};
}

}  // namespace

template <class T>
void batchnorm_forward(const Dims& d, const T* x, const T* gamma, const T* beta, T* y,
                       BatchNormSaved<T>& saved, T eps) {
  saved.mean.resize(static_cast<std::size_t>(d.c));
  saved.inv_std.resize(static_cast<std::size_t>(d.c));
  const T m = T(d.n * d.plane());
#pragma omp parallel for schedule(static)
  for (std::int64_t c = 0; c < d.c; ++c) {
    const auto xc = channel(d, x, c);
    const T mean = xc.sum() / m;
    const T var = (xc.array() - mean).square().sum() / m;
    const T inv = T(1) / std::sqrt(var + eps);
    saved.mean[static_cast<std::size_t>(c)] = mean;
    saved.inv_std[static_cast<std::size_t>(c)] = inv;
    channel(d, y, c).array() = (xc.array() - mean) * (inv * gamma[c]) + beta[c];
  }
}

template <class T>
void batchnorm_backward(const Dims& d, const T* x, const T* gamma, const T* dy,
                        const BatchNormSaved<T>& saved, T* dx, T* dgamma, T* dbeta) {
  const T m = T(d.n * d.plane());
#pragma omp parallel for schedule(static)
  for (std::int64_t c = 0; c < d.c; ++c) {
    const T mean = saved.mean[static_cast<std::size_t>(c)];
    const T inv = saved.inv_std[static_cast<std::size_t>(c)];
    const auto xhat = (channel(d, x, c).array() - mean) * inv;
    const auto g = channel(d, dy, c).array();
    const T sum_g = g.sum(), sum_gx = (g * xhat).sum();
    dgamma[c] = sum_gx;
    dbeta[c] = sum_g;
    if (dx)
      channel(d, dx, c).array() = (gamma[c] * inv / m) * (m * g - sum_g - xhat * sum_gx);
  }
}

template <class T>
void lrn_forward(const Dims& d, const LrnParams& p, const T* x, T* y, std::vector<T>& scale) {
  scale.resize(static_cast<std::size_t>(d.size()));
  const T a = T(p.alpha / p.size), b = T(p.beta);
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < d.n * d.c; ++nc) {
    const auto n = nc / d.c, c = nc % d.c;
    const auto [lo, hi] = lrn_window(d, p, c);
    auto s = MapV<T>(scale.data() + nc * d.plane(), d.plane());
    s.setConstant(T(p.k));
    for (auto j = lo; j <= hi; ++j)
      s.array() += a * CMapV<T>(x + (n * d.c + j) * d.plane(), d.plane()).array().square();
    MapV<T>(y + nc * d.plane(), d.plane()).array() =
        CMapV<T>(x + nc * d.plane(), d.plane()).array() * s.array().pow(-b);
  }
}

template <class T>
void lrn_backward(const Dims& d, const LrnParams& p, const T* x, const T* y, const T* dy,
                  const std::vector<T>& scale, T* dx) {
  const T a = T(2 * p.alpha * p.beta / p.size), b = T(p.beta);
  const auto P = d.plane();
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < d.n * d.c; ++nc) {
    const auto n = nc / d.c, c = nc % d.c;
    const auto [lo, hi] = lrn_window(d, p, c);  // the window is symmetric: j sees c iff c sees j
    Eigen::Array<T, Eigen::Dynamic, 1> acc = Eigen::Array<T, Eigen::Dynamic, 1>::Zero(P);
    for (auto j = lo; j <= hi; ++j) {
      const auto o = (n * d.c + j) * P;
      acc += CMapV<T>(dy + o, P).array() * CMapV<T>(y + o, P).array() /
             CMapV<T>(scale.data() + o, P).array();
    }
    const auto o = nc * P;
    MapV<T>(dx + o, P).array() = CMapV<T>(dy + o, P).array() *
                                     CMapV<T>(scale.data() + o, P).array().pow(-b) -
                                 a * CMapV<T>(x + o, P).array() * acc;
  }
}

#define DLSCALE_NORM_INSTANTIATE(T)                                                             \
  template struct BatchNormSaved<T>;                                                            \
  template void batchnorm_forward<T>(const Dims&, const T*, const T*, const T*, T*,            \
                                     BatchNormSaved<T>&, T);                                    \
  template void batchnorm_backward<T>(const Dims&, const T*, const T*, const T*,               \
                                      const BatchNormSaved<T>&, T*, T*, T*);                    \
  template void lrn_forward<T>(const Dims&, const LrnParams&, const T*, T*, std::vector<T>&);  \
  template void lrn_backward<T>(const Dims&, const LrnParams&, const T*, const T*, const T*,    \
                               const std::vector<T>&, T*);
DLSCALE_NORM_INSTANTIATE(float)
DLSCALE_NORM_INSTANTIATE(double)

}  // namespace dlscale::calib

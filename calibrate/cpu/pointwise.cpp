#include "calibrate/cpu/pointwise.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dlscale::calib {

template <class T>
void relu_forward(std::int64_t count, const T* x, T* y) {
  MapV<T>(y, count) = CMapV<T>(x, count).cwiseMax(T(0));
}

template <class T>
void relu_backward(std::int64_t count, const T* y, const T* dy, T* dx) {
  // multiply by the 0/1 mask rather than select(): the product vectorises
  MapV<T>(dx, count).array() =
      CMapV<T>(dy, count).array() * (CMapV<T>(y, count).array() > T(0)).template cast<T>();
}

template <class T>
void dropout_forward(std::int64_t count, double rate, const T* x, T* y, std::vector<T>& mask,
                     std::mt19937& rng) {
  mask.resize(static_cast<std::size_t>(count));
  std::bernoulli_distribution keep(1.0 - rate);
  const T scale = T(1.0 / (1.0 - rate));
  for (auto& m : mask) m = keep(rng) ? scale : T(0);
  MapV<T>(y, count) = CMapV<T>(x, count).cwiseProduct(CMapV<T>(mask.data(), count));
}

template <class T>
void dropout_backward(std::int64_t count, const T* dy, const std::vector<T>& mask, T* dx) {
  MapV<T>(dx, count) = CMapV<T>(dy, count).cwiseProduct(CMapV<T>(mask.data(), count));
}

template <class T>
T softmax_xent_forward(std::int64_t batch, std::int64_t classes, const T* logits,
                       std::span<const std::int32_t> labels, T* p) {
  CMapR<T> z(logits, batch, classes);
  MapR<T> pm(p, batch, classes);
  T loss = 0;
  for (std::int64_t n = 0; n < batch; ++n) {
    const T top = z.row(n).maxCoeff();  // shift for range: exp never overflows
    pm.row(n) = (z.row(n).array() - top).exp();
    const T sum = pm.row(n).sum();
    pm.row(n) /= sum;
    loss -= z(n, labels[static_cast<std::size_t>(n)]) - top - std::log(sum);
  }
  return loss / T(batch);
}

template <class T>
void softmax_xent_backward(std::int64_t batch, std::int64_t classes, const T* p,
                           std::span<const std::int32_t> labels, T* dx) {
  MapR<T> d(dx, batch, classes);
  d = CMapR<T>(p, batch, classes);
  for (std::int64_t n = 0; n < batch; ++n) d(n, labels[static_cast<std::size_t>(n)]) -= T(1);
  d /= T(batch);
}

template <class T>
void add_forward(std::int64_t count, std::span<const T* const> xs, T* y) {
  MapV<T> out(y, count);
  out = CMapV<T>(xs[0], count);
  for (std::size_t i = 1; i < xs.size(); ++i) out += CMapV<T>(xs[i], count);
}

template <class T>
void concat_forward(std::int64_t batch, std::span<const std::int64_t> sample_sizes,
                    std::span<const T* const> xs, T* y) {
  const auto total = std::accumulate(sample_sizes.begin(), sample_sizes.end(), std::int64_t{0});
#pragma omp parallel for schedule(static)
  for (std::int64_t n = 0; n < batch; ++n) {
    T* dst = y + n * total;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const auto s = sample_sizes[i];
      dst = std::copy(xs[i] + n * s, xs[i] + (n + 1) * s, dst);
    }
  }
}

template <class T>
void concat_backward(std::int64_t batch, std::span<const std::int64_t> sample_sizes,
                     std::size_t which, const T* dy, T* dx) {
  const auto total = std::accumulate(sample_sizes.begin(), sample_sizes.end(), std::int64_t{0});
  const auto offset = std::accumulate(sample_sizes.begin(),
                                      sample_sizes.begin() + static_cast<std::ptrdiff_t>(which),
                                      std::int64_t{0});
  const auto s = sample_sizes[which];
#pragma omp parallel for schedule(static)
  for (std::int64_t n = 0; n < batch; ++n)
    std::copy(dy + n * total + offset, dy + n * total + offset + s, dx + n * s);
}

#define DLSCALE_POINTWISE_INSTANTIATE(T)                                                        \
  template void relu_forward<T>(std::int64_t, const T*, T*);                                    \
  template void relu_backward<T>(std::int64_t, const T*, const T*, T*);                         \
  template void dropout_forward<T>(std::int64_t, double, const T*, T*, std::vector<T>&,         \
                                   std::mt19937&);                                              \
  template void dropout_backward<T>(std::int64_t, const T*, const std::vector<T>&, T*);         \
  template T softmax_xent_forward<T>(std::int64_t, std::int64_t, const T*,                      \
                                     std::span<const std::int32_t>, T*);                        \
  template void softmax_xent_backward<T>(std::int64_t, std::int64_t, const T*,                  \
                                         std::span<const std::int32_t>, T*);                    \
  template void add_forward<T>(std::int64_t, std::span<const T* const>, T*);                    \
  template void concat_forward<T>(std::int64_t, std::span<const std::int64_t>,                  \
                                  std::span<const T* const>, T*);                               \
  template void concat_backward<T>(std::int64_t, std::span<const std::int64_t>, std::size_t,    \
                                   const T*, T*);
DLSCALE_POINTWISE_INSTANTIATE(float)
DLSCALE_POINTWISE_INSTANTIATE(double)

}  // namespace dlscale::calib

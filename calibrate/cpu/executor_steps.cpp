// Executor<T>::forward and ::backward: one switch per direction over the layer kinds.
#include <array>
#include <cassert>

#include "calibrate/cpu/executor.hpp"
#include "calibrate/cpu/pointwise.hpp"
#include "calibrate/cpu/pool.hpp"

namespace dlscale::calib {
namespace {

ConvGeom conv_geom(const Layer& L, const Dims& in, const Dims& out) {
  return {in, out, L.kernel_h, L.kernel_w, L.stride, L.pad, L.pad_w, L.groups};
}
PoolGeom pool_geom(const Layer& L, const Dims& in, const Dims& out) {
  return {in, out, L.kernel_h, L.stride, L.pad};
}
constexpr double dropout_rate = 0.5;  // descriptions validate `rate` but do not keep it

}  // namespace

template <class T>
void Executor<T>::forward(std::size_t i) {
  const auto& L = layers_[i];
  auto& s = state_[i];
  const auto count = s.dims.size();
  const T* x = L.kind == LayerKind::input ? nullptr : input(i);
  const T* bias = s.b.empty() ? nullptr : s.b.data();
  switch (L.kind) {
    case LayerKind::input: break;
    case LayerKind::conv: conv_forward(conv_geom(L, in_dims(i), s.dims), x, s.w.data(), bias, s.y.data(), conv_); break;
    case LayerKind::fc: fc_forward<T>(batch_, in_dims(i).sample(), s.dims.c, x, s.w.data(), bias, s.y.data()); break;
    case LayerKind::maxpool: maxpool_forward(pool_geom(L, in_dims(i), s.dims), x, s.y.data(), s.arg); break;
    case LayerKind::avgpool: avgpool_forward(pool_geom(L, in_dims(i), s.dims), x, s.y.data()); break;
    case LayerKind::global_avgpool: global_avgpool_forward(in_dims(i), x, s.y.data()); break;
    case LayerKind::batchnorm: batchnorm_forward(s.dims, x, s.w.data(), s.b.data(), s.y.data(), s.bn); break;
    case LayerKind::lrn: lrn_forward(s.dims, lrn_, x, s.y.data(), s.saved); break;
    case LayerKind::relu: relu_forward(count, x, s.y.data()); break;
    case LayerKind::dropout: dropout_forward(count, dropout_rate, x, s.y.data(), s.saved, rng_); break;
    case LayerKind::flatten: std::copy(x, x + count, s.y.data()); break;
    case LayerKind::softmax:
      loss_ += softmax_xent_forward<T>(batch_, s.dims.sample(), x, s.arg, s.y.data());
      break;
    case LayerKind::add: case LayerKind::concat: {
      std::vector<const T*> xs;
      std::vector<std::int64_t> sizes;
      for (std::size_t j = 0; j < s.from.size(); ++j) {
        xs.push_back(input(i, j));
        sizes.push_back(in_dims(i, j).sample());
      }
      if (L.kind == LayerKind::add) add_forward<T>(count, xs, s.y.data());
      else concat_forward<T>(batch_, sizes, xs, s.y.data());
      break;
    }
  }
}

template <class T>
void Executor<T>::backward(std::size_t i) {
  const auto& L = layers_[i];
  auto& s = state_[i];
  if (L.kind == LayerKind::input) return;
  if (L.kind == LayerKind::conv || L.kind == LayerKind::fc) return backward_conv_fc(i);
  if (L.kind == LayerKind::add || L.kind == LayerKind::concat) return backward_joins(i);
  T* dx = grad_target(i, 0);
  const auto count = s.dims.size();
  if (dx) switch (L.kind) {
    case LayerKind::maxpool: maxpool_backward(pool_geom(L, in_dims(i), s.dims), s.dy.data(), s.arg, dx); break;
    case LayerKind::avgpool: avgpool_backward(pool_geom(L, in_dims(i), s.dims), s.dy.data(), dx); break;
    case LayerKind::global_avgpool: global_avgpool_backward(in_dims(i), s.dy.data(), dx); break;
    case LayerKind::lrn: lrn_backward(s.dims, lrn_, input(i), s.y.data(), s.dy.data(), s.saved, dx); break;
    case LayerKind::relu: relu_backward(count, s.y.data(), s.dy.data(), dx); break;
    case LayerKind::dropout: dropout_backward(count, s.dy.data(), s.saved, dx); break;
    case LayerKind::flatten: std::copy(s.dy.begin(), s.dy.end(), dx); break;
    case LayerKind::softmax: softmax_xent_backward<T>(batch_, s.dims.sample(), s.y.data(), s.arg, dx); break;
    default: break;
  }
  if (L.kind == LayerKind::batchnorm)  // runs even without dx: gamma and beta still learn
    batchnorm_backward(s.dims, input(i), s.w.data(), s.dy.data(), s.bn, dx, s.dw.data(), s.db.data());
  grad_commit(i, 0, dx);
}

template <class T>
void Executor<T>::backward_conv_fc(std::size_t i) {
  const auto& L = layers_[i];
  auto& s = state_[i];
  T* dx = grad_target(i, 0);
  T* db = s.db.empty() ? nullptr : s.db.data();
  if (L.kind == LayerKind::conv)
    conv_backward(conv_geom(L, in_dims(i), s.dims), input(i), s.w.data(), s.dy.data(), dx,
                  s.dw.data(), db, conv_);
  else
    fc_backward<T>(batch_, in_dims(i).sample(), s.dims.c, input(i), s.w.data(), s.dy.data(), dx,
                   s.dw.data(), db);
  grad_commit(i, 0, dx);
}

template <class T>
void Executor<T>::backward_joins(std::size_t i) {
  auto& s = state_[i];
  std::vector<std::int64_t> sizes;
  for (std::size_t j = 0; j < s.from.size(); ++j) sizes.push_back(in_dims(i, j).sample());
  for (std::size_t j = 0; j < s.from.size(); ++j) {
    T* dx = grad_target(i, j);
    if (!dx) continue;
    if (layers_[i].kind == LayerKind::add) std::copy(s.dy.begin(), s.dy.end(), dx);
    else concat_backward<T>(batch_, sizes, j, s.dy.data(), dx);
    grad_commit(i, j, dx);
  }
}

template void Executor<float>::forward(std::size_t);
template void Executor<double>::forward(std::size_t);
template void Executor<float>::backward(std::size_t);
template void Executor<double>::backward(std::size_t);
template void Executor<float>::backward_conv_fc(std::size_t);
template void Executor<double>::backward_conv_fc(std::size_t);
template void Executor<float>::backward_joins(std::size_t);
template void Executor<double>::backward_joins(std::size_t);

}  // namespace dlscale::calib

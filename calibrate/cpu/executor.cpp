#include "calibrate/cpu/executor.hpp"

#include "calibrate/cpu/memory.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

template <class T>
void fill_uniform(std::vector<T>& v, std::size_t n, double bound, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-bound, bound);
  v.resize(n);
  for (auto& x : v) x = T(u(rng));
}

}  // namespace

void require_runnable(const Network& net) {
  // A layer with written-out counts (imported from ONNX: a MatMul over a sequence, an
  // embedding) has a shape but no kernel the probe knows: running it as its class would
  // read and write past its buffers (Eigen), or fail to plan with an unhelpful message (oneDNN).
  for (const auto& L : net.layers())
    if (L.given_counts)
      throw ConfigError(fmt::format("{}: layer '{}' ({}) has its counts written out (out=), not a "
                                    "geometry the probe can run; estimate this network from a "
                                    "profile's [rates] instead", net.source(), L.name, to_string(L.kind)));
}

template <class T>
Executor<T>::Executor(const Network& net, int batch, std::uint32_t seed)
    : layers_(net.layers()), state_(layers_.size()), written_(layers_.size()), rng_(seed),
      batch_(batch) {
  if (batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", batch));
  working_set_bytes(net, batch, sizeof(T));  // refuses a shape whose counts overflow, by name
  require_runnable(net);
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    index[layers_[i].name] = i;
    for (const auto& name : layers_[i].inputs) {
      const auto p = index.at(name);  // layers() is topological: producers come first
      state_[i].from.push_back(p);
      ++state_[p].consumers;
    }
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) allocate(i, rng_);
}

// Weights are uniform in +-sqrt(3 / fan_in) (unit variance through a layer), gamma around 1.
// A layer nobody reads gets dy = 1 (the gradient of the sum of its outputs) unless it is a
// softmax loss head, whose backward ignores dy.
template <class T>
void Executor<T>::allocate(std::size_t i, std::mt19937& rng) {
  const auto& L = layers_[i];
  auto& s = state_[i];
  s.dims = {batch_, L.out.c, L.out.h, L.out.w};
  const auto out = static_cast<std::size_t>(s.dims.size());
  if (L.kind == LayerKind::input) fill_uniform(s.y, out, 1.0, rng);
  s.y.resize(out);
  s.dy.assign(out, s.consumers == 0 ? T(1) : T(0));
  // Checked products (Dims), not Shape::elements(): the shapes come from a description file.
  const auto in_sample = Dims{1, L.in.c, L.in.h, L.in.w}.sample();
  if (L.kind == LayerKind::conv || L.kind == LayerKind::fc) {
    const auto fan_in = L.kind == LayerKind::fc ? in_sample
                                                : Dims{1, L.in.c / L.groups, L.kernel_h, L.kernel_w}.sample();
    fill_uniform(s.w, static_cast<std::size_t>(Dims::product(L.out.c, fan_in)),
                 std::sqrt(3.0 / double(fan_in)), rng);
    if (L.bias) fill_uniform(s.b, static_cast<std::size_t>(L.out.c), 0.1, rng);
  }
  if (L.kind == LayerKind::batchnorm) {
    fill_uniform(s.w, static_cast<std::size_t>(L.out.c), 0.5, rng);
    for (auto& g : s.w) g += T(1);
    fill_uniform(s.b, static_cast<std::size_t>(L.out.c), 0.1, rng);
  }
  if (L.kind == LayerKind::softmax)  // synthetic labels, one class after another
    for (std::int64_t n = 0; n < batch_; ++n)
      s.arg.push_back(static_cast<std::int32_t>(n % s.dims.sample()));
  s.dw.resize(s.w.size());
  s.db.resize(s.b.size());
}

template <class T>
T* Executor<T>::grad_target(std::size_t i, std::size_t j) {
  const auto p = state_[i].from[j];
  if (layers_[p].kind == LayerKind::input) return nullptr;  // nobody needs the data gradient
  if (state_[p].consumers == 1) return state_[p].dy.data();
  scratch_.resize(state_[p].dy.size());
  return scratch_.data();
}

template <class T>
void Executor<T>::grad_commit(std::size_t i, std::size_t j, T* target) {
  const auto p = state_[i].from[j];
  if (target == scratch_.data() && target != nullptr) {
    auto& dy = state_[p].dy;
    if (written_[p]) MapV<T>(dy.data(), std::ssize(dy)) += CMapV<T>(target, std::ssize(dy));
    else std::copy(scratch_.begin(), scratch_.end(), dy.begin());
  }
  written_[p] = true;
}

template <class T>
void Executor<T>::begin_backward() {
  std::fill(written_.begin(), written_.end(), false);
}

template <class T>
T Executor<T>::forward_all() {
  begin_forward();
  for (std::size_t i = 0; i < size(); ++i) forward(i);
  return loss_;
}

template <class T>
void Executor<T>::backward_all() {
  begin_backward();
  for (std::size_t i = size(); i-- > 0;) backward(i);
}

template class Executor<float>;
template class Executor<double>;

}  // namespace dlscale::calib

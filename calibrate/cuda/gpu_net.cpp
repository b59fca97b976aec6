#include "calibrate/cuda/gpu_net.hpp"

#include <map>

#include <fmt/format.h>


namespace dlscale::calib {

GradOut take_grad(GpuTensor& producer) {
  if (producer.is_input) return {};
  const float beta = producer.grad_written ? 1.0f : 0.0f;
  producer.grad_written = true;  // stream order puts this write before the next consumer's
  return {producer.dy.get(), beta};
}

namespace {

StepPtr make_step(const GpuContext& ctx, const Layer& L, const Inputs& in, GpuTensor& y) {
  GpuTensor& x = *in.front();
  switch (L.kind) {
    case LayerKind::conv: return make_conv_step(ctx, L, x, y);
    case LayerKind::fc: return make_fc_step(ctx, L, x, y);
    case LayerKind::maxpool: case LayerKind::avgpool: case LayerKind::global_avgpool:
      return make_pool_step(ctx, L, x, y);
    case LayerKind::relu: return make_relu_step(ctx, L, x, y);
    case LayerKind::lrn: return make_lrn_step(ctx, L, x, y);
    case LayerKind::batchnorm: return make_batchnorm_step(ctx, L, x, y);
    case LayerKind::dropout: return make_dropout_step(ctx, L, x, y);
    case LayerKind::softmax: return make_softmax_step(ctx, L, x, y);
    case LayerKind::flatten: return make_flatten_step(ctx, L, x, y);
    case LayerKind::add: return make_add_step(ctx, L, in, y);
    case LayerKind::concat: return make_concat_step(ctx, L, in, y);
    case LayerKind::input: break;
  }
  throw GpuError(fmt::format("layer {}: kind {} has no GPU step", L.name, to_string(L.kind)));
}

}  // namespace

GpuNet::GpuNet(const Network& net, const GpuContext& ctx) : layers_(net.layers()) {
  const auto bytes = static_cast<std::size_t>(element_bytes(ctx.dtype));
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<Inputs> inputs(layers_.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& L = layers_[i];
    index[L.name] = i;
    auto t = std::make_unique<GpuTensor>();
    t->n = ctx.batch;
    t->c = L.out.c;
    t->h = L.out.h;
    t->w = L.out.w;
    t->is_input = L.kind == LayerKind::input;
    set_nchw(t->desc, ctx.dtype, t->n, t->c, t->h, t->w);
    t->y = DeviceBuffer(static_cast<std::size_t>(t->elements()) * bytes);
    if (!t->is_input) t->dy = DeviceBuffer(t->y.bytes());
    // Defined contents before the first pass: algorithm search reads activations and gradients
    // that no step has written yet.
    DLSCALE_CUDA(cudaMemsetAsync, t->y.get(), 0, t->y.bytes(), ctx.stream);
    if (t->dy.get()) DLSCALE_CUDA(cudaMemsetAsync, t->dy.get(), 0, t->dy.bytes(), ctx.stream);
    for (const auto& name : L.inputs) {
      const auto p = index.at(name);  // layers() is topological: producers come first
      inputs[i].push_back(tensors_[p].get());
      ++tensors_[p]->consumers;
    }
    tensors_.push_back(std::move(t));
  }
  std::uint32_t seed = 1;
  for (auto& t : tensors_) {
    if (t->is_input)
      fill_uniform(t->y.get(), static_cast<std::size_t>(t->elements()), ctx.dtype, -1, 1, seed++, ctx.stream);
    // Nobody writes a head's gradient (a softmax loss head or an unread output): it stands for
    // the loss gradient, so it gets synthetic values once.
    else if (t->consumers == 0)
      fill_uniform(t->dy.get(), static_cast<std::size_t>(t->elements()), ctx.dtype, -0.1f, 0.1f, seed++, ctx.stream);
  }
  steps_.resize(layers_.size());
  for (std::size_t i = 1; i < layers_.size(); ++i) {
    const auto& L = layers_[i];
    try {
      steps_[i] = make_step(ctx, L, inputs[i], *tensors_[i]);
    } catch (const GpuError& e) {
      rethrow_in_layer(i, e);
    }
  }
  DLSCALE_CUDA(cudaStreamSynchronize, ctx.stream);
}

void GpuNet::rethrow_in_layer(std::size_t i, const GpuError& e) const {
  throw GpuError(fmt::format("layer {} ({}): {}", layers_[i].name, to_string(layers_[i].kind), e.what()));
}

void GpuNet::forward(std::size_t i) {
  try {
    steps_[i]->forward();
  } catch (const GpuError& e) {
    rethrow_in_layer(i, e);
  }
}

void GpuNet::backward(std::size_t i) {
  try {
    steps_[i]->backward();
  } catch (const GpuError& e) {
    rethrow_in_layer(i, e);
  }
}

void GpuNet::begin_backward() {
  for (auto& t : tensors_) t->grad_written = false;
}

}  // namespace dlscale::calib

// Single-input cuDNN layers: pooling, ReLU, LRN, batch norm (training), dropout, softmax.
// Each backward blends into its input's gradient with take_grad's beta.
#include <fmt/format.h>

#include "calibrate/cuda/gpu_net.hpp"
#include "calibrate/cuda/pool_geometry.hpp"

namespace dlscale::calib {
namespace {

class PoolStep final : public GpuStep {
 public:
  PoolStep(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {
    const auto g = pool_geometry(L);
    if (!g.note.empty()) ctx.notes->push_back(g.note);
    // Caffe's average divides by the window clipped to the padded input: padding counts.
    const auto mode = L.kind == LayerKind::maxpool ? CUDNN_POOLING_MAX : CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING;
    DLSCALE_CUDNN(cudnnSetPooling2dDescriptor, desc_, mode, CUDNN_NOT_PROPAGATE_NAN, g.window_h, g.window_w,
                  g.pad_h, g.pad_w, g.stride_h, g.stride_w);
    int n = 0, c = 0, h = 0, w = 0;
    DLSCALE_CUDNN(cudnnGetPooling2dForwardOutputDim, desc_, x.desc, &n, &c, &h, &w);
    if (h != y.h || w != y.w)
      throw GpuError(fmt::format("cuDNN pools to {}x{}, the description says {}x{}", h, w, y.h, y.w));
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnPoolingForward, ctx_.cudnn, desc_, &one, x_.desc, x_.y.get(), &zero, y_.desc, y_.y.get());
  }
  void backward() override {
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnPoolingBackward, ctx_.cudnn, desc_, &one, y_.desc, y_.y.get(), y_.desc, y_.dy.get(),
                    x_.desc, x_.y.get(), &g.beta, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  PoolDesc desc_;
};

class ReluStep final : public GpuStep {
 public:
  ReluStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {
    DLSCALE_CUDNN(cudnnSetActivationDescriptor, desc_, CUDNN_ACTIVATION_RELU, CUDNN_NOT_PROPAGATE_NAN, 0.0);
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnActivationForward, ctx_.cudnn, desc_, &one, x_.desc, x_.y.get(), &zero, y_.desc, y_.y.get());
  }
  void backward() override {
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnActivationBackward, ctx_.cudnn, desc_, &one, y_.desc, y_.y.get(), y_.desc, y_.dy.get(),
                    x_.desc, x_.y.get(), &g.beta, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  ActivationDesc desc_;
};

// Across channels with Caffe's constants (size 5, alpha 1e-4, beta 0.75, k 1), as on the CPU.
class LrnStep final : public GpuStep {
 public:
  LrnStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {
    DLSCALE_CUDNN(cudnnSetLRNDescriptor, desc_, 5u, 1e-4, 0.75, 1.0);
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnLRNCrossChannelForward, ctx_.cudnn, desc_, CUDNN_LRN_CROSS_CHANNEL_DIM1, &one, x_.desc,
                  x_.y.get(), &zero, y_.desc, y_.y.get());
  }
  void backward() override {
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnLRNCrossChannelBackward, ctx_.cudnn, desc_, CUDNN_LRN_CROSS_CHANNEL_DIM1, &one,
                    y_.desc, y_.y.get(), y_.desc, y_.dy.get(), x_.desc, x_.y.get(), &g.beta, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  LrnDesc desc_;
};

// Training mode (batch statistics). Scale, shift and statistics are float for every dtype
// (cudnnDeriveBNTensorDescriptor), so fp16/bf16 accumulate in fp32.
class BatchNormStep final : public GpuStep {
 public:
  BatchNormStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y)
      : ctx_(ctx), x_(x), y_(y), params_(8 * static_cast<std::size_t>(y.c) * sizeof(float)) {
    DLSCALE_CUDNN(cudnnDeriveBNTensorDescriptor, bn_, x.desc, mode);
    const auto c = static_cast<std::size_t>(y.c);
    fill_uniform_f32(part(gamma), c, 0.5f, 1.5f, 11, ctx.stream);
    fill_uniform_f32(part(beta), c, -0.1f, 0.1f, 12, ctx.stream);
    fill_uniform_f32(part(running_mean), c, 0.0f, 0.0f, 0, ctx.stream);
    fill_uniform_f32(part(running_var), c, 1.0f, 1.0f, 0, ctx.stream);
    if (x.is_input) scratch_dx_ = DeviceBuffer(x.y.bytes());  // cuDNN always writes dx
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnBatchNormalizationForwardTraining, ctx_.cudnn, mode, &one, &zero, x_.desc, x_.y.get(),
                  y_.desc, y_.y.get(), bn_, part(gamma), part(beta), 0.1, part(running_mean),
                  part(running_var), epsilon, part(save_mean), part(save_inv_var));
  }
  void backward() override {
    auto g = take_grad(x_);
    if (!g.dx) g = {scratch_dx_.get(), 0.0f};
    DLSCALE_CUDNN(cudnnBatchNormalizationBackward, ctx_.cudnn, mode, &one, &g.beta, &one, &zero, x_.desc,
                  x_.y.get(), y_.desc, y_.dy.get(), x_.desc, g.dx, bn_, part(gamma), part(dgamma), part(dbeta),
                  epsilon, part(save_mean), part(save_inv_var));
  }

 private:
  static constexpr cudnnBatchNormMode_t mode = CUDNN_BATCHNORM_SPATIAL;
  static constexpr double epsilon = 1e-5;
  enum Part { gamma, beta, dgamma, dbeta, running_mean, running_var, save_mean, save_inv_var };
  float* part(Part p) const { return static_cast<float*>(params_.get()) + p * y_.c; }

  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  TensorDesc bn_;
  DeviceBuffer params_, scratch_dx_;
};

// Rate 0.5 like the CPU probe (descriptions do not keep the rate). cuDNN's dropout backward
// cannot blend, so a second consumer's gradient goes through a scratch buffer and an add.
class DropoutStep final : public GpuStep {
 public:
  DropoutStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {
    std::size_t state_bytes = 0, reserve_bytes = 0;
    DLSCALE_CUDNN(cudnnDropoutGetStatesSize, ctx.cudnn, &state_bytes);
    DLSCALE_CUDNN(cudnnDropoutGetReserveSpaceSize, x.desc, &reserve_bytes);
    states_ = DeviceBuffer(state_bytes);
    reserve_ = DeviceBuffer(reserve_bytes);
    DLSCALE_CUDNN(cudnnSetDropoutDescriptor, desc_, ctx.cudnn, 0.5f, states_.get(), state_bytes, 1ull);
    if (x.consumers > 1) scratch_dx_ = DeviceBuffer(x.y.bytes());
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnDropoutForward, ctx_.cudnn, desc_, x_.desc, x_.y.get(), y_.desc, y_.y.get(),
                  reserve_.get(), reserve_.bytes());
  }
  void backward() override {
    const auto g = take_grad(x_);
    if (!g.dx) return;
    void* dx = g.beta == 0.0f ? g.dx : scratch_dx_.get();
    DLSCALE_CUDNN(cudnnDropoutBackward, ctx_.cudnn, desc_, y_.desc, y_.dy.get(), x_.desc, dx, reserve_.get(),
                  reserve_.bytes());
    if (dx != g.dx) DLSCALE_CUDNN(cudnnAddTensor, ctx_.cudnn, &one, x_.desc, dx, &one, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  DropoutDesc desc_;
  DeviceBuffer states_, reserve_, scratch_dx_;
};

// Softmax over each sample's classes. The loss gradient is the head's synthetic dy (GpuNet);
// cudnnSoftmaxBackward costs what the cross-entropy gradient y - onehot would.
class SoftmaxStep final : public GpuStep {
 public:
  SoftmaxStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {}
  void forward() override {
    DLSCALE_CUDNN(cudnnSoftmaxForward, ctx_.cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE, &one,
                  x_.desc, x_.y.get(), &zero, y_.desc, y_.y.get());
  }
  void backward() override {
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnSoftmaxBackward, ctx_.cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE, &one,
                    y_.desc, y_.y.get(), y_.desc, y_.dy.get(), &g.beta, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
};

}  // namespace

StepPtr make_pool_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<PoolStep>(ctx, L, x, y);
}
StepPtr make_relu_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<ReluStep>(ctx, x, y);
}
StepPtr make_lrn_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<LrnStep>(ctx, x, y);
}
StepPtr make_batchnorm_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<BatchNormStep>(ctx, x, y);
}
StepPtr make_dropout_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<DropoutStep>(ctx, x, y);
}
StepPtr make_softmax_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<SoftmaxStep>(ctx, x, y);
}

}  // namespace dlscale::calib

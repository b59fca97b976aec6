#pragma once
/// A dlscale::Network laid out on one CUDA device: an output tensor (and its gradient) per
/// layer, and a step per layer that runs its forward and backward with cuDNN or cuBLAS on one
/// stream, so the runner can put CUDA events between steps.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "calibrate/cuda/fill.hpp"
#include "calibrate/cuda/gpu_resources.hpp"
#include "dlscale/network.hpp"

namespace dlscale::calib {

/// What every step shares; the handles are bound to `stream`.
struct GpuContext {
  DType dtype = DType::fp32;
  int batch = 1;
  cudaStream_t stream = nullptr;
  cudnnHandle_t cudnn = nullptr;
  cublasHandle_t cublas = nullptr;
  Workspace* workspace = nullptr;
  std::vector<std::string>* notes = nullptr;  ///< fallbacks and emulations, one line each
};

/// One layer's output (batch x c x h x w, packed NCHW) and its gradient.
struct GpuTensor {
  std::int64_t n = 0, c = 0, h = 0, w = 0;
  DeviceBuffer y, dy;
  TensorDesc desc;
  int consumers = 0;
  bool is_input = false;     ///< the network input: nobody needs its gradient
  bool grad_written = false; ///< a consumer has written dy in this backward pass
  std::int64_t elements() const { return n * c * h * w; }
};

/// Where a step writes one input's gradient: nowhere (dx null) for the network input; beta 1
/// (cuDNN's blend dx = result + beta dx) when another consumer already wrote it, so layers
/// read by several consumers get the sum.
struct GradOut {
  void* dx = nullptr;
  float beta = 0;
};
GradOut take_grad(GpuTensor& producer);

inline constexpr float one = 1.0f, zero = 0.0f;

/// Synthetic values uniform in [lo, hi) of `t` (checked launch; see fill.hpp).
inline void fill_uniform(void* p, std::size_t n, DType t, float lo, float hi, std::uint32_t seed,
                         cudaStream_t stream) {
  DLSCALE_CUDA(fill_uniform_async, p, n, t, lo, hi, seed, stream);
}
/// The same for float buffers whatever the probe's dtype (batch-norm statistics and scales).
inline void fill_uniform_f32(float* p, std::size_t n, float lo, float hi, std::uint32_t seed,
                             cudaStream_t stream) {
  fill_uniform(p, n, DType::fp32, lo, hi, seed, stream);
}

class GpuStep {
 public:
  virtual ~GpuStep() = default;
  virtual void forward() = 0;
  virtual void backward() = 0;
};

using StepPtr = std::unique_ptr<GpuStep>;
using Inputs = std::vector<GpuTensor*>;

// Factories, one per layer class (gpu_conv_fc.cpp, gpu_layers.cpp, gpu_joins.cpp). Each
// allocates and seeds its parameters; errors name the layer.
StepPtr make_conv_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_fc_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_pool_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_relu_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_lrn_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_batchnorm_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_dropout_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_softmax_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_flatten_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y);
StepPtr make_add_step(const GpuContext& ctx, const Layer& L, const Inputs& in, GpuTensor& y);
StepPtr make_concat_step(const GpuContext& ctx, const Layer& L, const Inputs& in, GpuTensor& y);

/// The whole network at one batch size. Layer 0 is the input (no step).
class GpuNet {
 public:
  /// Allocates every tensor and parameter and seeds them; picks convolution algorithms.
  GpuNet(const Network& net, const GpuContext& ctx);
  std::size_t size() const { return layers_.size(); }
  const Layer& layer(std::size_t i) const { return layers_[i]; }
  /// Runs layer i's step; a GpuError is rethrown with the layer's name and kind in front.
  void forward(std::size_t i);
  /// Starts a backward pass: no gradient written yet.
  void begin_backward();
  void backward(std::size_t i);

 private:
  [[noreturn]] void rethrow_in_layer(std::size_t i, const GpuError& e) const;
  std::vector<Layer> layers_;
  std::vector<std::unique_ptr<GpuTensor>> tensors_;
  std::vector<StepPtr> steps_;  ///< steps_[0] is null
};

}  // namespace dlscale::calib

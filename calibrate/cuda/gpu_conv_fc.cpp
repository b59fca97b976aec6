// Convolution (cuDNN, algorithms found under the workspace limit) and fully connected layers
// (cuBLAS GEMM), forward and backward: data gradient, weight gradient, bias gradient.
#include <climits>
#include <cmath>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "calibrate/cuda/conv_algos.hpp"
#include "calibrate/cuda/gpu_net.hpp"

namespace dlscale::calib {
namespace {

// Bias of a conv or fc layer: one value per output channel, broadcast over batch and plane.
struct Bias {
  TensorDesc desc;
  DeviceBuffer b, db;
  Bias(const GpuContext& ctx, std::int64_t channels, std::uint32_t seed)
      : b(static_cast<std::size_t>(channels) * element_bytes(ctx.dtype)), db(b.bytes()) {
    set_nchw(desc, ctx.dtype, 1, channels, 1, 1);
    fill_uniform(b.get(), static_cast<std::size_t>(channels), ctx.dtype, -0.1f, 0.1f, seed, ctx.stream);
  }
  void forward(const GpuContext& ctx, GpuTensor& y) const {
    DLSCALE_CUDNN(cudnnAddTensor, ctx.cudnn, &one, desc, b.get(), &one, y.desc, y.y.get());
  }
  void backward(const GpuContext& ctx, GpuTensor& y) {
    DLSCALE_CUDNN(cudnnConvolutionBackwardBias, ctx.cudnn, &one, y.desc, y.dy.get(), &zero, desc, db.get());
  }
};

std::uint32_t seed_of(const Layer& L) { return static_cast<std::uint32_t>(std::hash<std::string>{}(L.name)); }

class ConvStep final : public GpuStep {
 public:
  ConvStep(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y)
      : ctx_(ctx), x_(x), y_(y),
        w_(static_cast<std::size_t>(L.out.c * (L.in.c / L.groups) * L.kernel_h * L.kernel_w) *
           element_bytes(ctx.dtype)),
        dw_(w_.bytes()) {
    DLSCALE_CUDNN(cudnnSetFilter4dDescriptor, wdesc_, cudnn_type(ctx.dtype), CUDNN_TENSOR_NCHW,
                  static_cast<int>(L.out.c), static_cast<int>(L.in.c / L.groups), L.kernel_h, L.kernel_w);
    const double fan_in = double(L.in.c / L.groups) * L.kernel_h * L.kernel_w;
    const float bound = static_cast<float>(std::sqrt(3.0 / fan_in));  // unit variance through the layer
    fill_uniform(w_.get(), w_.bytes() / element_bytes(ctx.dtype), ctx.dtype, -bound, bound, seed_of(L), ctx.stream);
    if (L.bias) bias_ = std::make_unique<Bias>(ctx, L.out.c, seed_of(L) + 1);
    const ConvShape shape{x.desc, wdesc_, y.desc, x.y.get(), w_.get(), y.y.get(), dw_.get(),
                          x.is_input ? nullptr : x.dy.get(), y.dy.get()};
    find_conv_algorithms(ctx, L, shape, algos_);
  }

  void forward() override {
    auto& ws = *ctx_.workspace;
    DLSCALE_CUDNN(cudnnConvolutionForward, ctx_.cudnn, &one, x_.desc, x_.y.get(), wdesc_, w_.get(),
                  algos_.fwd_desc, algos_.fwd, ws.buffer.get(), algos_.fwd_bytes, &zero, y_.desc, y_.y.get());
    if (bias_) bias_->forward(ctx_, y_);
  }

  void backward() override {
    auto& ws = *ctx_.workspace;
    // The network input needs no data gradient (the CPU probe skips it too).
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnConvolutionBackwardData, ctx_.cudnn, &one, wdesc_, w_.get(), y_.desc, y_.dy.get(),
                    algos_.data_desc, algos_.data, ws.buffer.get(), algos_.data_bytes, &g.beta, x_.desc, g.dx);
    DLSCALE_CUDNN(cudnnConvolutionBackwardFilter, ctx_.cudnn, &one, x_.desc, x_.y.get(), y_.desc, y_.dy.get(),
                  algos_.filter_desc, algos_.filter, ws.buffer.get(), algos_.filter_bytes, &zero, wdesc_, dw_.get());
    if (bias_) bias_->backward(ctx_, y_);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  FilterDesc wdesc_;
  DeviceBuffer w_, dw_;
  std::unique_ptr<Bias> bias_;
  ConvAlgorithms algos_;
};

int gemm_dim(std::int64_t v, const std::string& layer) {
  if (v < 1 || v > INT_MAX)
    throw GpuError(fmt::format("fc {}: GEMM dimension {} does not fit cuBLAS's int", layer, v));
  return static_cast<int>(v);
}

// Row-major activations [batch x features] are column-major [features x batch] to cuBLAS, and
// weights [out x in] row-major are column-major [in x out]; see each call for the product.
class FcStep final : public GpuStep {
 public:
  FcStep(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y)
      : ctx_(ctx), x_(x), y_(y), k_(gemm_dim(L.in.elements(), L.name)),
        m_(gemm_dim(L.out.c, L.name)), n_(gemm_dim(ctx.batch, L.name)),
        w_(static_cast<std::size_t>(k_) * m_ * element_bytes(ctx.dtype)), dw_(w_.bytes()),
        type_(cuda_type(ctx.dtype)) {
    const float bound = static_cast<float>(std::sqrt(3.0 / k_));
    fill_uniform(w_.get(), static_cast<std::size_t>(k_) * m_, ctx.dtype, -bound, bound, seed_of(L), ctx.stream);
    if (L.bias) bias_ = std::make_unique<Bias>(ctx, L.out.c, seed_of(L) + 1);
  }

  void forward() override {
    // Y^T [m x n] = (W^T)^T [m x k] * X^T [k x n]
    gemm(CUBLAS_OP_T, CUBLAS_OP_N, m_, n_, k_, w_.get(), k_, x_.y.get(), k_, 0.0f, y_.y.get(), m_);
    if (bias_) bias_->forward(ctx_, y_);
  }

  void backward() override {
    // dX^T [k x n] = W^T [k x m] * dY^T [m x n]
    if (const auto g = take_grad(x_); g.dx)
      gemm(CUBLAS_OP_N, CUBLAS_OP_N, k_, n_, m_, w_.get(), k_, y_.dy.get(), m_, g.beta, g.dx, k_);
    // dW^T [k x m] = X^T [k x n] * (dY^T)^T [n x m]
    gemm(CUBLAS_OP_N, CUBLAS_OP_T, k_, m_, n_, x_.y.get(), k_, y_.dy.get(), m_, 0.0f, dw_.get(), k_);
    if (bias_) bias_->backward(ctx_, y_);
  }

 private:
  // fp32 accumulation for every dtype; CUBLAS_COMPUTE_32F keeps fp32 free of TF32.
  void gemm(cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const void* a, int lda,
            const void* b, int ldb, float beta, void* c, int ldc) const {
    DLSCALE_CUBLAS(cublasGemmEx, ctx_.cublas, ta, tb, m, n, k, &one, a, type_, lda, b, type_, ldb, &beta,
                   c, type_, ldc, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
  }

  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
  int k_, m_, n_;
  DeviceBuffer w_, dw_;
  cudaDataType_t type_;
  std::unique_ptr<Bias> bias_;
};

}  // namespace

StepPtr make_conv_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<ConvStep>(ctx, L, x, y);
}

StepPtr make_fc_step(const GpuContext& ctx, const Layer& L, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<FcStep>(ctx, L, x, y);
}

}  // namespace dlscale::calib

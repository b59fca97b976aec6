// Layers that move or sum tensors: flatten (a copy: the layout is already flat), add (residual
// sums) and concat along channels (strided cuDNN views of the output).
#include <fmt/format.h>

#include "calibrate/cuda/gpu_net.hpp"

namespace dlscale::calib {
namespace {

// Same element order before and after, so both sides use the input's descriptor.
class FlattenStep final : public GpuStep {
 public:
  FlattenStep(const GpuContext& ctx, GpuTensor& x, GpuTensor& y) : ctx_(ctx), x_(x), y_(y) {
    if (x.elements() != y.elements())
      throw GpuError(fmt::format("flatten of {} elements into {}", x.elements(), y.elements()));
  }
  void forward() override {
    DLSCALE_CUDNN(cudnnTransformTensor, ctx_.cudnn, &one, x_.desc, x_.y.get(), &zero, x_.desc, y_.y.get());
  }
  void backward() override {
    if (const auto g = take_grad(x_); g.dx)
      DLSCALE_CUDNN(cudnnTransformTensor, ctx_.cudnn, &one, x_.desc, y_.dy.get(), &g.beta, x_.desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  GpuTensor &x_, &y_;
};

class AddStep final : public GpuStep {
 public:
  AddStep(const GpuContext& ctx, const Inputs& in, GpuTensor& y) : ctx_(ctx), in_(in), y_(y) {}
  void forward() override {
    DLSCALE_CUDNN(cudnnTransformTensor, ctx_.cudnn, &one, in_[0]->desc, in_[0]->y.get(), &zero, y_.desc,
                  y_.y.get());
    for (std::size_t j = 1; j < in_.size(); ++j)
      DLSCALE_CUDNN(cudnnAddTensor, ctx_.cudnn, &one, in_[j]->desc, in_[j]->y.get(), &one, y_.desc, y_.y.get());
  }
  void backward() override {
    // d(sum)/d(input j) = dy for every input.
    for (auto* x : in_)
      if (const auto g = take_grad(*x); g.dx)
        DLSCALE_CUDNN(cudnnAddTensor, ctx_.cudnn, &one, y_.desc, y_.dy.get(), &g.beta, x->desc, g.dx);
  }

 private:
  const GpuContext& ctx_;
  Inputs in_;
  GpuTensor& y_;
};

class ConcatStep final : public GpuStep {
 public:
  ConcatStep(const GpuContext& ctx, const Inputs& in, GpuTensor& y) : ctx_(ctx), in_(in), y_(y) {
    std::int64_t channel = 0;
    for (auto* x : in) {
      if (x->h != y.h || x->w != y.w) throw GpuError("concat inputs differ in height or width");
      auto slice = std::make_unique<TensorDesc>();
      set_nchw_slice(*slice, ctx.dtype, y.n, x->c, y.h, y.w, y.c);
      slices_.push_back(std::move(slice));
      offsets_.push_back(static_cast<std::size_t>(channel * y.h * y.w) * element_bytes(ctx.dtype));
      channel += x->c;
    }
    if (channel != y.c) throw GpuError(fmt::format("concat of {} channels into {}", channel, y.c));
  }
  void forward() override {
    for (std::size_t j = 0; j < in_.size(); ++j)
      DLSCALE_CUDNN(cudnnTransformTensor, ctx_.cudnn, &one, in_[j]->desc, in_[j]->y.get(), &zero, *slices_[j],
                    at(y_.y, j));
  }
  void backward() override {
    for (std::size_t j = 0; j < in_.size(); ++j)
      if (const auto g = take_grad(*in_[j]); g.dx)
        DLSCALE_CUDNN(cudnnTransformTensor, ctx_.cudnn, &one, *slices_[j], at(y_.dy, j), &g.beta, in_[j]->desc,
                      g.dx);
  }

 private:
  void* at(const DeviceBuffer& b, std::size_t j) const { return static_cast<char*>(b.get()) + offsets_[j]; }

  const GpuContext& ctx_;
  Inputs in_;
  GpuTensor& y_;
  std::vector<std::unique_ptr<TensorDesc>> slices_;  // descriptors cannot move: held by pointer
  std::vector<std::size_t> offsets_;
};

}  // namespace

StepPtr make_flatten_step(const GpuContext& ctx, const Layer&, GpuTensor& x, GpuTensor& y) {
  return std::make_unique<FlattenStep>(ctx, x, y);
}
StepPtr make_add_step(const GpuContext& ctx, const Layer&, const Inputs& in, GpuTensor& y) {
  return std::make_unique<AddStep>(ctx, in, y);
}
StepPtr make_concat_step(const GpuContext& ctx, const Layer&, const Inputs& in, GpuTensor& y) {
  return std::make_unique<ConcatStep>(ctx, in, y);
}

}  // namespace dlscale::calib

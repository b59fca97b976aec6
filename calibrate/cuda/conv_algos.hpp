#pragma once
/// Picks cuDNN's fastest convolution algorithms for one layer by running them
/// (cudnnFind*AlgorithmEx) within the shared workspace; fp16 and bf16 fall back to accumulating
/// in 16 bits, with a note, only where no fp32-accumulating algorithm exists.
#include <cstddef>

#include "calibrate/cuda/gpu_net.hpp"

namespace dlscale::calib {

/// The tensors Find runs on (their contents are overwritten). dx null: no data gradient.
struct ConvShape {
  cudnnTensorDescriptor_t x;
  cudnnFilterDescriptor_t w;
  cudnnTensorDescriptor_t y;
  void *x_data, *w_data, *y_data, *dw_data, *dx_data, *dy_data;
};

/// One convolution descriptor per direction: each carries the math type its algorithm needs.
struct ConvAlgorithms {
  ConvDesc fwd_desc, data_desc, filter_desc;
  cudnnConvolutionFwdAlgo_t fwd{};
  cudnnConvolutionBwdDataAlgo_t data{};
  cudnnConvolutionBwdFilterAlgo_t filter{};
  std::size_t fwd_bytes = 0, data_bytes = 0, filter_bytes = 0;
};

/// Fills `out` for layer L; throws GpuError if some direction has no algorithm within the
/// workspace in either configuration.
void find_conv_algorithms(const GpuContext& ctx, const Layer& L, const ConvShape& s, ConvAlgorithms& out);

}  // namespace dlscale::calib

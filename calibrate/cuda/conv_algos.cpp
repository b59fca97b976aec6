#include "calibrate/cuda/conv_algos.hpp"

#include <fmt/format.h>

namespace dlscale::calib {
namespace {

// fp32 runs plain FMA (no TF32, like cuBLAS's COMPUTE_32F); fp16/bf16 may use tensor cores.
void configure(cudnnConvolutionDescriptor_t d, const Layer& L, DType t, cudnnDataType_t compute) {
  DLSCALE_CUDNN(cudnnSetConvolution2dDescriptor, d, L.pad, L.pad_w, L.stride, L.stride, 1, 1,
                CUDNN_CROSS_CORRELATION, compute);
  DLSCALE_CUDNN(cudnnSetConvolutionGroupCount, d, L.groups);
  DLSCALE_CUDNN(cudnnSetConvolutionMathType, d, t == DType::fp32 ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH);
}

// The first result is the fastest; keep it if it ran and fits. Find only tries algorithms that
// fit the workspace it is given, the memory check guards against a changed contract.
template <class Perf, class Algo>
bool pick(cudnnStatus_t rc, const char* fn, const Perf* perf, int got, std::size_t limit,
          cudnnConvolutionDescriptor_t d, Algo& algo, std::size_t& bytes) {
  if (rc == CUDNN_STATUS_NOT_SUPPORTED) return false;
  check_cudnn(rc, fn);
  for (int i = 0; i < got; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS || perf[i].memory > limit) continue;
    algo = perf[i].algo;
    bytes = perf[i].memory;
    DLSCALE_CUDNN(cudnnSetConvolutionMathType, d, perf[i].mathType);
    return true;
  }
  return false;
}

bool find_fwd(const GpuContext& ctx, const ConvShape& s, ConvAlgorithms& a) {
  cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
  int got = 0;
  const auto& ws = *ctx.workspace;
  const auto rc = cudnnFindConvolutionForwardAlgorithmEx(ctx.cudnn, s.x, s.x_data, s.w, s.w_data, a.fwd_desc,
      s.y, s.y_data, CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &got, perf, ws.buffer.get(), ws.limit);
  return pick(rc, "cudnnFindConvolutionForwardAlgorithmEx", perf, got, ws.limit, a.fwd_desc, a.fwd, a.fwd_bytes);
}

bool find_data(const GpuContext& ctx, const ConvShape& s, ConvAlgorithms& a) {
  cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
  int got = 0;
  const auto& ws = *ctx.workspace;
  const auto rc = cudnnFindConvolutionBackwardDataAlgorithmEx(ctx.cudnn, s.w, s.w_data, s.y, s.dy_data,
      a.data_desc, s.x, s.dx_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &got, perf, ws.buffer.get(), ws.limit);
  return pick(rc, "cudnnFindConvolutionBackwardDataAlgorithmEx", perf, got, ws.limit, a.data_desc, a.data,
              a.data_bytes);
}

bool find_filter(const GpuContext& ctx, const ConvShape& s, ConvAlgorithms& a) {
  cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
  int got = 0;
  const auto& ws = *ctx.workspace;
  const auto rc = cudnnFindConvolutionBackwardFilterAlgorithmEx(ctx.cudnn, s.x, s.x_data, s.y, s.dy_data,
      a.filter_desc, s.w, s.dw_data, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &got, perf, ws.buffer.get(),
      ws.limit);
  return pick(rc, "cudnnFindConvolutionBackwardFilterAlgorithmEx", perf, got, ws.limit, a.filter_desc,
              a.filter, a.filter_bytes);
}

// One direction: fp32 accumulation first; for fp16 and bf16, accumulation in the data type
// (cuDNN's TRUE_HALF / BFLOAT16 configurations) as the fallback, with a note naming the layer.
template <class Find>
void find_direction(const GpuContext& ctx, const Layer& L, const ConvShape& s, ConvAlgorithms& a,
                    cudnnConvolutionDescriptor_t d, const char* direction, Find find) {
  configure(d, L, ctx.dtype, CUDNN_DATA_FLOAT);
  if (find(ctx, s, a)) return;
  if (ctx.dtype != DType::fp32) {
    configure(d, L, ctx.dtype, cudnn_type(ctx.dtype));
    if (find(ctx, s, a)) {
      ctx.notes->push_back(fmt::format("{}: {} falls back to {} accumulation (no fp32-accumulating "
                                       "cuDNN algorithm)", L.name, direction, to_string(ctx.dtype)));
      return;
    }
  }
  throw GpuError(fmt::format("no cuDNN {} algorithm for {} within the {} MiB workspace; a larger "
                             "--workspace-mib or another --dtype may help", direction,
                             to_string(ctx.dtype), ctx.workspace->limit >> 20));
}

}  // namespace

void find_conv_algorithms(const GpuContext& ctx, const Layer& L, const ConvShape& s, ConvAlgorithms& a) {
  configure(a.fwd_desc, L, ctx.dtype, CUDNN_DATA_FLOAT);
  int n = 0, c = 0, h = 0, w = 0;
  DLSCALE_CUDNN(cudnnGetConvolution2dForwardOutputDim, a.fwd_desc, s.x, s.w, &n, &c, &h, &w);
  if (n != ctx.batch || c != L.out.c || h != L.out.h || w != L.out.w)
    throw GpuError(fmt::format("cuDNN gives output {}x{}x{}x{}, the description {}x{}x{}x{}", n, c, h, w,
                               ctx.batch, L.out.c, L.out.h, L.out.w));
  find_direction(ctx, L, s, a, a.fwd_desc, "forward", find_fwd);
  if (s.dx_data) find_direction(ctx, L, s, a, a.data_desc, "backward-data", find_data);
  find_direction(ctx, L, s, a, a.filter_desc, "backward-filter", find_filter);
}

}  // namespace dlscale::calib

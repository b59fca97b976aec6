#include "calibrate/cuda/gpu_resources.hpp"

#include <limits>
#include <string>

namespace dlscale::calib {

cudnnDataType_t cudnn_type(DType t) {
  switch (t) {
    case DType::fp32: return CUDNN_DATA_FLOAT;
    case DType::fp16: return CUDNN_DATA_HALF;
    case DType::bf16: return CUDNN_DATA_BFLOAT16;
  }
  return CUDNN_DATA_FLOAT;
}

cudaDataType_t cuda_type(DType t) {
  switch (t) {
    case DType::fp32: return CUDA_R_32F;
    case DType::fp16: return CUDA_R_16F;
    case DType::bf16: return CUDA_R_16BF;
  }
  return CUDA_R_32F;
}

namespace {

// cuDNN's legacy descriptors take int dimensions and strides.
int as_int(std::int64_t v, const char* what) {
  if (v < 1 || v > std::numeric_limits<int>::max())
    throw GpuError(std::string("tensor ") + what + " " + std::to_string(v) +
                   " does not fit cuDNN's int descriptors (1 to 2^31-1)");
  return static_cast<int>(v);
}

}  // namespace

void set_nchw(cudnnTensorDescriptor_t d, DType t, std::int64_t n, std::int64_t c, std::int64_t h,
              std::int64_t w) {
  as_int(n * c * h * w, "elements");
  DLSCALE_CUDNN(cudnnSetTensor4dDescriptor, d, CUDNN_TENSOR_NCHW, cudnn_type(t), as_int(n, "batch"),
                as_int(c, "channels"), as_int(h, "height"), as_int(w, "width"));
}

void set_nchw_slice(cudnnTensorDescriptor_t d, DType t, std::int64_t n, std::int64_t c,
                    std::int64_t h, std::int64_t w, std::int64_t total_c) {
  as_int(n * total_c * h * w, "elements");
  DLSCALE_CUDNN(cudnnSetTensor4dDescriptorEx, d, cudnn_type(t), as_int(n, "batch"), as_int(c, "channels"),
                as_int(h, "height"), as_int(w, "width"), as_int(total_c * h * w, "batch stride"),
                as_int(h * w, "channel stride"), as_int(w, "row stride"), 1);
}

}  // namespace dlscale::calib

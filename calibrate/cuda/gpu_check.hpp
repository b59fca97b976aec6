#pragma once
/// cuDNN and cuBLAS calls go through DLSCALE_CUDNN and DLSCALE_CUBLAS (see cuda_check.hpp).
///   DLSCALE_CUDNN(cudnnConvolutionForward, handle, ...);
#include <cublas_v2.h>
#include <cudnn.h>

#include "calibrate/cuda/cuda_check.hpp"

namespace dlscale::calib {

void check_cudnn(cudnnStatus_t rc, const char* function);  // adds cuDNN's detailed last message
inline void check_cublas(cublasStatus_t rc, const char* function) {
  if (rc != CUBLAS_STATUS_SUCCESS) throw_gpu_error(function, cublasGetStatusString(rc));
}

}  // namespace dlscale::calib

#define DLSCALE_CUDNN(fn, ...) ::dlscale::calib::check_cudnn(fn(__VA_ARGS__), #fn)
#define DLSCALE_CUBLAS(fn, ...) ::dlscale::calib::check_cublas(fn(__VA_ARGS__), #fn)

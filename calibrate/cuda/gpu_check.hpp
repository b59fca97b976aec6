#pragma once
/// Every CUDA runtime, cuDNN and cuBLAS call goes through one of these macros: a failure throws
/// GpuError naming the function and the library's error string, so nothing runs on after a
/// silent error and the probe never prints numbers from a failed step.
///   DLSCALE_CUDA(cudaMalloc, &p, bytes);
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <stdexcept>
#include <string>

namespace dlscale::calib {

/// A GPU library call failed; what() is "<function>: <error string>".
struct GpuError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_gpu_error(const char* function, const std::string& error);

inline void check_gpu(cudaError_t rc, const char* function) {
  if (rc != cudaSuccess) throw_gpu_error(function, cudaGetErrorString(rc));
}
void check_gpu(cudnnStatus_t rc, const char* function);  // adds cuDNN's last detailed message
inline void check_gpu(cublasStatus_t rc, const char* function) {
  if (rc != CUBLAS_STATUS_SUCCESS) throw_gpu_error(function, cublasGetStatusString(rc));
}

}  // namespace dlscale::calib

#define DLSCALE_CUDA(fn, ...) ::dlscale::calib::check_gpu(fn(__VA_ARGS__), #fn)
#define DLSCALE_CUDNN(fn, ...) ::dlscale::calib::check_gpu(fn(__VA_ARGS__), #fn)
#define DLSCALE_CUBLAS(fn, ...) ::dlscale::calib::check_gpu(fn(__VA_ARGS__), #fn)

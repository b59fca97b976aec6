#pragma once
/// Every CUDA runtime call goes through DLSCALE_CUDA (cuDNN, cuBLAS: gpu_check.hpp; NCCL:
/// nccl/nccl_check.hpp): a failure throws GpuError naming the function and the library's error
/// string, so nothing runs on after a silent error and no number comes from a failed step.
///   DLSCALE_CUDA(cudaMalloc, &p, bytes);
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace dlscale::calib {

/// A GPU library call failed; what() is "<function>: <error string>".
struct GpuError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_gpu_error(const char* function, const std::string& error);

inline void check_cuda(cudaError_t rc, const char* function) {
  if (rc != cudaSuccess) throw_gpu_error(function, cudaGetErrorString(rc));
}

}  // namespace dlscale::calib

#define DLSCALE_CUDA(fn, ...) ::dlscale::calib::check_cuda(fn(__VA_ARGS__), #fn)

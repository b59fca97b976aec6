#include "device_info.hpp"

#include <cuda_runtime.h>

namespace dlscale::calib {

CudaRuntime query_cuda() {
  CudaRuntime rt;
  cudaRuntimeGetVersion(&rt.runtime_version);
  cudaDriverGetVersion(&rt.driver_version);
  int count = 0;
  // Without a driver cudaGetDeviceCount fails rather than returning 0.
  if (const cudaError_t rc = cudaGetDeviceCount(&count); rc != cudaSuccess) {
    rt.error = cudaGetErrorString(rc);
    return rt;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    rt.devices.push_back({i, prop.name, prop.major, prop.minor,
                          static_cast<double>(prop.totalGlobalMem) / (1u << 30),
                          prop.multiProcessorCount});
  }
  if (rt.devices.empty() && rt.error.empty()) rt.error = "no CUDA device";
  return rt;
}

std::string no_device_reason(int& count) {
  count = 0;
  if (const cudaError_t rc = cudaGetDeviceCount(&count); rc != cudaSuccess) {
    count = 0;
    return cudaGetErrorString(rc);
  }
  return count > 0 ? std::string() : std::string("0 devices");
}

}  // namespace dlscale::calib

// Device-side synthetic data: a counter-based hash, so no RNG state and no host traffic.
#include "fill.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace dlscale::calib {
namespace {

__device__ float uniform01(std::uint64_t i, std::uint32_t seed) {
  // splitmix64 finaliser: well-mixed bits from consecutive indices.
  std::uint64_t z = i + 0x9E3779B97F4A7C15ull * (seed + 1ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * (1.0f / 16777216.0f);  // 24 bits -> [0, 1)
}

template <class T>
__device__ T convert(float v);
template <>
__device__ float convert<float>(float v) { return v; }
template <>
__device__ __half convert<__half>(float v) { return __float2half(v); }
template <>
__device__ __nv_bfloat16 convert<__nv_bfloat16>(float v) { return __float2bfloat16(v); }

template <class T>
__global__ void fill_kernel(T* p, std::size_t n, float lo, float hi, std::uint32_t seed) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride)
    p[i] = convert<T>(lo + (hi - lo) * uniform01(i, seed));
}

template <class T>
cudaError_t launch(void* p, std::size_t n, float lo, float hi, std::uint32_t seed, cudaStream_t stream) {
  constexpr unsigned threads = 256;
  const std::size_t wanted = (n + threads - 1) / threads;
  const unsigned blocks = static_cast<unsigned>(wanted < 65535 ? wanted : 65535);  // grid-stride loop covers the rest
  fill_kernel<T><<<blocks, threads, 0, stream>>>(static_cast<T*>(p), n, lo, hi, seed);
  return cudaGetLastError();
}

}  // namespace

cudaError_t fill_uniform_async(void* p, std::size_t n, DType t, float lo, float hi, std::uint32_t seed,
                               cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  switch (t) {
    case DType::fp32: return launch<float>(p, n, lo, hi, seed, stream);
    case DType::fp16: return launch<__half>(p, n, lo, hi, seed, stream);
    case DType::bf16: return launch<__nv_bfloat16>(p, n, lo, hi, seed, stream);
  }
  return cudaErrorInvalidValue;
}

}  // namespace dlscale::calib

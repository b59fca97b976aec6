#pragma once
/// Synthetic data generated on the device, so large networks need no host copies.
#include <cstddef>
#include <cstdint>

#include <cuda_runtime_api.h>

#include "calibrate/cuda/dtype.hpp"

namespace dlscale::calib {

/// Launches a kernel writing n values uniform in [lo, hi) of type `t` at `p` (a hash of seed
/// and index: the same arguments give the same data); returns the launch's status, which the
/// caller checks (this file is compiled by nvcc apart from the checking code).
cudaError_t fill_uniform_async(void* p, std::size_t n, DType t, float lo, float hi, std::uint32_t seed,
                               cudaStream_t stream);

}  // namespace dlscale::calib

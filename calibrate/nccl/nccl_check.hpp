#pragma once
/// NCCL calls go through DLSCALE_NCCL (see calibrate/cuda/cuda_check.hpp).
#include <nccl.h>

#include "calibrate/cuda/cuda_check.hpp"

namespace dlscale::calib {

inline void check_nccl(ncclResult_t rc, const char* function) {
  if (rc != ncclSuccess) throw_gpu_error(function, ncclGetErrorString(rc));
}

}  // namespace dlscale::calib

#define DLSCALE_NCCL(fn, ...) ::dlscale::calib::check_nccl(fn(__VA_ARGS__), #fn)

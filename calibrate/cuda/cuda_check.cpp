#include "calibrate/cuda/cuda_check.hpp"

namespace dlscale::calib {

void throw_gpu_error(const char* function, const std::string& error) {
  throw GpuError(std::string(function) + ": " + error);
}

}  // namespace dlscale::calib

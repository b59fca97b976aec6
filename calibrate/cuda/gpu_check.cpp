#include "calibrate/cuda/gpu_check.hpp"

#include <array>

namespace dlscale::calib {

void check_cudnn(cudnnStatus_t rc, const char* function) {
  if (rc == CUDNN_STATUS_SUCCESS) return;
  std::string error = cudnnGetErrorString(rc);
  // cuDNN 9 keeps a detailed reason (which parameter, which configuration) per thread.
  std::array<char, 512> detail{};
  cudnnGetLastErrorString(detail.data(), detail.size());
  if (detail[0] != '\0') error += std::string(" (") + detail.data() + ")";
  throw_gpu_error(function, error);
}

}  // namespace dlscale::calib

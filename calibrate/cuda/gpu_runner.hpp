#pragma once
/// Times a network's gradient computation on one CUDA device: W untimed warm-up passes, then R
/// timed passes, with a CUDA event after every layer's forward and backward on the one stream.
/// A layer's time is the GPU-timeline interval between its two events, so where the GPU waits
/// for the host (launch-bound small layers) that wait counts toward the layer, as it does
/// toward t_grad.
#include <string>
#include <vector>

#include "calibrate/cpu/runner.hpp"
#include "calibrate/cuda/gpu_net.hpp"

namespace dlscale::calib {

struct GpuGradMeasurement {
  GradMeasurement m;  ///< the CPU probe's record (m.threads is 0: not meaningful here)
  std::string device;
  DType dtype = DType::fp32;
  std::vector<std::string> notes;  ///< emulations and fallbacks, one line each
};

/// A device with its stream, cuDNN and cuBLAS handles and the convolution workspace; one
/// session measures any number of networks and batch sizes.
class GpuSession {
 public:
  /// Throws GpuError if the device cannot be selected or a handle not created.
  GpuSession(int device, DType dtype, std::size_t workspace_bytes);
  /// Throws ConfigError for batch, repeat < 1 or warmup < 0; GpuError naming the layer and call
  /// for any CUDA, cuDNN or cuBLAS failure (out of memory included).
  GpuGradMeasurement measure(const Network& net, int batch, int warmup, int repeat);
  const std::string& device_name() const { return name_; }

 private:
  int device_;
  DType dtype_;
  std::string name_;
  Stream stream_;
  CudnnHandle cudnn_;
  CublasHandle cublas_;
  Workspace workspace_;
};

}  // namespace dlscale::calib

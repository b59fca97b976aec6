#pragma once
/// dlscale-gpu-probe's command line, parsed without touching CUDA so that bad input is reported
/// (exit 2) on machines without a device and tested there.
#include <string>
#include <vector>

#include "calibrate/cuda/dtype.hpp"

namespace dlscale::calib {

struct GpuProbeArgs {
  std::string network;
  int batch = 32;
  std::vector<int> batches;  ///< sweep t_grad(b) over these too; empty: no sweep
  int repeat = 10, warmup = 3;
  DType dtype = DType::fp32;
  int device = 0;
  long long workspace_mib = 256;  ///< cuDNN algorithms needing more workspace are not chosen
  std::string csv, sweep_csv;     ///< files to write; empty: none
  bool help = false;
  std::string usage;  ///< the --help text
};

/// Exit code of the probes when no CUDA device is usable (Meson's "skipped").
inline constexpr int exit_no_device = 77;

/// Parses argv; --quick means 1 warm-up and 3 timed runs unless given. Throws ConfigError with
/// the message the probe prints (exit 2).
GpuProbeArgs parse_gpu_probe_args(int argc, const char* const* argv);

/// "4,8,16" -> {4, 8, 16}; throws ConfigError naming `option` for anything but integers >= 1.
std::vector<int> parse_batch_list(const std::string& option, const std::string& text);

}  // namespace dlscale::calib

#pragma once
// What the CUDA runtime reports about the devices of this machine. Compiled only when CUDA is
// found (DLSCALE_HAVE_CUDA); the core library never includes this header.
#include <string>
#include <vector>

namespace dlscale::calib {

struct CudaDevice {
  int index = 0;
  std::string name;
  int sm_major = 0, sm_minor = 0;
  double memory_gib = 0;
  int multiprocessors = 0;
};

struct CudaRuntime {
  int driver_version = 0;   ///< e.g. 13000 for 13.0; 0 when no driver is loaded
  int runtime_version = 0;  ///< the CUDA runtime this was built against
  std::vector<CudaDevice> devices;
  std::string error;        ///< why no device could be queried, if none
};

/// Queries the runtime; never throws (a machine without a driver gives an empty list and a reason).
CudaRuntime query_cuda();

/// Why no CUDA device can be used, for the probes' exit-77 message: cudaGetDeviceCount's error
/// string, or "0 devices"; empty when `count` (set to the number of devices) is at least 1.
std::string no_device_reason(int& count);

}  // namespace dlscale::calib

// GPU suite: exits 77 (skip) where no CUDA device is present, as on CI machines.
#include <cstdio>

#include "cuda/device_info.hpp"

int main() {
  const auto rt = dlscale::calib::query_cuda();
  std::printf("CUDA runtime %d, driver %d\n", rt.runtime_version, rt.driver_version);
  if (rt.devices.empty()) {
    std::printf("no CUDA device (%s): skipping\n", rt.error.c_str());
    return 77;
  }
  for (const auto& d : rt.devices)
    std::printf("device %d: %s, sm_%d%d, %.1f GiB, %d SMs\n", d.index, d.name.c_str(), d.sm_major,
                d.sm_minor, d.memory_gib, d.multiprocessors);
  // A real device must report a name and memory; anything else means the query is broken.
  for (const auto& d : rt.devices)
    if (d.name.empty() || d.memory_gib <= 0) return 1;
  return 0;
}

#pragma once
/// dlscale-nccl-probe's command line, parsed without touching CUDA or NCCL so bad input is
/// reported (exit 2) and tested on machines without a device.
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/nccl/bus_bandwidth.hpp"

namespace dlscale::calib {

struct NcclProbeArgs {
  std::uint64_t min_bytes = 1024;                 ///< the sweep starts at 1 KiB
  std::uint64_t max_bytes = 64ull << 20;          ///< --max-bytes, or the network's fp32 weights
  std::string network;                            ///< set when --network chose max_bytes
  int warmup = 5, iters = 20;
  std::vector<Collective> collectives{all_collectives.begin(), all_collectives.end()};
  std::string csv, fit_csv;
  bool help = false;
  std::string usage;
};

/// Parses argv (--network is loaded here, so an unknown name is bad input too); --quick means
/// 1 warm-up, 5 timed iterations and 64 KiB unless given. Throws ConfigError.
NcclProbeArgs parse_nccl_probe_args(int argc, const char* const* argv);

/// "65536", "64K", "64M", "1G" (binary multiples) -> bytes; throws ConfigError naming `option`.
std::uint64_t parse_bytes(const std::string& option, const std::string& text);

}  // namespace dlscale::calib

#pragma once
/// Times one collective over a sweep of sizes, like nccl-tests: per size, W untimed iterations,
/// then an event on every rank's stream, R iterations, an event; time = the slowest rank's
/// interval / R (across processes under MPI through `slowest`).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "calibrate/nccl/bus_bandwidth.hpp"
#include "calibrate/nccl/nccl_world.hpp"

namespace dlscale::calib {

struct SizeResult {
  std::uint64_t size_bytes = 0;  ///< nccl-tests' size (see bus_bandwidth.hpp)
  std::size_t count = 0;         ///< size / 4: float elements, as nccl-tests counts them
  double seconds = 0;            ///< per iteration
  double algbw = 0, busbw = 0;   ///< bytes per second
};

/// Max of a time over all processes (identity in one process).
using Slowest = std::function<double(double)>;

/// Sizes too small for the collective (all-gather of fewer floats than ranks) are left out.
std::vector<SizeResult> time_collective(NcclWorld& world, Collective c, std::span<const std::uint64_t> sizes,
                                        int warmup, int iters, const Slowest& slowest);

}  // namespace dlscale::calib

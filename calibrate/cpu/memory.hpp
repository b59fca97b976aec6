#pragma once
/// The probe's memory before it allocates: a network's working set at a batch size (what
/// Executor<T> allocates: activations, gradients, im2col buffers, weights), computed with
/// overflow-checked arithmetic, against the memory this process can still get. A --batch of
/// 2^31-1 must be refused with a figure, not end in bad_alloc or the OOM killer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dlscale/network.hpp"

namespace dlscale::calib {

/// Bytes of Executor buffers for `net` at `batch` with `scalar_bytes` per element. Throws
/// ConfigError naming the layer when a count does not fit in 64 bits.
std::uint64_t working_set_bytes(const Network& net, std::int64_t batch, std::uint64_t scalar_bytes);

/// Memory this process may still allocate: /proc/meminfo's MemAvailable, lowered to what
/// RLIMIT_AS leaves above the current address space when that limit is set. `source` says
/// which of the two bound it. nullopt when neither can be read (then nothing is refused).
struct AvailableMemory {
  std::uint64_t bytes = 0;
  std::string source;
};
std::optional<AvailableMemory> available_memory();

/// Throws ConfigError when `net` at `batch` (float, Eigen kernels) needs more than
/// available_memory(): the message starts with `option` and `batch` and gives the estimate and
/// the memory available.
void check_fits_in_memory(const Network& net, std::int64_t batch, std::string_view option);
/// The same for a working set of `need` bytes made of `what` (for the message).
void check_fits_in_memory(std::string_view network, std::int64_t batch, std::string_view option,
                          std::uint64_t need, std::string_view what);

/// "1.5 GiB" style text for a byte count (exact bytes follow in messages where they matter).
std::string human_bytes(std::uint64_t bytes);

}  // namespace dlscale::calib

#pragma once
/// nccl-tests' bandwidth conventions (doc/PERFORMANCE.md of NVIDIA/nccl-tests), pure C++ so they
/// are unit-tested without a GPU. `size` is nccl-tests' size: the bytes of the largest buffer a
/// rank touches (all-gather: the gathered output; reduce-scatter: the input before scattering).
///   algbw = size / time;  busbw = algbw x factor(collective, ranks)
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "dlscale/collective.hpp"

namespace dlscale::calib {

enum class Collective { broadcast, reduce, all_reduce, all_gather, reduce_scatter, send_recv };

inline constexpr std::array<Collective, 6> all_collectives{
    Collective::broadcast, Collective::reduce, Collective::all_reduce, Collective::all_gather,
    Collective::reduce_scatter, Collective::send_recv};

constexpr std::string_view to_string(Collective c) {
  switch (c) {
    case Collective::broadcast: return "broadcast";
    case Collective::reduce: return "reduce";
    case Collective::all_reduce: return "all_reduce";
    case Collective::all_gather: return "all_gather";
    case Collective::reduce_scatter: return "reduce_scatter";
    case Collective::send_recv: return "send_recv";
  }
  return "?";
}

constexpr std::optional<Collective> parse_collective(std::string_view text) {
  for (const auto c : all_collectives)
    if (to_string(c) == text) return c;
  return std::nullopt;
}

/// busbw / algbw: the fraction of `size` each rank's link carries with the optimal algorithm.
/// all-reduce 2(n-1)/n (reduce-scatter then all-gather); all-gather and reduce-scatter (n-1)/n;
/// broadcast, reduce and send/recv 1.
/// The five collectives a profile records take dlscale::bus_factor (dlscale/collective.hpp, the
/// one copy of the convention); send/recv moves the whole size over each rank's link.
constexpr double bus_factor(Collective c, int ranks) {
  switch (c) {
    case Collective::all_reduce: return dlscale::bus_factor(dlscale::Collective::all_reduce, ranks);
    case Collective::all_gather: return dlscale::bus_factor(dlscale::Collective::all_gather, ranks);
    case Collective::reduce_scatter:
      return dlscale::bus_factor(dlscale::Collective::reduce_scatter, ranks);
    case Collective::broadcast: return dlscale::bus_factor(dlscale::Collective::broadcast, ranks);
    case Collective::reduce: return dlscale::bus_factor(dlscale::Collective::reduce, ranks);
    case Collective::send_recv: return 1.0;
  }
  return 1.0;
}

/// The probe's collective for one a profile records.
constexpr Collective probe_collective(dlscale::Collective c) {
  switch (c) {
    case dlscale::Collective::all_reduce: return Collective::all_reduce;
    case dlscale::Collective::all_gather: return Collective::all_gather;
    case dlscale::Collective::reduce_scatter: return Collective::reduce_scatter;
    case dlscale::Collective::broadcast: return Collective::broadcast;
    case dlscale::Collective::reduce: return Collective::reduce;
  }
  return Collective::all_reduce;
}

/// Bytes per second.
constexpr double alg_bandwidth(double size_bytes, double seconds) { return size_bytes / seconds; }
constexpr double bus_bandwidth(Collective c, int ranks, double size_bytes, double seconds) {
  return alg_bandwidth(size_bytes, seconds) * bus_factor(c, ranks);
}

/// Elements each rank passes to NCCL for a nominal size (rounded down like nccl-tests), and the
/// size actually moved. all-gather sends size/n and receives size; reduce-scatter the reverse.
struct CollectiveCounts {
  std::size_t send_elements = 0, recv_elements = 0;
  std::uint64_t size_bytes = 0;  ///< nccl-tests' size after rounding; 0: too small to run
};

constexpr CollectiveCounts counts_for(Collective c, std::uint64_t size_bytes, int element_bytes, int ranks) {
  const auto n = static_cast<std::uint64_t>(ranks), e = static_cast<std::uint64_t>(element_bytes);
  if (c == Collective::all_gather || c == Collective::reduce_scatter) {
    const auto per_rank = size_bytes / (e * n);
    const auto total = static_cast<std::size_t>(per_rank * n);
    return c == Collective::all_gather ? CollectiveCounts{static_cast<std::size_t>(per_rank), total, total * e}
                                       : CollectiveCounts{total, static_cast<std::size_t>(per_rank), total * e};
  }
  const auto count = static_cast<std::size_t>(size_bytes / e);
  return {count, count, count * e};
}

/// min, 2 min, 4 min, ... up to max, then max itself if the doubling missed it. Empty if max < min.
inline std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes) {
  std::vector<std::uint64_t> out;
  for (auto s = min_bytes; s > 0 && s <= max_bytes; s *= 2) out.push_back(s);
  if (!out.empty() && out.back() != max_bytes) out.push_back(max_bytes);
  return out;
}

}  // namespace dlscale::calib

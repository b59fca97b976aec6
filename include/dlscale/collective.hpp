#pragma once
/// Collective operations as NCCL runs them, their bandwidth convention (nccl-tests'
/// doc/PERFORMANCE.md) and the alpha/beta fit a profile's `[collective NAME]` section holds.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dlscale/fit.hpp"
#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

/// The collectives a profile records.
enum class Collective { all_reduce, reduce_scatter, all_gather, broadcast, reduce };
/// Where a collective ran: the ranks of one node, or ranks on several nodes (under mpirun).
enum class CollectiveScope { intra_node, inter_node };

/// "all-reduce", "reduce-scatter", "all-gather", "broadcast", "reduce".
std::string_view to_string(Collective c);
/// "intra-node", "inter-node".
std::string_view to_string(CollectiveScope s);
std::optional<Collective> parse_collective(std::string_view text);
std::optional<CollectiveScope> parse_collective_scope(std::string_view text);
/// Every collective, in the order a profile writes them.
const std::vector<Collective>& all_collective_kinds();

/// busbw / algbw at `ranks` ranks (nccl-tests): the fraction of the size each rank's link
/// carries with the optimal algorithm. all-reduce 2(n-1)/n, reduce-scatter and all-gather
/// (n-1)/n, broadcast and reduce 1. `size` is nccl-tests' size: the largest buffer a rank
/// touches (all-gather: the gathered output; reduce-scatter: the input).
constexpr double bus_factor(Collective c, int ranks) {
  const double n = ranks;
  switch (c) {
    case Collective::all_reduce: return 2.0 * (n - 1) / n;
    case Collective::reduce_scatter: case Collective::all_gather: return (n - 1) / n;
    case Collective::broadcast: case Collective::reduce: return 1.0;
  }
  return 1.0;
}

/// A collective's fitted cost at the N and G it was measured at, in nccl-tests' bus-bandwidth
/// convention: t(size) = alpha + size x bus_factor(N) / bus_bandwidth [s].
struct CollectiveFit {
  Collective collective = Collective::all_reduce;
  CollectiveScope scope = CollectiveScope::intra_node;
  int workers = 2;        ///< N: ranks it ran on
  int gpus_per_node = 1;  ///< G: ranks per node
  Seconds alpha;          ///< the whole collective's latency at N [s]
  BytesPerSec bus_bandwidth;  ///< busbw [B/s]
  Seconds time(Bytes size) const {
    return alpha + Seconds{static_cast<double>(size.v) * bus_factor(collective, workers) /
                           bus_bandwidth.v};
  }
};

/// A fit and how well it explains its samples (relative residuals, as fit_link).
struct CollectiveFitResult {
  CollectiveFit fit;
  LinkFit link_fit;  ///< the algorithm-bandwidth fit t = alpha + size / algbw behind it
};

/// Fits alpha and busbw to `samples` (size [B] -> seconds) measured for `c` at `workers`
/// ranks: fit_link gives alpha and the algorithm bandwidth, busbw = algbw x bus_factor.
/// Throws ConfigError as fit_link does, and for workers < 2 (nothing moves on one rank).
CollectiveFitResult fit_collective(Collective c, CollectiveScope scope, int workers,
                                   int gpus_per_node, std::span<const TransferSample> samples);

/// The point-to-point link an all-reduce fit implies under the ring algorithm (NCCL's for
/// large messages): 2 (N-1) steps each of alpha_step + (size / N) / beta, so alpha_step =
/// alpha / (2 (N-1)) and beta = busbw. models::ring_allreduce on this link at the fit's N
/// returns the fit's own time. Only for all-reduce fits.
LinkModel allreduce_link(const CollectiveFit& f);

}  // namespace dlscale

#pragma once
/// Where the ranks of an MPI job sit, from each rank's host name: plain C++, so the layout
/// rules (and what they put in a profile's [collective NAME] section) are unit-tested on
/// machines without MPI or a GPU. Shared by dlscale-nccl-probe and dlscale-calibrate --nccl.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dlscale/collective.hpp"

namespace dlscale::calib {

struct RankLayout {
  std::vector<std::string> hosts;   ///< distinct host names, in order of their first rank
  std::vector<int> ranks_on_host;   ///< per host
  std::vector<int> node_of_rank;    ///< index into hosts, per rank
  std::vector<int> local_rank;      ///< the rank's position among its host's ranks
  int nodes() const { return static_cast<int>(hosts.size()); }
  int ranks() const { return static_cast<int>(node_of_rank.size()); }
  /// The same number of ranks on every host.
  bool even() const;
};

/// Groups ranks by host name (rank r's name at index r). Node 0 is rank 0's host.
RankLayout layout_of(std::span<const std::string> host_of_rank);

/// Throws ConfigError for an uneven layout, naming every host and its ranks, e.g.
/// "uneven MPI layout: 2 ranks on a, 1 on b; the same number of ranks on every node (one per
/// GPU) expected". The fits' G is one number, so a layout without one is refused.
void require_even(const RankLayout& layout);

/// What a sweep over every rank of `layout` is, in a profile's terms: inter-node with N = all
/// ranks and G = ranks per node when it spans nodes; intra-node with N = G = ranks on one node.
/// The profile's `workers` is N, the ranks (the bus factor's n), not the node count.
struct SweepScope {
  CollectiveScope scope = CollectiveScope::intra_node;
  int workers = 0;        ///< N
  int gpus_per_node = 0;  ///< G
};
/// Needs an even layout of 2 ranks or more (throws ConfigError otherwise).
SweepScope sweep_scope(const RankLayout& layout);
/// Node 0's own intra-node sweep is worth running after an inter-node one when every node has
/// 2 ranks or more (a node of one GPU has no intra-node collective).
std::optional<SweepScope> node_sweep_scope(const RankLayout& layout);

/// One rank's state before NCCL starts: code 0 (ready) or an exit code with its reason (empty
/// when the rank has printed it already or another rank will). Agreed across ranks by
/// nccl_mpi.hpp's agree().
struct RankVerdict {
  int code = 0;
  std::string message;
};

/// "2 nodes x 4 ranks" or "1 node, 3 ranks"; for the probe's header and the profile's source.
std::string describe(const RankLayout& layout);

/// Whether an MPI launcher started this process, and with how many ranks: nullopt when none of
/// OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK is set (a plain run), else the size from
/// OMPI_COMM_WORLD_SIZE or PMI_SIZE, or 0 when only PMIX_RANK says so (size unknown).
std::optional<int> mpi_launcher_ranks();

}  // namespace dlscale::calib

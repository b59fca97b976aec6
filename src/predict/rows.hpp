#pragma once
// Private to src/predict: one prediction row without validation, so that sweep can validate
// once and reuse the placement shares of every worker count.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dlscale/models/overlap.hpp"
#include "dlscale/models/placement.hpp"

#include "dlscale/predict.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::detail {

/// Largest accepted worker count (parse_worker_range and predict).
inline constexpr int max_workers = 1'000'000;

/// Throws ConfigError naming the field when a Scenario value is out of range.
void validate(const Scenario& s);
/// Throws ConfigError when `scheme` needs what `s` lacks (hierarchical: nodes, weight size).
void check_scheme_inputs(const Scenario& s, Scheme scheme);
/// Throws ConfigError for workers outside [1, max_workers] or ring + async.
void check_request(Scheme scheme, Mode mode, int workers);

/// True for the schemes whose communication term uses a tensor placement.
bool is_placed(Scheme scheme);
/// True when `scheme` places the scenario's tensors: the placed schemes, and on a described
/// cluster also `sharded`, whose headline estimate then uses the real placement (model order)
/// rather than the even split no network with whole tensors reaches.
bool uses_placement(const Scenario& s, Scheme scheme);

/// What a row needs that depends only on (scheme, workers), so that sweep formats it once
/// per worker count and reuses it for every mode. Empty notes are not emitted.
struct PerWorkers {
  std::optional<double> f_max;  ///< placement share; nullopt: even split (4.12)
  /// On a cluster with NICs, sharded schemes: one direction of the exchange with the K servers
  /// (models::sharded_cluster_phase), the same for every mode.
  Seconds cluster_phase;
  std::string placement_note;   ///< placed schemes: f_max, or that the even split is used
  std::string uneven_join;      ///< sync-join with D % N != 0
  std::string uneven_async;     ///< async with D % N != 0
  /// With an overlap policy other than none: the exchanges in readiness order (the same for
  /// every scheme and N, so computed once) and, for the sharded schemes on a cluster, each
  /// server's bytes of the whole set, which every bucket is spread over in proportion.
  std::shared_ptr<const std::vector<models::GradBucket>> buckets;
  std::vector<double> server_loads;
  std::string overlap_note;  ///< the exchanges and where their readiness came from
};
/// Sets the buckets and their note from the scenario's overlap policy (not none).
void set_overlap(PerWorkers& pw, const Scenario& s);
/// One synchronous iteration of `scheme` at N with the buckets of `pw` (overlap.cpp).
models::Bounds overlapped_iter(const Scenario& s, Scheme scheme, int n, Seconds t_g,
                               const PerWorkers& pw, std::vector<std::string>& notes);
/// The link between nodes of the hierarchical all-reduce: the NIC shared by the node's
/// min(G, N) rings, else the fitted link, else alpha = 0 and beta = W / t_comm; `source`
/// (optional) says which.
LinkModel hierarchical_inter(const Scenario& s, int n, std::string* source);
/// The D % N notes of `workers` (the scheme-independent part).
PerWorkers uneven_notes(const Scenario& s, int workers);
/// Adds the placement share and its note for `scheme`: `shares` holds the tensor list in the
/// scheme's order (nullptr: none; the even split). On a cluster with NICs the shares are
/// those of the K servers, else of the N workers (the thesis: every worker serves a shard).
void set_placement(PerWorkers& pw, const Scenario& s, Scheme scheme, int workers,
                   const models::PlacementShares* shares);
/// Throws ConfigError when the cluster cannot run `scheme` at `workers` (K > N servers,
/// per-node aggregation with a partial node).
void check_cluster_request(const Scenario& s, Scheme scheme, int workers);
/// False where check_cluster_request would throw.
bool cluster_allows(const Scenario& s, Scheme scheme, int workers);
/// The cluster when it describes NICs (the cluster forms apply), else nullptr.
inline const Cluster* nic_cluster(const Scenario& s) {
  return s.cluster && s.cluster->nic ? &*s.cluster : nullptr;
}

/// One row from checked inputs.
Prediction predict_row(const Scenario& s, Scheme scheme, Mode mode, int workers,
                       const PerWorkers& pw);

}  // namespace dlscale::detail

// The overlap of the exchange with backpropagation in the closed forms (MODELS.md "Overlap"):
// each scheme's exchange time for one bucket's bytes, fed to models::overlapped_sync_iter.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/central_ps.hpp"
#include "dlscale/models/hierarchical.hpp"
#include "dlscale/models/overlap.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/models/semaphore.hpp"
#include "dlscale/models/sharded_ps.hpp"
#include "dlscale/models/tree.hpp"
#include "predict/rows.hpp"

namespace dlscale::detail {

using models::Bounds;
namespace {

// The all-reduce schemes run on the profile's collective fits where it has them
// (allreduce_inputs), exactly as ring_iter, tree_iter and hierarchical_iter do.
Bounds allreduce_exchange(const Scenario& s, Scheme scheme, int n, Bytes bytes, Seconds t_c) {
  const AllreduceInputs in = allreduce_inputs(s);
  const Cluster* c = in.cluster && in.cluster->nic ? &*in.cluster : nullptr;
  const bool fitted = in.link && s.weight_bytes.v > 0;
  const Seconds zero{0};
  if (scheme == Scheme::hierarchical)
    return models::exact(models::hierarchical_allreduce(n, in.cluster->workers_per_node, bytes,
                                                        in.cluster->intra,
                                                        hierarchical_inter(s, n, nullptr)));
  if (scheme == Scheme::ring) {
    if (c != nullptr) return models::exact(models::ring_allreduce(n, bytes, *c));
    if (fitted) return models::exact(models::ring_allreduce(n, bytes, *in.link));
    return models::ring_sync_iter(n, t_c, zero);
  }
  if (c != nullptr) return models::exact(models::tree_allreduce(n, bytes, *c));
  if (fitted) return models::exact(models::tree_allreduce(n, bytes, *in.link));
  return models::tree_sync_iter(n, t_c, zero);
}

// The exchange of `bytes` alone under `scheme` at N workers: each scheme's own closed form for
// a byte count with t_g = 0, latency included (MODELS.md "Overlap"). The forms that know only
// t_comm scale it by bytes / W (their alpha is 0). Sharded servers on a cluster take every
// bucket in the proportions of the whole placement (each server holds its share of each
// bucket, as with BytePS's partitions), so a bucket's phase is the whole one's scaled down.
Bounds exchange_time(const Scenario& s, Scheme scheme, int n, Bytes bytes,
                     const PerWorkers& pw) {
  const Seconds zero{0};
  const double share = static_cast<double>(bytes.v) / static_cast<double>(s.weight_bytes.v);
  const Seconds t_c = share * s.t_comm;
  const Cluster* c = nic_cluster(s);
  switch (scheme) {
    case Scheme::central:
      return c != nullptr ? models::central_cluster_sync_iter(n, *c, bytes, zero)
                          : models::central_sync_iter(n, t_c, zero);
    case Scheme::central_semaphore:
      return models::behind_semaphore(exchange_time(s, Scheme::central, n, bytes, pw));
    case Scheme::ring:
    case Scheme::tree:
    case Scheme::hierarchical:
      return allreduce_exchange(s, scheme, n, bytes, t_c);
    case Scheme::sharded:
    case Scheme::sharded_placed:
    case Scheme::sharded_lpt: {
      if (c != nullptr) {
        std::vector<double> loads(pw.server_loads);
        for (double& l : loads) l *= share;
        return models::exact(2.0 * models::sharded_cluster_phase(n, *c, loads, bytes));
      }
      const auto f_max = scheme == Scheme::sharded ? std::nullopt : pw.f_max;
      return f_max ? models::sharded_placed_sync_iter(n, *f_max, t_c, zero)
                   : models::sharded_sync_iter(n, t_c, zero);
    }
  }
  throw ConfigError("scheme: unknown value");
}

}  // namespace

Bounds overlapped_iter(const Scenario& s, Scheme scheme, int n, Seconds t_g, const PerWorkers& pw,
                       std::vector<std::string>& notes) {
  if (!pw.overlap_note.empty()) notes.push_back(pw.overlap_note);
  return models::overlapped_sync_iter(
      *pw.buckets, t_g, [&](Bytes b) { return exchange_time(s, scheme, n, b, pw); });
}

// Between nodes: the NIC, whose rate the node's G concurrent inter-node rings share; without
// one, each worker's fitted link, else alpha = 0 and beta = bytes / t_comm.
LinkModel hierarchical_inter(const Scenario& s, int n, std::string* source) {
  const AllreduceInputs in = allreduce_inputs(s);  // the collective fits where the profile has them
  const Cluster& c = *in.cluster;  // checked by check_scheme_inputs
  const int g = c.workers_per_node;
  LinkModel inter = in.link ? *in.link : LinkModel{Seconds{0}, s.weight_bytes / s.t_comm};
  if (source != nullptr) *source = in.link ? "" : " (from t_comm)";
  if (c.nic) {
    inter = {c.nic->alpha, BytesPerSec{std::min(c.nic->beta.v / std::min(g, n), c.intra.beta.v)}};
    if (source != nullptr)
      *source = fmt::format(" (the NIC's {:.6g} B/s shared by {} rings)", c.nic->beta.v,
                            std::min(g, n));
  }
  return inter;
}

void set_overlap(PerWorkers& pw, const Scenario& s) {
  auto buckets = std::make_shared<std::vector<models::GradBucket>>(
      models::make_buckets(s.grad_tensors, s.overlap));
  const auto policy = s.overlap.policy == OverlapPolicy::tensor
      ? std::string("one per tensor as it is ready")
      : fmt::format("buckets of {} B, the first {} B, in reverse layer order",
                    s.overlap.bucket_bytes, s.overlap.first_bucket_bytes);
  pw.overlap_note = fmt::format("overlap: {} exchanges ({}), each starting when its gradients "
                                "are ready and the previous one has ended; {}", buckets->size(),
                                policy, s.grad_timing_source);
  pw.buckets = std::move(buckets);
}

}  // namespace dlscale::detail

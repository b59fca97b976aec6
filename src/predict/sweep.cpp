// Input checks, worker ranges, sweeps and the optimum search. A sweep validates once and
// computes each placement share once per worker count, then reuses it for every mode.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/predict.hpp"
#include "detail/text.hpp"
#include "predict/rows.hpp"

namespace dlscale {
namespace detail {
namespace {

void check_time(std::string_view network, std::string_view field, Seconds t) {
  if (!std::isfinite(t.v) || t.v <= 0)
    throw ConfigError(fmt::format("scenario '{}': {} = {} s; a finite number > 0 [s] expected",
                                  network, field, t.v));
}

void check_link(const std::string& network, std::string_view what, const LinkModel& link) {
  if (!std::isfinite(link.alpha.v) || link.alpha.v < 0)
    throw ConfigError(fmt::format("scenario '{}': {} alpha = {} s; a finite number >= 0 [s] "
                                  "expected", network, what, link.alpha.v));
  if (!std::isfinite(link.beta.v) || link.beta.v <= 0)
    throw ConfigError(fmt::format("scenario '{}': {} beta = {} B/s; a finite number > 0 [B/s] "
                                  "expected", network, what, link.beta.v));
}

// An intra-node rate of infinity means "not a bottleneck" and is allowed; every other rate
// must be finite.
void check_cluster(const std::string& network, const Cluster& c, Bytes weights) {
  if (c.workers_per_node < 1)
    throw ConfigError(fmt::format("scenario '{}': workers per node = {}; an integer >= 1 "
                                  "expected", network, c.workers_per_node));
  LinkModel intra = c.intra;
  if (std::isinf(intra.beta.v)) intra.beta = BytesPerSec{1};
  check_link(network, "intra-node link", intra);
  if (c.servers.count < 0)
    throw ConfigError(fmt::format("scenario '{}': servers K = {}; an integer >= 1 expected",
                                  network, c.servers.count));
  if (c.servers.dedicated_nic)
    check_link(network, "server NIC", LinkModel{Seconds{0}, *c.servers.dedicated_nic});
  if (!c.nic) return;
  check_link(network, "NIC", *c.nic);
  if (c.nic->alpha < c.intra.alpha)
    throw ConfigError(fmt::format("scenario '{}': inter-node latency {} s < intra-node latency {} "
                                  "s; a message between nodes also crosses the node, so a "
                                  "latency >= the intra-node one expected", network,
                                  c.nic->alpha.v, c.intra.alpha.v));
  if (weights.v == 0)
    throw ConfigError(fmt::format("scenario '{}': a cluster with a NIC needs the weight size; a "
                                  "network with its parameters expected (--network, or --params "
                                  "or --bytes)", network));
}

// Every policy but none needs the network's tensors with their readiness and the weight size
// that scales t_comm to a bucket.
void check_overlap(const Scenario& s) {
  const auto policy = to_string(s.overlap.policy);
  if (s.overlap.policy == OverlapPolicy::none) return;
  if (s.grad_tensors.empty() || s.weight_bytes.v == 0)
    throw ConfigError(fmt::format("scenario '{}': overlap {}: needs the network's gradient "
                                  "tensors; a network description expected (--network), or "
                                  "--overlap none with --t-grad/--t-comm alone", s.network, policy));
  if (s.overlap.bucket_bytes == 0 || s.overlap.first_bucket_bytes == 0)
    throw ConfigError(fmt::format("scenario '{}': overlap buckets: a bucket of 0 B; a size >= 1 B "
                                  "expected", s.network));
  std::uint64_t total = 0;
  for (const auto& t : s.grad_tensors) {
    if (!(t.ready_share >= 0 && t.ready_share <= 1))
      throw ConfigError(fmt::format("scenario '{}': overlap: a tensor ready at {} x t_grad; a "
                                    "share in [0, 1] expected", s.network, t.ready_share));
    total += t.bytes;
  }
  if (total == 0)
    throw ConfigError(fmt::format("scenario '{}': overlap {}: all {} gradient tensors are 0 bytes; "
                                  "at least one > 0 expected", s.network, policy,
                                  s.grad_tensors.size()));
}

}  // namespace

void validate(const Scenario& s) {
  check_time(s.network, "t_grad", s.t_grad);
  check_time(s.network, "t_comm", s.t_comm);
  if (s.batches < 1)
    throw ConfigError(fmt::format("scenario '{}': batches D = {}; an integer >= 1 expected",
                                  s.network, s.batches));
  if (s.batch_size && *s.batch_size < 1)
    throw ConfigError(fmt::format("scenario '{}': batch_size = {}; an integer >= 1 expected",
                                  s.network, *s.batch_size));
  for (const auto& [b, t] : s.t_grad_by_batch) {
    if (b < 1)
      throw ConfigError(fmt::format(
          "scenario '{}': t_grad_by_batch batch size {}; an integer >= 1 expected", s.network, b));
    check_time(s.network, fmt::format("t_grad_by_batch[{}]", b), t);
  }
  if (s.link) check_link(s.network, "link", *s.link);
  if (s.cluster) check_cluster(s.network, *s.cluster, s.weight_bytes);
  std::uint64_t total = 0;
  for (const auto b : s.tensor_bytes) total += b;
  if (!s.tensor_bytes.empty() && total == 0)
    throw ConfigError(fmt::format("scenario '{}': tensor_bytes: all {} tensors are 0 bytes; at "
                                  "least one > 0 expected", s.network, s.tensor_bytes.size()));
  check_overlap(s);
}

void check_scheme_inputs(const Scenario& s, Scheme scheme) {
  if (scheme != Scheme::hierarchical) return;
  if (!s.cluster)
    throw ConfigError(fmt::format("scenario '{}': scheme 'hierarchical' needs the nodes "
                                  "described: workers per node and the links (--gpus-per-node G "
                                  "--intra RATE, and --nic RATE)", s.network));
  if (s.weight_bytes.v == 0)
    throw ConfigError(fmt::format("scenario '{}': scheme 'hierarchical' needs the weight size; a "
                                  "network with its parameters expected (--network, or --params "
                                  "or --bytes)", s.network));
}

void check_request(Scheme scheme, Mode mode, int workers) {
  if (workers < 1 || workers > max_workers)
    throw ConfigError(fmt::format("workers = {}; an integer in [1, {}] expected", workers,
                                  max_workers));
  if (!supports(scheme, mode))
    throw ConfigError(fmt::format("scheme '{}' with mode '{}': unsupported; all-reduce is "
                                  "synchronous (use sync-join or sync-split)",
                                  to_string(scheme), to_string(mode)));
}

}  // namespace detail

namespace {

// Bounds the memory of one sweep (a row is a few hundred bytes).
constexpr std::size_t max_sweep_rows = 2'000'000;

void check_range(const WorkerRange& r) {
  if (r.first < 1 || r.last > detail::max_workers || r.first > r.last || r.step < 1)
    throw ConfigError(fmt::format("workers {}:{}:{}: 1 <= first <= last <= {} and step >= 1 "
                                  "expected", r.first, r.last, r.step, detail::max_workers));
}

}  // namespace

std::vector<int> WorkerRange::values() const {
  if (!list.empty()) return list;
  std::vector<int> out;
  for (long long n = first; n <= last; n = geometric ? 2 * n : n + step)
    out.push_back(static_cast<int>(n));
  return out;
}

namespace {

// "8,16,32,64": the counts in ascending order.
WorkerRange parse_worker_list(std::string_view text) {
  WorkerRange r;
  for (std::size_t pos = 0;;) {
    const auto comma = text.find(',', pos);
    const auto token = text.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
    r.list.push_back(static_cast<int>(
        detail::parse_int(token, {"workers", 0, "list"}, 1, detail::max_workers)));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  std::sort(r.list.begin(), r.list.end());
  if (const auto twice = std::adjacent_find(r.list.begin(), r.list.end()); twice != r.list.end())
    throw ConfigError(fmt::format("workers '{}': {} is listed twice; distinct counts expected",
                                  text, *twice));
  r.first = r.list.front();
  r.last = r.list.back();
  return r;
}

}  // namespace

WorkerRange parse_worker_range(std::string_view text) {
  constexpr long long lo = 1, hi = detail::max_workers;
  if (text.find(',') != std::string_view::npos) return parse_worker_list(text);
  std::vector<std::string_view> parts;
  for (std::size_t pos = 0;;) {
    const auto colon = text.find(':', pos);
    parts.push_back(text.substr(pos, colon == std::string_view::npos ? colon : colon - pos));
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (parts.size() > 3)
    throw ConfigError(fmt::format("workers '{}': {} fields; N, FIRST:LAST, FIRST:LAST:STEP or "
                                  "FIRST:LAST:x2 expected", text, parts.size()));
  const auto number = [&](std::string_view token, std::string_view field) {
    return static_cast<int>(detail::parse_int(token, {"workers", 0, field}, lo, hi));
  };
  WorkerRange r;
  if (parts.size() == 1) {
    r.last = number(parts[0], "last");
    return r;
  }
  r.first = number(parts[0], "first");
  r.last = number(parts[1], "last");
  if (r.first > r.last)
    throw ConfigError(fmt::format("workers '{}': first {} > last {}; first <= last expected", text,
                                  r.first, r.last));
  if (parts.size() == 3) {
    if (parts[2] == "x2")
      r.geometric = true;
    else
      r.step = number(parts[2], "step");
  }
  return r;
}

void sweep_each(const Scenario& s, std::span<const Scheme> schemes, std::span<const Mode> modes,
                const WorkerRange& workers, const std::function<void(const Prediction&)>& visit) {
  detail::validate(s);
  check_range(workers);
  const std::vector<int> ns = workers.values();
  std::vector<detail::PerWorkers> per(ns.size());
  for (std::size_t i = 0; i < ns.size(); ++i) per[i] = detail::uneven_notes(s, ns[i]);
  for (const Scheme scheme : schemes) {
    detail::check_scheme_inputs(s, scheme);
    for (const int n : ns) detail::check_cluster_request(s, scheme, n);
  }
  for (const Scheme scheme : schemes) {
    const bool placed = detail::uses_placement(s, scheme);
    const models::PlacementShares placement(placed ? s.tensor_bytes
                                                   : std::vector<std::uint64_t>{},
                                            scheme == Scheme::sharded_lpt);
    for (std::size_t i = 0; i < ns.size(); ++i)
      detail::set_placement(per[i], s, scheme, ns[i], &placement);
    for (const Mode mode : modes) {
      if (!supports(scheme, mode)) continue;
      for (std::size_t i = 0; i < ns.size(); ++i)
        visit(detail::predict_row(s, scheme, mode, ns[i], per[i]));
    }
  }
}

std::vector<Prediction> sweep(const Scenario& s, std::span<const Scheme> schemes,
                              std::span<const Mode> modes, const WorkerRange& workers) {
  check_range(workers);
  const std::size_t count = workers.values().size() * schemes.size() * modes.size();
  if (count > max_sweep_rows)
    throw ConfigError(fmt::format("sweep: {} rows (worker counts x schemes x modes) exceed {} "
                                  "kept in memory; a narrower range or a step expected", count,
                                  max_sweep_rows));
  std::vector<Prediction> rows;
  rows.reserve(count);
  sweep_each(s, schemes, modes, workers, [&rows](const Prediction& p) { rows.push_back(p); });
  return rows;
}

}  // namespace dlscale

// Collective names, and the fit of a collective's samples in nccl-tests' bus-bandwidth
// convention. The least squares are fit_link's (fit.cpp): a collective's time is a link model
// in the size, t = alpha + size / algbw, and busbw only rescales the slope.
#include "dlscale/collective.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale {
namespace {

constexpr std::array<std::pair<std::string_view, Collective>, 5> collective_names{{
    {"all-reduce", Collective::all_reduce},
    {"reduce-scatter", Collective::reduce_scatter},
    {"all-gather", Collective::all_gather},
    {"broadcast", Collective::broadcast},
    {"reduce", Collective::reduce},
}};

}  // namespace

std::string_view to_string(Collective c) {
  for (const auto& [name, kind] : collective_names)
    if (kind == c) return name;
  return "?";
}

std::string_view to_string(CollectiveScope s) {
  return s == CollectiveScope::intra_node ? "intra-node" : "inter-node";
}

std::optional<Collective> parse_collective(std::string_view text) {
  for (const auto& [name, kind] : collective_names)
    if (name == text) return kind;
  return std::nullopt;
}

std::optional<CollectiveScope> parse_collective_scope(std::string_view text) {
  if (text == "intra-node") return CollectiveScope::intra_node;
  if (text == "inter-node") return CollectiveScope::inter_node;
  return std::nullopt;
}

const std::vector<Collective>& all_collective_kinds() {
  static const std::vector<Collective> kinds{Collective::all_reduce, Collective::reduce_scatter,
                                             Collective::all_gather, Collective::broadcast,
                                             Collective::reduce};
  return kinds;
}

CollectiveFitResult fit_collective(Collective c, CollectiveScope scope, int workers,
                                   int gpus_per_node, std::span<const TransferSample> samples) {
  if (workers < 2)
    throw ConfigError(fmt::format("fit: {} on {} rank(s); at least 2 ranks expected (one rank "
                                  "moves nothing)", to_string(c), workers));
  CollectiveFitResult r;
  r.link_fit = fit_link_nonnegative(samples);  // a profile holds no negative alpha_s
  r.fit.collective = c;
  r.fit.scope = scope;
  r.fit.workers = workers;
  r.fit.gpus_per_node = gpus_per_node;
  r.fit.alpha = r.link_fit.link.alpha;
  r.fit.bus_bandwidth = BytesPerSec{r.link_fit.link.beta.v * bus_factor(c, workers)};
  return r;
}

LinkModel allreduce_link(const CollectiveFit& f) {
  if (f.collective != Collective::all_reduce || f.workers < 2)
    throw ConfigError(fmt::format("{} fit at N = {}: a ring link follows only from an all-reduce "
                                  "fit at N >= 2", to_string(f.collective), f.workers));
  return {f.alpha / (2.0 * (f.workers - 1)), f.bus_bandwidth};
}

}  // namespace dlscale

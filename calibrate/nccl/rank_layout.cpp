#include "calibrate/nccl/rank_layout.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {

bool RankLayout::even() const {
  return std::all_of(ranks_on_host.begin(), ranks_on_host.end(),
                     [&](int n) { return n == ranks_on_host.front(); });
}

RankLayout layout_of(std::span<const std::string> host_of_rank) {
  RankLayout l;
  for (const auto& host : host_of_rank) {
    const auto it = std::find(l.hosts.begin(), l.hosts.end(), host);
    const auto node = static_cast<int>(it - l.hosts.begin());
    if (it == l.hosts.end()) {
      l.hosts.push_back(host);
      l.ranks_on_host.push_back(0);
    }
    l.node_of_rank.push_back(node);
    l.local_rank.push_back(l.ranks_on_host[static_cast<std::size_t>(node)]++);
  }
  return l;
}

void require_even(const RankLayout& l) {
  if (l.even()) return;
  std::string each;
  for (std::size_t i = 0; i < l.hosts.size(); ++i)
    each += i == 0 ? fmt::format("{} rank{} on {}", l.ranks_on_host[i],
                                 l.ranks_on_host[i] == 1 ? "" : "s", l.hosts[i])
                   : fmt::format(", {} on {}", l.ranks_on_host[i], l.hosts[i]);
  throw ConfigError(fmt::format("uneven MPI layout: {}; the same number of ranks on every node "
                                "(one per GPU) expected", each));
}

SweepScope sweep_scope(const RankLayout& l) {
  require_even(l);
  if (l.ranks() < 2)
    throw ConfigError(fmt::format("{} MPI rank: a collective needs 2 ranks or more", l.ranks()));
  const int per_node = l.ranks_on_host.front();
  if (l.nodes() == 1) return {CollectiveScope::intra_node, per_node, per_node};
  return {CollectiveScope::inter_node, l.ranks(), per_node};
}

std::optional<SweepScope> node_sweep_scope(const RankLayout& l) {
  const auto all = sweep_scope(l);
  if (all.scope != CollectiveScope::inter_node || all.gpus_per_node < 2) return std::nullopt;
  return SweepScope{CollectiveScope::intra_node, all.gpus_per_node, all.gpus_per_node};
}

std::string describe(const RankLayout& l) {
  if (l.nodes() == 1) return fmt::format("1 node, {} rank{}", l.ranks(), l.ranks() == 1 ? "" : "s");
  if (!l.even()) return fmt::format("{} nodes, {} ranks (uneven)", l.nodes(), l.ranks());
  return fmt::format("{} nodes x {} rank{}", l.nodes(), l.ranks_on_host.front(),
                     l.ranks_on_host.front() == 1 ? "" : "s");
}

std::optional<int> mpi_launcher_ranks() {
  std::optional<int> out;
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v) != nullptr) out = 0;
  if (!out) return out;
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* text = std::getenv(v);
    if (text == nullptr) continue;
    char* end = nullptr;
    const long n = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && n >= 1 && n <= 1000000) return static_cast<int>(n);
  }
  return out;
}

}  // namespace dlscale::calib

#include "sim/training/cluster_fabric.hpp"

#include <cmath>

#include <fmt/format.h>

namespace dlscale::sim::training {

ClusterFabric::ClusterFabric(const Cluster& c, int workers, int servers, bool own_hosts,
                             BytesPerSec server_nic)
    : intra_latency_(c.intra.alpha), nodes_(c.nodes(workers)) {
  const bool access = std::isfinite(c.intra.beta.v);
  const Seconds half_intra = access ? c.intra.alpha / 2 : Seconds{0};
  const Seconds nic_latency = (c.nic->alpha - 2.0 * half_intra) / 2;
  for (int m = 0; m < nodes_; ++m) {
    links_.push_back({fmt::format("node{}.nic.up", m), c.nic->beta, nic_latency});
    links_.push_back({fmt::format("node{}.nic.down", m), c.nic->beta, nic_latency});
  }
  const auto add_pair = [&](std::string name, BytesPerSec rate, Seconds latency) {
    const auto up = static_cast<LinkId>(links_.size());
    links_.push_back({name + ".up", rate, latency});
    links_.push_back({name + ".down", rate, latency});
    return up;
  };
  for (int w = 0; w < workers; ++w) {
    const int m = w / c.workers_per_node;
    Place p{m, {}, {}};
    if (access) {
      p.up = add_pair(fmt::format("node{}.w{}", m, w % c.workers_per_node), c.intra.beta, half_intra);
      p.down = *p.up + 1;
    }
    places_.push_back(p);
  }
  for (int k = 0; k < servers; ++k) {
    Place p;
    if (own_hosts) {
      p.up = add_pair(fmt::format("server{}.nic", k), server_nic, c.nic->alpha / 2);
    } else {
      p.node = k % nodes_;
      if (access) p.up = add_pair(fmt::format("server{}", k), c.intra.beta, half_intra);
    }
    if (p.up) p.down = *p.up + 1;
    places_.push_back(p);
  }
}

void ClusterFabric::route(int from, int to, std::vector<LinkId>& out) const {
  const Place& a = places_[static_cast<std::size_t>(from)];
  const Place& b = places_[static_cast<std::size_t>(to)];
  if (a.up) out.push_back(*a.up);
  if (a.node != b.node || a.node < 0) {
    if (a.node >= 0) out.push_back(static_cast<LinkId>(2 * a.node));      // its NIC up
    if (b.node >= 0) out.push_back(static_cast<LinkId>(2 * b.node + 1));  // its NIC down
  }
  if (b.down) out.push_back(*b.down);
}

}  // namespace dlscale::sim::training

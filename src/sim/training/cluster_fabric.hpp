#pragma once
// Private to the training simulation: the network of a described cluster (Scenario::cluster
// with a NIC), the simulator's twin of the closed forms' cluster (MODELS.md "Real clusters").
//
// Node m has a full-duplex NIC (links "node{m}.nic.up/down", rate B). When the intra-node rate
// is given, every worker and every server on a node also has its own link to the node
// ("node{m}.w{j}.up/down", "server{k}.up/down", rate B_i); without it intra-node transfers
// are not limited and use no link at all. Servers with hosts of their own hang off the core
// with their own NIC ("server{k}.nic.up/down", rate B_s). The core is non-blocking.
//
// Latencies are split over the links so that every route adds up to what the closed forms
// charge: a_i between workers of one node, a between nodes or to a server host. Access links
// carry a_i / 2, NICs (a - a_i) / 2 (a / 2 without access links), server NICs a / 2.
#include <optional>
#include <vector>

#include "dlscale/scenario.hpp"
#include "dlscale/sim/link.hpp"

namespace dlscale::sim::training {

class ClusterFabric {
 public:
  /// Participants 0..N-1 are the workers, node by node; N..N+K-1 the K servers: on their own
  /// hosts when `own_hosts` (with NIC `server_nic`), else server k on node k mod M.
  ClusterFabric(const Cluster& c, int workers, int servers, bool own_hosts, BytesPerSec server_nic);

  const std::vector<LinkSpec>& links() const { return links_; }
  /// Appends the links from participant `from` to `to`; nothing when both are on one node
  /// and intra-node transfers are unlimited (then they take intra_latency()).
  void route(int from, int to, std::vector<LinkId>& out) const;
  Seconds intra_latency() const { return intra_latency_; }

 private:
  struct Place {
    int node = -1;                    ///< -1: a server host of its own
    std::optional<LinkId> up, down;  ///< its access link or NIC, if it has one
  };
  std::vector<Place> places_;
  std::vector<LinkSpec> links_;
  Seconds intra_latency_;
  int nodes_ = 0;
};

}  // namespace dlscale::sim::training

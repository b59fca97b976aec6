#pragma once
/// Cluster topologies for the simulator: hosts and switches joined by full-duplex links, read
/// from a topology file (format: data/topologies/README.md), with a route for every pair of
/// hosts: the fewest hops (Boost.Graph breadth-first search), unless `route` lines say
/// otherwise. Racks, oversubscribed two-level trees and any connected graph can be written.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/sim/link.hpp"
#include "dlscale/units.hpp"

namespace dlscale::sim {

/// A capacity as written in the file: absolute [B/s], or a multiple of the per-host rate
/// that the profile implies (weight bytes / t_comm), written like "1x" or "0.25x".
struct Capacity {
  double value = 0;
  bool relative = false;
  BytesPerSec resolve(BytesPerSec host_rate) const {
    return {relative ? value * host_rate.v : value};
  }
};

/// A parsed and checked topology: names unique, every capacity > 0, every latency >= 0, the
/// graph connected, and every route free of cycles.
class Topology {
 public:
  /// Parses a topology file's text; `origin` names it in messages. Throws ConfigError
  /// "origin:line: field: what was wrong; what was expected".
  static Topology parse(std::string_view text, std::string origin);
  /// Reads and parses a file (at most 16 MiB).
  static Topology load(const std::filesystem::path& path);

  const std::string& origin() const { return origin_; }
  /// Hosts in file order; workers take them in that order.
  int host_count() const { return static_cast<int>(hosts_.size()); }
  const std::string& host_name(int h) const { return names_[static_cast<std::size_t>(hosts_[static_cast<std::size_t>(h)])]; }
  /// The host a `server NAME` line reserved for the central server, if any.
  std::optional<int> server_host() const { return server_; }
  /// Every link as two directed links, a->b then b->a, in file order, capacities resolved.
  std::vector<LinkSpec> links(BytesPerSec host_rate) const;
  /// Appends the directed links from host `from` to host `to` (from != to) to `out`.
  void route(int from, int to, std::vector<LinkId>& out) const;

  struct Link {
    int a = 0, b = 0;  ///< node indices
    Capacity capacity;  ///< a -> b
    Capacity reverse;   ///< b -> a (the same as `capacity` unless reverse_capacity= is given)
    Seconds latency;
    int line = 0;
  };
  struct RouteEntry {  ///< `route AT DEST via NEXT`: at node AT, traffic to DEST goes to NEXT
    int at = 0, dest = 0, next = 0;
    int line = 0;
  };

 private:
  friend struct TopologyBuilder;
  void build_routes(const std::vector<RouteEntry>& entries);

  std::string origin_;
  std::vector<std::string> names_;  ///< node names (hosts and switches)
  std::vector<int> hosts_;          ///< node of each host, in file order
  std::vector<int> host_of_node_;   ///< host index of each node, -1 for switches
  std::optional<int> server_;
  std::vector<Link> links_;
  /// next_[h][v]: the directed link from node v toward host h (unused at h's own node).
  std::vector<std::vector<LinkId>> next_;
};

}  // namespace dlscale::sim

// Routes of a topology: connectivity (Boost.Graph connected components), the fewest-hop next
// link toward every host (one breadth-first search per host, ties to the earlier link in the
// file), `route` overrides, and a check that following next links always ends at the host.
#include <algorithm>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/sim/topology.hpp"

namespace dlscale::sim {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                    boost::no_property, boost::property<boost::edge_index_t, int>>;

constexpr LinkId no_link = ~LinkId{0};
// Above this many (host, node) next-link entries the tables would pass 64 MiB, and the
// breadth-first searches (one per host) would take seconds: 4096 hosts on one switch is
// about the largest a topology file may describe (the star without a file has no limit).
constexpr std::size_t max_route_entries = std::size_t{16} << 20;

// Directed link of link k that leaves node `from`: a->b is 2k, b->a is 2k+1.
LinkId leaving(const std::vector<Topology::Link>& links, int k, int from) {
  return static_cast<LinkId>(2 * k + (links[static_cast<std::size_t>(k)].a == from ? 0 : 1));
}

int head(const std::vector<Topology::Link>& links, LinkId id) {
  const auto& l = links[id / 2];
  return id % 2 == 0 ? l.b : l.a;
}

// Breadth-first search from a host: each node discovered over a tree edge reaches the host
// back over that edge.
struct TowardRoot : boost::default_bfs_visitor {
  const std::vector<Topology::Link>* links;
  std::vector<LinkId>* next;
  void tree_edge(Graph::edge_descriptor e, const Graph& g) const {
    const int child = static_cast<int>(boost::target(e, g));
    const int k = boost::get(boost::edge_index, g, e);
    (*next)[static_cast<std::size_t>(child)] = leaving(*links, k, child);
  }
};

}  // namespace

void Topology::build_routes(const std::vector<RouteEntry>& entries) {
  const std::size_t nodes = names_.size();
  Graph g(nodes);
  for (std::size_t k = 0; k < links_.size(); ++k)
    boost::add_edge(static_cast<std::size_t>(links_[k].a), static_cast<std::size_t>(links_[k].b),
                    static_cast<int>(k), g);

  std::vector<int> part(nodes);
  if (boost::connected_components(g, part.data()) > 1) {
    const int root = hosts_[0];
    for (std::size_t v = 0; v < nodes; ++v)
      if (part[v] != part[static_cast<std::size_t>(root)])
        throw ConfigError(fmt::format("{}: '{}' cannot reach host '{}': the graph is "
                                      "disconnected; a connected graph expected (add a link)",
                                      origin_, names_[v], names_[static_cast<std::size_t>(root)]));
  }
  if (hosts_.size() * nodes > max_route_entries)
    throw ConfigError(fmt::format("{}: {} hosts x {} nodes is too large; at most {} route "
                                  "entries expected", origin_, hosts_.size(), nodes,
                                  max_route_entries));

  next_.assign(hosts_.size(), std::vector<LinkId>(nodes, no_link));
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    TowardRoot visitor;
    visitor.links = &links_;
    visitor.next = &next_[h];
    boost::breadth_first_search(g, static_cast<std::size_t>(hosts_[h]), boost::visitor(visitor));
  }

  std::vector<char> overridden(hosts_.size(), 0);
  for (const auto& e : entries) {
    const auto where = fmt::format("{}:{}: route", origin_, e.line);
    if (e.at == e.dest)
      throw ConfigError(fmt::format("{}: '{}' is the destination itself; a route starts "
                                    "elsewhere", where, names_[static_cast<std::size_t>(e.at)]));
    int k = -1;
    for (std::size_t j = 0; j < links_.size() && k < 0; ++j)
      if ((links_[j].a == e.at && links_[j].b == e.next) || (links_[j].b == e.at && links_[j].a == e.next))
        k = static_cast<int>(j);
    if (k < 0)
      throw ConfigError(fmt::format("{}: '{}' is not linked to '{}'; NEXT must be a neighbour of "
                                    "AT", where, names_[static_cast<std::size_t>(e.next)],
                                    names_[static_cast<std::size_t>(e.at)]));
    const auto h = static_cast<std::size_t>(host_of_node_[static_cast<std::size_t>(e.dest)]);
    next_[h][static_cast<std::size_t>(e.at)] = leaving(links_, k, e.at);
    overridden[h] = 1;
  }

  // Following next links from any node must end at the host. Without overrides they form the
  // search tree; with them, walk every node once: a walk that meets a node already proven
  // good stops, one that meets a node of its own walk has found a cycle.
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (!overridden[h]) continue;
    const int dest = hosts_[h];
    std::vector<int> state(nodes, 0);  // 0 unknown, 1 on the current walk, 2 reaches dest
    state[static_cast<std::size_t>(dest)] = 2;
    for (std::size_t start = 0; start < nodes; ++start) {
      std::vector<int> walk;
      int v = static_cast<int>(start);
      while (state[static_cast<std::size_t>(v)] == 0) {
        state[static_cast<std::size_t>(v)] = 1;
        walk.push_back(v);
        v = head(links_, next_[h][static_cast<std::size_t>(v)]);
      }
      if (state[static_cast<std::size_t>(v)] == 1) {
        std::string path;
        const auto from = std::find(walk.begin(), walk.end(), v);
        for (auto it = from; it != walk.end(); ++it) path += names_[static_cast<std::size_t>(*it)] + " -> ";
        path += names_[static_cast<std::size_t>(v)];
        int line = 0;
        for (const auto& e : entries)
          if (e.dest == dest && std::find(from, walk.end(), e.at) != walk.end()) line = e.line;
        throw ConfigError(fmt::format("{}:{}: route: routing cycle toward '{}': {}; routes must "
                                      "reach their destination", origin_, line,
                                      names_[static_cast<std::size_t>(dest)], path));
      }
      for (int u : walk) state[static_cast<std::size_t>(u)] = 2;
    }
  }
}

void Topology::route(int from, int to, std::vector<LinkId>& out) const {
  const auto& next = next_[static_cast<std::size_t>(to)];
  const int target = hosts_[static_cast<std::size_t>(to)];
  for (int v = hosts_[static_cast<std::size_t>(from)]; v != target;) {
    const LinkId id = next[static_cast<std::size_t>(v)];
    out.push_back(id);
    v = head(links_, id);
  }
}

}  // namespace dlscale::sim

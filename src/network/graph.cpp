// Third stage: the expanded statements become a Boost.Graph DAG; a topological order gives
// the model order in which shapes are inferred and tensors listed.
#include <algorithm>
#include <cassert>
#include <optional>
#include <functional>
#include <map>
#include <queue>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"
#include "network/expand.hpp"
#include "network/layers.hpp"

namespace dlscale {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = Graph::vertex_descriptor;

// Records the first back edge DFS meets; tree edges give the path that closes the cycle.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::optional<std::pair<Vertex, Vertex>>* back;
  void tree_edge(Graph::edge_descriptor e, const Graph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Graph::edge_descriptor e, const Graph& g) const {
    if (!*back) *back = std::pair{boost::source(e, g), boost::target(e, g)};
  }
};

[[noreturn]] void report_cycle(const Graph& g, const network_detail::Description& d,
                               std::string_view source) {
  std::vector<Vertex> parent(boost::num_vertices(g));
  std::optional<std::pair<Vertex, Vertex>> back;
  boost::depth_first_search(g, boost::visitor(CycleFinder{{}, &parent, &back}));
  assert(back && "topological_sort found a cycle, so DFS finds a back edge");
  const auto [from, to] = *back;  // edge from -> to closes the loop to -> ... -> from
  std::vector<std::string> names;
  for (Vertex v = from; v != to; v = parent[v]) names.push_back(d.layers[v].name);
  names.push_back(d.layers[to].name);
  std::reverse(names.begin(), names.end());
  names.push_back(d.layers[to].name);
  const auto& first = d.layers[to];
  throw ConfigError(fmt::format("{}:{}: layer '{}': inputs form a cycle {}; from= must name "
                                "layers that do not depend on this one",
                                source, first.line, first.name, fmt::join(names, " -> ")));
}

// Kahn's algorithm taking the earliest statement first: equals file order whenever the file
// lists inputs before their users, so tensors come out as the author wrote them.
std::vector<Vertex> model_order(const Graph& g) {
  std::vector<int> waiting(boost::num_vertices(g), 0);
  for (auto [e, end] = boost::edges(g); e != end; ++e) ++waiting[boost::target(*e, g)];
  std::priority_queue<Vertex, std::vector<Vertex>, std::greater<>> ready;
  for (Vertex v = 0; v < waiting.size(); ++v)
    if (waiting[v] == 0) ready.push(v);
  std::vector<Vertex> order;
  while (!ready.empty()) {
    const auto v = ready.top();
    ready.pop();
    order.push_back(v);
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e)
      if (--waiting[boost::target(*e, g)] == 0) ready.push(boost::target(*e, g));
  }
  return order;
}

}  // namespace

class NetworkBuilder {
 public:
  static Network build(network_detail::Description d, std::string_view source) {
    check_one_input(d, source);
    std::map<std::string, Vertex> index;
    for (Vertex v = 0; v < d.layers.size(); ++v) index[d.layers[v].name] = v;
    Graph g(d.layers.size());
    for (Vertex v = 0; v < d.layers.size(); ++v)
      for (const auto& f : d.layers[v].from) boost::add_edge(index.at(f), v, g);
    try {
      std::vector<Vertex> reversed;
      boost::topological_sort(g, std::back_inserter(reversed));
    } catch (const boost::not_a_dag&) {
      report_cycle(g, d, source);
    }
    Network n;
    n.name_ = d.name;
    n.description_ = d.description;
    n.source_ = std::string(source);
    n.params_ = d.params;
    std::vector<Shape> shapes(d.layers.size());
    std::int64_t params = 0, macs = 0;
    for (const auto v : model_order(g)) {
      const auto& r = d.layers[v];
      std::vector<Shape> in;
      for (const auto& f : r.from) in.push_back(shapes[index.at(f)]);
      Layer layer;
      try {
        layer = network_detail::make_layer(r, in, source, n.tensors_);
        // The totals must fit as well: parameters() and forward_macs() sum them unchecked,
        // and weight_bytes() multiplies the parameters by up to 4 bytes.
        params = network_detail::checked_add(params, layer.params, "parameters of the network");
        network_detail::checked_mul(params, 4, "bytes of the network's weights");
        macs = network_detail::checked_add(macs, layer.macs, "multiply-adds of the network");
      } catch (const network_detail::CountOverflow& e) {
        throw ConfigError(fmt::format("{}:{}: layer '{}': {}", source, r.line, r.name, e.what()));
      }
      shapes[v] = layer.out;
      n.layers_.push_back(std::move(layer));
    }
    for (const auto& l : n.layers_)
      if (l.kind == LayerKind::input) n.input_ = l.out;
    return n;
  }

 private:
  // Other layers all have inputs, so a file without `input` already failed (no previous
  // layer, or a cycle); here only a second one is left to reject.
  static void check_one_input(const network_detail::Description& d, std::string_view source) {
    const network_detail::RawLayer* first = nullptr;
    for (const auto& r : d.layers) {
      if (r.type != "input") continue;
      if (first)
        throw ConfigError(fmt::format("{}:{}: layer '{}': a second input (first '{}' at line {}); "
                                      "exactly one 'input <name> <c> <h> <w>' expected",
                                      source, r.line, r.name, first->name, first->line));
      first = &r;
    }
  }

};

Network parse_network(std::string_view text, std::string_view source,
                      const NetworkParams& overrides) {
  return NetworkBuilder::build(network_detail::expand_description(text, source, overrides), source);
}

std::int64_t Network::parameters() const {
  std::int64_t n = 0;
  for (const auto& t : tensors_) n += t.elements;
  return n;
}

Bytes Network::weight_bytes(Precision p) const {
  return {static_cast<std::uint64_t>(parameters()) * bytes_per_element(p)};
}

std::vector<std::uint64_t> Network::tensor_bytes(Precision p) const {
  std::vector<std::uint64_t> out;
  out.reserve(tensors_.size());
  for (const auto& t : tensors_) out.push_back(static_cast<std::uint64_t>(t.elements) * bytes_per_element(p));
  return out;
}

std::int64_t Network::forward_macs() const {
  std::int64_t n = 0;
  for (const auto& l : layers_) n += l.macs;
  return n;
}

}  // namespace dlscale

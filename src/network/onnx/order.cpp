#include "network/onnx/order.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dlscale/error.hpp"

namespace dlscale::onnx_import {
namespace {

// Walks producer links from a node left over by Kahn's algorithm: every such node waits on
// another leftover node, so the walk must revisit one, and the revisited stretch is a cycle.
std::vector<int> find_cycle(int start, const std::vector<std::vector<int>>& producers,
                            const std::vector<int>& waiting) {
  std::vector<int> path;
  std::unordered_map<int, std::size_t> at;
  int v = start;
  while (!at.contains(v)) {
    at[v] = path.size();
    path.push_back(v);
    const auto& p = producers[static_cast<std::size_t>(v)];
    v = *std::find_if(p.begin(), p.end(), [&](int u) { return waiting[static_cast<std::size_t>(u)] > 0; });
  }
  std::vector<int> cycle(path.begin() + static_cast<std::ptrdiff_t>(at[v]), path.end());
  std::reverse(cycle.begin(), cycle.end());  // producer first
  cycle.push_back(cycle.front());
  return cycle;
}

}  // namespace

std::string node_label(const onnx::NodeProto& n, int index) {
  return n.name().empty() ? fmt::format("{} #{}", n.op_type(), index) : n.name();
}

std::vector<int> topological_order(const onnx::GraphProto& g, std::string_view file) {
  std::unordered_set<std::string> given;
  for (const auto& t : g.initializer()) given.insert(t.name());
  for (const auto& v : g.input()) given.insert(v.name());
  std::unordered_map<std::string, int> producer;
  const int n = g.node_size();
  for (int i = 0; i < n; ++i)
    for (const auto& out : g.node(i).output()) {
      if (out.empty()) continue;
      if (auto [it, fresh] = producer.emplace(out, i); !fresh)
        throw ConfigError(fmt::format("{}: tensor '{}' is written by node '{}' and node '{}'; "
                                      "each tensor written once expected", file, out,
                                      node_label(g.node(it->second), it->second), node_label(g.node(i), i)));
    }
  std::vector<std::vector<int>> producers(static_cast<std::size_t>(n)), users(static_cast<std::size_t>(n));
  std::vector<int> waiting(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i)
    for (const auto& in : g.node(i).input()) {
      if (in.empty()) continue;  // an optional input left out
      const auto p = producer.find(in);
      if (p == producer.end()) {
        if (given.contains(in)) continue;
        throw ConfigError(fmt::format("{}: node '{}' ({}): input '{}' is neither a graph input, an "
                                      "initializer nor a node's output; a connected graph expected",
                                      file, node_label(g.node(i), i), g.node(i).op_type(), in));
      }
      producers[static_cast<std::size_t>(i)].push_back(p->second);
      users[static_cast<std::size_t>(p->second)].push_back(i);
      ++waiting[static_cast<std::size_t>(i)];
    }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < n; ++i)
    if (waiting[static_cast<std::size_t>(i)] == 0) ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    const int v = ready.top();
    ready.pop();
    order.push_back(v);
    for (int u : users[static_cast<std::size_t>(v)])
      if (--waiting[static_cast<std::size_t>(u)] == 0) ready.push(u);
  }
  if (static_cast<int>(order.size()) < n) {
    const auto left = static_cast<int>(std::find_if(waiting.begin(), waiting.end(), [](int w) { return w > 0; }) - waiting.begin());
    std::vector<std::string> names;
    for (int v : find_cycle(left, producers, waiting)) names.push_back(node_label(g.node(v), v));
    throw ConfigError(fmt::format("{}: nodes form a cycle {}; an acyclic graph expected (a node's "
                                  "inputs must not depend on its outputs)", file, fmt::join(names, " -> ")));
  }
  return order;
}

}  // namespace dlscale::onnx_import

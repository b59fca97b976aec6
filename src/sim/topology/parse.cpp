// The topology file parser (format: data/topologies/README.md). Every rejection names the
// file, the line and the field, and says what was expected.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <span>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "detail/units.hpp"
#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/sim/topology.hpp"

namespace dlscale::sim {

using detail::Where;

namespace {

constexpr std::string_view capacity_expected_tail =
    ", or a multiple in [1e-06, 1e+06] of the profile's per-host rate such as 1x";

Capacity parse_capacity(std::string_view token, const Where& at) {
  if (token.ends_with("x")) {
    const std::string_view number = token.substr(0, token.size() - 1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec == std::errc() && ptr == number.data() + number.size() && !number.empty() &&
        v >= 1e-6 && v <= 1e6)
      return {v, true};
    throw ConfigError(fmt::format("{}: '{}' is not valid; {}{} expected", at.str(), token,
                                  detail::rate_expected, capacity_expected_tail));
  }
  return {detail::parse_with_unit(token, detail::rate_units, detail::rate_bounds, at,
                                  fmt::format("{}{}", detail::rate_expected, capacity_expected_tail)),
          false};
}

}  // namespace

// Size limits applied while reading, so that a short line such as `hosts h 1048576 sw` is
// refused at once instead of after building a million links. The route tables bound hosts x
// nodes at 16 Mi (build_routes checks the exact product), so 65,536 nodes leave room for 256
// hosts; the link limit allows four links per node on average.
constexpr std::size_t max_nodes = 65536;
constexpr std::size_t max_links = 4 * max_nodes;

// Collects nodes, links and route entries line by line, then hands them to the Topology.
struct TopologyBuilder {
  Topology t;
  std::map<std::string, int, std::less<>> index;
  std::map<std::pair<int, int>, int> link_line;  ///< (lower, higher node) -> line of its link
  std::vector<Topology::RouteEntry> routes;

  int node(std::string_view name, const Where& at) const {
    const auto it = index.find(name);
    if (it == index.end())
      throw ConfigError(fmt::format("{}: unknown node '{}'; declare it first with 'host {}' or "
                                    "'switch {}'", at.str(), name, name, name));
    return it->second;
  }
  void declare(std::string_view name, bool host, const Where& at) {
    if (index.contains(name))
      throw ConfigError(fmt::format("{}: '{}' is declared twice; names must be unique", at.str(), name));
    if (t.names_.size() >= max_nodes)
      throw ConfigError(fmt::format("{}: more than {} nodes (hosts and switches); a smaller "
                                    "topology expected", at.str(), max_nodes));
    const int id = static_cast<int>(t.names_.size());
    index.emplace(std::string(name), id);
    t.names_.emplace_back(name);
    t.host_of_node_.push_back(host ? static_cast<int>(t.hosts_.size()) : -1);
    if (host) t.hosts_.push_back(id);
  }
  // "capacity=C [reverse_capacity=C] [latency=L]" after the two ends of a link.
  void link(int a, int b, std::span<const std::string_view> attrs, const Where& at) {
    if (a == b)
      throw ConfigError(fmt::format("{}: a link from '{}' to itself; two different nodes expected",
                                    at.str(), t.names_[static_cast<std::size_t>(a)]));
    if (const auto [it, fresh] = link_line.emplace(std::minmax(a, b), at.line); !fresh)
      throw ConfigError(fmt::format("{}: a second link between '{}' and '{}' (the first is on "
                                    "line {}); one link per pair expected", at.str(),
                                    t.names_[static_cast<std::size_t>(a)],
                                    t.names_[static_cast<std::size_t>(b)], it->second));
    if (t.links_.size() >= max_links)
      throw ConfigError(fmt::format("{}: more than {} links; a smaller topology expected",
                                    at.str(), max_links));
    Topology::Link l{a, b, {}, {}, Seconds{0}, at.line};
    bool has_capacity = false, has_reverse = false;
    for (std::string_view attr : attrs) {
      const auto eq = attr.find('=');
      const std::string_view key = attr.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? "" : attr.substr(eq + 1);
      const Where field{at.source, at.line, key};
      if (key == "capacity") {
        l.capacity = parse_capacity(value, field);
        has_capacity = true;
      } else if (key == "reverse_capacity") {
        l.reverse = parse_capacity(value, field);
        has_reverse = true;
      } else if (key == "latency") {
        l.latency = Seconds{detail::parse_latency(value, field)};
      } else {
        throw ConfigError(fmt::format("{}: unknown attribute '{}'; capacity=RATE, "
                                      "reverse_capacity=RATE or latency=TIME expected", at.str(),
                                      attr));
      }
    }
    if (!has_capacity)
      throw ConfigError(fmt::format("{}: capacity= is missing; e.g. capacity=1Gbit/s or "
                                    "capacity=1x", at.str()));
    if (!has_reverse) l.reverse = l.capacity;
    t.links_.push_back(l);
  }

  void line(const detail::Line& l, std::string_view source) {
    const auto w = detail::split_words(l.text);
    const Where at{source, l.number, w[0]};
    const auto arity = [&](std::size_t min, std::string_view usage) {
      if (w.size() < min)
        throw ConfigError(fmt::format("{}: too few fields; '{}' expected", at.str(), usage));
    };
    if (w[0] == "host" || w[0] == "switch") {
      arity(2, fmt::format("{} NAME", w[0]));
      if (w.size() > 2)
        throw ConfigError(fmt::format("{}: '{}' after the name; '{} NAME' expected", at.str(),
                                      w[2], w[0]));
      declare(w[1], w[0] == "host", at);
    } else if (w[0] == "hosts") {
      arity(5, "hosts PREFIX COUNT SWITCH capacity=RATE [latency=TIME]");
      const auto count = detail::parse_int(w[2], Where{source, l.number, "count"}, 1, 1 << 20);
      const int sw = node(w[3], at);
      for (long long k = 0; k < count; ++k) {
        declare(fmt::format("{}{}", w[1], k), true, at);
        link(static_cast<int>(t.names_.size()) - 1, sw, std::span(w).subspan(4), at);
      }
    } else if (w[0] == "link") {
      arity(4, "link A B capacity=RATE [latency=TIME]");
      link(node(w[1], at), node(w[2], at), std::span(w).subspan(3), at);
    } else if (w[0] == "server") {
      arity(2, "server HOST");
      const int n = node(w[1], at);
      if (t.host_of_node_[static_cast<std::size_t>(n)] < 0)
        throw ConfigError(fmt::format("{}: '{}' is a switch; the server must be a host", at.str(), w[1]));
      if (t.server_)
        throw ConfigError(fmt::format("{}: a second server line; one expected", at.str()));
      t.server_ = t.host_of_node_[static_cast<std::size_t>(n)];
    } else if (w[0] == "route") {
      if (w.size() != 5 || w[3] != "via")
        throw ConfigError(fmt::format("{}: 'route AT DEST via NEXT' expected", at.str()));
      const int dest = node(w[2], at);
      if (t.host_of_node_[static_cast<std::size_t>(dest)] < 0)
        throw ConfigError(fmt::format("{}: DEST '{}' is a switch; routes lead to hosts", at.str(), w[2]));
      routes.push_back({node(w[1], at), dest, node(w[4], at), l.number});
    } else {
      throw ConfigError(fmt::format("{}: unknown keyword '{}'; host, hosts, switch, link, "
                                    "server or route expected", at.str(), w[0]));
    }
  }
};

Topology Topology::parse(std::string_view text, std::string origin) {
  TopologyBuilder b;
  b.t.origin_ = std::move(origin);
  for (const auto& l : detail::split_lines(text, b.t.origin_))
    if (!l.text.empty()) b.line(l, b.t.origin_);
  if (b.t.hosts_.empty())
    throw ConfigError(fmt::format("{}: no hosts; at least one 'host NAME' or 'hosts PREFIX "
                                  "COUNT SWITCH ...' line expected", b.t.origin_));
  b.t.build_routes(b.routes);
  return std::move(b.t);
}

Topology Topology::load(const std::filesystem::path& path) {
  return parse(read_text_file(path), path.string());
}

std::vector<LinkSpec> Topology::links(BytesPerSec host_rate) const {
  std::vector<LinkSpec> out;
  out.reserve(2 * links_.size());
  for (const auto& l : links_) {
    const auto& a = names_[static_cast<std::size_t>(l.a)];
    const auto& b = names_[static_cast<std::size_t>(l.b)];
    out.push_back({fmt::format("{}->{}", a, b), l.capacity.resolve(host_rate), l.latency});
    out.push_back({fmt::format("{}->{}", b, a), l.reverse.resolve(host_rate), l.latency});
  }
  return out;
}

}  // namespace dlscale::sim

#include "profile/cluster.hpp"

#include "detail/units.hpp"
#include "dlscale/error.hpp"

namespace dlscale {

bool ClusterSpec::empty() const {
  return !gpus_per_node && !nic && !latency && !intra && !intra_latency && !servers &&
         !server_nic && !aggregate;
}

ClusterSpec ClusterSpec::overlay(const ClusterSpec& over) const {
  ClusterSpec c = *this;
  if (over.gpus_per_node) c.gpus_per_node = over.gpus_per_node;
  if (over.nic) c.nic = over.nic;
  if (over.latency) c.latency = over.latency;
  if (over.intra) c.intra = over.intra;
  if (over.intra_latency) c.intra_latency = over.intra_latency;
  if (over.servers) c.servers = over.servers;
  if (over.server_nic) c.server_nic = over.server_nic;
  if (over.aggregate) c.aggregate = over.aggregate;
  return c;
}

std::optional<Cluster> ClusterSpec::resolve(std::string_view origin, bool command_line) const {
  if (empty()) return std::nullopt;
  const auto needs_nic = [&](bool given, std::string_view key) {
    if (given && !nic)
      throw ConfigError(fmt::format("{}: {}{} describes the network between nodes; {} expected "
                                    "with it", origin, command_line ? "--" : "", key,
                                    command_line ? "--nic RATE" : "a nic line"));
  };
  needs_nic(latency.has_value(), "latency");
  needs_nic(servers.has_value(), "servers");
  needs_nic(server_nic.has_value(), command_line ? "server-nic" : "server_nic");
  needs_nic(aggregate.value_or(false), "aggregate");
  Cluster c;
  c.workers_per_node = gpus_per_node.value_or(1);
  if (intra) c.intra.beta = *intra;
  if (intra_latency) c.intra.alpha = *intra_latency;
  if (nic) c.nic = LinkModel{latency.value_or(Seconds{0}), *nic};
  c.servers.count = servers.value_or(0);
  c.servers.dedicated_nic = server_nic;
  c.aggregate = aggregate.value_or(false);
  return c;
}

namespace profile_detail {

void read_cluster_key(ClusterSpec& c, std::string_view key, std::string_view value,
                      const detail::Where& at) {
  const auto once = [&](const auto& field) {
    if (field) throw ConfigError(fmt::format("{}: given twice", at.str()));
  };
  if (key == "gpus_per_node") {
    once(c.gpus_per_node);
    c.gpus_per_node = static_cast<int>(detail::parse_int(value, at, 1, 1 << 20));
  } else if (key == "servers") {
    once(c.servers);
    c.servers = static_cast<int>(detail::parse_int(value, at, 1, 1'000'000));
  } else if (key == "nic" || key == "intra" || key == "server_nic") {
    auto& field = key == "nic" ? c.nic : key == "intra" ? c.intra : c.server_nic;
    once(field);
    field = BytesPerSec{detail::parse_rate(value, at)};
  } else if (key == "latency" || key == "intra_latency") {
    auto& field = key == "latency" ? c.latency : c.intra_latency;
    once(field);
    field = Seconds{detail::parse_latency(value, at)};
  } else if (key == "aggregate") {
    once(c.aggregate);
    if (value != "yes" && value != "no")
      throw ConfigError(fmt::format("{}: '{}' is not valid; yes or no expected", at.str(), value));
    c.aggregate = value == "yes";
  } else {
    throw ConfigError(fmt::format("{}: unknown key; expected gpus_per_node, nic, latency, intra, "
                                  "intra_latency, servers, server_nic or aggregate", at.str()));
  }
}

void write_cluster(fmt::memory_buffer& buf, const ClusterSpec& c) {
  if (c.empty()) return;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "\n[cluster]\n");
  if (c.gpus_per_node) fmt::format_to(it, "gpus_per_node {}\n", *c.gpus_per_node);
  if (c.nic) fmt::format_to(it, "nic {}B/s\n", c.nic->v);
  if (c.latency) fmt::format_to(it, "latency {}s\n", c.latency->v);
  if (c.intra) fmt::format_to(it, "intra {}B/s\n", c.intra->v);
  if (c.intra_latency) fmt::format_to(it, "intra_latency {}s\n", c.intra_latency->v);
  if (c.servers) fmt::format_to(it, "servers {}\n", *c.servers);
  if (c.server_nic) fmt::format_to(it, "server_nic {}B/s\n", c.server_nic->v);
  if (c.aggregate) fmt::format_to(it, "aggregate {}\n", *c.aggregate ? "yes" : "no");
}

}  // namespace profile_detail
}  // namespace dlscale

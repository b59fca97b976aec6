// libFuzzer target: the topology parser (data/topologies/README.md) and its routes.
// Input: the text of a .topo file. Bad input must end in dlscale::ConfigError; anything else
// (a crash, a sanitizer report, another exception, a timeout or > 2 GB) is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dlscale/error.hpp"
#include "dlscale/sim/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto topo = dlscale::sim::Topology::parse(text, "fuzz.topo");
    // What the simulator asks of a parsed topology: its links at some host rate and the
    // route between hosts (the first 16 hosts, so a large topology stays cheap here).
    volatile std::size_t sink = topo.links(dlscale::BytesPerSec{1.25e9}).size();
    const int hosts = std::min(topo.host_count(), 16);
    std::vector<dlscale::sim::LinkId> route;
    for (int a = 0; a < hosts; ++a)
      for (int b = 0; b < hosts; ++b)
        if (a != b) {
          route.clear();
          topo.route(a, b, route);
          sink = sink + route.size();
        }
    if (const auto server = topo.server_host()) sink = sink + topo.host_name(*server).size();
    (void)sink;
  } catch (const dlscale::ConfigError&) {
    // Rejected with a message: the expected outcome for bad input.
  }
  return 0;
}

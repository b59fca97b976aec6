#include "calibrate/ps/shards.hpp"

#include <cassert>

#include <fmt/format.h>

#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/network.hpp"

namespace dlscale::ps {

std::vector<std::uint64_t> shard_bytes(const std::string& network, std::uint64_t bytes,
                                       int shards, bool largest_first) {
  assert(shards >= 1);
  if (network.empty()) {
    assert(shards == 1);  // the parser refuses several servers without tensors
    return {bytes};
  }
  try {
    const Network net = load_network(network, DataSource::from_environment());
    const auto tensors = net.tensor_bytes(Precision::fp32);
    // The same object predict() uses for f_max and validate's cluster phase (set_placement).
    const models::PlacementShares shares(tensors, largest_first);
    return shares.loads(shards);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("--network: {}", e.what()));
  }
}

}  // namespace dlscale::ps

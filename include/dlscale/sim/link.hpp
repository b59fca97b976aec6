#pragma once
/// The simulator's shared vocabulary: one direction of a network link. A full-duplex NIC or
/// cable is two links (up and down); a flow crosses the links of its route in order.
#include <cstdint>
#include <string>

#include "dlscale/units.hpp"

namespace dlscale::sim {

/// Index into a fabric's link list.
using LinkId = std::uint32_t;

/// One direction of a link.
struct LinkSpec {
  std::string name;      ///< e.g. "host3.up", "rack1-spine.down"
  BytesPerSec capacity;  ///< > 0
  Seconds latency;       ///< >= 0, added once per flow per link crossed
};

}  // namespace dlscale::sim

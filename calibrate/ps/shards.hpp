#pragma once
/// The bytes each server of a run holds: dlscale's own placement of the network's fp32 tensors
/// over K servers (models::PlacementShares, as predict() and validate place them), so that the
/// measured exchange is the one dlscale predicts. Servers and workers compute it alike.
#include <cstdint>
#include <string>
#include <vector>

namespace dlscale::ps {

/// Bytes of shards 0..K-1: the network's tensors placed in model order (algorithm 3.7) or
/// largest first; with no network, `bytes` on one server. Throws ConfigError for a network
/// dlscale cannot load.
std::vector<std::uint64_t> shard_bytes(const std::string& network, std::uint64_t bytes,
                                       int shards, bool largest_first);

}  // namespace dlscale::ps

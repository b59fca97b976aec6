#include "dlscale/models/placement.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <numeric>
#include <queue>
#include <utility>

namespace dlscale::models {
namespace {

using Slot = std::pair<std::uint64_t, int>;  // (load, unit): the heap orders ties by unit
using MinHeap = std::priority_queue<Slot, std::vector<Slot>, std::greater<>>;

MinHeap empty_units(int units) {
  std::vector<Slot> slots(static_cast<std::size_t>(units));
  for (int u = 0; u < units; ++u) slots[static_cast<std::size_t>(u)] = {0, u};
  return MinHeap(std::greater<>(), std::move(slots));  // already a valid heap: all loads 0
}

Placement place_in_order(std::span<const std::uint64_t> sizes, std::span<const std::size_t> order,
                         int units) {
  assert(units >= 1);
  Placement p;
  p.loads.assign(static_cast<std::size_t>(units), 0);
  p.unit_of.assign(sizes.size(), -1);
  MinHeap heap = empty_units(units);
  for (const std::size_t t : order) {
    auto [load, unit] = heap.top();
    heap.pop();
    load += sizes[t];
    p.unit_of[t] = unit;
    p.loads[static_cast<std::size_t>(unit)] = load;
    heap.push({load, unit});
  }
  const std::uint64_t total = std::accumulate(sizes.begin(), sizes.end(), std::uint64_t{0});
  const std::uint64_t largest = *std::max_element(p.loads.begin(), p.loads.end());
  p.f_max = total == 0 ? 0.0 : static_cast<double>(largest) / static_cast<double>(total);
  return p;
}

}  // namespace

std::vector<std::size_t> largest_first_order(std::span<const std::uint64_t> tensor_bytes) {
  std::vector<std::size_t> order(tensor_bytes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return tensor_bytes[a] > tensor_bytes[b];
  });
  return order;
}

Placement place_model_order(std::span<const std::uint64_t> tensor_bytes, int units) {
  std::vector<std::size_t> order(tensor_bytes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  return place_in_order(tensor_bytes, order, units);
}

Placement place_largest_first(std::span<const std::uint64_t> tensor_bytes, int units) {
  return place_in_order(tensor_bytes, largest_first_order(tensor_bytes), units);
}

PlacementShares::PlacementShares(std::span<const std::uint64_t> tensor_bytes, bool largest_first) {
  ordered_.reserve(tensor_bytes.size());
  if (largest_first) {
    for (const std::size_t t : largest_first_order(tensor_bytes)) ordered_.push_back(tensor_bytes[t]);
  } else {
    ordered_.assign(tensor_bytes.begin(), tensor_bytes.end());
  }
  for (const std::uint64_t b : ordered_) {
    total_ += b;
    largest_ = std::max(largest_, b);
  }
}

double PlacementShares::f_max(int units) const {
  assert(units >= 1);
  if (total_ == 0) return 0.0;
  // While an empty unit is left the greedy rule picks one, so with N >= T no unit holds
  // two non-empty tensors and the largest load is the largest tensor.
  if (static_cast<std::size_t>(units) >= ordered_.size())
    return static_cast<double>(largest_) / static_cast<double>(total_);
  MinHeap heap = empty_units(units);
  std::uint64_t top = 0;
  for (const std::uint64_t b : ordered_) {
    auto [load, unit] = heap.top();
    heap.pop();
    load += b;
    top = std::max(top, load);
    heap.push({load, unit});
  }
  return static_cast<double>(top) / static_cast<double>(total_);
}

const std::vector<std::uint64_t>& PlacementShares::loads(int units) const {
  assert(units >= 1);
  if (units == cached_units_) return cached_loads_;
  cached_units_ = units;
  std::vector<std::uint64_t>& out = cached_loads_;
  out.assign(static_cast<std::size_t>(units), 0);
  if (static_cast<std::size_t>(units) >= ordered_.size()) {
    // The greedy rule picks the lowest empty unit for every tensor that has bytes (an empty
    // tensor leaves its unit empty for the next one): unit i holds the i-th non-empty tensor.
    std::size_t u = 0;
    for (const std::uint64_t b : ordered_)
      if (b > 0) out[u++] = b;
    return out;
  }
  MinHeap heap = empty_units(units);
  for (const std::uint64_t b : ordered_) {
    auto [load, unit] = heap.top();
    heap.pop();
    load += b;
    out[static_cast<std::size_t>(unit)] = load;
    heap.push({load, unit});
  }
  return out;
}

std::vector<std::uint64_t> split_tensors(std::span<const std::uint64_t> tensor_bytes,
                                         std::uint64_t max_piece) {
  if (max_piece == 0) return {tensor_bytes.begin(), tensor_bytes.end()};
  std::vector<std::uint64_t> out;
  for (const std::uint64_t b : tensor_bytes) {
    const std::uint64_t pieces = b == 0 ? 1 : (b + max_piece - 1) / max_piece;
    for (std::uint64_t i = 0; i < pieces; ++i) out.push_back(b / pieces + (i < b % pieces ? 1 : 0));
  }
  return out;
}

}  // namespace dlscale::models

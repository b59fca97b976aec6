#pragma once
/// Weight placement for the distributed server (thesis algorithm 3.7 and a largest-first variant).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dlscale::models {

struct Placement {
  std::vector<std::uint64_t> loads;  ///< bytes held by each unit
  std::vector<int> unit_of;          ///< unit of each tensor, in input order
  double f_max = 0;                  ///< largest load / total bytes (0 when total is 0)
};

/// Algorithm 3.7: tensors in model order, each to the least-loaded unit (ties: lowest index).
/// O(T log N).
Placement place_model_order(std::span<const std::uint64_t> tensor_bytes, int units);

/// Longest processing time first: largest tensor first, each to the least-loaded unit.
Placement place_largest_first(std::span<const std::uint64_t> tensor_bytes, int units);

/// Indices of the tensors, largest first (stable: equal sizes keep model order).
std::vector<std::size_t> largest_first_order(std::span<const std::uint64_t> tensor_bytes);

/// Tensors cut into pieces of at most `max_piece` bytes (MXNet's big-array bound, BytePS's
/// partitions): a tensor of b bytes becomes ceil(b / max_piece) pieces as equal as bytes allow,
/// in place of the tensor. max_piece 0: unchanged.
std::vector<std::uint64_t> split_tensors(std::span<const std::uint64_t> tensor_bytes,
                                         std::uint64_t max_piece);

/// f_max of a greedy placement for many unit counts: the order, total and largest tensor are
/// computed once, then f_max(N) costs O(T log N), and O(1) once N >= T (every tensor alone).
class PlacementShares {
 public:
  /// `largest_first` selects LPT order; otherwise model order (algorithm 3.7).
  PlacementShares(std::span<const std::uint64_t> tensor_bytes, bool largest_first);
  /// Largest load / total for `units` units; 0 when the total is 0.
  double f_max(int units) const;
  /// Bytes each of `units` units holds, by unit (the heap's tie rule: lowest unit first). The
  /// last answer is kept: a sweep over N asks for the same K = ceil(N / G) G times in a row.
  const std::vector<std::uint64_t>& loads(int units) const;
  std::uint64_t total() const { return total_; }

 private:
  std::vector<std::uint64_t> ordered_;  ///< sizes in visiting order
  mutable int cached_units_ = 0;          ///< loads() of the last call (0: none yet)
  mutable std::vector<std::uint64_t> cached_loads_;
  std::uint64_t total_ = 0, largest_ = 0;
};

}  // namespace dlscale::models

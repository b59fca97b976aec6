#pragma once
/// The percentile every measured figure in dlscale is quoted with: the nearest-rank method
/// (the smallest value with at least a fraction q of the values at or below it), as the
/// testbed's harnesses and `dlscale validate` report p50 and p90.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace dlscale {

/// `values` must not be empty; q in (0, 1] (q <= 0 gives the smallest value).
inline double nearest_rank(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace dlscale

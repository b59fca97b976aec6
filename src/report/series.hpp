#pragma once
// Private to the printers: rows grouped into series, one per (network, scheme, mode), in
// order of first appearance.
#include <span>
#include <string>
#include <vector>

#include "dlscale/predict.hpp"

namespace dlscale::report_detail {

struct Series {
  std::string network;
  Scheme scheme;
  Mode mode;
  std::vector<const Prediction*> rows;  ///< in input order
  std::string label() const;            ///< "SqueezeNet central sync-split"
};

std::vector<Series> group_series(std::span<const Prediction> rows);

/// Sorted distinct worker counts of the rows.
std::vector<int> worker_counts(std::span<const Prediction> rows);

/// At most `max` of `counts`: all of them when they fit, else the first, the powers of two
/// and the last (thinned evenly if those still do not fit).
std::vector<int> select_columns(const std::vector<int>& counts, std::size_t max);

}  // namespace dlscale::report_detail

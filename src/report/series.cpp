#include "report/series.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace dlscale::report_detail {

std::string Series::label() const {
  return fmt::format("{} {} {}", network, to_string(scheme), to_string(mode));
}

std::vector<Series> group_series(std::span<const Prediction> rows) {
  std::vector<Series> out;
  std::map<std::tuple<std::string, Scheme, Mode>, std::size_t> index;
  for (const auto& r : rows) {
    const auto key = std::make_tuple(r.network, r.scheme, r.mode);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.push_back({r.network, r.scheme, r.mode, {}});
    out[it->second].rows.push_back(&r);
  }
  return out;
}

std::vector<int> worker_counts(std::span<const Prediction> rows) {
  std::vector<int> counts;
  counts.reserve(rows.size());
  for (const auto& r : rows) counts.push_back(r.workers);
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

std::vector<int> select_columns(const std::vector<int>& counts, std::size_t max) {
  if (counts.size() <= max || max < 2) return counts;
  std::vector<int> picked{counts.front()};
  for (int n : counts)
    if (n != counts.front() && n != counts.back() && (n & (n - 1)) == 0) picked.push_back(n);
  picked.push_back(counts.back());
  if (picked.size() <= max) return picked;
  // Still too many (a huge range): keep first and last, thin the middle evenly.
  std::vector<int> thin{picked.front()};
  const double step = double(picked.size() - 1) / double(max - 1);
  for (std::size_t i = 1; i + 1 < max; ++i) thin.push_back(picked[std::size_t(i * step + 0.5)]);
  thin.push_back(picked.back());
  thin.erase(std::unique(thin.begin(), thin.end()), thin.end());
  return thin;
}

}  // namespace dlscale::report_detail

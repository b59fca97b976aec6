// Human-readable tables of predictions. Speedups get two decimals, times three
// significant digits more than a user can act on.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "dlscale/report.hpp"
#include "report/series.hpp"

namespace dlscale::report {

namespace {

using report_detail::Series;

std::size_t label_width(const std::vector<Series>& series, std::string_view (*part)(const Series&),
                        std::size_t min) {
  std::size_t w = min;
  for (const auto& s : series) w = std::max(w, part(s).size());
  return w;
}

// Distinct notes of all rows, at most `max` of them, and how many were left out.
void write_notes(fmt::memory_buffer& buf, std::span<const Prediction> rows, std::size_t max) {
  std::vector<std::string> notes;
  std::set<std::string> seen;
  std::size_t left_out = 0;
  for (const auto& r : rows)
    for (const auto& n : r.notes)
      if (seen.insert(n).second) (notes.size() < max ? notes.push_back(n) : void(++left_out));
  if (notes.empty()) return;
  fmt::format_to(std::back_inserter(buf), "notes:\n");
  for (const auto& n : notes) fmt::format_to(std::back_inserter(buf), "  - {}\n", n);
  if (left_out > 0)
    fmt::format_to(std::back_inserter(buf), "  ... and {} more (see --format csv)\n", left_out);
}

}  // namespace

void write_sweep_table(std::ostream& out, std::span<const Prediction> rows,
                       std::size_t max_columns) {
  const auto series = report_detail::group_series(rows);
  const auto columns = report_detail::select_columns(report_detail::worker_counts(rows),
                                                     max_columns);
  const auto nw = label_width(series, [](const Series& s) -> std::string_view { return s.network; }, 7);
  const auto sw = label_width(series, [](const Series& s) { return to_string(s.scheme); }, 6);
  const auto mw = label_width(series, [](const Series& s) { return to_string(s.mode); }, 4);
  fmt::memory_buffer buf;
  auto it = std::back_inserter(buf);
  fmt::format_to(it, "{:<{}}  {:<{}}  {:<{}}", "network", nw, "scheme", sw, "mode", mw);
  for (int n : columns) fmt::format_to(it, " {:>7}", fmt::format("N={}", n));
  buf.push_back('\n');
  for (const auto& s : series) {
    fmt::format_to(it, "{:<{}}  {:<{}}  {:<{}}", s.network, nw, to_string(s.scheme), sw,
                   to_string(s.mode), mw);
    for (int n : columns) {
      const auto row = std::find_if(s.rows.begin(), s.rows.end(),
                                    [n](const Prediction* p) { return p->workers == n; });
      if (row == s.rows.end()) fmt::format_to(it, " {:>7}", "-");
      else fmt::format_to(it, " {:>7.2f}", (*row)->speedup);
    }
    buf.push_back('\n');
  }
  write_notes(buf, rows, 8);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_prediction(std::ostream& out, const Prediction& p) {
  fmt::memory_buffer buf;
  auto it = std::back_inserter(buf);
  fmt::format_to(it, "network {}, scheme {}, mode {}, workers {}", p.network,
                 to_string(p.scheme), to_string(p.mode), p.workers);
  if (p.iterations > 0) fmt::format_to(it, ", iterations {}", p.iterations);
  fmt::format_to(it, "\n{:<12} {:>12} {:>12} {:>12}\n", "", "best", "estimate", "worst");
  fmt::format_to(it, "{:<12} {:>12.6g} {:>12.6g} {:>12.6g}\n", "t_iter [s]", p.t_iter.best.v,
                 p.t_iter.estimate.v, p.t_iter.worst.v);
  fmt::format_to(it, "{:<12} {:>12.6g} {:>12.6g} {:>12.6g}\n", "t_train [s]", p.t_train.best.v,
                 p.t_train.estimate.v, p.t_train.worst.v);
  fmt::format_to(it, "{:<12} {:>12.4f} {:>12.4f} {:>12.4f}\n", "speedup", p.speedup_best,
                 p.speedup, p.speedup_worst);
  fmt::format_to(it, "efficiency {:.4f}, t_grad per worker step {:.6g} s\n", p.efficiency,
                 p.t_grad_used.v);
  for (const auto& n : p.notes) fmt::format_to(it, "note: {}\n", n);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_optimal_table(std::ostream& out, std::span<const Optimum> optima) {
  if (optima.empty()) return;
  const auto fastest = std::min_element(optima.begin(), optima.end(), [](const auto& a, const auto& b) {
    return a.best.t_train.estimate < b.best.t_train.estimate;
  });
  fmt::memory_buffer buf;
  auto it = std::back_inserter(buf);
  fmt::format_to(it, "{}\n{:<18} {:<10} {:>7} {:>12} {:>8}\n", optima.front().best.network,
                 "scheme", "mode", "best N", "t_train [s]", "speedup");
  for (const auto& o : optima)
    fmt::format_to(it, "{:<18} {:<10} {:>7} {:>12.6g} {:>8.2f}{}\n", to_string(o.scheme),
                   to_string(o.mode), o.best.workers, o.best.t_train.estimate.v, o.best.speedup,
                   &o == &*fastest ? "  <- overall" : "");
  fmt::format_to(it, "overall: {} {} with {} workers, speedup {:.2f}\n",
                 to_string(fastest->scheme), to_string(fastest->mode), fastest->best.workers,
                 fastest->best.speedup);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report

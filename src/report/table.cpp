// Human-readable tables of predictions. Speedups get two decimals, times three
// significant digits more than a user can act on.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include <fmt/format.h>

#include "dlscale/report.hpp"
#include "report/series.hpp"

namespace dlscale::report {

namespace {

// One table line per (network, scheme, mode): the estimated speedup at each worker count.
struct Line {
  std::string network;
  Scheme scheme;
  Mode mode;
  std::vector<std::pair<int, double>> speedups;  ///< (N, speedup); negative: capped by D
};

class TableSink final : public RowSink {
 public:
  TableSink(std::ostream& out, std::size_t max_columns) : out_(out), max_columns_(max_columns) {}

  void add(const Prediction& p) override {
    // A capped speedup is kept negated, so the line stays one pair per N.
    line_for(p).speedups.emplace_back(p.workers, p.idle_workers > 0 ? -p.speedup : p.speedup);
    if (p.idle_workers > 0) capped_batches_ = p.batches;
    for (const auto& n : p.notes)
      if (seen_.find(n) == seen_.end()) {
        seen_.insert(n);
        notes_.size() < max_notes ? notes_.push_back(n) : void(++notes_left_out_);
      }
  }

  void finish() override;

 private:
  static constexpr std::size_t max_notes = 8;

  // Sweeps hand rows over line by line, so the last line is nearly always the one.
  Line& line_for(const Prediction& p) {
    if (!lines_.empty() && lines_.back().scheme == p.scheme && lines_.back().mode == p.mode &&
        lines_.back().network == p.network)
      return lines_.back();
    auto [it, fresh] = index_.try_emplace(std::make_tuple(p.network, p.scheme, p.mode),
                                          lines_.size());
    if (fresh) lines_.push_back({p.network, p.scheme, p.mode, {}});
    return lines_[it->second];
  }

  std::size_t width(std::string_view (*part)(const Line&), std::size_t min) const {
    std::size_t w = min;
    for (const auto& l : lines_) w = std::max(w, part(l).size());
    return w;
  }

  void write_notes(fmt::memory_buffer& buf) const;

  std::ostream& out_;
  std::size_t max_columns_;
  std::vector<Line> lines_;
  std::map<std::tuple<std::string, Scheme, Mode>, std::size_t> index_;
  std::vector<std::string> notes_;
  std::unordered_set<std::string> seen_;
  std::size_t notes_left_out_ = 0;
  std::int64_t capped_batches_ = 0;  ///< D of a capped row, if any
};

void TableSink::finish() {
  std::set<int> counts;
  for (const auto& l : lines_)
    for (const auto& ws : l.speedups) counts.insert(ws.first);
  const auto columns = report_detail::select_columns({counts.begin(), counts.end()}, max_columns_);
  const auto nw = width([](const Line& l) -> std::string_view { return l.network; }, 7);
  const auto sw = width([](const Line& l) { return to_string(l.scheme); }, 6);
  const auto mw = width([](const Line& l) { return to_string(l.mode); }, 4);
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "{:<{}}  {:<{}}  {:<{}}", "network", nw, "scheme", sw, "mode", mw);
  for (int n : columns) fmt::format_to(it, " {:>7}", fmt::format("N={}", n));
  buf.push_back('\n');
  for (const auto& l : lines_) {
    fmt::format_to(it, "{:<{}}  {:<{}}  {:<{}}", l.network, nw, to_string(l.scheme), sw,
                   to_string(l.mode), mw);
    for (int n : columns) {
      const auto row = std::find_if(l.speedups.begin(), l.speedups.end(),
                                    [n](const auto& ws) { return ws.first == n; });
      if (row == l.speedups.end()) fmt::format_to(it, " {:>7}", "-");
      else if (row->second < 0) fmt::format_to(it, " {:>7}", fmt::format("{:.2f}*", -row->second));
      else fmt::format_to(it, " {:>7.2f}", row->second);
    }
    buf.push_back('\n');
  }
  if (capped_batches_ > 0)
    fmt::format_to(it, "* capped: N > D = {} batches, so some workers have no batch to train; "
                   "give the training's length (--dataset SAMPLES, or --batches D)\n",
                   capped_batches_);
  write_notes(buf);
  out_.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

// The distinct notes of all rows, at most `max_notes` of them, and how many were left out.
void TableSink::write_notes(fmt::memory_buffer& buf) const {
  if (notes_.empty()) return;
  fmt::format_to(fmt::appender(buf), "notes:\n");
  for (const auto& n : notes_) fmt::format_to(fmt::appender(buf), "  - {}\n", n);
  if (notes_left_out_ > 0)
    fmt::format_to(fmt::appender(buf), "  ... and {} more (see --format csv)\n",
                   notes_left_out_);
}

}  // namespace

std::unique_ptr<RowSink> table_sink(std::ostream& out, std::size_t max_columns) {
  return std::make_unique<TableSink>(out, max_columns);
}

void write_sweep_table(std::ostream& out, std::span<const Prediction> rows,
                       std::size_t max_columns) {
  const auto sink = table_sink(out, max_columns);
  for (const auto& p : rows) sink->add(p);
  sink->finish();
}

void write_prediction(std::ostream& out, const Prediction& p) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "network {}, scheme {}, mode {}, workers {}", p.network,
                 to_string(p.scheme), to_string(p.mode), p.workers);
  if (p.iterations > 0) fmt::format_to(it, ", iterations {}", p.iterations);
  fmt::format_to(it, "\n{:<12} {:>12} {:>12} {:>12}\n", "", "best", "estimate", "worst");
  fmt::format_to(it, "{:<12} {:>12.6g} {:>12.6g} {:>12.6g}\n", "t_iter [s]", p.t_iter.best.v,
                 p.t_iter.estimate.v, p.t_iter.worst.v);
  if (p.overlap != OverlapPolicy::none)
    fmt::format_to(it, "{:<12} {:>12.6g} {:>12.6g} {:>12.6g}\n", "exposed [s]",
                   p.exposed_comm.best.v, p.exposed_comm.estimate.v, p.exposed_comm.worst.v);
  fmt::format_to(it, "{:<12} {:>12.6g} {:>12.6g} {:>12.6g}\n", "t_train [s]", p.t_train.best.v,
                 p.t_train.estimate.v, p.t_train.worst.v);
  fmt::format_to(it, "{:<12} {:>12.4f} {:>12.4f} {:>12.4f}\n", "speedup", p.speedup_best,
                 p.speedup, p.speedup_worst);
  fmt::format_to(it, "efficiency {:.4f}, t_grad per worker step {:.6g} s\n", p.efficiency,
                 p.t_grad_used.v);
  if (p.overlap != OverlapPolicy::none)
    fmt::format_to(it, "exposed: communication per iteration not hidden behind backpropagation "
                   "(t_iter - t_grad), overlap {}\n", to_string(p.overlap));
  if (p.idle_workers > 0)
    fmt::format_to(it, "capped: N = {} > D = {} batches: {} workers have no batch to train; give "
                   "the training's length (--dataset SAMPLES, or --batches D)\n", p.workers,
                   p.batches, p.idle_workers);
  for (const auto& n : p.notes) fmt::format_to(it, "note: {}\n", n);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report

// The answers of `dlscale optimal` as a table: one line per (scheme, mode), then one line per
// question for the best configuration, then what lies beyond the searched range.
#include <algorithm>

#include <fmt/format.h>

#include "dlscale/report.hpp"

namespace dlscale::report {
namespace {

std::string n_or_dash(const std::optional<Prediction>& p) {
  return p ? fmt::format("{}", p->workers) : std::string("-");
}

// 4MiB, 512KiB or 1000B: the size as a user would type it for --bucket-sizes.
std::string size_label(std::uint64_t b) {
  if (b % (1u << 20) == 0) return fmt::format("{}MiB", b >> 20);
  if (b % (1u << 10) == 0) return fmt::format("{}KiB", b >> 10);
  return fmt::format("{}B", b);
}

std::string scheme_label(const Optimum& o) {
  std::string label(to_string(o.scheme));
  if (o.servers != 0) label += fmt::format(" K={}", o.servers);
  if (o.bucket_bytes != 0) label += fmt::format(" buckets={}", size_label(o.bucket_bytes));
  return label;
}

std::string label(const Optimum& o) {
  return fmt::format("{} {}", scheme_label(o), to_string(o.mode));
}

// The configuration answering a question best: the shortest t_train among the rows it picked.
template <class Pick>
const Optimum* best_by(std::span<const Optimum> optima, Pick pick) {
  const Optimum* best = nullptr;
  for (const auto& o : optima) {
    const auto& p = pick(o);
    if (p && (!best || p->t_train.estimate < pick(*best)->t_train.estimate)) best = &o;
  }
  return best;
}

}  // namespace

void write_optimal_table(std::ostream& out, std::span<const Optimum> optima,
                         const OptimumQuestions& q) {
  if (optima.empty()) return;
  const bool priced = q.worker_hour_price || q.node_hour_price;
  const Optimum& fastest = overall_best(optima);
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  std::size_t sw = 18;
  for (const auto& o : optima) sw = std::max(sw, scheme_label(o).size());
  fmt::format_to(it, "{}\n{:<{}} {:<10} {:>9} {:>12} {:>8} {:>11} {:>6}", optima.front().best.network,
                 "scheme", sw, "mode", "fastest N", "t_train [s]", "speedup", "efficient N", "knee N");
  if (priced) fmt::format_to(it, " {:>10} {:>10}", "cheapest N", "cost");
  fmt::format_to(it, "\n");
  for (const auto& o : optima) {
    fmt::format_to(it, "{:<{}} {:<10} {:>8}{} {:>12.6g} {:>8.2f} {:>11} {:>6}", scheme_label(o),
                   sw, to_string(o.mode), o.best.workers, o.still_rising ? "+" : " ",
                   o.best.t_train.estimate.v, o.best.speedup, n_or_dash(o.efficient), n_or_dash(o.knee));
    if (priced)
      fmt::format_to(it, " {:>10} {:>10}", n_or_dash(o.cheapest),
                     o.cheapest ? fmt::format("{:.2f}", o.cheapest_cost) : "-");
    fmt::format_to(it, "\n");
  }
  fmt::format_to(it, "fastest:   {} with {} workers: t_train {:.6g} s, speedup {:.2f}{}\n",
                 label(fastest), fastest.best.workers, fastest.best.t_train.estimate.v,
                 fastest.best.speedup, fastest.still_rising ? " (still rising: see below)" : "");
  if (const auto* e = best_by(optima, [](const Optimum& o) -> const auto& { return o.efficient; }))
    fmt::format_to(it, "efficient: {} with {} workers: efficiency {:.2f} >= {:.2f}, t_train {:.6g} s\n",
                   label(*e), e->efficient->workers, e->efficient->efficiency, q.min_efficiency,
                   e->efficient->t_train.estimate.v);
  else
    fmt::format_to(it, "efficient: no configuration reaches efficiency {:.2f}, even with one worker\n",
                   q.min_efficiency);
  if (fastest.knee)
    fmt::format_to(it, "knee:      {} from {} workers: doubling them gains less than {:.0f} % "
                   "(speedup {:.2f})\n", label(fastest), fastest.knee->workers, 100 * q.knee_gain,
                   fastest.knee->speedup);
  if (priced) {
    const Optimum* c = nullptr;
    for (const auto& o : optima)
      if (o.cheapest && (!c || o.cheapest_cost < c->cheapest_cost)) c = &o;
    if (c)
      fmt::format_to(it, "cheapest:  {} with {} workers: cost {:.2f}, t_train {:.6g} s{}\n",
                     label(*c), c->cheapest->workers, c->cheapest_cost,
                     c->cheapest->t_train.estimate.v,
                     q.deadline ? fmt::format(" (deadline {:.6g} s)", q.deadline->v) : "");
    else
      fmt::format_to(it, "cheapest:  {}\n", optima.front().cheapest_note);
  }
  bool header = false;
  for (const auto& o : optima) {
    if (o.edge_note.empty()) continue;
    if (!header) fmt::format_to(it, "+ the answer is the edge of the search:\n");
    header = true;
    fmt::format_to(it, "  - {}: {}\n", label(o), o.edge_note);
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report

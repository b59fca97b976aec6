// Simulated runs beside the closed forms: a table for reading, a CSV for plotting.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "dlscale/report.hpp"
#include "report/csv.hpp"

namespace dlscale::report {

void write_simulation_table(std::ostream& out, std::span<const Simulated> rows) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "{:<12} {:<18} {:<10} {:>5} {:>9} {:>9} {:>9} {:>9} {:>12} {:>12}\n",
                 "network", "scheme", "mode", "N", "S best", "S est", "S worst", "S sim",
                 "t_iter p50", "t_iter p99");
  for (const auto& r : rows)
    fmt::format_to(it, "{:<12} {:<18} {:<10} {:>5} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} "
                   "{:>11.4g}s {:>11.4g}s\n", r.closed.network, to_string(r.closed.scheme),
                   to_string(r.closed.mode), r.closed.workers, r.closed.speedup_best,
                   r.closed.speedup, r.closed.speedup_worst, r.sim.speedup, r.sim.t_iter_p50.v,
                   r.sim.t_iter_p99.v);
  fmt::format_to(it, "S: speedup D t_grad / t_train (eq. 4.23); best/est/worst from the closed "
                 "forms, sim from the simulation\n");
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

namespace {

const sim::LinkUtilization* busiest(const sim::SimResult& r) {
  const sim::LinkUtilization* best = nullptr;
  for (const auto& l : r.links)
    if (best == nullptr || l.utilization > best->utilization) best = &l;
  return best;
}

// Mean and largest staleness of an asynchronous run's updates; nothing for a synchronous one.
std::pair<double, std::int64_t> staleness(const sim::SimResult& r) {
  std::int64_t count = 0, largest = 0;
  double sum = 0;
  for (const auto& [stale, n] : r.staleness) {
    count += n;
    sum += static_cast<double>(stale) * static_cast<double>(n);
    largest = std::max(largest, stale);
  }
  return {count > 0 ? sum / static_cast<double>(count) : 0.0, largest};
}

}  // namespace

void write_simulation_details(std::ostream& out, const Simulated& r, std::size_t top_links) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  const auto& sim = r.sim;
  if (sim.iterations > 0)
    fmt::format_to(it, "\nsimulated: t_train {:.6g} s, {} iterations ({} simulated), {} events\n",
                   sim.t_train.v, sim.iterations, sim.simulated_iterations, sim.events);
  else
    fmt::format_to(it, "\nsimulated: t_train {:.6g} s, asynchronous, {} events\n", sim.t_train.v,
                   sim.events);
  if (top_links > 0 && !sim.links.empty()) {
    std::vector<const sim::LinkUtilization*> order;
    for (const auto& l : sim.links) order.push_back(&l);
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return a->utilization > b->utilization; });
    order.resize(std::min(order.size(), top_links));
    fmt::format_to(it, "busiest links of {}: utilization = bytes / (capacity x t_train), busy = "
                   "time carrying data / t_train\n  {:<24} {:>11} {:>6}\n", sim.links.size(),
                   "link", "utilization", "busy");
    for (const auto* l : order)
      fmt::format_to(it, "  {:<24} {:>10.1f}% {:>5.1f}%\n", l->name, 100 * l->utilization,
                     100 * l->busy);
  }
  if (!sim.staleness.empty()) {
    const auto [mean, largest] = staleness(sim);
    fmt::format_to(it, "staleness (updates applied between a worker's read and its write): mean "
                   "{:.3g}, max {}\n", mean, largest);
    std::int64_t most = 0;
    for (const auto& [stale, n] : sim.staleness) most = std::max(most, n);
    for (const auto& [stale, n] : sim.staleness)
      fmt::format_to(it, "  {:>6} {:>8}  {}\n", stale, n,
                     std::string(static_cast<std::size_t>(40 * n / most), '#'));
  }
  for (const auto& note : sim.notes) fmt::format_to(it, "note: {}\n", note);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_simulated_optima(std::ostream& out, std::span<const Simulated> rows) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  for (std::size_t first = 0, end = 0; first < rows.size(); first = end) {
    const auto& key = rows[first].closed;
    end = first;
    while (end < rows.size() && rows[end].closed.network == key.network &&
           rows[end].closed.scheme == key.scheme && rows[end].closed.mode == key.mode)
      ++end;
    if (end - first < 2) continue;
    const Simulated *closed = &rows[first], *simulated = &rows[first];
    for (std::size_t i = first; i < end; ++i) {
      if (rows[i].closed.t_train.estimate < closed->closed.t_train.estimate) closed = &rows[i];
      if (rows[i].sim.t_train < simulated->sim.t_train) simulated = &rows[i];
    }
    const int last = rows[end - 1].closed.workers;
    const auto edge = [last](const Simulated* r) { return r->closed.workers == last ? "+" : ""; };
    if (buf.size() == 0)
      fmt::format_to(it, "fastest N within the simulated range (+: its largest N, the optimum may "
                     "lie beyond; `dlscale optimal` searches further):\n");
    fmt::format_to(it, "  {} {} {}: closed form N = {}{} (S {:.3f}), simulated N = {}{} (S {:.3f})\n",
                   key.network, to_string(key.scheme), to_string(key.mode), closed->closed.workers,
                   edge(closed), closed->closed.speedup, simulated->closed.workers, edge(simulated),
                   simulated->sim.speedup);
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_simulation_csv(std::ostream& out, std::span<const Simulated> rows) {
  fmt::memory_buffer buf, scratch;
  fmt::format_to(fmt::appender(buf), "# format_version {}\n{},sim_t_train_s,sim_speedup,"
                 "sim_t_iter_mean_s,sim_t_iter_p50_s,sim_t_iter_p99_s,sim_busiest_link,"
                 "sim_busiest_link_utilization,sim_staleness_mean,sim_staleness_max,sim_events\n",
                 format_version, csv_header());
  for (const auto& r : rows) {
    report_detail::csv_prediction(buf, r.closed, scratch);
    const auto* top = busiest(r.sim);
    fmt::format_to(fmt::appender(buf), ",{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{},{:.6g},",
                   r.sim.t_train.v, r.sim.speedup, r.sim.t_iter_mean.v, r.sim.t_iter_p50.v,
                   r.sim.t_iter_p99.v, top != nullptr ? top->name : "",
                   top != nullptr ? top->utilization : 0.0);
    if (!r.sim.staleness.empty()) {
      const auto [mean, largest] = staleness(r.sim);
      fmt::format_to(fmt::appender(buf), "{:.6g},{}", mean, largest);
    } else {
      fmt::format_to(fmt::appender(buf), ",");
    }
    fmt::format_to(fmt::appender(buf), ",{}\n", r.sim.events);
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report

namespace dlscale::report {

void write_chrome_trace(std::ostream& out, const sim::SimResult& r, int workers,
                        std::string_view title) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "{{\"displayTimeUnit\": \"ms\", \"otherData\": {{\"title\": {}}}, "
                 "\"traceEvents\": [\n", json_string(title));
  for (int h = 0; h <= workers; ++h)
    fmt::format_to(it, "{{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": 1, \"tid\": {}, "
                   "\"args\": {{\"name\": \"{}\"}}}},\n", h,
                   h < workers ? fmt::format("worker {}", h) : std::string("server"));
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const auto& s = r.trace[i];
    fmt::format_to(it, "{{\"ph\": \"X\", \"name\": \"{}\", \"cat\": \"{}\", \"pid\": 1, "
                   "\"tid\": {}, \"ts\": {:.3f}, \"dur\": {:.3f}", s.peer < 0 ? "compute"
                   : fmt::format("to {}", s.peer < workers ? fmt::format("worker {}", s.peer)
                                                            : std::string("server")),
                   s.what, s.host, s.start.v * 1e6, s.duration.v * 1e6);
    if (s.peer >= 0) fmt::format_to(it, ", \"args\": {{\"bytes\": {}}}", s.bytes.v);
    fmt::format_to(it, "}}{}\n", i + 1 < r.trace.size() ? "," : "");
  }
  fmt::format_to(it, "]}}\n");
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report

// Simulated runs beside the closed forms: a table for reading, a CSV for plotting.
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

void write_simulation_csv(std::ostream& out, std::span<const Simulated> rows) {
  fmt::memory_buffer buf, scratch;
  fmt::format_to(fmt::appender(buf), "# format_version {}\n{},sim_t_train_s,sim_speedup,"
                 "sim_t_iter_mean_s,sim_t_iter_p50_s,sim_t_iter_p99_s,sim_events\n",
                 format_version, csv_header());
  for (const auto& r : rows) {
    report_detail::csv_prediction(buf, r.closed, scratch);
    fmt::format_to(fmt::appender(buf), ",{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{}\n",
                   r.sim.t_train.v, r.sim.speedup, r.sim.t_iter_mean.v, r.sim.t_iter_p50.v,
                   r.sim.t_iter_p99.v, r.sim.events);
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

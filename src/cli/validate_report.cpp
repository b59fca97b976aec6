#include "cli/validate_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlscale/report.hpp"

namespace dlscale::cli {

namespace {

std::string sim_or_dash(const RowScore& r) {
  return r.simulated ? fmt::format("{:.4g}", r.simulated->v) : std::string("-");
}

std::string sim_error(const RowScore& r) {
  return r.simulated ? fmt::format("{:+.1f}", percent_error(*r.simulated, r.run.t_iter_p50))
                     : std::string("-");
}

// RFC 4180 quoting for the free-text fields (notes hold commas).
std::string csv_quoted(std::string_view text) {
  std::string q = "\"";
  for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// Four decimals, and never "-0.0000" for an error that rounds to nothing.
std::string pct4(double v) {
  const double rounded = std::round(v * 1e4) / 1e4;
  return fmt::format("{:.4f}", rounded == 0 ? 0.0 : rounded);
}

std::string joined_notes(const RowScore& r) { return fmt::format("{}", fmt::join(r.notes, "; ")); }

}  // namespace

void write_validation_table(std::ostream& out, const std::vector<RowScore>& rows,
                            const std::vector<ErrorSummary>& summary, std::string_view interval) {
  // The system's own algorithm names are long: they are in the CSV and JSON, not here.
  out << fmt::format("{:>5} {:<18} {:<14} {:<10} {:>3} {:>8} {:>11} {:>11} {:>11} {:>8} {:>11} "
                     "{:>8} {:>23} {:>3}\n",
                     "line", "system", "scheme", "mode", "N", "MB/s", "bytes", "measured", "closed",
                     "err %", "simulated", "err %", "interval [s]", "in");
  for (const auto& r : rows) {
    const auto& m = r.run;
    out << fmt::format("{:>5} {:<18} {:<14} {:<10} {:>3} {:>8.4g} {:>11} {:>11.4g} {:>11.4g} "
                       "{:>+8.1f} {:>11} {:>8} {:>23} {:>3}\n",
                       m.line, m.system, to_string(m.scheme), to_string(m.mode), m.workers,
                       m.link_rate.v / 1e6, m.bytes.v, m.t_iter_p50.v, r.closed_form.v,
                       percent_error(r.closed_form, m.t_iter_p50), sim_or_dash(r), sim_error(r),
                       fmt::format("{:.4g}..{:.4g}", r.interval_lo.v, r.interval_hi.v),
                       r.inside ? "yes" : "no");
  }
  out << "MB/s: the hosts' link rate (10^6 B/s, each way); times: t_iter p50 [s] per iteration; "
         "err %: 100 (predicted - measured) / measured\n\n";
  out << fmt::format("{:<12} {:>5} {:>12} {:>12} {:>12} {:>10} {:>16}\n", "predictor", "rows",
                     "median |%|", "p90 |%|", "max |%|", "bias %", "inside interval");
  for (const auto& e : summary)
    out << fmt::format("{:<12} {:>5} {:>12.2f} {:>12.2f} {:>12.2f} {:>+10.2f} {:>10}/{:<5}\n",
                       e.predictor, e.rows, e.median_abs_pct, e.p90_abs_pct, e.max_abs_pct,
                       e.bias_pct, e.inside, e.rows);
  out << "interval: " << interval << "\n";
  std::vector<std::string> notes;
  for (const auto& r : rows)
    for (const auto& n : r.notes)
      if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
  if (notes.empty()) return;
  out << "notes:\n";
  for (const auto& n : notes) out << "  - " << n << "\n";
}

void write_validation_csv(std::ostream& out, const std::vector<RowScore>& rows,
                          const std::vector<ErrorSummary>& summary) {
  out << "line,system,algorithm,network,bytes,workers,workers_per_host,scheme,mode,"
         "measured_p50_s,closed_form_s,closed_best_s,closed_worst_s,closed_error_pct,"
         "simulated_s,simulated_error_pct,interval_lo_s,interval_hi_s,inside,notes\n";
  for (const auto& r : rows) {
    const auto& m = r.run;
    out << fmt::format("{},{},{},{},{},{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{},{},{},{:.9g},"
                       "{:.9g},{},{}\n",
                       m.line, csv_quoted(m.system), csv_quoted(m.algorithm), csv_quoted(m.network),
                       m.bytes.v, m.workers, m.workers_per_host, to_string(m.scheme),
                       to_string(m.mode), m.t_iter_p50.v, r.closed_form.v, r.closed_best.v,
                       r.closed_worst.v, pct4(percent_error(r.closed_form, m.t_iter_p50)),
                       r.simulated ? fmt::format("{:.9g}", r.simulated->v) : std::string(),
                       r.simulated ? pct4(percent_error(*r.simulated, m.t_iter_p50)) : std::string(),
                       r.interval_lo.v, r.interval_hi.v, r.inside ? 1 : 0,
                       csv_quoted(joined_notes(r)));
  }
  out << "\npredictor,rows,median_abs_error_pct,p90_abs_error_pct,max_abs_error_pct,bias_pct,"
         "inside_interval\n";
  for (const auto& e : summary)
    out << fmt::format("{},{},{},{},{},{},{}\n", csv_quoted(e.predictor), e.rows,
                       pct4(e.median_abs_pct), pct4(e.p90_abs_pct), pct4(e.max_abs_pct),
                       pct4(e.bias_pct), e.inside);
}

void write_validation_json(std::ostream& out, const std::vector<RowScore>& rows,
                           const std::vector<ErrorSummary>& summary, std::string_view interval) {
  using report::json_string;
  out << "{\"rows\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto& m = r.run;
    out << (i ? ",\n  " : "\n  ")
        << fmt::format("{{\"line\": {}, \"system\": {}, \"algorithm\": {}, \"network\": {}, "
                       "\"bytes\": {}, \"workers\": {}, \"workers_per_host\": {}, \"scheme\": {}, "
                       "\"mode\": {}, \"measured_p50_s\": {:.9g}, \"closed_form_s\": {:.9g}, "
                       "\"closed_best_s\": {:.9g}, \"closed_worst_s\": {:.9g}, \"simulated_s\": {}, "
                       "\"interval_lo_s\": {:.9g}, \"interval_hi_s\": {:.9g}, \"inside\": {}, "
                       "\"notes\": {}}}",
                       m.line, json_string(m.system), json_string(m.algorithm),
                       json_string(m.network), m.bytes.v, m.workers, m.workers_per_host,
                       json_string(to_string(m.scheme)), json_string(to_string(m.mode)),
                       m.t_iter_p50.v, r.closed_form.v, r.closed_best.v, r.closed_worst.v,
                       r.simulated ? fmt::format("{:.9g}", r.simulated->v) : std::string("null"),
                       r.interval_lo.v, r.interval_hi.v, r.inside ? "true" : "false",
                       json_string(joined_notes(r)));
  }
  out << "\n], \"predictors\": [";
  for (std::size_t i = 0; i < summary.size(); ++i) {
    const auto& e = summary[i];
    out << (i ? ",\n  " : "\n  ")
        << fmt::format("{{\"predictor\": {}, \"rows\": {}, \"median_abs_error_pct\": {:.6g}, "
                       "\"p90_abs_error_pct\": {:.6g}, \"max_abs_error_pct\": {:.6g}, "
                       "\"bias_pct\": {:.6g}, \"inside_interval\": {}}}",
                       json_string(e.predictor), e.rows, e.median_abs_pct, e.p90_abs_pct,
                       e.max_abs_pct, e.bias_pct, e.inside);
  }
  out << "\n], \"interval\": " << json_string(interval) << "}\n";
}

}  // namespace dlscale::cli

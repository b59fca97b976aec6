#include "calibrate/tcp/probe_report.hpp"

#include <ostream>

#include <fmt/ostream.h>
#include <fmt/ranges.h>

namespace dlscale::tcp {
namespace {

/// A JSON string literal: endpoint names and fit messages are plain text, but may hold quotes.
std::string quoted(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) q += c;
  }
  return q + '"';
}

double mbps(double bytes_per_s) { return bytes_per_s * 1e-6; }
double mbps(Bytes b, Seconds s) { return mbps(static_cast<double>(b.v) / s.v); }

void print_table(const ProbeResults& r, std::ostream& out) {
  fmt::print(out, "TCP probe against {}: up to {} bytes ({}), budget {} s, {} warm-up + {} timed reps\n",
             r.endpoint, r.max_bytes, r.max_source, r.budget_s, r.repeats.warmup, r.repeats.reps);
  fmt::print(out, "one-way sweep (time = start of send to arrival of the 1-byte ack)\n");
  fmt::print(out, "{:>12} {:>12} {:>12} {:>12} {:>15}\n", "bytes", "median_ms", "min_ms", "max_ms", "bandwidth_MBps");
  for (const auto& s : r.sweep.sizes)
    fmt::print(out, "{:>12} {:>12.4f} {:>12.4f} {:>12.4f} {:>15.1f}\n", s.bytes.v, 1e3 * s.time.median.v,
               1e3 * s.time.min.v, 1e3 * s.time.max.v, mbps(s.bandwidth()));
  if (r.sweep.budget_spent)
    fmt::print(out, "budget spent after {:.2f} s: stopped before {} bytes\n", r.sweep.elapsed.v, r.max_bytes);
  if (const auto& f = r.fit.fit) {
    fmt::print(out, "fit t = alpha + bytes/beta{}: alpha {:.2f} us, beta {:.1f} MB/s, r^2 {:.4f}, max |residual| {:.1f} %{}{}\n",
               r.fit_from ? fmt::format(" (sizes >= {} bytes)", r.fit_from) : std::string(),
               1e6 * f->link.alpha.v, mbps(f->link.beta.v), f->r_squared, 100 * f->max_abs_residual,
               f->bad_fit ? " [BAD FIT: residual above 10 %]" : "",
               f->negative_alpha ? " [NEGATIVE ALPHA]" : "");
  } else {
    fmt::print(out, "fit: not possible: {}\n", r.fit.failure);
  }
  const auto& d = r.duplex;
  fmt::print(out, "duplex at {} bytes: up {:.1f} MB/s (alone {:.1f}), down {:.1f} MB/s (alone {:.1f})\n",
             d.bytes.v, mbps(d.bytes, d.up.median), mbps(d.bytes, d.up_alone.median),
             mbps(d.bytes, d.down.median), mbps(d.bytes, d.down_alone.median));
  if (const auto& f = r.fan_in) {
    std::vector<std::string> per;
    for (double b : f->client_bandwidth) per.push_back(fmt::format("{:.1f}", mbps(b)));
    fmt::print(out, "fan-in {} clients x {} bytes: aggregate {:.1f} MB/s, per client {} MB/s, Jain {:.3f}, "
               "finish min/max {:.3f} -> sharing {}\n", f->clients, f->bytes.v, mbps(f->aggregate_bandwidth),
               fmt::join(per, " "), f->jain_index, f->finish_ratio, f->sharing);
  }
  if (const auto& s = r.stream)
    fmt::print(out, "stream: {:.1f} MB/s ({} frames of {} bytes, {} in flight, in {:.3f} s)\n",
               mbps(s->bandwidth()), s->frames, s->chunk.v, s->window, s->elapsed.v);
}

void csv_row(std::ostream& out, std::string_view what, std::string_view direction, std::string_view client,
             Bytes bytes, const Spread& s) {
  fmt::print(out, "{},{},{},{},{:.9g},{:.9g},{:.9g},{:.6g}\n", what, direction, client, bytes.v,
             s.median.v, s.min.v, s.max.v, mbps(bytes, s.median));
}

void print_csv(const ProbeResults& r, std::ostream& out) {
  fmt::print(out, "measurement,direction,client,bytes,seconds_median,seconds_min,seconds_max,bandwidth_MBps\n");
  for (const auto& s : r.sweep.sizes) csv_row(out, "sweep", "up", "", s.bytes, s.time);
  const auto& d = r.duplex;
  csv_row(out, "duplex", "up", "", d.bytes, d.up);
  csv_row(out, "duplex", "down", "", d.bytes, d.down);
  csv_row(out, "alone", "up", "", d.bytes, d.up_alone);
  csv_row(out, "alone", "down", "", d.bytes, d.down_alone);
  if (const auto& f = r.fan_in) {
    csv_row(out, "fan_in", "up", "all", Bytes{f->bytes.v * static_cast<std::uint64_t>(f->clients)}, f->round);
    for (std::size_t i = 0; i < f->client_bandwidth.size(); ++i)
      fmt::print(out, "fan_in,up,{},{},,,,{:.6g}\n", i, f->bytes.v, mbps(f->client_bandwidth[i]));
  }
  if (const auto& s = r.stream)
    fmt::print(out, "stream,up,,{},{:.9g},{:.9g},{:.9g},{:.6g}\n", s->bytes.v, s->elapsed.v,
               s->elapsed.v, s->elapsed.v, mbps(s->bandwidth()));
  // Scalars that are not rows: comment lines, which CSV readers can skip (pandas comment='#').
  if (const auto& f = r.fit.fit)
    fmt::print(out, "# fit from_bytes={} alpha_s={:.9g} beta_Bps={:.9g} r_squared={:.6f} max_abs_residual={:.6f} bad_fit={} negative_alpha={}\n",
               r.fit_from, f->link.alpha.v, f->link.beta.v, f->r_squared, f->max_abs_residual, f->bad_fit, f->negative_alpha);
  if (const auto& f = r.fan_in)
    fmt::print(out, "# fan_in clients={} jain_index={:.6f} finish_ratio={:.6f} sharing={}\n", f->clients,
               f->jain_index, f->finish_ratio, f->sharing);
}

std::string json_spread(Bytes b, const Spread& s) {
  return fmt::format(R"({{"bytes": {}, "seconds_median": {:.9g}, "seconds_min": {:.9g}, "seconds_max": {:.9g}, "bandwidth_MBps": {:.6g}}})",
                     b.v, s.median.v, s.min.v, s.max.v, mbps(b, s.median));
}

void print_json(const ProbeResults& r, std::ostream& out) {
  std::vector<std::string> rows;
  for (const auto& s : r.sweep.sizes) rows.push_back(json_spread(s.bytes, s.time));
  fmt::print(out, "{{\n  \"endpoint\": {}, \"max_bytes\": {}, \"max_source\": {}, \"budget_s\": {}, "
             "\"warmup\": {}, \"reps\": {},\n  \"sweep\": [\n    {}\n  ],\n  \"budget_spent\": {},\n",
             quoted(r.endpoint), r.max_bytes, quoted(r.max_source), r.budget_s, r.repeats.warmup, r.repeats.reps,
             fmt::join(rows, ",\n    "), r.sweep.budget_spent);
  if (const auto& f = r.fit.fit)
    fmt::print(out, "  \"fit\": {{\"from_bytes\": {}, \"alpha_s\": {:.9g}, \"beta_Bps\": {:.9g}, \"r_squared\": {:.6f}, \"max_abs_residual\": {:.6f}, "
               "\"relative_residuals\": [{:.6f}], \"bad_fit\": {}, \"negative_alpha\": {}}},\n",
               r.fit_from, f->link.alpha.v, f->link.beta.v, f->r_squared, f->max_abs_residual,
               fmt::join(f->relative_residuals, ", "), f->bad_fit, f->negative_alpha);
  else
    fmt::print(out, "  \"fit\": null, \"fit_failure\": {},\n", quoted(r.fit.failure));
  const auto& d = r.duplex;
  fmt::print(out, "  \"duplex\": {{\"up\": {}, \"down\": {}, \"up_alone\": {}, \"down_alone\": {}}},\n",
             json_spread(d.bytes, d.up), json_spread(d.bytes, d.down), json_spread(d.bytes, d.up_alone),
             json_spread(d.bytes, d.down_alone));
  if (const auto& s = r.stream)
    fmt::print(out, "  \"stream\": {{\"chunk\": {}, \"window\": {}, \"frames\": {}, \"bytes\": {}, "
               "\"seconds\": {:.9g}, \"bandwidth_MBps\": {:.6g}}},\n", s->chunk.v, s->window, s->frames,
               s->bytes.v, s->elapsed.v, mbps(s->bandwidth()));
  if (const auto& f = r.fan_in) {
    std::vector<double> per;
    for (double b : f->client_bandwidth) per.push_back(mbps(b));
    fmt::print(out, "  \"fan_in\": {{\"clients\": {}, \"bytes\": {}, \"round\": {}, \"client_bandwidth_MBps\": [{:.6g}], "
               "\"aggregate_bandwidth_MBps\": {:.6g}, \"jain_index\": {:.6f}, \"finish_ratio\": {:.6f}, \"sharing\": \"{}\"}}\n}}\n",
               f->clients, f->bytes.v, json_spread(Bytes{f->bytes.v * static_cast<std::uint64_t>(f->clients)}, f->round),
               fmt::join(per, ", "), mbps(f->aggregate_bandwidth), f->jain_index, f->finish_ratio, f->sharing);
  } else {
    fmt::print(out, "  \"fan_in\": null\n}}\n");
  }
}

}  // namespace

void print_results(const ProbeResults& r, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::table: print_table(r, out); break;
    case OutputFormat::csv: print_csv(r, out); break;
    case OutputFormat::json: print_json(r, out); break;
  }
}

}  // namespace dlscale::tcp

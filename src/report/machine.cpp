// CSV and JSON: formatted into one buffer with fmt::format_to, because a 1:4096 sweep of
// every network, scheme and mode is a quarter of a million rows.
#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "dlscale/report.hpp"
#include "report/csv.hpp"

namespace dlscale::report {

namespace {

constexpr std::string_view header =
    "network,scheme,mode,workers,iterations,t_iter_s,t_train_s,speedup,efficiency,"
    "t_train_best_s,t_train_worst_s,speedup_best,speedup_worst,notes";

using Buffer = fmt::memory_buffer;

void flush(std::ostream& out, Buffer& buf) {
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  buf.clear();
}

// RFC 4180: quote a field holding a comma, quote or newline; double the quotes inside.
void csv_field(Buffer& buf, std::string_view text, bool always_quote = false) {
  if (!always_quote && text.find_first_of(",\"\n\r") == std::string_view::npos) {
    buf.append(text);
    return;
  }
  buf.push_back('"');
  for (char c : text) {
    if (c == '"') buf.push_back('"');
    buf.push_back(c);
  }
  buf.push_back('"');
}

// JSON has no inf or NaN: they become null.
void json_number(Buffer& buf, double v) {
  if (std::isfinite(v)) fmt::format_to(fmt::appender(buf), "{:.9g}", v);
  else buf.append(std::string_view("null"));
}

void json_escaped(Buffer& buf, std::string_view text) {
  buf.push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') buf.append(std::string_view("\\\""));
    else if (c == '\\') buf.append(std::string_view("\\\\"));
    else if (c == '\n') buf.append(std::string_view("\\n"));
    else if (c == '\t') buf.append(std::string_view("\\t"));
    else if (c == '\r') buf.append(std::string_view("\\r"));
    else if (u < 0x20) fmt::format_to(fmt::appender(buf), "\\u{:04x}", u);
    else buf.push_back(c);
  }
  buf.push_back('"');
}

void json_prediction(Buffer& buf, const Prediction& p) {
  auto it = fmt::appender(buf);
  buf.append(std::string_view("{\"network\": "));
  json_escaped(buf, p.network);
  fmt::format_to(it, ", \"scheme\": \"{}\", \"mode\": \"{}\", \"workers\": {}, \"iterations\": {}",
                 to_string(p.scheme), to_string(p.mode), p.workers, p.iterations);
  const std::pair<std::string_view, double> fields[] = {
      {"t_iter_s", p.t_iter.estimate.v},     {"t_iter_best_s", p.t_iter.best.v},
      {"t_iter_worst_s", p.t_iter.worst.v},  {"t_train_s", p.t_train.estimate.v},
      {"t_train_best_s", p.t_train.best.v},  {"t_train_worst_s", p.t_train.worst.v},
      {"speedup", p.speedup},                {"speedup_best", p.speedup_best},
      {"speedup_worst", p.speedup_worst},    {"efficiency", p.efficiency},
      {"t_grad_used_s", p.t_grad_used.v}};
  for (const auto& [name, value] : fields) {
    fmt::format_to(it, ", \"{}\": ", name);
    json_number(buf, value);
  }
  if (p.overlap != OverlapPolicy::none) {
    fmt::format_to(it, ", \"overlap\": \"{}\"", to_string(p.overlap));
    const std::pair<std::string_view, double> exposed[] = {
        {"exposed_comm_s", p.exposed_comm.estimate.v},
        {"exposed_comm_best_s", p.exposed_comm.best.v},
        {"exposed_comm_worst_s", p.exposed_comm.worst.v}};
    for (const auto& [name, value] : exposed) {
      fmt::format_to(it, ", \"{}\": ", name);
      json_number(buf, value);
    }
  }
  buf.append(std::string_view(", \"notes\": ["));
  for (std::size_t i = 0; i < p.notes.size(); ++i) {
    if (i > 0) buf.append(std::string_view(", "));
    json_escaped(buf, p.notes[i]);
  }
  buf.append(std::string_view("]}"));
}

}  // namespace

std::string_view csv_header() { return header; }

namespace {

// Rows formatted into one buffer, flushed every MiB. The header waits for the first row: with
// an overlap policy (the same for every row of a scenario) two columns follow the notes, and
// without one the CSV stays as it was.
class CsvSink final : public RowSink {
 public:
  explicit CsvSink(std::ostream& out) : out_(out) {}
  void add(const Prediction& p) override {
    if (!started_) start(p.overlap != OverlapPolicy::none);
    report_detail::csv_prediction(buf_, p, notes_);
    if (overlap_)
      fmt::format_to(fmt::appender(buf_), ",{},{:.9g}", to_string(p.overlap),
                     p.exposed_comm.estimate.v);
    buf_.push_back('\n');
    if (buf_.size() > (1u << 20)) flush(out_, buf_);
  }
  void finish() override {
    if (!started_) start(false);
    flush(out_, buf_);
  }

 private:
  void start(bool overlap) {
    started_ = true;
    overlap_ = overlap;
    fmt::format_to(fmt::appender(buf_), "# format_version {}\n{}{}\n", format_version, header,
                   overlap ? ",overlap,exposed_comm_s" : "");
  }
  std::ostream& out_;
  Buffer buf_, notes_;
  bool started_ = false, overlap_ = false;
};

class JsonSink final : public RowSink {
 public:
  explicit JsonSink(std::ostream& out) : out_(out) {
    fmt::format_to(fmt::appender(buf_), "{{\"format_version\": {}, \"predictions\": [",
                   format_version);
  }
  void add(const Prediction& p) override {
    buf_.append(std::string_view(first_ ? "\n  " : ",\n  "));
    first_ = false;
    json_prediction(buf_, p);
    if (buf_.size() > (1u << 20)) flush(out_, buf_);
  }
  void finish() override {
    buf_.append(std::string_view("\n]}\n"));
    flush(out_, buf_);
  }

 private:
  std::ostream& out_;
  Buffer buf_;
  bool first_ = true;
};

void write_all(std::unique_ptr<RowSink> sink, std::span<const Prediction> rows) {
  for (const auto& p : rows) sink->add(p);
  sink->finish();
}

}  // namespace


std::unique_ptr<RowSink> csv_sink(std::ostream& out) { return std::make_unique<CsvSink>(out); }
std::unique_ptr<RowSink> json_sink(std::ostream& out) { return std::make_unique<JsonSink>(out); }

void write_csv(std::ostream& out, std::span<const Prediction> rows) {
  write_all(csv_sink(out), rows);
}

void write_json(std::ostream& out, std::span<const Prediction> rows) {
  write_all(json_sink(out), rows);
}

void write_optimal_json(std::ostream& out, std::span<const Optimum> optima) {
  Buffer buf;
  fmt::format_to(fmt::appender(buf), "{{\"format_version\": {}, \"optima\": [",
                 format_version);
  for (std::size_t i = 0; i < optima.size(); ++i) {
    buf.append(std::string_view(i == 0 ? "\n  " : ",\n  "));
    json_prediction(buf, optima[i].best);
  }
  buf.append(std::string_view("\n]}\n"));
  flush(out, buf);
}

void write_optimal_csv(std::ostream& out, std::span<const Optimum> optima) {
  Buffer buf;
  // optimal --bucket-sizes adds the bucket's size after the servers; without it the columns
  // stay as they were.
  const bool buckets = std::any_of(optima.begin(), optima.end(),
                                   [](const Optimum& o) { return o.bucket_bytes != 0; });
  fmt::format_to(fmt::appender(buf), "# format_version {}\nnetwork,scheme,mode,servers,{}fastest_workers,"
                 "fastest_t_train_s,fastest_speedup,fastest_still_rising,efficient_workers,"
                 "efficient_efficiency,knee_workers,knee_speedup,cheapest_workers,cheapest_cost,"
                 "cheapest_t_train_s,notes\n", format_version, buckets ? "bucket_bytes," : "");
  const auto opt = [&buf](const std::optional<Prediction>& p, double value) {
    if (p) fmt::format_to(fmt::appender(buf), "{},{:.9g},", p->workers, value);
    else buf.append(std::string_view(",,"));
  };
  for (const auto& o : optima) {
    csv_field(buf, o.best.network);
    fmt::format_to(fmt::appender(buf), ",{},{},{},", to_string(o.scheme), to_string(o.mode),
                   o.servers > 0 ? std::to_string(o.servers) : "");
    if (buckets)
      fmt::format_to(fmt::appender(buf), "{},", o.bucket_bytes > 0 ? std::to_string(o.bucket_bytes) : "");
    fmt::format_to(fmt::appender(buf), "{},{:.9g},{:.9g},{},", o.best.workers,
                   o.best.t_train.estimate.v, o.best.speedup, o.still_rising ? "true" : "false");
    opt(o.efficient, o.efficient ? o.efficient->efficiency : 0);
    opt(o.knee, o.knee ? o.knee->speedup : 0);
    opt(o.cheapest, o.cheapest_cost);
    fmt::format_to(fmt::appender(buf), "{},", o.cheapest ? fmt::format("{:.9g}", o.cheapest->t_train.estimate.v) : "");
    std::string notes = o.edge_note;
    if (!o.cheapest_note.empty()) notes += (notes.empty() ? "" : ";") + o.cheapest_note;
    csv_field(buf, notes, true);
    buf.push_back('\n');
  }
  flush(out, buf);
}

std::string json_string(std::string_view text) {
  Buffer buf;
  json_escaped(buf, text);
  return fmt::to_string(buf);
}

}  // namespace dlscale::report

namespace dlscale::report_detail {

void csv_prediction(fmt::memory_buffer& buf, const Prediction& p, fmt::memory_buffer& scratch) {
  report::csv_field(buf, p.network);
  fmt::format_to(fmt::appender(buf), ",{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},"
                 "{:.9g},{:.9g},", to_string(p.scheme), to_string(p.mode), p.workers,
                 p.iterations, p.t_iter.estimate.v, p.t_train.estimate.v, p.speedup,
                 p.efficiency, p.t_train.best.v, p.t_train.worst.v, p.speedup_best,
                 p.speedup_worst);
  scratch.clear();
  fmt::format_to(fmt::appender(scratch), "{}", fmt::join(p.notes, ";"));
  report::csv_field(buf, std::string_view(scratch.data(), scratch.size()), true);
}

}  // namespace dlscale::report_detail

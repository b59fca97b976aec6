// The measured-runs CSV (docs/measured-runs.md): a header naming every column once, then one
// row per measured configuration. Strict: a row dlscale would have to guess about is refused
// with its file, line and column, never silently scored.
#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/validate.hpp"

namespace dlscale {

namespace {

using detail::Where;

// Columns a row may leave empty; every other one needs a value.
constexpr std::string_view optional_columns[] = {"algorithm", "network", "bytes", "bucket_bytes",
                                                 "speedup", "profile"};

bool is_optional(std::string_view column) {
  return std::find(std::begin(optional_columns), std::end(optional_columns), column) !=
         std::end(optional_columns);
}

// Splits on commas; no quoting: the format's text fields never hold a comma (checked by the
// column count).
std::vector<std::string_view> split_commas(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    cells.push_back(detail::trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

// One row's cells by column name, with the error context of each.
class Row {
 public:
  Row(std::string_view source, int line, const std::vector<std::string_view>& header,
      const std::vector<std::string_view>& cells)
      : source_(source), line_(line) {
    for (std::size_t i = 0; i < header.size(); ++i) cells_[header[i]] = cells[i];
  }
  /// A column the header may leave out reads as empty then.
  std::string_view text(std::string_view column) const {
    const auto it = cells_.find(column);
    const auto value = it == cells_.end() ? std::string_view() : it->second;
    if (value.empty() && !is_optional(column))
      throw ConfigError(fmt::format("{}: empty; a value expected", where(column).str()));
    return value;
  }
  Where where(std::string_view column) const {
    field_ = fmt::format("column {}", column);
    return {source_, line_, field_};
  }
  double number(std::string_view column, detail::Bounds b, std::string_view unit) const {
    return detail::parse_bounded(text(column), where(column), b, unit);
  }
  long long integer(std::string_view column, long long lo, long long hi) const {
    return detail::parse_int(text(column), where(column), lo, hi);
  }

 private:
  std::string_view source_;
  int line_;
  std::map<std::string_view, std::string_view> cells_;
  mutable std::string field_;
};

constexpr detail::Bounds time_or_zero{0, detail::seconds_bounds.hi};
constexpr long long max_bytes = 1LL << 50;  // 1 PiB: beyond any weight set

MeasuredRun read_row(const Row& r, int line) {
  MeasuredRun m;
  m.line = line;
  m.system = std::string(r.text("system"));
  m.algorithm = std::string(r.text("algorithm"));
  m.network = std::string(r.text("network"));
  if (!r.text("bytes").empty()) m.bytes = Bytes{std::uint64_t(r.integer("bytes", 1, max_bytes))};
  else if (m.network.empty())
    throw ConfigError(fmt::format("{}: empty, and so is column network; the bytes exchanged or "
                                  "a network expected", r.where("bytes").str()));
  m.workers = int(r.integer("workers", 1, 1'000'000));
  m.workers_per_host = int(r.integer("workers_per_host", 1, 1'000'000));
  m.link_rate = BytesPerSec{r.number("link_rate_Bps", detail::rate_bounds, "B/s")};
  m.latency = Seconds{r.number("latency_s", detail::latency_bounds, "s")};
  m.t_grad = Seconds{r.number("t_grad_s", time_or_zero, "s")};
  m.t_grad_how = std::string(r.text("t_grad_how"));
  if (m.t_grad_how != "sleep" && m.t_grad_how != "cpu" && m.t_grad_how != "none")
    throw ConfigError(fmt::format("{}: '{}' is not valid; sleep, cpu or none expected",
                                  r.where("t_grad_how").str(), m.t_grad_how));
  if ((m.t_grad_how == "none") != (m.t_grad.v == 0))
    throw ConfigError(fmt::format("{}: '{}' with t_grad_s {}; none exactly when t_grad_s is 0 "
                                  "expected", r.where("t_grad_how").str(), m.t_grad_how, m.t_grad.v));
  try {
    m.scheme = parse_scheme(r.text("scheme"));
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", r.where("scheme").str(), e.what()));
  }
  try {
    m.mode = parse_mode(r.text("mode"));
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", r.where("mode").str(), e.what()));
  }
  if (!r.text("bucket_bytes").empty())
    m.bucket = Bytes{std::uint64_t(r.integer("bucket_bytes", 0, max_bytes))};
  m.t_iter_p50 = Seconds{r.number("t_iter_p50_s", detail::seconds_bounds, "s")};
  m.t_iter_p90 = Seconds{r.number("t_iter_p90_s", detail::seconds_bounds, "s")};
  if (m.t_iter_p90.v < m.t_iter_p50.v)
    throw ConfigError(fmt::format("{}: {} is below t_iter_p50_s {}; a p90 >= the p50 expected",
                                  r.where("t_iter_p90_s").str(), m.t_iter_p90.v, m.t_iter_p50.v));
  if (!r.text("speedup").empty())
    m.speedup = r.number("speedup", {1e-9, 1e9}, "(ratio)");
  m.repeats = int(r.integer("repeats", 1, 1'000'000'000));
  m.profile = std::string(r.text("profile"));
  return m;
}

std::vector<std::string_view> read_header(const detail::Line& l, std::string_view source) {
  auto header = split_commas(l.text);
  const auto& known = measured_run_columns();
  const auto& omissible = optional_measured_run_columns();
  for (const auto column : header) {
    if (std::find(known.begin(), known.end(), column) == known.end() &&
        std::find(omissible.begin(), omissible.end(), column) == omissible.end())
      throw ConfigError(fmt::format("{}:{}: column '{}' is unknown; the columns of "
                                    "docs/measured-runs.md expected: {} (and optionally {})",
                                    source, l.number, column, fmt::join(known, ","),
                                    fmt::join(omissible, ",")));
    if (std::count(header.begin(), header.end(), column) > 1)
      throw ConfigError(fmt::format("{}:{}: column {} appears twice; once expected", source,
                                    l.number, column));
  }
  for (const auto column : known)
    if (std::find(header.begin(), header.end(), column) == header.end())
      throw ConfigError(fmt::format("{}:{}: column {} is missing; every column of "
                                    "docs/measured-runs.md expected", source, l.number, column));
  return header;
}

}  // namespace

const std::vector<std::string_view>& measured_run_columns() {
  static const std::vector<std::string_view> columns = {
      "system",     "algorithm",    "network",      "bytes",    "workers",  "workers_per_host",
      "link_rate_Bps", "latency_s", "t_grad_s",     "t_grad_how", "scheme", "mode",
      "bucket_bytes", "t_iter_p50_s", "t_iter_p90_s", "speedup", "repeats"};
  return columns;
}

const std::vector<std::string_view>& optional_measured_run_columns() {
  static const std::vector<std::string_view> columns = {"profile"};
  return columns;
}

std::vector<MeasuredRun> parse_measured_runs(std::string_view text, std::string_view source) {
  std::vector<std::string_view> header;
  std::vector<MeasuredRun> runs;
  for (const auto& l : detail::split_lines(text, source)) {
    if (l.text.empty()) continue;
    if (header.empty()) {
      header = read_header(l, source);
      continue;
    }
    const auto cells = split_commas(l.text);
    if (cells.size() != header.size())
      throw ConfigError(fmt::format("{}:{}: {} cells; {} expected, one per column of the header",
                                    source, l.number, cells.size(), header.size()));
    runs.push_back(read_row(Row(source, l.number, header, cells), l.number));
  }
  if (runs.empty())
    throw ConfigError(fmt::format("{}: no measured rows; a header and at least one row expected",
                                  source));
  return runs;
}

std::vector<MeasuredRun> load_measured_runs(const std::string& path) {
  auto runs = parse_measured_runs(read_text_file(path), path);
  const auto folder = std::filesystem::path(path).parent_path();
  for (auto& m : runs)
    if (!m.profile.empty() && std::filesystem::path(m.profile).is_relative())
      m.profile = (folder / m.profile).string();
  return runs;
}

}  // namespace dlscale

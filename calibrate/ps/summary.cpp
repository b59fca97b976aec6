#include "calibrate/ps/summary.hpp"

#include <algorithm>
#include <cassert>
#include <fstream>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/percentile.hpp"

namespace dlscale::ps {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// A positive finite decimal using all of `text`.
bool parse_positive(std::string_view text, double& v) {
  const std::string s(text);
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0' && std::isfinite(v) && v > 0;
}

}  // namespace

std::vector<double> parse_iteration_times(std::string_view text, std::string_view source) {
  std::vector<double> times;
  bool header = false;
  int line_no = 0;
  std::size_t from = 0;
  while (from < text.size()) {
    const auto nl = text.find('\n', from);
    const auto line = trim(text.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
    from = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const auto where = fmt::format("{}:{}", source, line_no);
    if (!header) {
      if (line != "iteration,seconds")
        throw ConfigError(fmt::format("{}: '{}': the header 'iteration,seconds' expected", where, line));
      header = true;
      continue;
    }
    const auto comma = line.find(',');
    const auto index = line.substr(0, comma);
    const auto expected = fmt::format("{}", times.size() + 1);
    double seconds = 0;
    if (comma == std::string_view::npos || index != expected ||
        !parse_positive(line.substr(comma + 1), seconds))
      throw ConfigError(fmt::format("{}: '{}': 'ITERATION,SECONDS' with iteration {} and seconds "
                                    "> 0 expected", where, line, expected));
    times.push_back(seconds);
  }
  if (times.empty()) throw ConfigError(fmt::format("{}: no iterations", source));
  return times;
}

IterationSummary summarize_times(const std::vector<double>& times) {
  return {nearest_rank(times, 0.5), nearest_rank(times, 0.9), times.size()};
}

IterationSummary summarize_slowest(const std::vector<std::vector<double>>& per_worker) {
  assert(!per_worker.empty());
  const auto total = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
  const auto slowest = std::max_element(per_worker.begin(), per_worker.end(),
                                        [&](const auto& a, const auto& b) { return total(a) < total(b); });
  return summarize_times(*slowest);
}

std::string summarize_files(const std::vector<std::string>& files, bool slowest) {
  std::vector<std::vector<double>> per_worker;
  std::vector<double> pooled;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot be read", f));
    std::ostringstream text;
    text << in.rdbuf();
    per_worker.push_back(parse_iteration_times(text.str(), f));
    pooled.insert(pooled.end(), per_worker.back().begin(), per_worker.back().end());
  }
  const auto s = slowest ? summarize_slowest(per_worker) : summarize_times(pooled);
  return fmt::format("{:.6g},{:.6g},{}", s.p50, s.p90, s.samples);
}

}  // namespace dlscale::ps

#include "report/plot_layout.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace dlscale::report_detail {

namespace {

// Schemes people compare as one family: the central servers, the sharded servers, the
// all-reduce algorithms. A family stays in one panel where it fits.
int family(Scheme s) {
  switch (s) {
    case Scheme::central:
    case Scheme::central_semaphore: return 0;
    case Scheme::ring:
    case Scheme::tree:
    case Scheme::hierarchical: return 2;
    default: return 1;  // sharded and its placements
  }
}

std::string group_key(const Series& s, report::PanelBy by) {
  switch (by) {
    case report::PanelBy::mode: return std::string(to_string(s.mode));
    case report::PanelBy::scheme: return std::string(to_string(s.scheme));
    case report::PanelBy::network: return s.network;
  }
  return {};
}

// Splits one group's lines (in sweep order) into parts of at most `max` lines: whole families
// while they fit, a family larger than `max` in chunks.
std::vector<std::vector<PanelLine>> split(const std::vector<PanelLine>& lines,
                                          const std::vector<Series>& series, std::size_t max) {
  std::vector<std::vector<PanelLine>> families;
  for (const auto& l : lines) {
    const int f = family(series[l.series].scheme);
    if (families.empty() || family(series[families.back().front().series].scheme) != f)
      families.emplace_back();
    families.back().push_back(l);
  }
  std::vector<std::vector<PanelLine>> parts(1);
  for (const auto& fam : families) {
    if (!parts.back().empty() && parts.back().size() + fam.size() > max) parts.emplace_back();
    for (const auto& l : fam) {
      if (parts.back().size() == max) parts.emplace_back();
      parts.back().push_back(l);
    }
  }
  return parts;
}

}  // namespace

std::vector<Panel> plan_panels(const std::vector<Series>& series, report::PanelBy by,
                               std::size_t max_lines) {
  max_lines = std::max<std::size_t>(max_lines, 1);
  std::set<std::string> networks, schemes, modes;
  for (const auto& s : series) {
    networks.insert(s.network);
    schemes.insert(std::string(to_string(s.scheme)));
    modes.insert(std::string(to_string(s.mode)));
  }
  const bool say_network = networks.size() > 1 && by != report::PanelBy::network;
  const bool say_scheme = schemes.size() > 1 && by != report::PanelBy::scheme;
  const bool say_mode = modes.size() > 1 && by != report::PanelBy::mode;

  std::vector<std::string> keys;
  std::vector<std::vector<PanelLine>> groups;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const auto key = group_key(s, by);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      groups.emplace_back();
      it = keys.end() - 1;
    }
    std::vector<std::string> words;
    if (say_network) words.push_back(s.network);
    if (say_scheme) words.push_back(std::string(to_string(s.scheme)));
    if (say_mode) words.push_back(std::string(to_string(s.mode)));
    // One series in the whole plot: the panel title and the plot's title say it all.
    if (words.empty()) words.push_back(group_key(s, by));
    groups[std::size_t(it - keys.begin())].push_back({i, fmt::format("{}", fmt::join(words, " "))});
  }

  std::vector<Panel> panels;
  for (std::size_t g = 0; g < keys.size(); ++g) {
    const auto parts = split(groups[g], series, max_lines);
    for (std::size_t p = 0; p < parts.size(); ++p)
      panels.push_back({parts.size() == 1 ? keys[g]
                                          : fmt::format("{} ({} of {})", keys[g], p + 1, parts.size()),
                        parts[p]});
  }
  return panels;
}

}  // namespace dlscale::report_detail

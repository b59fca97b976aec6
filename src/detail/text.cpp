#include "detail/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::detail {

std::string Where::str() const {
  if (line > 0) return fmt::format("{}:{}: {}", source, line, field);
  return fmt::format("{}: {}", source, field);
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::vector<Line> split_lines(std::string_view text, std::string_view source) {
  std::vector<Line> lines;
  int number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++number;
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const auto raw = text.substr(pos, end - pos);
    if (raw.size() > max_line_bytes)
      throw ConfigError(fmt::format("{}:{}: line is {} bytes long; at most {} expected", source,
                                    number, raw.size(), max_line_bytes));
    if (raw.find('\0') != std::string_view::npos)
      throw ConfigError(fmt::format("{}:{}: NUL byte; a text file expected", source, number));
    auto body = raw.substr(0, raw.find('#'));
    lines.push_back({number, trim(body)});
    pos = end + 1;
  }
  return lines;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (true) {
    pos = text.find_first_not_of(" \t\r", pos);
    if (pos == std::string_view::npos) break;
    auto end = text.find_first_of(" \t\r", pos);
    if (end == std::string_view::npos) end = text.size();
    words.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

long long parse_int(std::string_view token, const Where& where, long long min, long long max) {
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || ptr != token.data() + token.size() || token.empty())
    throw ConfigError(fmt::format("{}: '{}' is not an integer; an integer in [{}, {}] expected",
                                  where.str(), token, min, max));
  if (value < min || value > max)
    throw ConfigError(fmt::format("{}: {} is out of range; an integer in [{}, {}] expected",
                                  where.str(), value, min, max));
  return value;
}

double parse_double(std::string_view token, const Where& where) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || ptr != token.data() + token.size() || token.empty())
    throw ConfigError(fmt::format("{}: '{}' is not a number", where.str(), token));
  return value;
}

double parse_positive(std::string_view token, const Where& where, std::string_view unit) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  const bool parsed = ec == std::errc() && ptr == token.data() + token.size() && !token.empty();
  if (!parsed || !std::isfinite(value) || !(value >= std::numeric_limits<double>::min()))
    throw ConfigError(fmt::format("{}: '{}' is not valid; a finite number > 0 [{}] expected",
                                  where.str(), token, unit));
  return value;
}

double parse_bounded(std::string_view token, const Where& where, Bounds b, std::string_view unit) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  const bool parsed = ec == std::errc() && ptr == token.data() + token.size() && !token.empty();
  if (!parsed || !(value >= b.lo && value <= b.hi))
    throw ConfigError(fmt::format("{}: '{}' is not valid; a number in [{:g}, {:g}] {} expected",
                                  where.str(), token, b.lo, b.hi, unit));
  return value;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace dlscale::detail

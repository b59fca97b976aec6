#pragma once
// Shared by the network and profile loaders: line splitting with limits, and number parsing
// that names the file, line and field it rejects.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dlscale::detail {

/// Longest line a data file may have; a longer one is rejected, not read on.
inline constexpr std::size_t max_line_bytes = 4096;
/// Largest data file read at all (a 100 MB line is rejected before it is split).
inline constexpr std::uintmax_t max_file_bytes = 16u << 20;

/// Where a value came from, for error messages: "file:line: field".
struct Where {
  std::string_view source;
  int line = 0;
  std::string_view field;
  std::string str() const;
};

struct Line {
  int number = 0;         ///< 1-based
  std::string_view text;  ///< with the '#' comment and surrounding blanks removed; may be empty
};

/// Splits text into lines; throws ConfigError for a line longer than max_line_bytes or a
/// NUL byte (a binary file).
std::vector<Line> split_lines(std::string_view text, std::string_view source);
/// Splits on blanks and tabs.
std::vector<std::string_view> split_words(std::string_view text);
std::string_view trim(std::string_view s);
/// ASCII lower case: names (networks, profile sections) match case-insensitively.
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

/// Strict parsers: the whole token must be a number. They throw ConfigError with `where`.
long long parse_int(std::string_view token, const Where& where, long long min, long long max);
double parse_double(std::string_view token, const Where& where);
/// A finite number > 0 (times, rates, sizes): rejects 0, negatives, NaN, inf and subnormals
/// (whose reciprocal is inf).
double parse_positive(std::string_view token, const Where& where, std::string_view unit);

/// The magnitudes dlscale accepts for times and rates. Outside them the models' sums over
/// iterations, bytes / rate and ratios such as D t_grad / t_train overflow to inf or lose
/// every digit in subnormals, and a NaN would reach the output.
struct Bounds {
  double lo, hi;
};
/// 1 ns to about 31 years: t_grad, t_comm, transfer samples, latencies (which may also be 0).
inline constexpr Bounds seconds_bounds{1e-9, 1e9};
inline constexpr Bounds latency_bounds{0, seconds_bounds.hi};
/// 1 B/s to 1 PB/s (8 Pbit/s): link and NIC rates.
inline constexpr Bounds rate_bounds{1, 1e15};
/// A number in [b.lo, b.hi]; the message gives the range and the unit.
double parse_bounded(std::string_view token, const Where& where, Bounds b, std::string_view unit);

}  // namespace dlscale::detail

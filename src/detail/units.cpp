#include "detail/units.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::detail {
namespace {

// Longest suffixes first within a family, so "Gbit/s" is not read as "s" after a number
// "1Gbit/". Suffixes are case-sensitive: "Gb/s" is bits, "GB/s" bytes.
constexpr std::array rates{
    Unit{"Tbit/s", 1e12 / 8}, Unit{"Gbit/s", 1e9 / 8}, Unit{"Mbit/s", 1e6 / 8},
    Unit{"kbit/s", 1e3 / 8},  Unit{"bit/s", 1.0 / 8},  Unit{"Tb/s", 1e12 / 8},
    Unit{"Gb/s", 1e9 / 8},    Unit{"Mb/s", 1e6 / 8},   Unit{"GiB/s", 1073741824.0},
    Unit{"MiB/s", 1048576.0}, Unit{"KiB/s", 1024.0},   Unit{"TB/s", 1e12},
    Unit{"GB/s", 1e9},        Unit{"MB/s", 1e6},       Unit{"kB/s", 1e3},
    Unit{"B/s", 1}};
constexpr std::array times{Unit{"ns", 1e-9}, Unit{"us", 1e-6}, Unit{"ms", 1e-3}, Unit{"s", 1}};
constexpr std::array sizes{Unit{"GiB", 1073741824.0}, Unit{"MiB", 1048576.0}, Unit{"KiB", 1024.0},
                           Unit{"GB", 1e9}, Unit{"MB", 1e6}, Unit{"kB", 1e3}, Unit{"B", 1}};

constexpr Bounds size_bounds{1, 9007199254740992.0};  // 2^53: every integer exact in a double

}  // namespace

const std::span<const Unit> rate_units{rates};
const std::span<const Unit> time_units{times};
const std::span<const Unit> size_units{sizes};

const std::string_view rate_expected =
    "a rate from 1 B/s to 1e15 B/s with a unit (B/s, kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, "
    "GiB/s, bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s, Mb/s, Gb/s, Tb/s), such as 25Gbit/s";
const std::string_view latency_expected =
    "a time from 0 to 1e9 s with a unit (ns, us, ms, s), such as 5us";
const std::string_view size_expected =
    "a size from 1 B to 2^53 B with a unit (B, kB, MB, GB, KiB, MiB, GiB), such as 4MiB";

double parse_with_unit(std::string_view token, std::span<const Unit> units, Bounds bounds,
                       const Where& where, std::string_view expected) {
  for (const Unit& u : units) {
    if (!token.ends_with(u.suffix)) continue;
    const std::string_view number = token.substr(0, token.size() - u.suffix.size());
    double v = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec == std::errc() && ptr == number.data() + number.size() && !number.empty() &&
        v * u.factor >= bounds.lo && v * u.factor <= bounds.hi)
      return v * u.factor;
    break;
  }
  throw ConfigError(fmt::format("{}: '{}' is not valid; {} expected", where.str(), token, expected));
}

double parse_rate(std::string_view token, const Where& where) {
  return parse_with_unit(token, rate_units, rate_bounds, where, rate_expected);
}

double parse_latency(std::string_view token, const Where& where) {
  return parse_with_unit(token, time_units, latency_bounds, where, latency_expected);
}

double parse_size(std::string_view token, const Where& where) {
  return parse_with_unit(token, size_units, size_bounds, where, size_expected);
}

}  // namespace dlscale::detail

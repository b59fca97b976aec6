#pragma once
// Numbers with units, as people write them on a command line or in a data file: "25Gbit/s",
// "150GB/s", "5us", "4MiB". One parser for the CLI, profiles and topology files, so every
// place accepts the same spellings and refuses the same mistakes with the same list.
#include <span>
#include <string_view>

#include "detail/text.hpp"

namespace dlscale::detail {

struct Unit {
  std::string_view suffix;
  double factor;  ///< value of one unit in the base unit (B/s, s or B)
};

/// Rates in B/s. Bits are 1/8 byte; "Gb/s" is the network vendors' Gbit/s.
extern const std::span<const Unit> rate_units;
/// Times in s: ns, us, ms, s.
extern const std::span<const Unit> time_units;
/// Sizes in B: B, kB, MB, GB, KiB, MiB, GiB.
extern const std::span<const Unit> size_units;

/// What a rate, latency or size must look like, for messages: "a rate from 1 B/s to 1e15 B/s
/// with a unit (B/s, ..., Gbit/s)".
extern const std::string_view rate_expected;
extern const std::string_view latency_expected;
extern const std::string_view size_expected;

/// A number followed by one of `units` (no blank between), whose value in the base unit lies
/// within `bounds`; anything else throws ConfigError "where: 'token' is not valid; expected".
double parse_with_unit(std::string_view token, std::span<const Unit> units, Bounds bounds,
                       const Where& where, std::string_view expected);

/// A link or NIC rate [B/s] in rate_bounds.
double parse_rate(std::string_view token, const Where& where);
/// A latency [s] in latency_bounds (0 allowed).
double parse_latency(std::string_view token, const Where& where);
/// A size [B] from 1 B to 2^53 B.
double parse_size(std::string_view token, const Where& where);

}  // namespace dlscale::detail

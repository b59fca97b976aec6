#pragma once
// First stage of reading a network description: header lines, `param` substitution and
// expansion of `block` templates into a flat list of layer statements in file order.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dlscale/network.hpp"

namespace dlscale::network_detail {

/// One layer statement after template expansion and `$param` substitution.
struct RawLayer {
  std::string type;                                         ///< keyword as written
  std::string name;                                         ///< full name, "fire2/squeeze"
  std::vector<std::string> args;                            ///< positional values
  std::vector<std::pair<std::string, std::string>> options; ///< key=value, without from=
  std::vector<std::string> from;                            ///< input names, resolved
  int line = 0;
};

struct Description {
  std::string name, description;
  std::map<std::string, std::int64_t> params;
  std::vector<RawLayer> layers;  ///< file order
};

/// Most layers one description may expand to (guards against exponential nesting).
inline constexpr std::size_t max_layers = 100000;
/// Deepest nesting of block instances (guards against a block that uses itself).
inline constexpr int max_block_depth = 16;
/// Longest word after `$` substitution, and longest full layer name (instance prefixes
/// included): a line's limit, so substitution cannot grow a line past what a file may hold.
inline constexpr std::size_t max_expanded_word_bytes = 4096;
/// Most bytes of names, arguments and options that all expanded layers may hold together.
/// The per-line limit bounds the file, not its expansion: a 13 KB file of nested blocks with
/// repeated `$arg`s, or of long instance names, would otherwise need gigabytes.
inline constexpr std::size_t max_expanded_bytes = 32u << 20;

/// Reads header, params and blocks, expands every block instance and resolves input
/// names (defaults, block-local names, `in`, block aliases). Throws ConfigError.
Description expand_description(std::string_view text, std::string_view source,
                               const NetworkParams& overrides);

}  // namespace dlscale::network_detail

#pragma once
// Private to the profile loader: a line of a profile is `key value [name=value ...]`, where an
// attribute value may be "quoted" to hold blanks.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/text.hpp"

namespace dlscale::profile_detail {

struct KeyLine {
  std::string_view key;
  std::string_view value;  ///< first word after the key
  std::vector<std::pair<std::string_view, std::string>> attrs;  ///< name=value, in order
};

/// Splits `key value name=value name="quoted value"`; throws ConfigError with `at` for an
/// unterminated quote, a word without '=', or a missing value.
KeyLine split_key_line(std::string_view text, const detail::Where& at);

}  // namespace dlscale::profile_detail

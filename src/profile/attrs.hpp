#pragma once
// Private to the profile loader: a line of a profile is `key value [name=value ...]`, where an
// attribute value may be "quoted" to hold blanks.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/text.hpp"
#include "dlscale/profile.hpp"

namespace dlscale::profile_detail {

struct KeyLine {
  std::string_view key;
  std::string_view value;  ///< first word after the key
  std::vector<std::pair<std::string_view, std::string>> attrs;  ///< name=value, in order
};

/// Splits `key value name=value name="quoted value"`; throws ConfigError with `at` for an
/// unterminated quote, a word without '=', or a missing value.
KeyLine split_key_line(std::string_view text, const detail::Where& at);

/// `measured`, `fitted`, `typed` or `derived`; throws ConfigError at `at` otherwise.
Origin parse_origin(std::string_view text, const detail::Where& at);
/// Applies origin= and source= (and batch= when `batch` is given) and rejects any attribute
/// not in `allowed`.
void read_attrs(const KeyLine& kl, const detail::Where& at,
                std::initializer_list<std::string_view> allowed, Origin& origin,
                std::string& source, std::optional<std::int64_t>* batch = nullptr);

}  // namespace dlscale::profile_detail

#include "profile/attrs.hpp"

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::profile_detail {

namespace {

std::size_t skip_blanks(std::string_view s, std::size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos;
}

std::size_t word_end(std::string_view s, std::size_t pos) {
  while (pos < s.size() && s[pos] != ' ' && s[pos] != '\t') ++pos;
  return pos;
}

// Reads one `name=value` or `name="quoted value"` starting at pos; returns the end.
std::size_t read_attr(std::string_view s, std::size_t pos, const detail::Where& at,
                      KeyLine& out) {
  const auto eq = s.find('=', pos);
  const auto end_plain = word_end(s, pos);
  if (eq == std::string_view::npos || eq >= end_plain || eq == pos)
    throw ConfigError(fmt::format("{}: '{}' is not an attribute; name=value expected",
                                  at.str(), s.substr(pos, end_plain - pos)));
  const auto name = s.substr(pos, eq - pos);
  if (eq + 1 < s.size() && s[eq + 1] == '"') {
    const auto close = s.find('"', eq + 2);
    if (close == std::string_view::npos)
      throw ConfigError(fmt::format("{}: {}: unterminated quote; a closing '\"' expected",
                                    at.str(), name));
    out.attrs.emplace_back(name, std::string(s.substr(eq + 2, close - eq - 2)));
    return close + 1;
  }
  out.attrs.emplace_back(name, std::string(s.substr(eq + 1, end_plain - eq - 1)));
  return end_plain;
}

}  // namespace

KeyLine split_key_line(std::string_view text, const detail::Where& at) {
  KeyLine out;
  auto pos = skip_blanks(text, 0);
  auto end = word_end(text, pos);
  out.key = text.substr(pos, end - pos);
  pos = skip_blanks(text, end);
  end = word_end(text, pos);
  out.value = text.substr(pos, end - pos);
  if (out.value.empty())
    throw ConfigError(fmt::format("{}:{}: {}: missing value", at.source, at.line, out.key));
  pos = skip_blanks(text, end);
  while (pos < text.size()) pos = skip_blanks(text, read_attr(text, pos, at, out));
  return out;
}

}  // namespace dlscale::profile_detail

#include "profile/attrs.hpp"

#include <algorithm>

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

Origin parse_origin(std::string_view text, const detail::Where& at) {
  for (auto o : {Origin::measured, Origin::fitted, Origin::typed, Origin::derived})
    if (text == to_string(o)) return o;
  throw ConfigError(fmt::format("{}: origin: '{}' is not valid; measured, fitted, typed or "
                                "derived expected", at.str(), text));
}

void read_attrs(const KeyLine& kl, const detail::Where& at,
                std::initializer_list<std::string_view> allowed, Origin& origin,
                std::string& source, std::optional<std::int64_t>* batch) {
  for (const auto& [name, value] : kl.attrs) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw ConfigError(fmt::format("{}: unknown attribute '{}'; expected one of {}", at.str(),
                                    name, fmt::join(allowed, ", ")));
    if (name == "origin") origin = parse_origin(value, at);
    else if (name == "source") source = value;
    else if (name == "batch" && batch != nullptr)
      *batch = detail::parse_int(value, detail::Where{at.source, at.line, "batch"}, 1, 1 << 24);
  }
}

}  // namespace dlscale::profile_detail

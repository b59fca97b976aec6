#include "network/expand.hpp"

#include <cctype>
#include <set>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"
#include "network/kinds.hpp"

namespace dlscale::network_detail {
namespace {

using detail::Line;

struct Block {
  std::vector<std::string> params;
  std::vector<Line> body;
};

// Names visible while expanding one statement: block-local names get the instance prefix,
// `in` is the instance's input, `$x` looks in the block arguments before the params.
struct Scope {
  std::string prefix;
  std::string input;
  std::map<std::string, std::string> args;
  std::set<std::string> locals;
};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '/';
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string join_keys(const std::map<std::string, std::int64_t>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k;
  return out.empty() ? "(none declared)" : out;
}

class Expander {
 public:
  Expander(std::string_view source, const NetworkParams& overrides)
      : source_(source), overrides_(overrides) {}

  Description run(std::string_view text) {
    const auto top = read_header(detail::split_lines(text, source_));
    apply_overrides();
    for (const auto& line : top) expand(line, Scope{}, 0);
    finish();
    return std::move(d_);
  }

 private:
  template <class... A>
  [[noreturn]] void fail(int line, fmt::format_string<A...> f, A&&... a) const {
    throw ConfigError(fmt::format("{}:{}: {}", source_, line,
                                  fmt::format(f, std::forward<A>(a)...)));
  }

  // Pass 1: name, description, params and block bodies; returns the top-level statements.
  std::vector<Line> read_header(const std::vector<Line>& lines) {
    std::vector<Line> top;
    std::string open;  // block being defined
    int open_line = 0;
    for (const auto& l : lines) {
      if (l.text.empty()) continue;
      const auto words = detail::split_words(l.text);
      const auto key = words[0];
      const auto rest = detail::trim(l.text.substr(key.size()));
      if (key == "end") {
        if (open.empty()) fail(l.number, "'end' without 'block'");
        open.clear();
      } else if (!open.empty()) {
        if (key == "block" || key == "param" || key == "name" || key == "description")
          fail(l.number, "block '{}': '{}' inside a block; 'end' expected first", open, key);
        blocks_[open].body.push_back(l);
      } else if (key == "name") {
        if (rest.empty()) fail(l.number, "name: a network name expected");
        d_.name = std::string(rest);
      } else if (key == "description") {
        d_.description = std::string(rest);
      } else if (key == "param") {
        read_param(l, words);
      } else if (key == "block") {
        open = define_block(l, rest);
        open_line = l.number;
      } else {
        top.push_back(l);
      }
    }
    if (!open.empty())
      fail(open_line, "block '{}': no 'end' before the end of the file", open);
    if (d_.name.empty()) throw ConfigError(fmt::format("{}: no 'name' line; 'name <network>' expected", source_));
    if (top.empty())
      throw ConfigError(fmt::format("{}: no layers; at least an 'input' layer expected", source_));
    return top;
  }

  void read_param(const Line& l, const std::vector<std::string_view>& words) {
    if (words.size() != 3 || !is_identifier(words[1]))
      fail(l.number, "param: 'param <name> <integer>' expected");
    const std::string key(words[1]);
    const auto field = fmt::format("param '{}'", key);
    d_.params[key] = detail::parse_int(words[2], {source_, l.number, field}, 0, 1LL << 40);
  }

  std::string define_block(const Line& l, std::string_view rest) {
    const auto open = rest.find('(');
    const auto close = rest.rfind(')');
    const auto name = std::string(detail::trim(rest.substr(0, open)));
    if (!is_identifier(name)) fail(l.number, "block: 'block <name>(<arg>, ...)' expected");
    if (parse_kind(name)) fail(l.number, "block '{}': the name of a layer type", name);
    if (blocks_.contains(name)) fail(l.number, "block '{}': defined twice", name);
    Block b;
    if (open != std::string_view::npos) {
      if (close == std::string_view::npos || close < open || !detail::trim(rest.substr(close + 1)).empty())
        fail(l.number, "block '{}': ')' expected at the end of the line", name);
      auto inner = rest.substr(open + 1, close - open - 1);
      while (!detail::trim(inner).empty()) {
        const auto comma = inner.find(',');
        const auto arg = detail::trim(inner.substr(0, comma));
        if (!is_identifier(arg)) fail(l.number, "block '{}': argument '{}' is not a name", name, arg);
        b.params.emplace_back(arg);
        inner = comma == std::string_view::npos ? std::string_view{} : inner.substr(comma + 1);
      }
    }
    blocks_[name] = std::move(b);
    return name;
  }

  void apply_overrides() {
    for (const auto& [key, value] : overrides_.values) {
      if (!d_.params.contains(key))
        throw ConfigError(fmt::format("{}: param override '{}={}': not a param of {}; one of {}",
                                      source_, key, value, d_.name, join_keys(d_.params)));
      if (value < 0) throw ConfigError(fmt::format("{}: param override '{}={}': a value >= 0 expected", source_, key, value));
      d_.params[key] = value;
    }
  }

  // Replaces every $name in a token by a block argument or a param value.
  std::string substitute(std::string_view token, const Scope& s, int line,
                         std::string_view layer) const {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] != '$') { out += token[i]; continue; }
      std::size_t j = i + 1;
      while (j < token.size() && (std::isalnum(static_cast<unsigned char>(token[j])) || token[j] == '_')) ++j;
      const std::string key(token.substr(i + 1, j - i - 1));
      if (auto a = s.args.find(key); a != s.args.end()) out += a->second;
      else if (auto p = d_.params.find(key); p != d_.params.end()) out += std::to_string(p->second);
      else fail(line, "layer '{}': undefined parameter '${}'; a 'param {} <n>' line or one of: {}",
                layer, key, key, join_keys(d_.params) + (s.args.empty() ? "" : ", a block argument"));
      if (out.size() > max_expanded_word_bytes)
        fail(line, "layer '{}': '{}' grows past {} bytes after substituting '$' arguments; "
             "shorter arguments expected", layer, token.substr(0, 64), max_expanded_word_bytes);
      i = j - 1;
    }
    return out;
  }

  std::string resolve(std::string_view name, const Scope& s) const {
    if (s.locals.contains(std::string(name))) return s.prefix + std::string(name);
    if (name == "in" && !s.input.empty()) return s.input;
    return std::string(name);
  }

  void define(const std::string& name, int line) {
    if (auto [it, fresh] = defined_.emplace(name, line); !fresh)
      fail(line, "layer '{}': duplicate name; first defined at line {}", name, it->second);
  }

  void expand(const Line& l, const Scope& s, int depth) {
    const auto words = detail::split_words(l.text);
    const std::string type(words[0]);
    if (words.size() < 2) fail(l.number, "'{}': a layer name expected after the type", type);
    const auto local = substitute(words[1], s, l.number, words[1]);
    for (char c : local)
      if (!is_name_char(c))
        fail(l.number, "layer '{}': bad character '{}' in the name; letters, digits, _ - . / expected", local, c);
    RawLayer r{type, s.prefix + local, {}, {}, {}, l.number};
    if (r.name.size() > max_expanded_word_bytes)
      fail(l.number, "layer '{}...': the full name (block instance prefixes included) is longer "
           "than {} bytes; shorter names or less nesting expected", r.name.substr(0, 64),
           max_expanded_word_bytes);
    for (std::size_t i = 2; i < words.size(); ++i) {
      const auto eq = words[i].find('=');
      if (eq == std::string_view::npos) {
        r.args.push_back(substitute(words[i], s, l.number, r.name));
        continue;
      }
      const std::string key(words[i].substr(0, eq));
      const auto value = substitute(words[i].substr(eq + 1), s, l.number, r.name);
      if (key != "from") { r.options.emplace_back(key, value); continue; }
      std::string_view rest = value;
      while (true) {
        const auto comma = rest.find(',');
        const auto one = rest.substr(0, comma);
        if (one.empty()) fail(l.number, "layer '{}': from: empty layer name; 'from=a,b' expected", r.name);
        r.from.push_back(resolve(one, s));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
      }
    }
    charge(r);
    if (auto b = blocks_.find(type); b != blocks_.end()) return instantiate(b->second, std::move(r), depth);
    if (!parse_kind(type))
      fail(l.number, "layer '{}': unknown type '{}'; one of {}{}", r.name, type, kind_list(), block_list());
    define(r.name, l.number);
    if (r.from.empty() && type != "input") {
      if (previous_.empty()) fail(l.number, "layer '{}': no previous layer to take input from; 'from=<layer>' expected", r.name);
      r.from.push_back(previous_);
    }
    previous_ = r.name;
    d_.layers.push_back(std::move(r));
    if (d_.layers.size() > max_layers)
      fail(l.number, "layer '{}': more than {} layers after expanding blocks", d_.layers.back().name, max_layers);
  }

  // Counts what one expanded statement keeps (its name is stored up to three times: the
  // layer, the defined-names index and the instance's local names).
  void charge(const RawLayer& r) {
    std::size_t bytes = 3 * r.name.size() + r.type.size();
    for (const auto& a : r.args) bytes += a.size();
    for (const auto& [k, v] : r.options) bytes += k.size() + v.size();
    for (const auto& f : r.from) bytes += f.size();
    expanded_bytes_ += bytes;
    if (expanded_bytes_ > max_expanded_bytes)
      fail(r.line, "layer '{}': the expanded description exceeds {} MiB of names and "
           "arguments; fewer block instances or shorter names expected",
           r.name.substr(0, 64), max_expanded_bytes >> 20);
  }

  void instantiate(const Block& b, RawLayer r, int depth) {
    if (depth >= max_block_depth)
      fail(r.line, "layer '{}': blocks nest deeper than {}; a block may not use itself", r.name, max_block_depth);
    if (!r.options.empty())
      fail(r.line, "layer '{}': unknown option '{}' for block '{}'; only from= expected", r.name, r.options[0].first, r.type);
    if (r.args.size() != b.params.size())
      fail(r.line, "layer '{}': block '{}' takes {} arguments ({}); {} given", r.name, r.type, b.params.size(),
           fmt::join(b.params, ", "), r.args.size());
    if (r.from.size() > 1) fail(r.line, "layer '{}': a block takes one input; from=<layer> expected", r.name);
    if (b.body.empty()) fail(r.line, "layer '{}': block '{}' has no layers", r.name, r.type);
    define(r.name, r.line);
    Scope inner;
    inner.prefix = r.name + "/";
    for (std::size_t i = 0; i < b.params.size(); ++i) inner.args[b.params[i]] = r.args[i];
    inner.input = r.from.empty() ? previous_ : r.from[0];
    if (inner.input.empty()) fail(r.line, "layer '{}': no previous layer to take input from; 'from=<layer>' expected", r.name);
    for (const auto& l : b.body) {
      const auto w = detail::split_words(l.text);
      if (w.size() >= 2) inner.locals.insert(substitute(w[1], inner, l.number, w[1]));
    }
    previous_ = inner.input;
    for (const auto& l : b.body) expand(l, inner, depth + 1);
    aliases_[r.name] = previous_;
  }

  std::string block_list() const {
    std::string out;
    for (const auto& [name, b] : blocks_) out += (out.empty() ? "; or a block: " : ", ") + name;
    return out;
  }

  // Block instance names stand for their last layer; every input must now be a layer.
  void finish() {
    for (auto& r : d_.layers)
      for (auto& f : r.from) {
        if (auto a = aliases_.find(f); a != aliases_.end()) f = a->second;
        if (!defined_.contains(f))
          fail(r.line, "layer '{}': input '{}' is not a layer of {}; a layer name expected", r.name, f, d_.name);
      }
  }

  std::string_view source_;
  const NetworkParams& overrides_;
  Description d_;
  std::map<std::string, Block> blocks_;
  std::map<std::string, std::string> aliases_;
  std::map<std::string, int> defined_;
  std::string previous_;
  std::size_t expanded_bytes_ = 0;
};

}  // namespace

Description expand_description(std::string_view text, std::string_view source,
                               const NetworkParams& overrides) {
  return Expander(source, overrides).run(text);
}

}  // namespace dlscale::network_detail

// Finding a network: a path to a file, or a name from the `name` lines of data/networks.
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

namespace dlscale {
namespace {


// The `name` line of a description, without parsing its layers (keeps listing cheap).
std::string name_line(std::string_view text, std::string_view source) {
  for (const auto& l : detail::split_lines(text, source)) {
    const auto words = detail::split_words(l.text);
    if (words.size() >= 2 && words[0] == "name") return std::string(detail::trim(l.text.substr(4)));
  }
  throw ConfigError(fmt::format("{}: no 'name' line; 'name <network>' expected", source));
}

std::vector<std::string> network_files(const DataSource& data) {
  std::vector<std::string> out;
  for (auto& f : data.list("networks"))
    if (f.ends_with(".net")) out.push_back(std::move(f));
  return out;
}

}  // namespace

std::vector<std::string> network_names(const DataSource& data) {
  std::vector<std::string> out;
  for (const auto& f : network_files(data)) out.push_back(name_line(data.read(f), data.describe(f)));
  return out;
}

Network load_network(std::string_view name_or_path, const DataSource& data,
                     const NetworkParams& overrides) {
  std::error_code ec;
  const std::filesystem::path path(name_or_path);
  // Something that looks like a path is read as one, so a typo reports the missing file.
  const bool onnx = detail::to_lower(name_or_path).ends_with(".onnx");
  if (onnx) {
    if (!overrides.values.empty())
      throw ConfigError(fmt::format("{}: param override '{}': an ONNX model has fixed sizes and no "
                                    "params; export it again at the size wanted", name_or_path,
                                    overrides.values.begin()->first));
    return import_onnx(name_or_path).network;
  }
  const bool looks_like_path = name_or_path.find('/') != std::string_view::npos ||
                               name_or_path.ends_with(".net");
  if (!name_or_path.empty() && (looks_like_path || std::filesystem::is_regular_file(path, ec)))
    return parse_network(read_text_file(path), path.string(), overrides);
  std::vector<std::string> known;
  for (const auto& f : network_files(data)) {
    const auto text = data.read(f);
    const auto source = data.describe(f);
    known.push_back(name_line(text, source));
    if (detail::to_lower(known.back()) == detail::to_lower(name_or_path)) return parse_network(text, source, overrides);
  }
  throw ConfigError(fmt::format("network '{}': neither a file nor a known network; one of {}",
                                name_or_path, fmt::join(known, ", ")));
}

}  // namespace dlscale

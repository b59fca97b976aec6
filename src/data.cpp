#include "dlscale/data.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"

namespace dlscale {

DataSource DataSource::from_environment() {
  if (const char* dir = std::getenv("DLSCALE_DATA_DIR"); dir != nullptr && *dir != '\0')
    return directory(dir);
  return embedded();
}

std::vector<std::string> DataSource::list(std::string_view folder) const {
  std::vector<std::string> out;
  const std::string prefix = std::string(folder) + "/";
  if (!dir_) {
    for (const auto& f : detail::embedded_files())
      if (f.path.starts_with(prefix)) out.emplace_back(f.path);
  } else {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(*dir_ / folder, ec))
      if (entry.is_regular_file()) out.push_back(prefix + entry.path().filename().string());
    if (ec)
      throw ConfigError(fmt::format("{}: cannot list: {}", (*dir_ / folder).string(), ec.message()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string DataSource::describe(std::string_view relative_path) const {
  if (!dir_) return fmt::format("embedded:{}", relative_path);
  return (*dir_ / relative_path).string();
}

std::string DataSource::read(std::string_view relative_path) const {
  if (!dir_) {
    for (const auto& f : detail::embedded_files())
      if (f.path == relative_path) return std::string(f.text);
    throw ConfigError(fmt::format("embedded:{}: no such file", relative_path));
  }
  return read_text_file(*dir_ / relative_path);
}

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw ConfigError(fmt::format("{}: cannot read: {}", path.string(), ec.message()));
  if (size > detail::max_file_bytes)
    throw ConfigError(fmt::format("{}: file is {} bytes; at most {} expected", path.string(),
                                  size, detail::max_file_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace dlscale

#pragma once
/// Access to the files under data/: compiled into the library, or read from a directory.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlscale {

namespace detail {
struct EmbeddedFile {
  std::string_view path;  ///< relative to data/, e.g. "networks/vgg16.net"
  std::string_view text;
};
/// Generated at build time by data/embed.py.
const std::vector<EmbeddedFile>& embedded_files();
}  // namespace detail

/// Where data files come from: a directory when one is set (--data-dir, or the
/// DLSCALE_DATA_DIR environment variable), else the copy compiled into the library.
class DataSource {
 public:
  /// The directory in DLSCALE_DATA_DIR if set, else the embedded copy.
  static DataSource from_environment();
  static DataSource embedded() { return DataSource({}); }
  static DataSource directory(std::filesystem::path dir) { return DataSource(std::move(dir)); }

  /// Relative paths (e.g. "networks/vgg16.net") of the files under `folder`, sorted.
  std::vector<std::string> list(std::string_view folder) const;
  /// The text of a file; throws ConfigError naming the file if it is missing.
  std::string read(std::string_view relative_path) const;
  /// Human-readable origin of a file, for messages ("embedded:networks/vgg16.net" or a path).
  std::string describe(std::string_view relative_path) const;

 private:
  explicit DataSource(std::optional<std::filesystem::path> dir) : dir_(std::move(dir)) {}
  std::optional<std::filesystem::path> dir_;
};

/// Reads a whole text file (at most 16 MiB); throws ConfigError naming the path if it is
/// missing, unreadable or too large.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace dlscale

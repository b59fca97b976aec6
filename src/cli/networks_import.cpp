// `dlscale networks import MODEL.onnx [--out FILE.net]`: an ONNX model as a .net description.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

namespace dlscale::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_io(const fs::path& out, int err, std::string_view what) {
  throw ConfigError(fmt::format("networks import: --out {}: {}: {}", out.string(), what, std::strerror(err)));
}

// Written to a temporary file in the same folder and renamed over the target, so an
// interrupted import leaves no half-written description; a link or device is refused.
void write_atomically(const fs::path& out, const std::string& text) {
  struct stat st{};
  if (::lstat(out.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw ConfigError(fmt::format("networks import: --out {}: exists and is not a regular file "
                                  "(links are not followed); a regular file or a new path expected",
                                  out.string()));
  const auto folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
  auto pattern = (folder / fmt::format(".{}.XXXXXX", out.filename().string())).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) fail_io(out, errno, fmt::format("cannot create a file in folder {}", folder.string()));
  ::fchmod(fd, 0644);  // mkstemp's 0600 would make the description private
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      ::unlink(pattern.c_str());
      fail_io(out, err, "cannot write the description");
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int sync_err = errno;
  ::close(fd);
  if (!synced || ::rename(pattern.c_str(), out.c_str()) != 0) {
    const int err = synced ? errno : sync_err;
    ::unlink(pattern.c_str());
    fail_io(out, err, "cannot replace the description");
  }
}

}  // namespace

int cmd_networks_import(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description desc("networks import options");
  desc.add_options()
    ("model", po::value<std::string>(), "the ONNX model file (also positional)")
    ("out", po::value<std::string>(), "write the .net description here (default: print it)");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_options("networks import",
                     "dlscale networks import MODEL.onnx [--out FILE.net]\n\n"
                     "Converts an ONNX model (exported by PyTorch, tf2onnx, ...) to a .net description:\n"
                     "one layer per node that computes on the input, shapes from ONNX shape inference,\n"
                     "trainable tensors from the initializers (their shapes; weights stored externally\n"
                     "or left out are fine), multiply-adds of Conv, ConvTranspose, Gemm and MatMul.\n"
                     "An operator dlscale does not know gets 0 multiply-adds and a note. Any command\n"
                     "also takes the model directly: --network MODEL.onnx. Format and mapping:\n"
                     "data/networks/README.md.",
                     desc, args, vm, out, &pos))
    return 0;
  if (!vm.count("model"))
    throw ConfigError("networks import: an ONNX model file expected: dlscale networks import MODEL.onnx [--out FILE.net]");
  const auto model = vm["model"].as<std::string>();
  const auto imported = import_onnx(model);
  for (const auto& note : imported.notes) err << "note: " << note << "\n";
  if (!vm.count("out")) {
    out << imported.net_text;
    return 0;
  }
  const fs::path target(vm["out"].as<std::string>());
  std::error_code ec;
  if (fs::equivalent(target, fs::path(model), ec))
    throw ConfigError(fmt::format("networks import: --out {}: is the model itself; another path expected", target.string()));
  write_atomically(target, imported.net_text);
  const auto& net = imported.network;
  out << fmt::format("wrote {}: network {}, {} layers, {} parameters ({:.2f} MB fp32), {:.4g} GMACs per sample\n",
                     target.string(), net.name(), net.layers().size(), net.parameters(),
                     static_cast<double>(net.weight_bytes(Precision::fp32).v) / 1e6,
                     static_cast<double>(net.forward_macs()) / 1e9);
  return 0;
}

}  // namespace dlscale::cli

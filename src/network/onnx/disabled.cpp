// import_onnx in a build without the ONNX library: every .onnx path says how to get one.
#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

namespace dlscale {

bool onnx_supported() { return false; }

OnnxImport import_onnx(std::string_view path) {
  throw ConfigError(fmt::format(
      "{}: ONNX support is not built into this dlscale; install it (apt-get install "
      "libonnx-dev libprotobuf-dev) and reconfigure: meson setup --reconfigure build -Donnx=enabled",
      path));
}

}  // namespace dlscale

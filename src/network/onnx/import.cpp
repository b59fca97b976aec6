// import_onnx with the ONNX library: read and check the file, convert, parse the result
// back, so that `--network model.onnx` and the written .net are the same network.
#include <filesystem>

#include "dlscale/network.hpp"
#include "network/onnx/convert.hpp"
#include "network/onnx/model.hpp"
#include "network/onnx/statement.hpp"

namespace dlscale {

bool onnx_supported() { return true; }

OnnxImport import_onnx(std::string_view path) {
  const std::filesystem::path file(path);
  auto model = onnx_import::read_model(file);
  auto converted = onnx_import::convert_model(model, file.string(), onnx_import::sanitize_name(file.stem().string()));
  auto net = parse_network(converted.net_text, file.string());
  return {std::move(converted.net_text), std::move(converted.notes), std::move(net)};
}

}  // namespace dlscale

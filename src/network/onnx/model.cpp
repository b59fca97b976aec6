#include "network/onnx/model.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <onnx/defs/schema.h>

#include "dlscale/error.hpp"

namespace dlscale::onnx_import {
namespace {

template <class... A>
[[noreturn]] void fail(const std::filesystem::path& file, fmt::format_string<A...> f, A&&... a) {
  throw ConfigError(fmt::format("{}: {}", file.string(), fmt::format(f, std::forward<A>(a)...)));
}

// The size is checked before anything is read: a 2 GB file is refused at once, and a FIFO
// or device (whose size says nothing) is refused outright. Returns the size.
std::uintmax_t checked_size(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status)) fail(file, "no such file; an ONNX model file expected");
  if (!std::filesystem::is_regular_file(status)) fail(file, "not a regular file; an ONNX model file expected");
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) fail(file, "cannot read its size ({})", ec.message());
  if (size > max_onnx_file_bytes)
    fail(file, "{} bytes: protobuf parses at most {} bytes (2 GiB - 1) as one message; save the "
         "model with its weights as external data (onnx.save_model(model, path, "
         "save_as_external_data=True)) and import the small .onnx file", size, max_onnx_file_bytes);
  return size;
}

}  // namespace

int default_opset(const onnx::ModelProto& m) {
  for (const auto& o : m.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
  return 0;
}

onnx::ModelProto read_model(const std::filesystem::path& file) {
  const auto size = checked_size(file);
  // Parsed straight from the file: the weights are held once (in the message), not twice.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(file, "cannot open it: {}", std::strerror(errno));
  onnx::ModelProto m;
  const bool parsed = m.ParseFromFileDescriptor(fd);
  ::close(fd);
  if (!parsed)
    fail(file, "not an ONNX model, or truncated: protobuf cannot parse its {} bytes as a "
         "ModelProto; a complete .onnx file expected", size);
  // Protobuf accepts many non-ONNX byte strings (an empty file is a valid empty message);
  // a model has an IR version and a graph.
  if (m.ir_version() <= 0 || !m.has_graph())
    fail(file, "not an ONNX model: {}; a ModelProto with ir_version and graph expected",
         m.ir_version() <= 0 ? "no ir_version" : "no graph");
  if (m.ir_version() > onnx::IR_VERSION)
    fail(file, "IR version {} is newer than this ONNX library reads (up to {}); a model "
         "exported for ONNX 1.12 (IR <= {}) expected", m.ir_version(), static_cast<int>(onnx::IR_VERSION),
         static_cast<int>(onnx::IR_VERSION));
  const auto [lo, hi] = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN);
  const auto opset = default_opset(m);
  if (opset == 0) fail(file, "no opset_import for the default domain (ai.onnx); an opset in [{}, {}] expected", lo, hi);
  if (opset < lo || opset > hi)
    fail(file, "opset {} is unknown to this ONNX library (1.12 knows {} to {}); export with "
         "opset_version <= {}", opset, lo, hi, hi);
  return m;
}

}  // namespace dlscale::onnx_import

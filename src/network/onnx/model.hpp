#pragma once
// Reading an ONNX file into the library's ModelProto, with every check that must come before
// the graph is trusted: size (protobuf's 2 GiB limit), format, IR version and opset.
#include <filesystem>
#include <string>

#include <onnx/onnx_pb.h>

namespace dlscale::onnx_import {

/// Largest file read: protobuf parses at most INT_MAX bytes as one message.
inline constexpr std::uintmax_t max_onnx_file_bytes = 0x7fffffff;

/// Parses `file`; throws ConfigError naming the file and what is wrong (missing, not a
/// regular file, over 2 GiB - 1, not ONNX or truncated, IR version or opset unknown).
onnx::ModelProto read_model(const std::filesystem::path& file);

/// The opset of the default domain ("" or "ai.onnx").
int default_opset(const onnx::ModelProto& m);

}  // namespace dlscale::onnx_import

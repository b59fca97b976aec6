#pragma once
// An ONNX model (already read and checked by read_model) -> the text of a .net description.
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

namespace dlscale::onnx_import {

struct Converted {
  std::string net_text;            ///< a description parse_network reads back
  std::vector<std::string> notes;  ///< unknown operators, assumed shapes
};

/// Runs ONNX shape inference on `m` (it is modified: nodes sorted, shapes filled in) and
/// writes one .net layer per node that computes on the input's data. `file` names the model
/// in messages and `name` is the network's name. Throws ConfigError.
Converted convert_model(onnx::ModelProto& m, std::string_view file, std::string_view name);

}  // namespace dlscale::onnx_import

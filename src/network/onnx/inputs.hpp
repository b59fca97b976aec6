#pragma once
// The graph's inputs and initializers: which tensors hold weights (with their shapes, checked
// against their data), which single input carries the data, and its batch dimension.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include <onnx/onnx_pb.h>

#include "network/onnx/ops.hpp"

namespace dlscale::onnx_import {

/// What a tensor's declaration says: element type and, if every dimension is fixed, dims.
struct Facts {
  Dims dims;
  bool shaped = false;
  int type = 0;
};
Facts facts_of(const onnx::ValueInfoProto& v);
/// FLOAT, FLOAT16, DOUBLE, BFLOAT16: the types weights and activations have.
bool is_float(int type);

struct GraphInputs {
  std::unordered_map<std::string, Facts> weights;  ///< initializers and weights declared as inputs
  onnx::ValueInfoProto* data = nullptr;           ///< the one data input, in the graph
  std::string data_name;                          ///< its name
  std::int64_t batch = 1;                         ///< its dimension 0 (a symbolic one set to 1)
  std::string batch_text;                         ///< the batch as the file gives it
};

/// Checks every initializer (dims that overflow, inline data that does not match its dims)
/// and finds the data input, fixing a symbolic batch to 1 in `g`. Throws ConfigError naming
/// `file`: several or no data inputs, a symbolic size other than the batch, a size beyond
/// 2^40.
GraphInputs read_inputs(onnx::GraphProto& g, std::string_view file);

}  // namespace dlscale::onnx_import

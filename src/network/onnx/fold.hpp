#pragma once
// Folding the integer arithmetic exporters put around Reshape and Slice (Shape -> Gather ->
// Add -> Div -> Slice, torch's attention heads), which ONNX 1.12's shape inference cannot
// follow through Div, so that the shapes after it become known.
#include <functional>
#include <optional>
#include <string>

#include <onnx/onnx_pb.h>

#include "network/onnx/ops.hpp"

namespace dlscale::onnx_import {

/// Most elements of an integer tensor that is folded (shapes, indices, slice bounds).
inline constexpr std::size_t max_folded_elements = 64;

/// Replaces every node (other than Constant) whose output is a small integer tensor that can
/// be computed from constants, initializers and known shapes (`shape_of`) by an initializer
/// holding that value. Handles Shape, Size, Gather, Add, Sub, Mul, Div, Unsqueeze, Squeeze,
/// Concat, Cast, Identity and Slice. Returns the number of nodes replaced.
int fold_shape_arithmetic(onnx::GraphProto& g,
                          const std::function<std::optional<Dims>(const std::string&)>& shape_of);

}  // namespace dlscale::onnx_import

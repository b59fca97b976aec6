#pragma once
// What dlscale knows about each ONNX operator, free of the ONNX library so that the formulas
// are unit-tested in every build: the dlscale layer class an operator is costed as, its
// forward multiply-adds, and which of its inputs may hold trainable weights.
#include <cstdint>
#include <string_view>
#include <vector>

#include "dlscale/network.hpp"

namespace dlscale::onnx_import {

/// A tensor's dimensions as ONNX gives them, batch dimension included.
using Dims = std::vector<std::int64_t>;

struct OpClass {
  LayerKind kind = LayerKind::flatten;
  bool known = false;  ///< false: costed as a copy of its output (flatten), zero multiply-adds
};
/// The dlscale layer class of an ONNX operator of the default domain (ai.onnx).
OpClass classify(std::string_view op_type);

/// Product of `dims`, or ConfigError naming `what` if a dimension is negative or the product
/// does not fit in 64 bits.
std::int64_t element_count(const Dims& dims, std::string_view what);

/// Forward multiply-adds of one node over its whole tensors (the batch included): the
/// products of Conv, ConvTranspose, Gemm and MatMul; 0 for every other operator, which
/// [rates] costs by output elements as it does a .net layer of the same class.
/// `inputs` are the node's input dims in ONNX order (missing optional inputs empty),
/// `output` its first output's. `trans_a` is Gemm's transA. Throws ConfigError on overflow.
std::int64_t node_macs(std::string_view op_type, const std::vector<Dims>& inputs,
                       const Dims& output, bool trans_a);

/// Whether input `index` of `op_type` can hold trainable weights. BatchNormalization's
/// running mean and variance (inputs 3, 4) are statistics, not trained; the other inputs
/// excluded are sizes, scales and ratios.
bool may_hold_weights(std::string_view op_type, std::size_t index);

/// The per-sample dlscale shape of an activation: `dims` without the batch dimension (dim 0
/// when it equals `batch`), as c x h x w: rank 1 [c], rank 2 [c, h], rank 3 [c, h, w], a
/// higher rank folds the trailing dimensions into w. Throws ConfigError naming `what`.
Shape per_sample_shape(const Dims& dims, std::int64_t batch, std::string_view what);

}  // namespace dlscale::onnx_import

#pragma once
// Second stage: one layer statement plus the shapes of its inputs -> a Layer with geometry,
// output shape, parameter count and multiply-adds, and its trainable tensors.
#include <string_view>
#include <vector>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"
#include "network/expand.hpp"

namespace dlscale::network_detail {

/// Infers shape, params and MACs of `r` from its inputs' shapes (in `r.from` order) and
/// appends its tensors (weight then bias, or gamma then beta). Throws ConfigError.
Layer make_layer(const RawLayer& r, const std::vector<Shape>& inputs, std::string_view source,
                 std::vector<WeightTensor>& tensors);

/// A layer whose counts are given rather than inferred (`out=CxHxW macs=N tensor=NAME:AxB`,
/// written by the ONNX importer for operators no .net statement reproduces): its class is
/// `kind`, its shape, multiply-adds and tensors are taken as written. Throws ConfigError.
Layer make_given_layer(const RawLayer& r, LayerKind kind, const std::vector<Shape>& inputs,
                       std::string_view source, std::vector<WeightTensor>& tensors);
/// Whether `r` is written in the given-counts form (it has an `out=` option).
bool has_given_counts(const RawLayer& r);

/// Largest dimension of a given shape or tensor: bounds what a file may declare so that a
/// product of a few of them is caught by the checked multiplications, not wrapped.
inline constexpr long long max_given_dim = 1LL << 40;

/// A count (elements, parameters, multiply-adds) that does not fit in 64 bits. The message
/// names what was being counted; the network builder adds the file, line and layer.
struct CountOverflow : ConfigError {
  using ConfigError::ConfigError;
};

/// a * b, or CountOverflow naming `what` if it does not fit in 64 bits.
std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view what);
/// a + b, or CountOverflow naming `what` if it does not fit in 64 bits.
std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view what);

}  // namespace dlscale::network_detail

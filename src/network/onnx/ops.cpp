#include "network/onnx/ops.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "network/layers.hpp"

namespace dlscale::onnx_import {
namespace {

using K = LayerKind;

// Operators and the class whose [rates] entry prices them. Activations and element-wise
// arithmetic run at the speed of ReLU (one pass over the output); shape changes and lookups
// (Reshape, Transpose, Gather of an embedding) are copies, priced as flatten.
constexpr std::array<std::pair<std::string_view, LayerKind>, 50> classes{{
    {"Conv", K::conv}, {"ConvTranspose", K::conv},
    {"Gemm", K::fc}, {"MatMul", K::fc},
    {"BatchNormalization", K::batchnorm}, {"LayerNormalization", K::batchnorm},
    {"InstanceNormalization", K::batchnorm},
    {"MaxPool", K::maxpool}, {"AveragePool", K::avgpool},
    {"GlobalAveragePool", K::global_avgpool}, {"GlobalMaxPool", K::global_avgpool},
    {"Relu", K::relu}, {"Gelu", K::relu}, {"Sigmoid", K::relu}, {"Tanh", K::relu},
    {"LeakyRelu", K::relu}, {"Erf", K::relu}, {"Elu", K::relu}, {"PRelu", K::relu},
    {"HardSigmoid", K::relu}, {"HardSwish", K::relu}, {"Softplus", K::relu}, {"Clip", K::relu},
    {"Sqrt", K::relu}, {"Pow", K::relu}, {"Exp", K::relu}, {"Neg", K::relu},
    {"Softmax", K::softmax}, {"LogSoftmax", K::softmax},
    {"Add", K::add}, {"Mul", K::add}, {"Sub", K::add}, {"Div", K::add},
    {"Concat", K::concat},
    {"Flatten", K::flatten}, {"Reshape", K::flatten}, {"Transpose", K::flatten},
    {"Squeeze", K::flatten}, {"Unsqueeze", K::flatten}, {"Identity", K::flatten},
    {"Gather", K::flatten}, {"Slice", K::flatten}, {"Split", K::flatten}, {"Pad", K::flatten},
    {"Cast", K::flatten}, {"Expand", K::flatten}, {"Tile", K::flatten},
    {"Dropout", K::dropout},
    {"LRN", K::lrn},
    {"ReduceMean", K::global_avgpool},
}};

constexpr bool every_entry_named() {
  for (const auto& [name, kind] : classes)
    if (name.empty()) return false;
  return true;
}
static_assert(every_entry_named(), "the array's size must equal its number of entries");

const Dims& input(const std::vector<Dims>& in, std::size_t i, std::string_view op) {
  if (i >= in.size() || in[i].empty())
    throw ConfigError(fmt::format("{}: input {} has no shape; a tensor of rank >= 1 expected", op, i));
  return in[i];
}

// Product of dims[from, end).
std::int64_t product_from(const Dims& d, std::size_t from, std::string_view what) {
  return element_count(Dims(d.begin() + static_cast<std::ptrdiff_t>(std::min(from, d.size())), d.end()), what);
}

}  // namespace

OpClass classify(std::string_view op_type) {
  for (const auto& [name, kind] : classes)
    if (name == op_type) return {kind, true};
  return {};
}

std::int64_t element_count(const Dims& dims, std::string_view what) {
  std::int64_t n = 1;
  for (auto d : dims) {
    if (d < 0) throw ConfigError(fmt::format("{}: dimension {} is negative; sizes >= 0 expected", what, d));
    n = network_detail::checked_mul(n, d, what);
  }
  return n;
}

std::int64_t node_macs(std::string_view op, const std::vector<Dims>& in, const Dims& out,
                       bool trans_a) {
  using network_detail::checked_mul;
  const auto what = fmt::format("{}: multiply-adds", op);
  // Every output element of a convolution or a product is one dot product; its length is
  // the reduction: (C_in / groups) x kernel for Conv, K for Gemm and MatMul.
  if (op == "Conv") return checked_mul(element_count(out, what), product_from(input(in, 1, op), 1, what), what);
  if (op == "Gemm") {
    const auto& a = input(in, 0, op);
    return checked_mul(element_count(out, what), trans_a ? a.front() : a.back(), what);
  }
  if (op == "MatMul") return checked_mul(element_count(out, what), input(in, 0, op).back(), what);
  // A transposed convolution scatters each input element over (C_out / groups) x kernel
  // outputs: W is [C_in, C_out / groups, k...].
  if (op == "ConvTranspose")
    return checked_mul(element_count(input(in, 0, op), what), product_from(input(in, 1, op), 1, what), what);
  return 0;
}

bool may_hold_weights(std::string_view op, std::size_t index) {
  if (op == "BatchNormalization") return index == 1 || index == 2;
  if (op == "Resize" || op == "Upsample" || op == "Clip" || op == "Dropout" || op == "Reshape" ||
      op == "Pad" || op == "Slice" || op == "Expand" || op == "Tile")
    return index == 0;
  return true;
}

Shape per_sample_shape(const Dims& full, std::int64_t batch, std::string_view what) {
  const auto total = element_count(full, what);
  Dims d = full;
  if (!d.empty() && d.front() == batch) d.erase(d.begin());
  else if (batch > 1) d = {total / batch};  // the batch is folded in elsewhere: keep the count
  Shape s{1, 1, 1};
  if (d.size() >= 1) s.c = d[0];
  if (d.size() >= 2) s.h = d[1];
  if (d.size() >= 3) s.w = product_from(d, 2, what);
  if (s.c == 0 || s.h == 0 || s.w == 0)
    throw ConfigError(fmt::format("{}: a dimension is 0; every dimension >= 1 expected", what));
  return s;
}

}  // namespace dlscale::onnx_import

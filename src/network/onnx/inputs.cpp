#include "network/onnx/inputs.hpp"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dlscale/error.hpp"
#include "network/layers.hpp"

namespace dlscale::onnx_import {
namespace {

template <class... A>
[[noreturn]] void fail(std::string_view file, fmt::format_string<A...> f, A&&... a) {
  throw ConfigError(fmt::format("{}: {}", file, fmt::format(f, std::forward<A>(a)...)));
}

// Used only in weight positions (and used at all).
bool only_weight_slots(const onnx::GraphProto& g, const std::string& tensor) {
  bool used = false;
  for (const auto& n : g.node())
    for (int i = 0; i < n.input_size(); ++i) {
      if (n.input(i) != tensor) continue;
      used = true;
      const auto& op = n.op_type();
      const bool weight = ((op == "Conv" || op == "ConvTranspose" || op == "Gemm") && (i == 1 || i == 2)) ||
                          (op == "BatchNormalization" && i >= 1) ||
                          (op == "LayerNormalization" && i >= 1) || (op == "Gather" && i == 0);
      if (!weight) return false;
    }
  return used;
}

// Dims, and for inline data its size: a file whose data does not match its dims is corrupt.
void check_initializer(const onnx::TensorProto& t, std::string_view file, GraphInputs& in) {
  const Dims dims(t.dims().begin(), t.dims().end());
  const auto n = element_count(dims, fmt::format("{}: initializer '{}': elements", file, t.name()));
  in.weights[t.name()] = {dims, true, t.data_type()};
  if (t.data_location() == onnx::TensorProto::EXTERNAL) return;  // shapes are all we read
  std::size_t width = 0, have = 0;
  using T = onnx::TensorProto;
  switch (t.data_type()) {
    case T::FLOAT: width = 4; have = static_cast<std::size_t>(t.float_data_size()); break;
    case T::DOUBLE: width = 8; have = static_cast<std::size_t>(t.double_data_size()); break;
    case T::FLOAT16: case T::BFLOAT16: width = 2; have = static_cast<std::size_t>(t.int32_data_size()); break;
    default: return;  // integer constants: shapes, indices; not weights
  }
  if (!t.raw_data().empty()) have = t.raw_data().size() / width;
  if (have != 0 && (have != static_cast<std::size_t>(n) || t.raw_data().size() % width != 0))
    fail(file, "initializer '{}': {} elements of data for dims {} ({} expected); the file is corrupt",
         t.name(), have, fmt::join(dims, "x"), n);
}

// Graph inputs that are not initializers carry data, except weights declared without
// values (older exporters list weights as inputs); those feed only weight slots.
void pick_data_input(onnx::GraphProto& g, std::string_view file, GraphInputs& in) {
  std::vector<onnx::ValueInfoProto*> data;
  for (auto& v : *g.mutable_input()) {
    if (in.weights.contains(v.name())) continue;
    if (only_weight_slots(g, v.name())) {
      const auto f = facts_of(v);
      if (!f.shaped) fail(file, "input '{}' feeds only weight inputs but has no fixed shape; a shape expected", v.name());
      element_count(f.dims, fmt::format("{}: input '{}': elements", file, v.name()));
      in.weights[v.name()] = f;
      continue;
    }
    data.push_back(&v);
  }
  if (data.size() != 1) {
    std::vector<std::string> names;
    for (auto* v : data) names.push_back(v->name());
    fail(file, "{} data inputs ({}); one graph input that is not an initializer expected", data.size(),
         names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
  }
  in.data = data[0];
  in.data_name = in.data->name();
  if (!in.data->type().has_tensor_type() || !in.data->type().tensor_type().has_shape())
    fail(file, "input '{}' has no shape; a tensor with a fixed shape (batch first) expected", in.data->name());
  auto* shape = in.data->mutable_type()->mutable_tensor_type()->mutable_shape();
  for (int i = 0; i < shape->dim_size(); ++i) {
    auto* d = shape->mutable_dim(i);
    if (i == 0 && !d->has_dim_value()) {  // a symbolic batch: one sample
      in.batch_text = d->dim_param().empty() ? "symbolic in the file, taken as 1"
                                            : fmt::format("'{}' in the file, taken as 1", d->dim_param());
      d->set_dim_value(1);
    }
    if (!d->has_dim_value())
      fail(file, "input '{}': dimension {} is symbolic ('{}'); a model exported with a fixed input size expected",
           in.data->name(), i, d->dim_param());
    if (d->dim_value() < 1 || d->dim_value() > network_detail::max_given_dim)
      fail(file, "input '{}': dimension {} is {}; a size in [1, {}] expected", in.data->name(), i,
           d->dim_value(), network_detail::max_given_dim);
  }
  if (shape->dim_size() > 0) in.batch = shape->dim(0).dim_value();
  if (in.batch_text.empty()) in.batch_text = fmt::format("{} in the file", in.batch);
}

}  // namespace

bool is_float(int type) {
  using T = onnx::TensorProto;
  return type == T::FLOAT || type == T::FLOAT16 || type == T::DOUBLE || type == T::BFLOAT16;
}

Facts facts_of(const onnx::ValueInfoProto& v) {
  Facts f;
  if (!v.type().has_tensor_type()) return f;
  const auto& t = v.type().tensor_type();
  f.type = t.elem_type();
  if (!t.has_shape()) return f;
  f.shaped = true;
  for (const auto& d : t.shape().dim()) {
    if (!d.has_dim_value()) f.shaped = false;
    f.dims.push_back(d.dim_value());
  }
  return f;
}

GraphInputs read_inputs(onnx::GraphProto& g, std::string_view file) {
  GraphInputs in;
  for (const auto& t : g.initializer()) check_initializer(t, file, in);
  pick_data_input(g, file, in);
  return in;
}

}  // namespace dlscale::onnx_import

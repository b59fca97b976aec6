#include "network/onnx/statement.hpp"

#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dlscale/error.hpp"
#include "network/layers.hpp"

namespace dlscale::onnx_import {
namespace {

using network_detail::RawLayer;

std::int64_t int_attr(const onnx::NodeProto& n, std::string_view name, std::int64_t fallback) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return a.i();
  return fallback;
}

Dims ints_attr(const onnx::NodeProto& n, std::string_view name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return {a.ints().begin(), a.ints().end()};
  return {};
}

std::string string_attr(const onnx::NodeProto& n, std::string_view name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return a.s();
  return {};
}

bool all_equal(const Dims& d, std::int64_t v) {
  for (auto x : d)
    if (x != v) return false;
  return true;
}

// Geometry of a 2-D window (Conv, pooling) in the .net's terms, or false when the .net
// cannot say it: dilation, asymmetric padding, automatic padding, unequal strides.
bool window_options(const onnx::NodeProto& n, RawLayer& r, bool square) {
  const auto auto_pad = string_attr(n, "auto_pad");
  if (!auto_pad.empty() && auto_pad != "NOTSET") return false;
  const auto strides = ints_attr(n, "strides"), pads = ints_attr(n, "pads"), dil = ints_attr(n, "dilations");
  if (!all_equal(dil, 1) || (!strides.empty() && (strides.size() != 2 || strides[0] != strides[1]))) return false;
  if (!pads.empty() && (pads.size() != 4 || pads[0] != pads[2] || pads[1] != pads[3])) return false;
  if (square && !pads.empty() && pads[0] != pads[1]) return false;
  const auto s = strides.empty() ? 1 : strides[0];
  r.options.emplace_back("s", std::to_string(s));
  if (square) {
    r.options.emplace_back("p", std::to_string(pads.empty() ? 0 : pads[0]));
  } else {
    r.options.emplace_back("ph", std::to_string(pads.empty() ? 0 : pads[0]));
    r.options.emplace_back("pw", std::to_string(pads.empty() ? 0 : pads[1]));
  }
  return true;
}

// The statement before its check; nullopt where the .net has no such form.
std::optional<RawLayer> candidate(const onnx::NodeProto& n, const Draft& d) {
  RawLayer r{std::string(to_string(d.kind)), d.name, {}, {}, d.from, 1};
  const auto& op = n.op_type();
  if (op == "Conv") {
    if (d.tensors.empty() || d.tensors[0].second.size() != 4) return std::nullopt;
    const auto& w = d.tensors[0].second;
    r.args.push_back(std::to_string(w[0]));
    r.options = {{"kh", std::to_string(w[2])}, {"kw", std::to_string(w[3])}};
    if (!window_options(n, r, false)) return std::nullopt;
    r.options.emplace_back("g", std::to_string(int_attr(n, "group", 1)));
    r.options.emplace_back("bias", d.tensors.size() > 1 ? "1" : "0");
  } else if (op == "Gemm") {
    if (d.tensors.empty() || int_attr(n, "transA", 0) != 0) return std::nullopt;
    r.args.push_back(std::to_string(d.out.c));
    r.options.emplace_back("bias", d.tensors.size() > 1 ? "1" : "0");
  } else if (op == "MaxPool" || op == "AveragePool") {
    const auto k = ints_attr(n, "kernel_shape");
    if (k.size() != 2 || k[0] != k[1] || int_attr(n, "storage_order", 0) != 0) return std::nullopt;
    r.options.emplace_back("k", std::to_string(k[0]));
    if (!window_options(n, r, true)) return std::nullopt;
    r.options.emplace_back("ceil", std::to_string(int_attr(n, "ceil_mode", 0)));
  } else if (op == "BatchNormalization") {
    // gamma and beta [C], as the keyword declares; checked below like every candidate
  } else if (op == "ConvTranspose" || op == "MatMul" || !d.tensors.empty()) {
    return std::nullopt;  // no .net form, or weights the keyword would not declare
  }
  return r;
}

bool same_layer(const Layer& L, const std::vector<WeightTensor>& tensors, const Draft& d) {
  if (!(L.out == d.out) || L.macs != d.macs || tensors.size() != d.tensors.size()) return false;
  for (std::size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].dims != d.tensors[i].second) return false;
  return true;
}

}  // namespace

std::string sanitize_name(std::string_view name) {
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string out;
  for (char c : name.substr(0, 200)) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/';
    out += ok ? c : '_';
  }
  return out.empty() ? "node" : out;
}

std::string comment_safe(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += (c == '\n' || c == '\r' || c == '\0') ? ' ' : c;
  return out;
}

std::string format_statement(const RawLayer& r) {
  std::string out = r.type + " " + r.name;
  for (const auto& a : r.args) out += " " + a;
  for (const auto& [k, v] : r.options) out += " " + k + "=" + v;
  if (!r.from.empty()) out += fmt::format(" from={}", fmt::join(r.from, ","));
  return out;
}

std::optional<RawLayer> native_statement(const onnx::NodeProto& n, const Draft& d,
                                         const std::unordered_map<std::string, Shape>& shapes) {
  auto r = candidate(n, d);
  if (!r) return std::nullopt;
  std::vector<Shape> in;
  for (const auto& f : d.from) in.push_back(shapes.at(f));
  std::vector<WeightTensor> tensors;
  try {
    const auto L = network_detail::make_layer(*r, in, "import", tensors);
    if (!same_layer(L, tensors, d)) return std::nullopt;
  } catch (const ConfigError&) {
    return std::nullopt;  // the .net's rules refuse it (add of different shapes, ...)
  }
  return r;
}

RawLayer given_statement(const Draft& d) {
  RawLayer r{std::string(to_string(d.kind)), d.name, {}, {}, d.from, 1};
  r.options.emplace_back("out", fmt::format("{}x{}x{}", d.out.c, d.out.h, d.out.w));
  if (d.macs != 0) r.options.emplace_back("macs", std::to_string(d.macs));
  for (const auto& [name, dims] : d.tensors)
    r.options.emplace_back("tensor", fmt::format("{}:{}", name, fmt::join(dims, "x")));
  return r;
}

}  // namespace dlscale::onnx_import

// Layers whose counts are written out (`out=`, `macs=`, `tensor=`) instead of inferred: what
// the ONNX importer writes for an operator that no .net statement reproduces exactly (a
// MatMul over a sequence, LayerNorm, an embedding lookup). Only the class comes from the
// type keyword; it decides how [rates] prices the layer.
#include <limits>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"
#include "network/layers.hpp"

namespace dlscale::network_detail {
namespace {

template <class... A>
[[noreturn]] void fail(const RawLayer& r, std::string_view source, fmt::format_string<A...> f, A&&... a) {
  throw ConfigError(fmt::format("{}:{}: layer '{}': {}", source, r.line, r.name,
                                fmt::format(f, std::forward<A>(a)...)));
}

// "AxBxC" -> dims, each in [1, max_given_dim].
std::vector<std::int64_t> parse_dims(std::string_view text, const RawLayer& r, std::string_view source,
                                     std::string_view field) {
  std::vector<std::int64_t> dims;
  const auto where_field = fmt::format("layer '{}': {}", r.name, field);
  const detail::Where at{source, r.line, where_field};
  while (true) {
    const auto x = text.find('x');
    dims.push_back(detail::parse_int(text.substr(0, x), at, 1, max_given_dim));
    if (x == std::string_view::npos) break;
    text = text.substr(x + 1);
  }
  return dims;
}

}  // namespace

bool has_given_counts(const RawLayer& r) {
  for (const auto& [key, value] : r.options)
    if (key == "out") return true;
  return false;
}

Layer make_given_layer(const RawLayer& r, LayerKind kind, const std::vector<Shape>& in,
                       std::string_view source, std::vector<WeightTensor>& tensors) {
  if (in.empty()) fail(r, source, "a layer with out= takes 1 or more inputs; 0 given");
  if (!r.args.empty())
    fail(r, source, "a layer with out= takes no values; '{}' given (out=CxHxW macs=N tensor=NAME:AxB expected)",
         r.args[0]);
  Layer L;
  L.name = r.name;
  L.kind = kind;
  L.inputs = r.from;
  L.in = in[0];
  L.given_counts = true;
  bool seen_out = false, seen_macs = false;
  for (const auto& [key, value] : r.options) {
    if (key == "out") {
      if (seen_out) fail(r, source, "out= given twice; one expected");
      const auto d = parse_dims(value, r, source, "out");
      if (d.size() != 3) fail(r, source, "out={}: CxHxW expected (three sizes)", value);
      L.out = {d[0], d[1], d[2]};
      seen_out = true;
    } else if (key == "macs") {
      if (seen_macs) fail(r, source, "macs= given twice; one expected");
      const auto field = fmt::format("layer '{}': macs", r.name);
      L.macs = detail::parse_int(value, {source, r.line, field}, 0, std::numeric_limits<long long>::max());
      seen_macs = true;
    } else if (key == "tensor") {
      const auto colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0)
        fail(r, source, "tensor={}: NAME:AxB expected", value);
      const auto name = value.substr(0, colon);
      auto dims = parse_dims(std::string_view(value).substr(colon + 1), r, source, "tensor " + name);
      std::int64_t n = 1;
      try {
        for (auto x : dims) n = checked_mul(n, x, fmt::format("elements of tensor '{}'", name));
        L.params = checked_add(L.params, n, "parameters");
      } catch (const CountOverflow& e) {
        fail(r, source, "{}", e.what());
      }
      tensors.push_back({name, std::move(dims), n});
    } else {
      fail(r, source, "unknown option '{}' for a layer with out=; one of out, macs, tensor", key);
    }
  }
  try {
    checked_mul(checked_mul(L.out.c, L.out.h, "output elements per sample"), L.out.w,
                "output elements per sample");
  } catch (const CountOverflow& e) {
    fail(r, source, "{}", e.what());
  }
  return L;
}

}  // namespace dlscale::network_detail

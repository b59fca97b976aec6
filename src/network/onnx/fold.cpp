#include "network/onnx/fold.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace dlscale::onnx_import {
namespace {

using T = onnx::TensorProto;

struct Ints {
  Dims dims;
  std::vector<std::int64_t> v;
};
using Known = std::unordered_map<std::string, Ints>;

std::optional<Ints> from_tensor(const T& t) {
  if (t.data_location() == T::EXTERNAL || (t.data_type() != T::INT64 && t.data_type() != T::INT32)) return std::nullopt;
  Ints out{{t.dims().begin(), t.dims().end()}, {}};
  std::int64_t n = 1;
  for (auto d : out.dims) {  // each factor <= 64 and the product so far <= 64: no overflow
    if (d < 0 || d > static_cast<std::int64_t>(max_folded_elements)) return std::nullopt;
    n *= d;
    if (n > static_cast<std::int64_t>(max_folded_elements)) return std::nullopt;
  }
  const std::size_t width = t.data_type() == T::INT64 ? 8 : 4;
  if (!t.raw_data().empty()) {
    if (t.raw_data().size() != static_cast<std::size_t>(n) * width) return std::nullopt;
    for (std::int64_t i = 0; i < n; ++i) {
      const char* at = t.raw_data().data() + i * static_cast<std::int64_t>(width);
      std::int64_t x = 0;
      std::int32_t y = 0;
      if (width == 8) {
        std::memcpy(&x, at, 8);
      } else {
        std::memcpy(&y, at, 4);
        x = y;
      }
      out.v.push_back(x);
    }
  } else if (width == 8) {
    out.v.assign(t.int64_data().begin(), t.int64_data().end());
  } else {
    out.v.assign(t.int32_data().begin(), t.int32_data().end());
  }
  if (out.v.size() != static_cast<std::size_t>(n)) return std::nullopt;
  return out;
}

const onnx::AttributeProto* attr(const onnx::NodeProto& n, std::string_view name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::optional<Ints> constant_value(const onnx::NodeProto& n) {
  if (const auto* a = attr(n, "value")) return from_tensor(a->t());
  if (const auto* a = attr(n, "value_int")) return Ints{{}, {a->i()}};
  if (const auto* a = attr(n, "value_ints"); a && a->ints_size() <= static_cast<int>(max_folded_elements))
    return Ints{{a->ints_size()}, {a->ints().begin(), a->ints().end()}};
  return std::nullopt;
}

std::optional<Ints> arithmetic(const std::string& op, const Ints& a, const Ints& b) {
  if (a.v.empty() || b.v.empty()) return std::nullopt;
  if (a.v.size() != b.v.size() && a.v.size() != 1 && b.v.size() != 1) return std::nullopt;
  Ints out = a.v.size() >= b.v.size() ? Ints{a.dims, {}} : Ints{b.dims, {}};
  if (a.dims.size() < b.dims.size() && a.v.size() == b.v.size()) out.dims = b.dims;
  const auto n = std::max(a.v.size(), b.v.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = a.v[a.v.size() == 1 ? 0 : i], y = b.v[b.v.size() == 1 ? 0 : i];
    std::int64_t r = 0;
    if (op == "Add" && __builtin_add_overflow(x, y, &r)) return std::nullopt;
    if (op == "Sub" && __builtin_sub_overflow(x, y, &r)) return std::nullopt;
    if (op == "Mul" && __builtin_mul_overflow(x, y, &r)) return std::nullopt;
    if (op == "Div") {
      if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
      r = x / y;
    }
    out.v.push_back(r);
  }
  return out;
}

std::int64_t clamp_index(std::int64_t i, std::int64_t n, std::int64_t lo, std::int64_t hi) {
  if (i < 0) i += n;
  return std::clamp(i, lo, hi);
}

// Axes for Unsqueeze/Squeeze: input 1 from opset 13, an attribute before.
std::optional<Dims> axes_of(const onnx::NodeProto& n, const Known& known) {
  if (n.input_size() > 1) {
    const auto k = known.find(n.input(1));
    if (k == known.end()) return std::nullopt;
    return k->second.v;
  }
  if (const auto* a = attr(n, "axes")) return Dims(a->ints().begin(), a->ints().end());
  return Dims{};
}

std::optional<Ints> evaluate(const onnx::NodeProto& n, const Known& known,
                             const std::function<std::optional<Dims>(const std::string&)>& shape_of) {
  const auto& op = n.op_type();
  std::vector<const Ints*> in;
  for (const auto& name : n.input()) {
    const auto k = known.find(name);
    in.push_back(k == known.end() ? nullptr : &k->second);
  }
  const auto have = [&](std::size_t i) { return i < in.size() && in[i] != nullptr; };
  if (op == "Shape" || op == "Size") {
    const auto s = n.input_size() ? shape_of(n.input(0)) : std::nullopt;
    if (!s || s->size() > max_folded_elements) return std::nullopt;
    if (op == "Size") {
      std::int64_t e = 1;
      for (auto d : *s)
        if (__builtin_mul_overflow(e, d, &e)) return std::nullopt;
      return Ints{{}, {e}};
    }
    const auto r = static_cast<std::int64_t>(s->size());
    const auto* sa = attr(n, "start");
    const auto* ea = attr(n, "end");
    const auto b = clamp_index(sa ? sa->i() : 0, r, 0, r), e = clamp_index(ea ? ea->i() : r, r, 0, r);
    Ints out{{std::max<std::int64_t>(e - b, 0)}, {}};
    for (auto i = b; i < e; ++i) out.v.push_back((*s)[static_cast<std::size_t>(i)]);
    return out;
  }
  if ((op == "Identity" || op == "Cast") && have(0)) {
    if (const auto* to = attr(n, "to"); to && to->i() != T::INT64 && to->i() != T::INT32) return std::nullopt;
    return *in[0];
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div") && have(0) && have(1))
    return arithmetic(op, *in[0], *in[1]);
  if (op == "Gather" && have(0) && have(1) && in[0]->dims.size() == 1) {
    if (const auto* a = attr(n, "axis"); a && a->i() != 0) return std::nullopt;
    const auto len = static_cast<std::int64_t>(in[0]->v.size());
    Ints out{in[1]->dims, {}};
    for (auto i : in[1]->v) {
      if (i < -len || i >= len) return std::nullopt;
      out.v.push_back(in[0]->v[static_cast<std::size_t>(i < 0 ? i + len : i)]);
    }
    return out;
  }
  if (op == "Unsqueeze" && have(0)) {
    const auto axes = axes_of(n, known);
    if (!axes) return std::nullopt;
    Ints out{in[0]->dims, in[0]->v};
    const auto rank = static_cast<std::int64_t>(out.dims.size() + axes->size());
    Dims sorted;
    for (auto a : *axes) sorted.push_back(a < 0 ? a + rank : a);
    std::sort(sorted.begin(), sorted.end());
    for (auto a : sorted) {
      if (a < 0 || a > static_cast<std::int64_t>(out.dims.size())) return std::nullopt;
      out.dims.insert(out.dims.begin() + a, 1);
    }
    return out;
  }
  if (op == "Squeeze" && have(0)) {
    const auto axes = axes_of(n, known);
    if (!axes) return std::nullopt;
    Ints out{{}, in[0]->v};
    const auto rank = static_cast<std::int64_t>(in[0]->dims.size());
    for (std::int64_t i = 0; i < rank; ++i) {
      const bool listed = std::find_if(axes->begin(), axes->end(), [&](auto a) { return a == i || a + rank == i; }) != axes->end();
      if ((axes->empty() && in[0]->dims[static_cast<std::size_t>(i)] == 1) || listed) continue;
      out.dims.push_back(in[0]->dims[static_cast<std::size_t>(i)]);
    }
    return out;
  }
  if (op == "Concat") {
    Ints out{{0}, {}};
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (!have(i) || in[i]->dims.size() != 1) return std::nullopt;
      out.v.insert(out.v.end(), in[i]->v.begin(), in[i]->v.end());
    }
    out.dims[0] = static_cast<std::int64_t>(out.v.size());
    if (out.v.size() > max_folded_elements) return std::nullopt;
    return out;
  }
  if (op == "Slice" && have(0) && have(1) && have(2) && in[0]->dims.size() == 1) {
    if ((in.size() > 3 && !n.input(3).empty() && !have(3)) || (in.size() > 4 && !n.input(4).empty() && !have(4)))
      return std::nullopt;
    if (have(3) && (in[3]->v.size() != 1 || (in[3]->v[0] != 0 && in[3]->v[0] != -1))) return std::nullopt;
    const std::int64_t step = have(4) && in[4]->v.size() == 1 ? in[4]->v[0] : 1;
    if (in[1]->v.size() != 1 || in[2]->v.size() != 1 || step != 1) return std::nullopt;
    const auto len = static_cast<std::int64_t>(in[0]->v.size());
    const auto b = clamp_index(in[1]->v[0], len, 0, len), e = clamp_index(std::min(in[2]->v[0], len), len, 0, len);
    Ints out{{std::max<std::int64_t>(e - b, 0)}, {}};
    for (auto i = b; i < e; ++i) out.v.push_back(in[0]->v[static_cast<std::size_t>(i)]);
    return out;
  }
  return std::nullopt;
}

}  // namespace

int fold_shape_arithmetic(onnx::GraphProto& g,
                          const std::function<std::optional<Dims>(const std::string&)>& shape_of) {
  Known known;
  for (const auto& t : g.initializer())
    if (auto v = from_tensor(t)) known[t.name()] = std::move(*v);
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  int folded = 0;
  for (const auto& n : g.node()) {
    if (n.op_type() == "Constant" && n.output_size() == 1) {
      if (auto v = constant_value(n)) known[n.output(0)] = std::move(*v);
      *kept.Add() = n;
      continue;
    }
    const bool single = n.output_size() == 1 && (n.domain().empty() || n.domain() == "ai.onnx");
    auto v = single ? evaluate(n, known, shape_of) : std::nullopt;
    if (!v || v->v.size() > max_folded_elements) {
      *kept.Add() = n;
      continue;
    }
    auto* t = g.add_initializer();
    t->set_name(n.output(0));
    t->set_data_type(T::INT64);
    for (auto d : v->dims) t->add_dims(d);
    for (auto x : v->v) t->add_int64_data(x);
    known[n.output(0)] = std::move(*v);
    ++folded;
  }
  g.mutable_node()->Swap(&kept);
  return folded;
}

}  // namespace dlscale::onnx_import

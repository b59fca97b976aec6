#include "network/layers.hpp"

#include <cassert>
#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"
#include "network/kinds.hpp"

namespace dlscale::network_detail {
namespace {

constexpr long long max_channels = 1LL << 24;
constexpr long long max_spatial = 1LL << 20;
constexpr long long max_kernel = 1LL << 12;

// The options of one statement: typed look-ups, and a check that nothing else was given.
class Options {
 public:
  Options(const RawLayer& r, std::string_view source, std::vector<std::string_view> known)
      : r_(r), source_(source), known_(std::move(known)) {
    for (const auto& [key, value] : r.options) {
      bool ok = false;
      for (auto k : known_) ok = ok || k == key;
      if (!ok) fail("unknown option '{}' for {}; {}", key, r.type, expected());
    }
  }

  std::optional<long long> find(std::string_view key, long long min, long long max) const {
    std::optional<long long> out;
    for (const auto& [k, v] : r_.options)
      if (k == key) out = detail::parse_int(v, where(key), min, max);
    return out;
  }
  long long get(std::string_view key, long long fallback, long long min, long long max) const {
    return find(key, min, max).value_or(fallback);
  }
  long long require(std::string_view key, long long min, long long max) const {
    if (auto v = find(key, min, max)) return *v;
    fail("option '{}={}' expected ({} in [{}, {}])", key, "<n>", key, min, max);
  }
  long long arg(std::size_t i, std::string_view what, long long min, long long max) const {
    return detail::parse_int(r_.args[i], where(what), min, max);
  }
  void args(std::size_t n, std::string_view what) const {
    if (r_.args.size() != n)
      fail("{} takes {} value{} ({}); {} given", r_.type, n, n == 1 ? "" : "s", what, r_.args.size());
  }
  void inputs(const std::vector<Shape>& in, std::size_t min, std::size_t max) const {
    if (in.size() < min || in.size() > max)
      fail("{} takes {} input{}; {} given", r_.type,
           min == max ? fmt::format("{}", min) : fmt::format("{} or more", min), max == 1 ? "" : "s", in.size());
  }

  template <class... A>
  [[noreturn]] void fail(fmt::format_string<A...> f, A&&... a) const {
    throw ConfigError(fmt::format("{}:{}: layer '{}': {}", source_, r_.line, r_.name,
                                  fmt::format(f, std::forward<A>(a)...)));
  }

 private:
  detail::Where where(std::string_view field) const {
    field_ = fmt::format("layer '{}': {}", r_.name, field);
    return {source_, r_.line, field_};
  }
  std::string expected() const {
    if (known_.size() == 0) return "it takes no options";
    return fmt::format("one of {}", fmt::join(known_, ", "));
  }
  const RawLayer& r_;
  std::string_view source_;
  std::vector<std::string_view> known_;
  mutable std::string field_;
};

// Output size along one axis; ceil mode follows Caffe/PyTorch (the last window must start
// inside the input or its left padding).
std::int64_t out_size(const Options& o, std::string_view axis, std::int64_t in, int k, int s,
                      int p, bool ceil_mode) {
  const std::int64_t span = in + 2 * p - k;
  if (span < 0)
    o.fail("output {} would be <= 0 (input {}, kernel {}, pad {}); a larger input or smaller kernel expected",
           axis, in, k, p);
  std::int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && p > 0 && (out - 1) * s >= in + p) --out;
  return out;
}

std::int64_t elements(const Shape& s, std::string_view what) {
  return checked_mul(checked_mul(s.c, s.h, what), s.w, what);
}

void add_tensor(std::vector<WeightTensor>& t, const std::string& name, std::vector<std::int64_t> dims) {
  std::int64_t n = 1;
  for (auto d : dims) n = checked_mul(n, d, fmt::format("elements of tensor '{}'", name));
  t.push_back({name, std::move(dims), n});
}

void conv(Layer& L, const Options& o, const Shape& in, std::vector<WeightTensor>& t) {
  o.args(1, "output channels");
  const auto cout = o.arg(0, "output channels", 1, max_channels);
  const auto k = o.find("k", 1, max_kernel);
  L.kernel_h = static_cast<int>(o.get("kh", k.value_or(0), 1, max_kernel));
  L.kernel_w = static_cast<int>(o.get("kw", k.value_or(0), 1, max_kernel));
  if (L.kernel_h == 0 || L.kernel_w == 0) o.fail("kernel size expected: k=<n> or kh=<n> kw=<n>");
  L.stride = static_cast<int>(o.get("s", 1, 1, max_kernel));
  const auto p = o.get("p", 0, 0, max_kernel);
  L.pad = static_cast<int>(o.get("ph", p, 0, max_kernel));
  L.pad_w = static_cast<int>(o.get("pw", p, 0, max_kernel));
  L.groups = static_cast<int>(o.get("g", 1, 1, max_channels));
  L.bias = o.get("bias", 1, 0, 1) == 1;
  if (in.c % L.groups != 0 || cout % L.groups != 0)
    o.fail("groups {} do not divide input channels {} and output channels {}; a common divisor expected",
           L.groups, in.c, cout);
  L.out = {cout, out_size(o, "height", in.h, L.kernel_h, L.stride, L.pad, false),
           out_size(o, "width", in.w, L.kernel_w, L.stride, L.pad_w, false)};
  add_tensor(t, L.name + "/weight", {cout, in.c / L.groups, L.kernel_h, L.kernel_w});
  if (L.bias) add_tensor(t, L.name + "/bias", {cout});
  const auto per_output = checked_mul(L.kernel_h * L.kernel_w, in.c / L.groups, "multiply-adds per output");
  L.macs = checked_mul(elements(L.out, "output elements per sample"), per_output,
                       "multiply-adds per sample");
}

void fc(Layer& L, const Options& o, const Shape& in, std::vector<WeightTensor>& t) {
  o.args(1, "outputs");
  const auto out = o.arg(0, "outputs", 1, max_channels);
  L.bias = o.get("bias", 1, 0, 1) == 1;
  L.out = {out, 1, 1};
  add_tensor(t, L.name + "/weight", {out, elements(in, "input elements per sample")});
  if (L.bias) add_tensor(t, L.name + "/bias", {out});
  L.macs = checked_mul(elements(in, "input elements per sample"), out, "multiply-adds per sample");
}

void pool(Layer& L, const Options& o, const Shape& in) {
  o.args(0, "none");
  L.kernel_h = L.kernel_w = static_cast<int>(o.require("k", 1, max_kernel));
  L.stride = static_cast<int>(o.get("s", 1, 1, max_kernel));
  L.pad = L.pad_w = static_cast<int>(o.get("p", 0, 0, max_kernel));
  const bool ceil_mode = o.get("ceil", 0, 0, 1) == 1;
  L.out = {in.c, out_size(o, "height", in.h, L.kernel_h, L.stride, L.pad, ceil_mode),
           out_size(o, "width", in.w, L.kernel_w, L.stride, L.pad, ceil_mode)};
}

Shape join(const Options& o, LayerKind kind, const RawLayer& r, const std::vector<Shape>& in) {
  Shape out = in[0];
  for (std::size_t i = 1; i < in.size(); ++i) {
    const auto& s = in[i];
    if (kind == LayerKind::add && !(s == in[0]))
      o.fail("add of different shapes: '{}' is {}x{}x{}, '{}' is {}x{}x{}; equal shapes expected",
             r.from[0], in[0].c, in[0].h, in[0].w, r.from[i], s.c, s.h, s.w);
    if (kind == LayerKind::concat && (s.h != in[0].h || s.w != in[0].w))
      o.fail("concat of different sizes: '{}' is {}x{}, '{}' is {}x{}; equal height and width expected",
             r.from[0], in[0].h, in[0].w, r.from[i], s.h, s.w);
    if (kind == LayerKind::concat) out.c = checked_add(out.c, s.c, r.name);
  }
  return out;
}

std::vector<std::string_view> options_of(LayerKind k) {
  switch (k) {
    case LayerKind::conv: return {"k", "kh", "kw", "s", "p", "ph", "pw", "g", "bias"};
    case LayerKind::fc: return {"bias"};
    case LayerKind::maxpool: case LayerKind::avgpool: return {"k", "s", "p", "ceil"};
    case LayerKind::dropout: return {"rate"};
    default: return {};
  }
}

}  // namespace

std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out))
    throw CountOverflow(fmt::format("{}: count does not fit in 64 bits; smaller sizes expected", what));
  return out;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out))
    throw CountOverflow(fmt::format("{}: count does not fit in 64 bits; smaller sizes expected", what));
  return out;
}

Layer make_layer(const RawLayer& r, const std::vector<Shape>& in, std::string_view source,
                 std::vector<WeightTensor>& tensors) {
  const auto kind = parse_kind(r.type);
  assert(kind && "the expander accepts only known types");
  using K = LayerKind;
  Layer L;
  L.name = r.name;
  L.kind = *kind;
  L.inputs = r.from;
  if (has_given_counts(r) && *kind != K::input) return make_given_layer(r, *kind, in, source, tensors);
  const Options o(r, source, options_of(*kind));
  const auto first = tensors.size();
  if (*kind == K::input) {
    o.inputs(in, 0, 0);
    o.args(3, "channels height width");
    L.out = {o.arg(0, "channels", 1, max_channels), o.arg(1, "height", 1, max_spatial),
             o.arg(2, "width", 1, max_spatial)};
    L.in = L.out;
    elements(L.out, "elements per sample");  // c*h*w must fit: Shape::elements() is unchecked
    return L;
  }
  const bool joins = *kind == K::concat || *kind == K::add;
  o.inputs(in, joins ? 2 : 1, joins ? SIZE_MAX : 1);
  L.in = L.out = in[0];
  if (*kind == K::conv) conv(L, o, in[0], tensors);
  else if (*kind == K::fc) fc(L, o, in[0], tensors);
  else if (*kind == K::maxpool || *kind == K::avgpool) pool(L, o, in[0]);
  else o.args(0, "none");
  if (joins) L.out = join(o, *kind, r, in);
  if (*kind == K::dropout) o.get("rate", 0, 0, 100);  // percent; validated, not used
  if (*kind == K::global_avgpool) L.out = {in[0].c, 1, 1};
  if (*kind == K::flatten) L.out = {elements(in[0], "input elements per sample"), 1, 1};
  if (*kind == K::batchnorm) {
    add_tensor(tensors, L.name + "/gamma", {in[0].c});
    add_tensor(tensors, L.name + "/beta", {in[0].c});
  }
  for (auto i = first; i < tensors.size(); ++i)
    L.params = checked_add(L.params, tensors[i].elements, "parameters");
  elements(L.out, "output elements per sample");  // concat adds channels: check the product
  return L;
}

}  // namespace dlscale::network_detail

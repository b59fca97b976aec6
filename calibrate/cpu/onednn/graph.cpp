// The planned network's plumbing: buffer registry, allocation, steps, gradient delivery.
#include "calibrate/cpu/onednn/graph.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "calibrate/cpu/tensor.hpp"
#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

constexpr std::size_t alignment = 64;  // a cache line: what oneDNN's own allocations use

std::uint64_t checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw ConfigError("the oneDNN working set does not fit in 64 bits");
  return r;
}

// The same numbers as Executor<T>'s fill_uniform: doubles from the same generator, rounded.
void fill_uniform(float* v, std::size_t n, double bound, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-bound, bound);
  for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<float>(u(rng));
}

float* data(const dnnl::memory& m) { return static_cast<float*>(m.get_data_handle()); }
std::size_t count(const dnnl::memory& m) { return m.get_desc().get_size() / sizeof(float); }

}  // namespace

OnednnGraph::OnednnGraph(const Network& net, int batch, const LrnParams& lrn)
    : nodes_(net.layers().size()), batch_(batch), lrn_(lrn) {
  if (batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", batch));
  attr_.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    auto& n = nodes_[i];
    n.layer = net.layers()[i];
    index[n.layer.name] = i;
    for (const auto& name : n.layer.inputs) {
      const auto p = index.at(name);  // layers() is topological: producers come first
      n.from.push_back(p);
      ++nodes_[p].consumers;
    }
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) plan_forward(i);
  for (std::size_t i = nodes_.size(); i-- > 0;) plan_backward(i);
}

dnnl::memory::dims OnednnGraph::dims(const Shape& s) const {
  // Checked like Dims: the shapes come from a description file.
  Dims{batch_, s.c, s.h, s.w}.size();
  return {batch_, s.c, s.h, s.w};
}

Md OnednnGraph::plain(const Shape& s) const {
  return {dims(s), dnnl::memory::data_type::f32, dnnl::memory::format_tag::nchw};
}

Md OnednnGraph::plain_of(const Md& d) {
  const auto x = d.dims();
  return {x, dnnl::memory::data_type::f32,
          x.size() == 2 ? dnnl::memory::format_tag::nc : dnnl::memory::format_tag::nchw};
}

dnnl::memory OnednnGraph::view(const Md& d, const dnnl::memory& of) {
  dnnl::memory m(d, eng_, DNNL_MEMORY_NONE);
  buffers_.push_back({m, Slot::own, of});
  return m;
}

dnnl::memory OnednnGraph::make(const Md& d, Slot slot) {
  dnnl::memory m(d, eng_, DNNL_MEMORY_NONE);
  const auto size = (d.get_size() + alignment - 1) / alignment * alignment;
  if (slot == Slot::own) own_bytes_ = checked_add(own_bytes_, size);
  auto& shared = slot_bytes_[static_cast<int>(slot)];
  if (slot != Slot::own) shared = std::max<std::uint64_t>(shared, size);
  buffers_.push_back({m, slot, {}});
  return m;
}

Step OnednnGraph::call(const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args) {
  const auto sp = pd.scratchpad_desc();
  if (sp.get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = make(sp, Slot::scratchpad);
  return {pd, std::move(args), {}, {}};
}

Step OnednnGraph::reorder(const dnnl::memory& from, const dnnl::memory& to) {
  const dnnl::reorder::primitive_desc pd(eng_, from.get_desc(), eng_, to.get_desc(), attr_);
  return call(pd, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}});
}

dnnl::memory OnednnGraph::as(const dnnl::memory& m, const Md& want, Slot slot, std::vector<Step>& steps) {
  if (m.get_desc() == want) return m;
  auto out = make(want, slot);
  steps.push_back(reorder(m, out));
  return out;
}

dnnl::memory OnednnGraph::grad_target(std::size_t i, std::size_t j, const Md& produced,
                                      std::vector<Step>& after) {
  auto& p = nodes_[nodes_[i].from[j]];
  if (p.layer.kind == LayerKind::input) return {};  // nobody needs the data gradient
  if (p.grads_planned == 0 && produced == p.y_md) {
    ++p.grads_planned;
    return p.dy;
  }
  auto tmp = make(produced, Slot::grad_tmp);
  deliver(i, j, tmp, after);
  return tmp;
}

void OnednnGraph::deliver(std::size_t i, std::size_t j, const dnnl::memory& g, std::vector<Step>& steps) {
  auto& p = nodes_[nodes_[i].from[j]];
  if (p.layer.kind == LayerKind::input) return;
  if (p.grads_planned++ == 0) {
    steps.push_back(reorder(g, p.dy));
    return;
  }
  // A later consumer's gradient: dy += g (sum allows dst in place of its first source).
  const dnnl::sum::primitive_desc pd(p.y_md, {1.f, 1.f}, {p.y_md, g.get_desc()}, eng_, attr_);
  steps.push_back(call(pd, {{DNNL_ARG_MULTIPLE_SRC, p.dy}, {DNNL_ARG_MULTIPLE_SRC + 1, g},
                            {DNNL_ARG_DST, p.dy}}));
}

std::uint64_t OnednnGraph::bytes() const {
  std::uint64_t total = own_bytes_;
  for (const auto b : slot_bytes_) total = checked_add(total, b);
  for (const auto& n : nodes_) {  // dropout masks (float), softmax labels (int32)
    if (n.layer.kind == LayerKind::dropout) total = checked_add(total, n.y_md.get_size());
    if (n.layer.kind == LayerKind::softmax) total = checked_add(total, 4 * static_cast<std::uint64_t>(batch_));
  }
  return total;
}

void OnednnGraph::allocate(std::uint32_t seed) {
  auto take = [this](std::uint64_t size) {
    auto* p = static_cast<float*>(std::aligned_alloc(alignment, std::max<std::uint64_t>(size, alignment)));
    if (p == nullptr) throw std::bad_alloc();
    std::memset(p, 0, size);  // blocked layouts pad channels: the padding must read as zero
    storage_.emplace_back(p, [](float* q) { std::free(q); });
    return p;
  };
  float* shared[static_cast<int>(Slot::count)] = {};
  for (int s = 1; s < static_cast<int>(Slot::count); ++s)
    if (slot_bytes_[s] > 0) shared[s] = take(slot_bytes_[s]);
  for (auto& b : buffers_) {
    if (b.alias) continue;
    const auto size = (b.mem.get_desc().get_size() + alignment - 1) / alignment * alignment;
    b.mem.set_data_handle(b.slot == Slot::own ? take(size) : shared[static_cast<int>(b.slot)]);
  }
  for (auto& b : buffers_)  // views after every buffer they may view
    if (b.alias) b.mem.set_data_handle(b.alias.get_data_handle());
  // Same order and bounds as Executor<T>::allocate: input, then per layer weights, bias, gamma.
  rng.seed(seed);
  for (auto& n : nodes_) {
    const auto& L = n.layer;
    if (L.kind == LayerKind::input) fill_uniform(data(n.y), count(n.y), 1.0, rng);
    if (L.kind == LayerKind::conv || L.kind == LayerKind::fc) {
      const auto fan_in = static_cast<double>(count(n.w) / static_cast<std::size_t>(L.out.c));
      fill_uniform(data(n.w), count(n.w), std::sqrt(3.0 / fan_in), rng);
      if (L.bias) fill_uniform(data(n.b), count(n.b), 0.1, rng);
    }
    if (L.kind == LayerKind::batchnorm) {
      fill_uniform(data(n.w), count(n.w), 0.5, rng);
      for (std::size_t k = 0; k < count(n.w); ++k) data(n.w)[k] += 1.f;
      fill_uniform(data(n.b), count(n.b), 0.1, rng);
    }
    if (n.consumers == 0 && L.kind != LayerKind::input && L.kind != LayerKind::softmax) {
      // dy = 1, the gradient of the sum of the outputs; through a plain copy so that the
      // padding of a blocked layout stays zero.
      dnnl::memory ones(plain_of(n.y_md), eng_);
      std::fill(data(ones), data(ones) + count(ones), 1.f);
      dnnl::reorder(ones, n.dy).execute(stream_, ones, n.dy);
    }
    if (L.kind == LayerKind::dropout) n.mask.resize(count(n.y));
    if (L.kind == LayerKind::softmax)  // synthetic labels, one class after another
      for (std::int64_t k = 0; k < batch_; ++k)
        n.labels.push_back(static_cast<std::int32_t>(k % L.out.elements()));
  }
  stream_.wait();
  for (auto& n : nodes_)
    for (auto* steps : {&n.fwd, &n.bwd})
      for (auto& s : *steps)
        if (s.pd) s.prim = dnnl::primitive(s.pd.get());
}

void OnednnGraph::run(std::vector<Step>& steps) {
  for (auto& s : steps) {
    if (s.run) s.run();
    else s.prim.execute(stream_, s.args);
  }
  stream_.wait();
}

}  // namespace dlscale::calib

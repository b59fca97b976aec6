// One forward and one backward plan per layer kind. Every primitive may pick its layouts
// (format_tag::any); where its choice differs from the producer's a reorder is planned, as
// a framework would run it. Backward primitives are first asked for the forward's layouts,
// which saves reorders, and fall back to their own choice.
#include <algorithm>

#include "calibrate/cpu/onednn/graph.hpp"
#include "calibrate/cpu/pointwise.hpp"

namespace dlscale::calib {
namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using dt = memory::data_type;
using tag = memory::format_tag;

Md any(const memory::dims& d) { return {d, dt::f32, tag::any}; }

float* data(const memory& m) { return static_cast<float*>(m.get_data_handle()); }
std::int64_t count(const memory& m) { return static_cast<std::int64_t>(m.get_desc().get_size() / sizeof(float)); }

constexpr double dropout_rate = 0.5;  // descriptions validate `rate` but do not keep it
constexpr float bn_epsilon = 1e-5f;   // as batchnorm_forward
const auto bn_flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;

/// Right padding that makes oneDNN's floor((in + l + r - k) / s) + 1 equal the description's
/// output size (ceil mode pads on the right; floor mode may leave inputs unread).
memory::dim right_pad(std::int64_t in, std::int64_t out, int k, int s, int l) {
  return std::max<memory::dim>(0, (out - 1) * s + k - in - l);
}

/// make(true): the descriptor in the layouts we already have (no reorder); when oneDNN has
/// no implementation for them, make(false): its own choice of layouts.
template <class Pd, class Make>
Pd first_of(Make make) {
  try {
    return make(true);
  } catch (const dnnl::error&) {
    return make(false);
  }
}

struct ConvShape {
  memory::dims w, strides, pad_l, pad_r;
  Md w_plain, b_any;
};

ConvShape conv_shape(const Layer& L) {
  const memory::dim g = L.groups, oc = L.out.c, ic = L.in.c;
  ConvShape c;
  c.w = g > 1 ? memory::dims{g, oc / g, ic / g, L.kernel_h, L.kernel_w}
              : memory::dims{oc, ic, L.kernel_h, L.kernel_w};
  c.w_plain = Md(c.w, dt::f32, g > 1 ? tag::goihw : tag::oihw);
  c.b_any = L.bias ? Md({oc}, dt::f32, tag::any) : Md();
  c.strides = {L.stride, L.stride};
  c.pad_l = {L.pad, L.pad_w};
  c.pad_r = {right_pad(L.in.h, L.out.h, L.kernel_h, L.stride, L.pad),
             right_pad(L.in.w, L.out.w, L.kernel_w, L.stride, L.pad_w)};
  return c;
}

struct PoolShape {
  algorithm alg;
  memory::dims strides, kernel, pad_l, pad_r;
};

PoolShape pool_shape(const Layer& L) {
  if (L.kind == LayerKind::global_avgpool)
    return {algorithm::pooling_avg_exclude_padding, {1, 1}, {L.in.h, L.in.w}, {0, 0}, {0, 0}};
  // Average pooling counts the padding, as Caffe and PyTorch's count_include_pad.
  return {L.kind == LayerKind::maxpool ? algorithm::pooling_max : algorithm::pooling_avg_include_padding,
          {L.stride, L.stride}, {L.kernel_h, L.kernel_h}, {L.pad, L.pad},
          {right_pad(L.in.h, L.out.h, L.kernel_h, L.stride, L.pad),
           right_pad(L.in.w, L.out.w, L.kernel_h, L.stride, L.pad)}};
}

}  // namespace

void OnednnGraph::plan_forward(std::size_t i) {
  auto& n = nodes_[i];
  switch (n.layer.kind) {
    case LayerKind::input:  // what a data loader hands over: plain NCHW, no gradient
      n.y_md = plain(n.layer.out);
      n.y = make(n.y_md);
      return;
    case LayerKind::conv: return forward_conv(n);
    case LayerKind::fc: return forward_fc(n);
    case LayerKind::maxpool: case LayerKind::avgpool: case LayerKind::global_avgpool:
      return forward_pool(n);
    case LayerKind::batchnorm: case LayerKind::lrn: case LayerKind::relu: case LayerKind::dropout:
      return forward_simple(n);
    case LayerKind::add: case LayerKind::concat: return forward_joins(n);
    case LayerKind::flatten: case LayerKind::softmax: return forward_reshapes(n);
  }
}

void OnednnGraph::plan_backward(std::size_t i) {
  switch (nodes_[i].layer.kind) {
    case LayerKind::input: return;
    case LayerKind::conv: return backward_conv(i);
    case LayerKind::fc: return backward_fc(i);
    case LayerKind::maxpool: case LayerKind::avgpool: case LayerKind::global_avgpool:
      return backward_pool(i);
    case LayerKind::batchnorm: case LayerKind::lrn: case LayerKind::relu: case LayerKind::dropout:
      return backward_simple(i);
    case LayerKind::add: case LayerKind::concat: return backward_joins(i);
    case LayerKind::flatten: case LayerKind::softmax: return backward_reshapes(i);
  }
}

// ---- conv and fc -------------------------------------------------------------------------

void OnednnGraph::forward_conv(Node& n) {
  const auto& L = n.layer;
  const auto c = conv_shape(L);
  using Fwd = dnnl::convolution_forward;
  const Fwd::primitive_desc pd(Fwd::desc(prop_kind::forward_training, algorithm::convolution_direct,
                                         any(dims(L.in)), any(c.w), c.b_any, any(dims(L.out)),
                                         c.strides, c.pad_l, c.pad_r), attr_, eng_);
  n.hint = pd;
  forward_weighted(n, pd, c.w_plain);
}

void OnednnGraph::forward_fc(Node& n) {
  const auto& L = n.layer;
  const auto& p = nodes_[n.from[0]];
  // fc reads its input as it is (4-D after a conv stack, 2-D after fc); plain weights
  // [out][c*h*w] are the oihw (or oi) layout of the same dimensions.
  auto w = p.y_md.dims();
  w[0] = L.out.c;
  const Md w_plain(w, dt::f32, w.size() == 2 ? tag::oi : tag::oihw);
  const Md b_any = L.bias ? Md({L.out.c}, dt::f32, tag::any) : Md();
  using Fwd = dnnl::inner_product_forward;
  const auto pd = first_of<Fwd::primitive_desc>([&](bool as_is) {
    return Fwd::primitive_desc(Fwd::desc(prop_kind::forward_training, as_is ? p.y_md : any(p.y_md.dims()),
                                         any(w), b_any, any({batch_, L.out.c})), attr_, eng_);
  });
  n.hint = pd;
  forward_weighted(n, pd, w_plain);
}

void OnednnGraph::forward_weighted(Node& n, const dnnl::primitive_desc_base& pd, const Md& w_plain) {
  const auto& p = nodes_[n.from[0]];
  n.w = make(w_plain);
  n.dw = make(w_plain);
  // The converted input stays for the weight gradient; the weights are reordered from the
  // optimizer's plain copy on every pass, as PyTorch's NCHW convolutions do.
  const auto src = as(p.y, pd.src_desc(), Slot::own, n.fwd);
  const auto w = as(n.w, pd.weights_desc(), Slot::own, n.fwd);
  n.y_md = pd.dst_desc();
  n.y = make(n.y_md);
  n.dy = make(n.y_md);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, n.y}};
  if (n.layer.bias) {
    const Md b_plain({n.layer.out.c}, dt::f32, tag::x);
    n.b = make(b_plain);
    n.db = make(b_plain);
    args[DNNL_ARG_BIAS] = as(n.b, pd.weights_desc(1), Slot::own, n.fwd);
  }
  n.fwd.push_back(call(pd, args));
  n.saved[DNNL_ARG_SRC] = src;
  n.saved[DNNL_ARG_WEIGHTS] = w;
}

void OnednnGraph::backward_conv(std::size_t i) {
  auto& n = nodes_[i];
  const auto& L = n.layer;
  const auto c = conv_shape(L);
  const auto& hint = std::any_cast<const dnnl::convolution_forward::primitive_desc&>(n.hint);
  const auto src_md = n.saved[DNNL_ARG_SRC].get_desc();
  using BwdW = dnnl::convolution_backward_weights;
  const auto bwd_w = first_of<BwdW::primitive_desc>([&](bool as_is) {
    return BwdW::primitive_desc(BwdW::desc(algorithm::convolution_direct,
                                           as_is ? src_md : any(dims(L.in)), any(c.w), c.b_any,
                                           as_is ? n.y_md : any(dims(L.out)), c.strides, c.pad_l,
                                           c.pad_r), attr_, eng_, hint);
  });
  const auto& p = nodes_[n.from[0]];
  if (p.layer.kind == LayerKind::input) return backward_weighted(i, bwd_w, nullptr);
  using BwdD = dnnl::convolution_backward_data;
  const auto bwd_d = first_of<BwdD::primitive_desc>([&](bool as_is) {
    return BwdD::primitive_desc(BwdD::desc(algorithm::convolution_direct,
                                           as_is ? p.y_md : any(dims(L.in)), any(c.w),
                                           as_is ? n.y_md : any(dims(L.out)), c.strides, c.pad_l,
                                           c.pad_r), attr_, eng_, hint);
  });
  backward_weighted(i, bwd_w, &bwd_d);
}

void OnednnGraph::backward_fc(std::size_t i) {
  auto& n = nodes_[i];
  const auto& L = n.layer;
  const auto& p = nodes_[n.from[0]];
  const auto& hint = std::any_cast<const dnnl::inner_product_forward::primitive_desc&>(n.hint);
  auto w = p.y_md.dims();
  w[0] = L.out.c;
  const Md b_any = L.bias ? Md({L.out.c}, dt::f32, tag::any) : Md();
  const auto src_md = n.saved[DNNL_ARG_SRC].get_desc();
  using BwdW = dnnl::inner_product_backward_weights;
  const auto bwd_w = first_of<BwdW::primitive_desc>([&](bool as_is) {
    return BwdW::primitive_desc(BwdW::desc(as_is ? src_md : any(src_md.dims()), any(w), b_any,
                                           as_is ? n.y_md : any(n.y_md.dims())), attr_, eng_, hint);
  });
  if (p.layer.kind == LayerKind::input) return backward_weighted(i, bwd_w, nullptr);
  using BwdD = dnnl::inner_product_backward_data;
  const auto bwd_d = first_of<BwdD::primitive_desc>([&](bool as_is) {
    return BwdD::primitive_desc(BwdD::desc(as_is ? p.y_md : any(p.y_md.dims()), any(w),
                                           as_is ? n.y_md : any(n.y_md.dims())), attr_, eng_, hint);
  });
  backward_weighted(i, bwd_w, &bwd_d);
}

void OnednnGraph::backward_weighted(std::size_t i, const dnnl::primitive_desc_base& bwd_w,
                                    const dnnl::primitive_desc_base* bwd_d) {
  auto& n = nodes_[i];
  const auto dy_w = as(n.dy, bwd_w.diff_dst_desc(), Slot::diff_dst_tmp, n.bwd);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, as(n.saved[DNNL_ARG_SRC], bwd_w.src_desc(), Slot::src_tmp, n.bwd)},
      {DNNL_ARG_DIFF_DST, dy_w}};
  // The gradients end in the optimizer's plain layout: a reorder when the primitive's differs.
  std::vector<Step> after;
  auto into_plain = [&](const memory& plain_grad, const Md& produced, Slot slot) {
    if (produced == plain_grad.get_desc()) return plain_grad;
    auto tmp = make(produced, slot);
    after.push_back(reorder(tmp, plain_grad));
    return tmp;
  };
  args[DNNL_ARG_DIFF_WEIGHTS] = into_plain(n.dw, bwd_w.diff_weights_desc(), Slot::diff_w_tmp);
  if (n.layer.bias) args[DNNL_ARG_DIFF_BIAS] = into_plain(n.db, bwd_w.diff_weights_desc(1), Slot::own);
  n.bwd.push_back(call(bwd_w, args));
  n.bwd.insert(n.bwd.end(), after.begin(), after.end());
  if (!bwd_d) return;
  after.clear();
  const auto dx = grad_target(i, 0, bwd_d->diff_src_desc(), after);
  auto w = n.saved[DNNL_ARG_WEIGHTS];
  if (w.get_desc() != bwd_d->weights_desc()) w = as(n.w, bwd_d->weights_desc(), Slot::own, n.bwd);
  const auto dy_d = dy_w.get_desc() == bwd_d->diff_dst_desc()
                        ? dy_w : as(n.dy, bwd_d->diff_dst_desc(), Slot::diff_dst_tmp, n.bwd);
  n.bwd.push_back(call(*bwd_d, {{DNNL_ARG_DIFF_DST, dy_d}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, dx}}));
  n.bwd.insert(n.bwd.end(), after.begin(), after.end());
}

// ---- pooling -----------------------------------------------------------------------------

void OnednnGraph::forward_pool(Node& n) {
  const auto& L = n.layer;
  const auto& p = nodes_[n.from[0]];
  const auto s = pool_shape(L);
  using Fwd = dnnl::pooling_forward;
  const Fwd::primitive_desc pd(Fwd::desc(prop_kind::forward_training, s.alg, p.y_md, any(dims(L.out)),
                                         s.strides, s.kernel, s.pad_l, s.pad_r), attr_, eng_);
  n.hint = pd;
  n.y_md = pd.dst_desc();
  n.y = make(n.y_md);
  n.dy = make(n.y_md);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, p.y}, {DNNL_ARG_DST, n.y}};
  if (pd.workspace_desc().get_size() > 0) args[DNNL_ARG_WORKSPACE] = n.saved[DNNL_ARG_WORKSPACE] = make(pd.workspace_desc());
  n.fwd.push_back(call(pd, args));
}

void OnednnGraph::backward_pool(std::size_t i) {
  auto& n = nodes_[i];
  const auto& p = nodes_[n.from[0]];
  if (p.layer.kind == LayerKind::input) return;
  const auto s = pool_shape(n.layer);
  using Bwd = dnnl::pooling_backward;
  const Bwd::primitive_desc pd(Bwd::desc(s.alg, p.y_md, n.y_md, s.strides, s.kernel, s.pad_l, s.pad_r),
                               attr_, eng_, std::any_cast<const dnnl::pooling_forward::primitive_desc&>(n.hint));
  std::vector<Step> after;
  std::unordered_map<int, memory> args{
      {DNNL_ARG_DIFF_DST, as(n.dy, pd.diff_dst_desc(), Slot::diff_dst_tmp, n.bwd)},
      {DNNL_ARG_DIFF_SRC, grad_target(i, 0, pd.diff_src_desc(), after)}};
  if (n.saved.contains(DNNL_ARG_WORKSPACE)) args[DNNL_ARG_WORKSPACE] = n.saved[DNNL_ARG_WORKSPACE];
  n.bwd.push_back(call(pd, args));
  n.bwd.insert(n.bwd.end(), after.begin(), after.end());
}

// ---- batch norm, LRN, ReLU, dropout: one input, output in the input's layout -----------------

void OnednnGraph::forward_simple(Node& n) {
  const auto& L = n.layer;
  const auto& p = nodes_[n.from[0]];
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, p.y}};
  dnnl::primitive_desc_base pd;
  if (L.kind == LayerKind::relu) {
    using Fwd = dnnl::eltwise_forward;
    const Fwd::primitive_desc e(Fwd::desc(prop_kind::forward_training,
                                          algorithm::eltwise_relu_use_dst_for_bwd, p.y_md), attr_, eng_);
    n.hint = e;
    pd = e;
  } else if (L.kind == LayerKind::lrn) {
    using Fwd = dnnl::lrn_forward;
    const Fwd::primitive_desc l(Fwd::desc(prop_kind::forward_training, algorithm::lrn_across_channels,
                                          p.y_md, lrn_.size, static_cast<float>(lrn_.alpha),
                                          static_cast<float>(lrn_.beta), static_cast<float>(lrn_.k)),
                                attr_, eng_);
    n.hint = l;
    pd = l;
  } else if (L.kind == LayerKind::batchnorm) {
    using Fwd = dnnl::batch_normalization_forward;
    const Fwd::primitive_desc b(Fwd::desc(prop_kind::forward_training, p.y_md, bn_epsilon, bn_flags),
                                attr_, eng_);
    n.hint = b;
    pd = b;
    const Md channels({L.out.c}, dt::f32, tag::x);
    n.w = make(channels);  // gamma
    n.b = make(channels);  // beta
    n.dw = make(channels);
    n.db = make(channels);
    args[DNNL_ARG_SCALE] = n.w;
    args[DNNL_ARG_SHIFT] = n.b;
    args[DNNL_ARG_MEAN] = n.saved[DNNL_ARG_MEAN] = make(b.mean_desc());
    args[DNNL_ARG_VARIANCE] = n.saved[DNNL_ARG_VARIANCE] = make(b.variance_desc());
  }
  n.y_md = pd ? pd.dst_desc() : p.y_md;
  n.y = make(n.y_md);
  n.dy = make(n.y_md);
  args[DNNL_ARG_DST] = n.y;
  if (L.kind == LayerKind::dropout) {  // oneDNN 2.6 has no dropout: the Eigen kernel, any layout
    Step s;
    s.run = [this, &n, x = p.y] {
      dropout_forward<float>(count(n.y), dropout_rate, data(x), data(n.y), n.mask, rng);
    };
    n.fwd.push_back(std::move(s));
    return;
  }
  if (pd.workspace_desc().get_size() > 0)
    args[DNNL_ARG_WORKSPACE] = n.saved[DNNL_ARG_WORKSPACE] = make(pd.workspace_desc());
  n.fwd.push_back(call(pd, args));
}

void OnednnGraph::backward_simple(std::size_t i) {
  auto& n = nodes_[i];
  const auto& L = n.layer;
  const auto& p = nodes_[n.from[0]];
  const bool no_dx = p.layer.kind == LayerKind::input;
  if (no_dx && L.kind != LayerKind::batchnorm) return;  // batch norm's gamma and beta still learn
  std::vector<Step> after;
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, n.dy}};
  dnnl::primitive_desc_base pd;
  if (L.kind == LayerKind::relu) {
    using Bwd = dnnl::eltwise_backward;
    pd = Bwd::primitive_desc(Bwd::desc(algorithm::eltwise_relu_use_dst_for_bwd, n.y_md, n.y_md),
                             attr_, eng_, std::any_cast<const dnnl::eltwise_forward::primitive_desc&>(n.hint));
    args[DNNL_ARG_DST] = n.y;
  } else if (L.kind == LayerKind::lrn) {
    using Bwd = dnnl::lrn_backward;
    pd = Bwd::primitive_desc(Bwd::desc(algorithm::lrn_across_channels, p.y_md, n.y_md, lrn_.size,
                                       static_cast<float>(lrn_.alpha), static_cast<float>(lrn_.beta),
                                       static_cast<float>(lrn_.k)),
                             attr_, eng_, std::any_cast<const dnnl::lrn_forward::primitive_desc&>(n.hint));
    args[DNNL_ARG_SRC] = p.y;
    args[DNNL_ARG_WORKSPACE] = n.saved[DNNL_ARG_WORKSPACE];
  } else if (L.kind == LayerKind::batchnorm) {
    using Bwd = dnnl::batch_normalization_backward;
    pd = Bwd::primitive_desc(Bwd::desc(prop_kind::backward, n.y_md, p.y_md, bn_epsilon, bn_flags),
                             attr_, eng_,
                             std::any_cast<const dnnl::batch_normalization_forward::primitive_desc&>(n.hint));
    args[DNNL_ARG_SRC] = p.y;
    args[DNNL_ARG_MEAN] = n.saved[DNNL_ARG_MEAN];
    args[DNNL_ARG_VARIANCE] = n.saved[DNNL_ARG_VARIANCE];
    args[DNNL_ARG_SCALE] = n.w;
    args[DNNL_ARG_SHIFT] = n.b;  // unread, but oneDNN 2.6 refuses to run without it (use_shift)
    args[DNNL_ARG_DIFF_SCALE] = n.dw;
    args[DNNL_ARG_DIFF_SHIFT] = n.db;
  }
  if (L.kind == LayerKind::dropout) {
    const auto dx = grad_target(i, 0, n.y_md, after);
    Step s;
    s.run = [&n, dx] { dropout_backward<float>(count(n.dy), data(n.dy), n.mask, data(dx)); };
    n.bwd.push_back(std::move(s));
  } else {
    args[DNNL_ARG_DIFF_SRC] = no_dx ? make(pd.diff_src_desc(), Slot::grad_tmp)
                                    : grad_target(i, 0, pd.diff_src_desc(), after);
    n.bwd.push_back(call(pd, args));
  }
  n.bwd.insert(n.bwd.end(), after.begin(), after.end());
}

// ---- add and concat ------------------------------------------------------------------------

void OnednnGraph::forward_joins(Node& n) {
  std::vector<Md> srcs;
  std::unordered_map<int, memory> args;
  for (std::size_t j = 0; j < n.from.size(); ++j) {
    srcs.push_back(nodes_[n.from[j]].y_md);
    args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(j)] = nodes_[n.from[j]].y;
  }
  dnnl::primitive_desc_base pd;
  if (n.layer.kind == LayerKind::add) {
    pd = dnnl::sum::primitive_desc(srcs[0], std::vector<float>(srcs.size(), 1.f), srcs, eng_, attr_);
  } else {
    // The output gradient is split by channel views; a blocked output whose blocks straddle
    // two inputs cannot be viewed so, and then the output is plain.
    try {
      const dnnl::concat::primitive_desc c(1, srcs, eng_, attr_);
      memory::dim offset = 0;
      for (const auto& s : srcs) {
        const auto sub = c.dst_desc().submemory_desc(s.dims(), {0, offset, 0, 0});
        dnnl::reorder::primitive_desc(eng_, sub, eng_, s, attr_);
        offset += s.dims()[1];
      }
      pd = c;
    } catch (const dnnl::error&) {
      pd = dnnl::concat::primitive_desc(plain(n.layer.out), 1, srcs, eng_, attr_);
    }
  }
  n.y_md = pd.dst_desc();
  n.y = make(n.y_md);
  n.dy = make(n.y_md);
  args[DNNL_ARG_DST] = n.y;
  n.fwd.push_back(call(pd, args));
}

void OnednnGraph::backward_joins(std::size_t i) {
  auto& n = nodes_[i];
  memory::dim offset = 0;
  for (std::size_t j = 0; j < n.from.size(); ++j) {
    const auto in = nodes_[n.from[j]].y_md;
    if (n.layer.kind == LayerKind::add) deliver(i, j, n.dy, n.bwd);
    else deliver(i, j, view(n.y_md.submemory_desc(in.dims(), {0, offset, 0, 0}), n.dy), n.bwd);
    offset += in.dims()[1];
  }
}

// ---- flatten and the softmax loss: plain layouts -------------------------------------------

void OnednnGraph::forward_reshapes(Node& n) {
  const auto& p = nodes_[n.from[0]];
  n.y_md = Md({batch_, n.layer.out.elements()}, dt::f32, tag::nc);
  n.y = make(n.y_md);
  n.dy = make(n.y_md);
  if (n.layer.kind == LayerKind::flatten) {
    // NCHW order, as a framework's flatten: a reorder into a plain view of the output.
    n.fwd.push_back(reorder(p.y, view(plain_of(p.y_md), n.y)));
    return;
  }
  const auto logits = as(p.y, plain_of(p.y_md), Slot::own, n.fwd);
  Step s;
  s.run = [this, &n, logits] {
    loss += softmax_xent_forward<float>(batch_, n.layer.out.elements(), data(logits), n.labels, data(n.y));
  };
  n.fwd.push_back(std::move(s));
}

void OnednnGraph::backward_reshapes(std::size_t i) {
  auto& n = nodes_[i];
  const auto& p = nodes_[n.from[0]];
  if (p.layer.kind == LayerKind::input) return;
  if (n.layer.kind == LayerKind::flatten) return deliver(i, 0, view(plain_of(p.y_md), n.dy), n.bwd);
  std::vector<Step> after;
  const auto dx = grad_target(i, 0, plain_of(p.y_md), after);
  Step s;
  s.run = [this, &n, dx] {
    softmax_xent_backward<float>(batch_, n.layer.out.elements(), data(n.y), n.labels, data(dx));
  };
  n.bwd.push_back(std::move(s));
  n.bwd.insert(n.bwd.end(), after.begin(), after.end());
}

}  // namespace dlscale::calib

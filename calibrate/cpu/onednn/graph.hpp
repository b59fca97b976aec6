#pragma once
/// Private to calibrate/cpu/onednn: the planned network. Planning creates every primitive
/// descriptor and registers every buffer without allocating one, so the working set is known
/// (and refused if too large) before any memory is taken; allocate() then binds the buffers
/// and creates the primitives (oneDNN JIT-compiles its kernels there).
#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

#include <dnnl.hpp>

#include "calibrate/cpu/norm.hpp"
#include "dlscale/network.hpp"

namespace dlscale::calib {

using Md = dnnl::memory::desc;

/// One step of a pass: a oneDNN primitive with its arguments, or a hand-written kernel (the
/// loss and dropout, which oneDNN 2.6 does not have).
struct Step {
  dnnl::primitive_desc_base pd;  ///< empty for a hand-written step
  std::unordered_map<int, dnnl::memory> args;
  std::function<void()> run;
  dnnl::primitive prim;  ///< created by allocate()
};

/// A layer: its output and output gradient in the layout its primitive chose, parameters in
/// plain layout, and the steps of its forward and backward passes.
struct Node {
  Layer layer;
  std::vector<std::size_t> from;
  int consumers = 0;
  int grads_planned = 0;  ///< consumers whose backward was planned so far (reverse order)
  Md y_md;
  dnnl::memory y, dy;
  dnnl::memory w, b, dw, db;  ///< plain; absent when the layer has no parameters
  std::any hint;  ///< the forward primitive descriptor (typed): the backward's hint
  std::unordered_map<int, dnnl::memory> saved;  ///< forward results the backward reads
  std::vector<Step> fwd, bwd;
  std::vector<std::int32_t> labels;  ///< softmax: synthetic labels
  std::vector<float> mask;           ///< dropout: keep mask, allocated with the buffers
};

/// Buffers that only live within one layer's step list share one allocation per kind.
enum class Slot { own, grad_tmp, src_tmp, diff_dst_tmp, diff_w_tmp, scratchpad, count };

class OnednnGraph {
 public:
  OnednnGraph(const Network& net, int batch, const LrnParams& lrn);
  /// Bytes allocate() takes: every own buffer, the largest use of each shared slot, masks.
  std::uint64_t bytes() const;
  /// Allocates and zeroes the buffers, fills weights and input from `seed` (the same numbers
  /// as Executor<float>), and creates the primitives.
  void allocate(std::uint32_t seed);

  std::vector<Node>& nodes() { return nodes_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  int batch() const { return batch_; }
  void run(std::vector<Step>& steps);
  float loss = 0;
  std::mt19937 rng;  ///< dropout masks

 private:
  // graph.cpp: buffers and the shared plumbing
  dnnl::memory make(const Md& d, Slot slot = Slot::own);
  /// Another view (layout `d`) of `of`'s buffer: flatten's plain 4-D image of its 2-D
  /// output, a concat input's channels within the output gradient.
  dnnl::memory view(const Md& d, const dnnl::memory& of);
  Step call(const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args);
  Step reorder(const dnnl::memory& from, const dnnl::memory& to);
  /// `m` in layout `want`: m itself, or a buffer in `slot` filled by a reorder added to `steps`.
  dnnl::memory as(const dnnl::memory& m, const Md& want, Slot slot, std::vector<Step>& steps);
  /// Where layer i's backward writes the gradient of its input j, produced in layout
  /// `produced`: the producer's dy itself when this is its first gradient and the layouts
  /// match, else a temporary that `after` copies or adds into dy. Null memory: none needed.
  dnnl::memory grad_target(std::size_t i, std::size_t j, const Md& produced, std::vector<Step>& after);
  /// Copies (first gradient) or adds `g` into the dy of layer i's input j.
  void deliver(std::size_t i, std::size_t j, const dnnl::memory& g, std::vector<Step>& steps);
  Md plain(const Shape& s) const;
  /// The plain (nc or nchw) layout of the dimensions of `d`.
  static Md plain_of(const Md& d);
  dnnl::memory::dims dims(const Shape& s) const;

  // layers.cpp: one forward and one backward plan per layer kind
  void plan_forward(std::size_t i);
  void plan_backward(std::size_t i);
  void forward_conv(Node& n);
  void forward_fc(Node& n);
  void forward_weighted(Node& n, const dnnl::primitive_desc_base& pd, const Md& w_plain);
  void backward_weighted(std::size_t i, const dnnl::primitive_desc_base& bwd_w,
                         const dnnl::primitive_desc_base* bwd_d);
  void backward_pool(std::size_t i);
  void backward_conv(std::size_t i);
  void backward_fc(std::size_t i);
  void forward_pool(Node& n);
  void forward_simple(Node& n);
  void backward_simple(std::size_t i);
  void forward_joins(Node& n);
  void backward_joins(std::size_t i);
  void forward_reshapes(Node& n);
  void backward_reshapes(std::size_t i);

  dnnl::engine eng_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{eng_};
  dnnl::primitive_attr attr_;  ///< user scratchpad: one buffer shared by every primitive
  std::vector<Node> nodes_;
  int batch_;
  LrnParams lrn_;
  struct Buffer {
    dnnl::memory mem;
    Slot slot;
    dnnl::memory alias;  ///< set: a view of that buffer
  };
  std::vector<Buffer> buffers_;
  std::uint64_t own_bytes_ = 0;
  std::uint64_t slot_bytes_[static_cast<int>(Slot::count)] = {};
  std::vector<std::unique_ptr<float[], void (*)(float*)>> storage_;
};

}  // namespace dlscale::calib

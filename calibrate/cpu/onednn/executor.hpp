#pragma once
/// The CPU gradient probe on oneDNN: the layers of a dlscale::Network forward and backward with
/// oneDNN primitives in the layouts oneDNN prefers (blocked activations), the way a framework
/// runs them: parameters are kept in the description's plain layout (what an optimizer
/// updates) and reordered for the primitives on every pass, so those reorders are timed too.
/// fp32 only. Same interface as Executor<float>, so the runner times either.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "calibrate/cpu/norm.hpp"
#include "dlscale/network.hpp"

namespace dlscale::calib {

class OnednnGraph;

class OnednnExecutor {
 public:
  /// Plans every primitive, refuses (ConfigError naming `option` and `batch`, with the
  /// estimate) a working set larger than the memory available, then allocates. Weights and
  /// input are the same seeded numbers as Executor<float>(net, batch, seed).
  OnednnExecutor(const Network& net, int batch, std::uint32_t seed = 1, const LrnParams& lrn = {},
                 std::string_view option = "batch");
  ~OnednnExecutor();
  OnednnExecutor(const OnednnExecutor&) = delete;
  OnednnExecutor& operator=(const OnednnExecutor&) = delete;

  std::size_t size() const;
  const Layer& layer(std::size_t i) const;
  int batch() const;

  void begin_forward();
  /// Runs layer i forward (its inputs must be current); softmax layers add their loss.
  void forward(std::size_t i);
  void begin_backward();
  /// Runs layer i backward; layers must run in reverse model order (gradient sums are planned
  /// in that order).
  void backward(std::size_t i);
  float forward_all();
  void backward_all();
  float loss() const;

  /// Plain-layout parameters of layer i (conv, fc: weights [out][in/groups][kh][kw] and bias;
  /// batchnorm: gamma and beta) and their gradients; empty when the layer has none. The next
  /// forward pass reads what is written here.
  std::span<float> weights(std::size_t i);
  std::span<float> bias(std::size_t i);
  std::span<const float> weight_grad(std::size_t i) const;
  std::span<const float> bias_grad(std::size_t i) const;
  /// Bytes this executor allocated (buffers, oneDNN scratchpad).
  std::uint64_t bytes() const;

 private:
  std::unique_ptr<OnednnGraph> graph_;
};

/// Bytes OnednnExecutor would allocate for `net` at `batch`: plans the primitives without
/// allocating any buffer. ConfigError for a shape whose counts overflow.
std::uint64_t onednn_working_set_bytes(const Network& net, int batch);

}  // namespace dlscale::calib

#pragma once
/// Runs a dlscale::Network's layers forward and backward on synthetic data, one layer at a time,
/// so the runner can time each step. Templated on the scalar so tests can check it in double.
#include <cstdint>
#include <random>
#include <vector>

#include "calibrate/cpu/conv.hpp"
#include "calibrate/cpu/norm.hpp"
#include "dlscale/network.hpp"

namespace dlscale::calib {

/// Refuses a network the probe cannot run (a layer with written-out counts), naming the layer.
void require_runnable(const Network& net);

/// Buffers of one layer: output and its gradient, parameters and theirs, saved state.
template <class T>
struct LayerState {
  Dims dims;                       ///< output, batch included
  std::vector<std::size_t> from;   ///< producer indices
  int consumers = 0;               ///< layers reading this output
  std::vector<T> y, dy, w, b, dw, db;  ///< conv/fc: w, b; batchnorm: w = gamma, b = beta
  std::vector<std::int32_t> arg;   ///< maxpool argmax; softmax labels
  std::vector<T> saved;            ///< LRN scale or dropout mask
  BatchNormSaved<T> bn;
};

template <class T>
class Executor {
 public:
  /// Allocates every buffer for `batch` samples; weights and input are seeded random numbers.
  /// Throws ConfigError if batch < 1.
  Executor(const Network& net, int batch, std::uint32_t seed = 1);

  std::size_t size() const { return layers_.size(); }
  const Layer& layer(std::size_t i) const { return layers_[i]; }
  LayerState<T>& state(std::size_t i) { return state_[i]; }
  int batch() const { return batch_; }

  /// Runs layer i forward (inputs must be current); softmax layers add their loss.
  void forward(std::size_t i);
  /// Prepares a backward pass: clears the loss sum's gradient bookkeeping.
  void begin_backward();
  /// Runs layer i backward; its output gradient must be complete (reverse model order).
  void backward(std::size_t i);
  /// Starts a forward pass: the loss sum restarts at 0.
  void begin_forward() { loss_ = 0; }
  /// Whole forward pass; returns the summed mean cross-entropy of the softmax heads.
  T forward_all();
  /// Whole backward pass, after forward_all.
  void backward_all();
  T loss() const { return loss_; }
  /// LRN constants for every lrn layer (Caffe defaults unless set).
  void set_lrn(const LrnParams& p) { lrn_ = p; }

 private:
  void allocate(std::size_t i, std::mt19937& rng);
  void backward_conv_fc(std::size_t i);
  void backward_joins(std::size_t i);
  /// Where layer i's input j gradient goes: the producer's dy, a scratch to be summed, or null.
  T* grad_target(std::size_t i, std::size_t j);
  /// Adds or copies the scratch into the producer's dy once written through grad_target.
  void grad_commit(std::size_t i, std::size_t j, T* target);
  const T* input(std::size_t i, std::size_t j = 0) const { return state_[state_[i].from[j]].y.data(); }
  const Dims& in_dims(std::size_t i, std::size_t j = 0) const { return state_[state_[i].from[j]].dims; }

  std::vector<Layer> layers_;
  std::vector<LayerState<T>> state_;
  std::vector<bool> written_;
  std::vector<T> scratch_;
  ConvScratch<T> conv_;
  std::mt19937 rng_;
  LrnParams lrn_;
  int batch_;
  T loss_ = 0;
};

extern template class Executor<float>;
extern template class Executor<double>;

}  // namespace dlscale::calib

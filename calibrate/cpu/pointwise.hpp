#pragma once
/// Element-wise layers and the loss: ReLU, dropout, softmax + cross-entropy, add, concat.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "calibrate/cpu/tensor.hpp"

namespace dlscale::calib {

/// y = max(x, 0) over `count` elements.
template <class T>
void relu_forward(std::int64_t count, const T* x, T* y);
/// dx = dy where y > 0, else 0.
template <class T>
void relu_backward(std::int64_t count, const T* y, const T* dy, T* dx);

/// Inverted dropout: draws a fresh keep mask (probability 1 - rate) and y = x * mask / (1 - rate).
template <class T>
void dropout_forward(std::int64_t count, double rate, const T* x, T* y, std::vector<T>& mask,
                     std::mt19937& rng);
/// dx = dy * mask (the mask already holds the 1 / (1 - rate) factor).
template <class T>
void dropout_backward(std::int64_t count, const T* dy, const std::vector<T>& mask, T* dx);

/// Row-wise softmax of logits [batch][classes] into p; returns the mean cross-entropy of `labels`.
template <class T>
T softmax_xent_forward(std::int64_t batch, std::int64_t classes, const T* logits,
                       std::span<const std::int32_t> labels, T* p);
/// d(mean loss)/d logits = (p - onehot(label)) / batch.
template <class T>
void softmax_xent_backward(std::int64_t batch, std::int64_t classes, const T* p,
                           std::span<const std::int32_t> labels, T* dx);

/// y = sum of the inputs, each `count` elements.
template <class T>
void add_forward(std::int64_t count, std::span<const T* const> xs, T* y);

/// Channel concat: input i has `sample_sizes[i]` elements per sample; y holds them in order.
template <class T>
void concat_forward(std::int64_t batch, std::span<const std::int64_t> sample_sizes,
                    std::span<const T* const> xs, T* y);
/// The slice of dy that belongs to input `which` (overwrites dx).
template <class T>
void concat_backward(std::int64_t batch, std::span<const std::int64_t> sample_sizes,
                     std::size_t which, const T* dy, T* dx);

}  // namespace dlscale::calib

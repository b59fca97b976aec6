#pragma once
/// Max, average and global average pooling over a batch, forward and backward.
/// Output sizes come from the caller (Layer.out), so ceil-mode windows work unchanged.
#include <cstdint>
#include <vector>

#include "calibrate/cpu/tensor.hpp"

namespace dlscale::calib {

/// Square-window pooling geometry; the window at (oy, ox) starts at (oy*stride-pad, ox*stride-pad).
struct PoolGeom {
  Dims in, out;  ///< in.n == out.n, in.c == out.c
  int k = 1, stride = 1, pad = 0;
};

/// y = window maximum (padding never wins); `arg` receives the input offset of each maximum.
template <class T>
void maxpool_forward(const PoolGeom& g, const T* x, T* y, std::vector<std::int32_t>& arg);
/// dx = dy routed to the recorded maxima (overwrites dx).
template <class T>
void maxpool_backward(const PoolGeom& g, const T* dy, const std::vector<std::int32_t>& arg, T* dx);

/// y = window sum / window size clipped to the padded input (Caffe, PyTorch count_include_pad).
template <class T>
void avgpool_forward(const PoolGeom& g, const T* x, T* y);
/// Adjoint of avgpool_forward (overwrites dx).
template <class T>
void avgpool_backward(const PoolGeom& g, const T* dy, T* dx);

/// y[n][c] = mean of plane (n, c).
template <class T>
void global_avgpool_forward(const Dims& in, const T* x, T* y);
/// dx = dy[n][c] / plane size at every pixel.
template <class T>
void global_avgpool_backward(const Dims& in, const T* dy, T* dx);

}  // namespace dlscale::calib

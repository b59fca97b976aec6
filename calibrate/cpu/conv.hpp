#pragma once
/// Convolution (im2col + Eigen GEMM) and fully connected kernels, forward and backward.
/// Every backward kernel overwrites its outputs; a null dx skips the data gradient.
#include <vector>

#include "calibrate/cpu/tensor.hpp"

namespace dlscale::calib {

/// Geometry of a 2-D convolution over a batch; weights are [c_out][c_in/groups][kh][kw].
struct ConvGeom {
  Dims in, out;  ///< out.n == in.n
  int kh = 1, kw = 1, stride = 1, pad_h = 0, pad_w = 0, groups = 1;
  std::int64_t k_rows() const { return in.c / groups * kh * kw; }  ///< GEMM depth per group
};

/// Scratch for one convolution at a time: im2col columns, their gradient, GEMM output.
template <class T>
struct ConvScratch {
  std::vector<T> col, dcol, gemm;
};

/// y = conv(x, w) + b (b null: no bias), one GEMM per group over the whole batch.
template <class T>
void conv_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, ConvScratch<T>& s);

/// dw, db (null: no bias) and dx (null: skip) from dy; im2col is recomputed from x, as Caffe does.
template <class T>
void conv_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db,
                   ConvScratch<T>& s);

/// Fully connected: y[n][o] = sum_i w[o][i] x[n][i] + b[o]; x is flattened per sample.
template <class T>
void fc_forward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                const T* b, T* y);

/// dx (null: skip) = dy w; dw = dy^T x; db = column sums of dy (null: no bias).
template <class T>
void fc_backward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                 const T* dy, T* dx, T* dw, T* db);

}  // namespace dlscale::calib

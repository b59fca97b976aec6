#pragma once
/// Batch normalisation (training mode) and local response normalisation, forward and backward.
#include <vector>

#include "calibrate/cpu/tensor.hpp"

namespace dlscale::calib {

/// Per-channel statistics saved by batchnorm_forward for the backward pass.
template <class T>
struct BatchNormSaved {
  std::vector<T> mean, inv_std;
};

/// y = gamma (x - mean) / sqrt(var + eps) + beta with batch statistics over n, h, w.
template <class T>
void batchnorm_forward(const Dims& d, const T* x, const T* gamma, const T* beta, T* y,
                       BatchNormSaved<T>& saved, T eps = T(1e-5));
/// dx (null: skip), dgamma, dbeta through the batch statistics (Ioffe & Szegedy 2015, eq. in sec. 3).
template <class T>
void batchnorm_backward(const Dims& d, const T* x, const T* gamma, const T* dy,
                        const BatchNormSaved<T>& saved, T* dx, T* dgamma, T* dbeta);

/// Cross-channel LRN (AlexNet, GoogLeNet; Caffe's defaults): y = x (k + alpha/size sum x^2)^-beta.
struct LrnParams {
  int size = 5;
  double alpha = 1e-4, beta = 0.75, k = 1.0;
};

/// y and the saved denominator `scale` (k + alpha/size * window sum of squares).
template <class T>
void lrn_forward(const Dims& d, const LrnParams& p, const T* x, T* y, std::vector<T>& scale);
/// dx = dy scale^-beta - 2 alpha beta / size * x * window sum of (dy y / scale) (overwrites dx).
template <class T>
void lrn_backward(const Dims& d, const LrnParams& p, const T* x, const T* y, const T* dy,
                  const std::vector<T>& scale, T* dx);

}  // namespace dlscale::calib

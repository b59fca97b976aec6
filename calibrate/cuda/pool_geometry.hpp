#pragma once
/// How a pooling layer maps onto cuDNN, which pools in floor mode with symmetric padding only.
/// Pure C++ (no CUDA) so it is unit-tested on machines without the toolkit.
#include <string>

#include "dlscale/network.hpp"

namespace dlscale::calib {

struct PoolGeometry {
  int window_h = 0, window_w = 0;
  int pad_h = 0, pad_w = 0;
  int stride_h = 1, stride_w = 1;
  /// Non-empty when the geometry differs from the description (ceil mode emulated).
  std::string note;
};

/// Output size of cuDNN's floor-mode pooling along one axis.
long long floor_pool_size(long long in, int window, int pad, int stride);

/// Geometry for a maxpool, avgpool or global_avgpool layer whose floor-mode output equals
/// Layer.out. Ceil mode (Caffe/PyTorch) is emulated with up to two extra rows and columns of
/// padding on each side: the same number of windows of the same size, shifted by up to two
/// elements, so the same work. Throws ConfigError naming the layer if no padding matches.
PoolGeometry pool_geometry(const Layer& layer);

}  // namespace dlscale::calib

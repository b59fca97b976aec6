#pragma once
/// Batch tensors for the CPU gradient probe: NCHW float or double buffers viewed through Eigen.
#include <cstdint>

#include <Eigen/Core>

namespace dlscale::calib {

/// Extent of a batch tensor in NCHW layout (a vector is c x 1 x 1).
struct Dims {
  std::int64_t n = 1, c = 1, h = 1, w = 1;
  std::int64_t plane() const { return h * w; }
  std::int64_t sample() const { return c * h * w; }
  std::int64_t size() const { return n * c * h * w; }
  friend bool operator==(const Dims&, const Dims&) = default;
};

/// Row-major dynamic matrix of scalar T (rows are contiguous, as in NCHW planes).
template <class T>
using MatR = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MapR = Eigen::Map<MatR<T>>;
template <class T>
using CMapR = Eigen::Map<const MatR<T>>;
template <class T>
using MapV = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <class T>
using CMapV = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

}  // namespace dlscale::calib

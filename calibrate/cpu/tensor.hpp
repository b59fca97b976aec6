#pragma once
/// Batch tensors for the CPU gradient probe: NCHW float or double buffers viewed through Eigen.
#include <cstdint>

#include <Eigen/Core>
#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {

/// Extent of a batch tensor in NCHW layout (a vector is c x 1 x 1). The extents come from
/// description files (c up to 2^24, h and w up to 2^20 pass the parser), so the products are
/// checked: an overflow is a ConfigError, never a wrapped size. The probe refuses such shapes
/// earlier with the layer's name (working_set_bytes); this is the last line.
struct Dims {
  std::int64_t n = 1, c = 1, h = 1, w = 1;
  std::int64_t plane() const { return product(h, w); }
  std::int64_t sample() const { return product(c, plane()); }
  std::int64_t size() const { return product(n, sample()); }
  friend bool operator==(const Dims&, const Dims&) = default;

  /// a * b, or ConfigError when it does not fit in 64 bits.
  static std::int64_t product(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
      throw ConfigError(fmt::format("a tensor extent of {} x {} elements does not fit in a 64-bit "
                                    "count; smaller shapes expected", a, b));
    return r;
  }
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

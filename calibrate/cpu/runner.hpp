#pragma once
/// Times a network's gradient computation on the CPU: warm-ups, then timed repetitions of a full
/// forward + backward pass, each layer and direction timed separately (steady_clock).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calibrate/cpu/backend.hpp"
#include "dlscale/estimate.hpp"
#include "dlscale/network.hpp"
#include "dlscale/units.hpp"

namespace dlscale::calib {

/// How to measure; ConfigError for batch, repeat < 1 or warmup < 0.
struct GradOptions {
  int batch = 32;
  int warmup = 3;
  int repeat = 10;
  CpuBackend backend = default_backend();
};

/// Median and range of a set of samples.
struct Spread {
  Seconds median, min, max;
};
/// Spread of `samples` (non-empty); the median of an even count is the mean of the middle two.
Spread spread_of(std::span<const Seconds> samples);

/// One layer's timings: raw samples per repetition and their medians.
struct LayerTiming {
  std::string name;
  LayerKind kind = LayerKind::input;
  std::int64_t macs = 0;  ///< forward multiply-adds per sample (Layer.macs)
  Shape out;              ///< per-sample output shape (Layer.out)
  std::vector<Seconds> forward_samples, backward_samples;
  Seconds forward, backward;  ///< medians
};

/// Throughput of one layer class. conv and fc count multiply-adds, 3 x Layer.macs x batch per
/// iteration (forward, data gradient, weight gradient; the first layer skips its data gradient
/// but is counted the same); other classes count output elements x batch.
struct ClassRate {
  LayerKind kind = LayerKind::input;
  int layers = 0;
  bool per_mac = false;  ///< work counts multiply-adds (else output elements)
  double work = 0;       ///< per iteration
  Seconds time;          ///< sum of the class's per-layer forward + backward medians
  double rate = 0;       ///< work / time, per second
};

/// One measurement of t_grad for a network and batch size.
struct GradMeasurement {
  std::string network;
  int batch = 0, threads = 0, warmup = 0, repeat = 0;
  std::vector<LayerTiming> layers;     ///< in model order, the input layer left out
  std::vector<Seconds> t_grad_samples; ///< wall time of each timed forward + backward pass
  Spread t_grad;
  std::vector<ClassRate> classes;      ///< classes present, in LayerKind order
  CpuBackend backend = CpuBackend::eigen;
};

/// Throws ConfigError (message starting with `option` and `batch`, with the estimate) when
/// `backend`'s working set for `net` at `batch` exceeds the memory available. Allocates nothing.
void check_fits(const Network& net, int batch, std::string_view option, CpuBackend backend);

/// Runs and times `net` at o.batch on synthetic data in float.
GradMeasurement measure_grad(const Network& net, const GradOptions& o);

/// t_grad(b) for each batch size, same warm-up and repeat counts (o.batch is ignored).
std::vector<GradMeasurement> sweep_batches(const Network& net, std::span<const int> batches,
                                           const GradOptions& o);

/// Sets the threads for Eigen and OpenMP (0: all cores); returns the count now in use.
int set_threads(int threads);
/// Threads Eigen's GEMM uses now.
int threads_in_use();

/// Per-class rates of a measurement (conv and fc per multiply-add, the rest per element).
std::vector<ClassRate> class_rates(std::span<const LayerTiming> layers, int batch);

/// t_grad of `net` at `batch` predicted from measured class rates (dlscale::estimate_t_grad).
using GradEstimate = dlscale::GradEstimate;
GradEstimate estimate_t_grad(const Network& net, int batch, std::span<const ClassRate> rates);

}  // namespace dlscale::calib

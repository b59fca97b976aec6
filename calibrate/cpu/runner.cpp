#include "calibrate/cpu/runner.hpp"

#include <algorithm>
#include <chrono>

#include <Eigen/Core>
#include <fmt/format.h>

#include "calibrate/cpu/executor.hpp"
#include "calibrate/cpu/memory.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"

#if DLSCALE_HAVE_ONEDNN
#include "calibrate/cpu/onednn/executor.hpp"
#endif

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace dlscale::calib {
namespace {

using Clock = std::chrono::steady_clock;

Seconds since(Clock::time_point t0) {
  return Seconds{std::chrono::duration<double>(Clock::now() - t0).count()};
}

void check(const GradOptions& o) {
  if (o.batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", o.batch));
  if (o.repeat < 1) throw ConfigError(fmt::format("repeat {} is invalid; 1 or more expected", o.repeat));
  if (o.warmup < 0) throw ConfigError(fmt::format("warmup {} is invalid; 0 or more expected", o.warmup));
}

// One forward + backward pass; with `timings`, appends each layer's forward and backward time
// (timings[i] belongs to layer i + 1: the input layer is not timed) and returns the pass's wall
// time, which encloses the per-layer times.
template <class Ex>
Seconds one_pass(Ex& ex, std::vector<LayerTiming>* timings) {
  const auto start = Clock::now();
  ex.begin_forward();
  for (std::size_t i = 1; i < ex.size(); ++i) {
    const auto t0 = Clock::now();
    ex.forward(i);
    if (timings) (*timings)[i - 1].forward_samples.push_back(since(t0));
  }
  ex.begin_backward();
  for (std::size_t i = ex.size(); i-- > 1;) {
    const auto t0 = Clock::now();
    ex.backward(i);
    if (timings) (*timings)[i - 1].backward_samples.push_back(since(t0));
  }
  return since(start);
}

}  // namespace

Spread spread_of(std::span<const Seconds> samples) {
  std::vector<Seconds> s(samples.begin(), samples.end());
  std::sort(s.begin(), s.end());
  const auto n = s.size();
  const Seconds median = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  return {median, s.front(), s.back()};
}

namespace {

// Warm-ups, then timed passes of either executor.
template <class Ex>
GradMeasurement measure_with(Ex& ex, const Network& net, const GradOptions& o) {
  GradMeasurement m{net.name(), o.batch, threads_in_use(), o.warmup, o.repeat, {}, {}, {}, {}, o.backend};
  for (std::size_t i = 1; i < ex.size(); ++i) {
    const auto& L = ex.layer(i);
    m.layers.push_back({L.name, L.kind, L.macs, L.out, {}, {}, {}, {}});
  }
  for (int w = 0; w < o.warmup; ++w) one_pass(ex, nullptr);
  for (int r = 0; r < o.repeat; ++r) m.t_grad_samples.push_back(one_pass(ex, &m.layers));
  for (auto& l : m.layers) {
    l.forward = spread_of(l.forward_samples).median;
    l.backward = spread_of(l.backward_samples).median;
  }
  m.t_grad = spread_of(m.t_grad_samples);
  m.classes = class_rates(m.layers, o.batch);
  return m;
}

}  // namespace

void check_fits(const Network& net, int batch, std::string_view option, CpuBackend backend) {
  require_runnable(net);  // before oneDNN plans a primitive for a layer it cannot run
  if (backend == CpuBackend::eigen) return check_fits_in_memory(net, batch, option);
#if DLSCALE_HAVE_ONEDNN
  check_fits_in_memory(net.name(), batch, option, onednn_working_set_bytes(net, batch),
                       "activations, gradients, weights, oneDNN workspaces and scratchpad");
#else
  throw ConfigError(fmt::format("{} {}: this build has no oneDNN", option, batch));
#endif
}

GradMeasurement measure_grad(const Network& net, const GradOptions& o) {
  check(o);
  require_runnable(net);
  if (o.backend == CpuBackend::onednn) {
#if DLSCALE_HAVE_ONEDNN
    OnednnExecutor ex(net, o.batch);  // refuses a working set that does not fit, before allocating
    return measure_with(ex, net, o);
#else
    throw ConfigError("the oneDNN backend is not built; reconfigure with -Donednn=enabled");
#endif
  }
  check_fits_in_memory(net, o.batch, "batch");  // callers check first, naming their option
  Executor<float> ex(net, o.batch);
  return measure_with(ex, net, o);
}

std::vector<GradMeasurement> sweep_batches(const Network& net, std::span<const int> batches,
                                           const GradOptions& o) {
  std::vector<GradMeasurement> out;
  for (const int b : batches) {
    auto ob = o;
    ob.batch = b;
    out.push_back(measure_grad(net, ob));
  }
  return out;
}

int set_threads(int threads) {
#if defined(_OPENMP)
  omp_set_num_threads(threads > 0 ? threads : omp_get_num_procs());
#endif
  Eigen::setNbThreads(threads);  // 0: Eigen's default, all OpenMP threads
  return threads_in_use();
}

int threads_in_use() { return Eigen::nbThreads(); }

}  // namespace dlscale::calib

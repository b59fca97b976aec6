// Weighted least squares with Eigen. Residuals are relative (divided by the measured time)
// because a geometric size sweep spans many orders of magnitude: an absolute fit would let
// the largest messages decide alpha alone.
#include "dlscale/fit.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale {
namespace {

void check_samples(std::span<const TransferSample> samples) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double t = samples[i].seconds.v;
    if (!std::isfinite(t) || t <= 0)
      throw ConfigError(fmt::format("fit: sample {} ({} bytes): seconds = {}; a finite number > 0 "
                                    "[s] expected", i, samples[i].bytes.v, t));
  }
}

// Residuals, R^2 and flags of `fit.link` against the samples.
void score(std::span<const TransferSample> samples, double threshold, LinkFit& fit) {
  double mean = 0;
  for (const auto& s : samples) mean += s.seconds.v;
  mean /= static_cast<double>(samples.size());
  double ss_res = 0, ss_tot = 0;
  for (const auto& s : samples) {
    const double model = fit.link.time(s.bytes).v;
    const double r = (model - s.seconds.v) / s.seconds.v;
    fit.relative_residuals.push_back(r);
    fit.max_abs_residual = std::max(fit.max_abs_residual, std::abs(r));
    ss_res += (model - s.seconds.v) * (model - s.seconds.v);
    ss_tot += (s.seconds.v - mean) * (s.seconds.v - mean);
  }
  fit.r_squared = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 1.0;
  fit.negative_alpha = fit.link.alpha.v < 0;
  fit.bad_fit = fit.max_abs_residual > threshold;
}

}  // namespace

LinkFit fit_link(std::span<const TransferSample> samples, double max_relative_residual) {
  check_samples(samples);
  std::uint64_t lo = UINT64_MAX, hi = 0;
  for (const auto& s : samples) {
    lo = std::min(lo, s.bytes.v);
    hi = std::max(hi, s.bytes.v);
  }
  if (samples.size() < 2 || lo == hi)
    throw ConfigError(fmt::format("fit: {} samples with {} distinct size(s); at least 2 distinct "
                                  "message sizes expected", samples.size(),
                                  samples.empty() ? 0 : (lo == hi ? 1 : 2)));
  // Row i: (1, x_i) [alpha, k] = t_i, weighted by 1 / t_i; x in units of the largest size
  // keeps the columns comparable.
  const auto n = static_cast<Eigen::Index>(samples.size());
  const double scale = static_cast<double>(hi);
  Eigen::MatrixXd a(n, 2);
  Eigen::VectorXd b(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& s = samples[static_cast<std::size_t>(i)];
    const double w = 1.0 / s.seconds.v;
    a(i, 0) = w;
    a(i, 1) = w * static_cast<double>(s.bytes.v) / scale;
    b(i) = 1.0;  // w * t_i
  }
  const Eigen::Vector2d x = a.colPivHouseholderQr().solve(b);
  const double seconds_per_byte = x(1) / scale;
  if (!(seconds_per_byte > 0))
    throw ConfigError(fmt::format("fit: transfer time does not grow with message size (slope {} "
                                  "s/B); a slope > 0 expected", seconds_per_byte));
  LinkFit fit;
  fit.link = {Seconds{x(0)}, BytesPerSec{1.0 / seconds_per_byte}};
  score(samples, max_relative_residual, fit);
  return fit;
}

LinkFit fit_bandwidth(std::span<const TransferSample> samples, double max_relative_residual) {
  check_samples(samples);
  // Minimise sum ((k x_i - t_i) / t_i)^2 over k = 1 / beta: k = sum(u_i) / sum(u_i^2), u = x / t.
  double sum_u = 0, sum_u2 = 0;
  for (const auto& s : samples) {
    const double u = static_cast<double>(s.bytes.v) / s.seconds.v;
    sum_u += u;
    sum_u2 += u * u;
  }
  if (sum_u2 <= 0)
    throw ConfigError(fmt::format("fit: {} samples, all of 0 bytes; at least one size > 0 "
                                  "expected", samples.size()));
  LinkFit fit;
  fit.link = {Seconds{0.0}, BytesPerSec{sum_u2 / sum_u}};
  score(samples, max_relative_residual, fit);
  return fit;
}

LinkFit fit_link_nonnegative(std::span<const TransferSample> samples, double max_relative_residual) {
  LinkFit fit = fit_link(samples, max_relative_residual);
  if (!fit.negative_alpha) return fit;
  const Seconds alpha = fit.link.alpha;
  fit = fit_bandwidth(samples, max_relative_residual);
  fit.refitted_from_alpha = alpha;
  return fit;
}

}  // namespace dlscale

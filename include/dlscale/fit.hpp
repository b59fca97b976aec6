#pragma once
/// Least-squares fits of a link model t(bytes) = alpha + bytes / beta to measured transfers.
#include <optional>
#include <span>
#include <vector>

#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

/// One measured transfer: `bytes` moved in `seconds`.
struct TransferSample {
  Bytes bytes;
  Seconds seconds;
};

/// A fitted link and how well it explains the samples.
struct LinkFit {
  LinkModel link;                         ///< alpha [s] (0 for the through-origin fit), beta [B/s]
  std::vector<double> relative_residuals; ///< (model - measured) / measured, per sample
  double max_abs_residual = 0;            ///< max |relative residual|
  double r_squared = 0;                   ///< 1 - SS_res / SS_tot on seconds (1 when SS_tot = 0)
  bool negative_alpha = false;            ///< the fitted latency is < 0 (kept, not clamped)
  /// fit_link_nonnegative only: the unconstrained fit's negative alpha, replaced by 0.
  std::optional<Seconds> refitted_from_alpha;
  bool bad_fit = false;                   ///< max_abs_residual > the threshold
};

/// Default bound on |relative residual| before a fit is flagged bad (MODELS.md: about 10 %).
inline constexpr double default_max_relative_residual = 0.10;

/// Fits alpha and beta, minimising relative residuals (weights 1/seconds, so small and large
/// messages count alike). Throws ConfigError for a sample with seconds not finite > 0, fewer
/// than 2 distinct sizes, or a time that does not grow with size (beta would be <= 0).
LinkFit fit_link(std::span<const TransferSample> samples,
                 double max_relative_residual = default_max_relative_residual);

/// Fits one effective bandwidth with alpha fixed at 0 (t = bytes / beta), minimising relative
/// residuals. Throws ConfigError for a bad sample or when every size is 0.
LinkFit fit_bandwidth(std::span<const TransferSample> samples,
                      double max_relative_residual = default_max_relative_residual);

/// fit_link for a profile, whose latencies cannot be negative (the parser refuses them): when
/// the unconstrained alpha is < 0, the least squares under alpha >= 0 (a convex problem with one
/// bound) has its optimum on the bound, alpha = 0, which is fit_bandwidth's fit; the negative
/// value is kept in `refitted_from_alpha` for the caller to report.
LinkFit fit_link_nonnegative(std::span<const TransferSample> samples,
                             double max_relative_residual = default_max_relative_residual);

}  // namespace dlscale

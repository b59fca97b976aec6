#pragma once
/// What every closed form returns: a best case, a worst case and the estimate used for speedup.
#include <cstdint>

#include "dlscale/units.hpp"

namespace dlscale::models {

/// Best and worst case of one time, and the estimate (the mean where the model is a range).
struct Bounds {
  Seconds best, worst, estimate;
};

/// Bounds whose estimate is the mean of best and worst (thesis 4.11 / 4.20).
constexpr Bounds mean_bounds(Seconds best, Seconds worst) {
  return {best, worst, 0.5 * (best + worst)};
}
/// Bounds of an exact model: best = worst = estimate.
constexpr Bounds exact(Seconds t) { return {t, t, t}; }

/// Batches the slowest of N workers trains out of D: ceil(D / N) (= D / N when N divides D).
constexpr std::int64_t batches_per_worker(std::int64_t batches, int workers) {
  return (batches + workers - 1) / workers;
}

}  // namespace dlscale::models

#pragma once
// Private to src/predict: one prediction row without validation, so that sweep can validate
// once and reuse the placement shares of every worker count.
#include <optional>

#include "dlscale/predict.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::detail {

/// Largest accepted worker count (parse_worker_range and predict).
inline constexpr int max_workers = 1'000'000;

/// Throws ConfigError naming the field when a Scenario value is out of range.
void validate(const Scenario& s);
/// Throws ConfigError for workers outside [1, max_workers] or ring + async.
void check_request(Scheme scheme, Mode mode, int workers);

/// True for the schemes whose communication term uses a tensor placement.
bool is_placed(Scheme scheme);

/// One row; `f_max` is the placement's largest share for placed schemes (nullopt: no tensor
/// list, the even split is used and noted). Inputs must already be checked.
Prediction predict_row(const Scenario& s, Scheme scheme, Mode mode, int workers,
                       std::optional<double> f_max);

}  // namespace dlscale::detail

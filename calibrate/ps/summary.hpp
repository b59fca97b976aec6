#pragma once
/// The launcher's arithmetic on the workers' outputs: per-iteration times pooled over the
/// workers, p50 and p90 by the nearest-rank method (as `dlscale validate` summarises errors).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dlscale::ps {

/// The seconds of a worker's output: '#' lines skipped, then the header
/// "iteration,seconds", then "I,S" lines with I counting 1, 2, ... and S > 0. Throws
/// ConfigError "SOURCE:LINE: ..." for anything else, and for an output without iterations.
std::vector<double> parse_iteration_times(std::string_view text, std::string_view source);

struct IterationSummary {
  double p50 = 0, p90 = 0;
  std::size_t samples = 0;
};
/// Nearest rank: the smallest value with at least q of the values at or below it. `times`
/// must not be empty.
double nearest_rank(std::vector<double> times, double q);
IterationSummary summarize_times(const std::vector<double>& times);

/// `dlscale-ps summary FILE...`: every file parsed and pooled; "p50,p90,samples".
std::string summarize_files(const std::vector<std::string>& files);

}  // namespace dlscale::ps

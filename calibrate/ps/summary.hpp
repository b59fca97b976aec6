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
/// p50 and p90 by dlscale::nearest_rank; `times` must not be empty.
IterationSummary summarize_times(const std::vector<double>& times);

/// The worker whose iterations took longest in all, summarised alone. Asynchronous workers
/// need not keep one pace (one may sit next to the largest shard), and t_train is the slowest
/// worker's D/N batches: predict's t_iter for async is t_train / ceil(D/N), so a row compares
/// with that worker's time per batch. `per_worker` must hold at least one non-empty list.
IterationSummary summarize_slowest(const std::vector<std::vector<double>>& per_worker);

/// `dlscale-ps summary [--slowest] FILE...`: every file parsed; pooled, or the slowest worker;
/// "p50,p90,samples".
std::string summarize_files(const std::vector<std::string>& files, bool slowest);

}  // namespace dlscale::ps

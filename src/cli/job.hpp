#pragma once
// Private to the CLI: what sweep, optimal, plot and simulate read from their options.
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.hpp"
#include "dlscale/predict.hpp"

namespace dlscale::cli {

/// Everything a range subcommand needs, read from the parsed options.
struct Job {
  std::vector<Scenario> scenarios;
  std::vector<Scheme> schemes;
  std::vector<Mode> modes;
  WorkerRange workers;
  std::vector<int> server_counts;  ///< --servers: one K, or optimal's list to compare
  /// Where t_grad and t_comm come from, for captions: "profile thesis-2017 (embedded)" or
  /// "--t-grad 0.758 s, --t-comm 0.033 s".
  std::string source;
};

/// --scheme, --mode, --workers (default `default_workers`; nullptr: none, the caller searches)
/// and the scenario options.
void add_range_options(po::options_description& desc, const char* default_workers);
/// The scenarios (one per network), schemes, modes and worker range of the options.
Job read_job(std::string_view sub, const po::variables_map& vm);

}  // namespace dlscale::cli

// Options and reading shared by the subcommands that run scenarios over a worker range.
#include "cli/job.hpp"

#include <fmt/format.h>

#include "cli/build_scenario.hpp"

namespace dlscale::cli {

void add_range_options(po::options_description& desc, const char* default_workers) {
  desc.add_options()
    ("scheme", po::value<std::vector<std::string>>(), "central | distributed | sharded-placed | "
        "sharded-lpt | central-semaphore | ring | tree | hierarchical | all; repeatable or "
        "comma-separated (default all: every scheme but hierarchical, which needs the nodes)")
    ("mode", po::value<std::vector<std::string>>(), "sync-join | sync-split | async | all; "
        "repeatable or comma-separated (default all)")
    ("workers", default_workers ? po::value<std::string>()->default_value(default_workers)
                                : po::value<std::string>(),
        default_workers ? "RANGE: 8 (1..8), 1:4096, 2:64:2 (step 2), 1:1024:x2 (doubling) or a list 8,16,32"
                        : "RANGE: 8 (1..8), 1:4096, 2:64:2 (step 2), 1:1024:x2 (doubling) or a "
                          "list 8,16,32; "
                          "default: search every N up to 1000000");
  add_scenario_options(desc, true);
}

Job read_job(std::string_view sub, const po::variables_map& vm) {
  Job job;
  const auto o = read_scenario_options(sub, vm);
  job.schemes = schemes_from(vm);
  job.modes = modes_from(vm);
  job.server_counts = o.server_counts;
  if (vm.count("workers")) job.workers = parse_worker_range(vm["workers"].as<std::string>());
  if (times_describe_scenario(o)) {
    // The times alone describe one scenario: running the profile's networks would print the
    // same numbers once per network, under names that did not produce them.
    job.scenarios.push_back(scenario_from_times(o, times_label(o)));
    job.source = job.scenarios.back().network;
    return job;
  }
  const auto data = data_source(sub, vm);
  const auto profile = profile_from(vm, data);
  job.source = fmt::format("profile {}", profile.name);
  for (const auto& name : networks_to_run(o, profile))
    job.scenarios.push_back(build_scenario(name, o, profile, data).scenario);
  return job;
}

}  // namespace dlscale::cli

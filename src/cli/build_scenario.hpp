#pragma once
// Profile + network description + command-line options -> Scenario.
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "dlscale/profile.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::cli {

struct BuiltScenario {
  Scenario scenario;
  std::vector<std::string> notes;  ///< where t_grad and t_comm came from, and any scaling
};

/// One network's scenario: t_grad/t_comm from --t-grad/--t-comm, else the profile entry
/// (t_comm from the profile's tcp link when the entry has none); sizes from the network
/// description with the entry's `param` lines and then --param applied.
BuiltScenario build_scenario(std::string_view network, const ScenarioOptions& opts,
                             const Profile& profile, const DataSource& data);

/// True when the options describe one scenario without a network: --t-grad with --t-comm,
/// or with --nic and the weight size (--params or --bytes).
bool times_describe_scenario(const ScenarioOptions& opts);
/// That scenario (estimate.py's question, or a cluster's); `label` names it in tables (empty
/// for predict's estimate.py output).
Scenario scenario_from_times(const ScenarioOptions& opts, std::string label);
/// Its label: "t_grad=0.2s/t_comm=0.1s", or "t_grad=0.2s/bytes=102228128" on a cluster.
std::string times_label(const ScenarioOptions& opts);

/// The networks to run: --network values, else every network of the profile.
std::vector<std::string> networks_to_run(const ScenarioOptions& opts, const Profile& profile);

}  // namespace dlscale::cli

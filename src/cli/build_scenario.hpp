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

/// The scenario of --t-grad and --t-comm alone, with no network (estimate.py's question);
/// `label` names it in tables (empty for predict's estimate.py output).
Scenario scenario_from_times(const ScenarioOptions& opts, std::string label);

/// The networks to run: --network values, else every network of the profile.
std::vector<std::string> networks_to_run(const ScenarioOptions& opts, const Profile& profile);

}  // namespace dlscale::cli

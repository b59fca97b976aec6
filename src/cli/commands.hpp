#pragma once
// One function per subcommand; each returns the exit code and throws ConfigError for bad input.
#include <ostream>
#include <string>
#include <vector>

namespace dlscale::cli {

using Args = std::vector<std::string>;

int cmd_predict(const Args& args, std::ostream& out, std::ostream& err);
int cmd_sweep(const Args& args, std::ostream& out, std::ostream& err);
int cmd_optimal(const Args& args, std::ostream& out, std::ostream& err);
int cmd_plot(const Args& args, std::ostream& out, std::ostream& err);
int cmd_report(const Args& args, std::ostream& out, std::ostream& err);
int cmd_networks(const Args& args, std::ostream& out, std::ostream& err);
/// `networks import`: args after the word `import`.
int cmd_networks_import(const Args& args, std::ostream& out, std::ostream& err);
int cmd_simulate(const Args& args, std::ostream& out, std::ostream& err);
int cmd_validate(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace dlscale::cli

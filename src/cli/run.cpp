// Dispatch to a subcommand and turn every exception into an exit code: 2 for bad input
// (including an input too large for this machine's memory), 1 for anything else. Nothing
// escapes run().
#include <exception>
#include <new>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"

namespace dlscale::cli {

namespace {

struct Subcommand {
  const char* name;
  int (*fn)(const Args&, std::ostream& out, std::ostream& err);
  const char* summary;
};

constexpr Subcommand subcommands[] = {
    {"predict", cmd_predict, "speedup at N workers; estimate.py-compatible with --t-grad/--t-comm"},
    {"sweep", cmd_sweep, "speedup over a worker range for networks x schemes x modes"},
    {"optimal", cmd_optimal, "best worker count per scheme and mode, and overall"},
    {"networks", cmd_networks, "list the network descriptions, or show one"},
    {"plot", cmd_plot, "plot speedup vs workers with gnuplot (.png or .svg)"},
    {"simulate", cmd_simulate, "discrete-event simulation beside the closed forms"},
    {"report", cmd_report, "one self-contained HTML page: assumptions, curves, optimum, simulation"},
    {"validate", cmd_validate, "score the predictions against measured runs (a measured-runs CSV)"},
};

std::string names() {
  std::vector<std::string> n;
  for (const auto& s : subcommands) n.emplace_back(s.name);
  return fmt::format("{}", fmt::join(n, ", "));
}

void help(std::ostream& out) {
  out << "dlscale " << DLSCALE_VERSION
      << ": speedup of data-parallel DNN training on N workers, from t_grad and t_comm\n\n"
         "usage: dlscale SUBCOMMAND [OPTIONS]    (dlscale SUBCOMMAND --help for its options)\n\n";
  for (const auto& s : subcommands) out << fmt::format("  {:<10} {}\n", s.name, s.summary);
  out << "\nexample: dlscale predict --t-grad 0.758 --t-comm 0.033 --type sync-split "
         "--server central --workers 8 --batches 128 --output csv\n";
}

int dispatch(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.empty())
    throw ConfigError(fmt::format("no subcommand; expected one of {} (see dlscale --help)", names()));
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return help(out), 0;
  if (args[0] == "--version") return out << "dlscale " << DLSCALE_VERSION << "\n", 0;
  for (const auto& s : subcommands)
    if (args[0] == s.name) return s.fn(Args(args.begin() + 1, args.end()), out, err);
  throw ConfigError(fmt::format("unknown subcommand '{}'; expected one of {}", args[0], names()));
}

}  // namespace

int run(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  try {
    const int rc = dispatch(args, out, err);
    out.flush();
    return rc;
  } catch (const ConfigError& e) {
    err << "dlscale: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    // The inputs are bounded up front; what still runs out of memory is a request too large
    // for this machine, not a bug to report.
    err << "dlscale: out of memory: the request needs more memory than this machine has; a "
           "smaller network, fewer workers or fewer iterations expected\n";
    return 2;
  } catch (const std::exception& e) {
    err << "dlscale: internal error: " << e.what() << "\n";
    return 1;
  } catch (...) {
    err << "dlscale: internal error: unknown exception\n";
    return 1;
  }
}

}  // namespace dlscale::cli

#pragma once
/// dlscale-grad-probe's command line: parsing into a plain struct, and one call that measures
/// and prints.
#include <iosfwd>
#include <string>
#include <vector>

#include "calibrate/cpu/backend.hpp"

namespace dlscale::calib {

struct ProbeArgs {
  std::string network;
  int batch = 32;
  std::vector<int> batches;  ///< sweep t_grad(b) over these too; empty: no sweep
  int repeat = 10, warmup = 3;
  int threads = 0;  ///< 0: all cores
  CpuBackend backend = default_backend();
  bool help = false;
  bool layers_json = false;  ///< print the layer list (for a framework to rebuild) and stop
  std::string usage;  ///< the --help text
};

/// Parses argv; --quick means warm-up 1 and 3 timed runs unless given. Throws ConfigError.
ProbeArgs parse_probe_args(int argc, const char* const* argv);

/// Measures and prints the per-layer table, t_grad spread, class rates and any sweep; returns 0.
int run_probe(const ProbeArgs& args, std::ostream& out);

}  // namespace dlscale::calib

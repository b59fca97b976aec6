#pragma once
// Runs the dlscale CLI in-process through cli::run and keeps its exit code and both streams.
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace dlscale::test {

struct CliResult {
  int rc;
  std::string out, err;
};

inline CliResult run_cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int rc = dlscale::cli::run(std::move(args), out, err);
  return {rc, out.str(), err.str()};
}

}  // namespace dlscale::test

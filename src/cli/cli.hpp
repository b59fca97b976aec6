#pragma once
// The dlscale command line as a library call, so tests run it in-process.
#include <ostream>
#include <string>
#include <vector>

namespace dlscale::cli {

/// Runs `dlscale ARGS...` (args exclude the program name). Returns the exit code: 0 ok,
/// 2 bad input (with "dlscale: <message>" on err), 1 internal error. Never throws.
int run(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace dlscale::cli

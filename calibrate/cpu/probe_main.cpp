// dlscale-grad-probe: a parser plus one call; bad input exits 2 with the reason.
#include <cstdio>
#include <iostream>
#include <new>

#include <fmt/format.h>

#include "calibrate/cpu/probe_cli.hpp"
#include "dlscale/error.hpp"

int main(int argc, char** argv) try {
  const auto args = dlscale::calib::parse_probe_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  return dlscale::calib::run_probe(args, std::cout);
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-grad-probe: {}\n", e.what());
  return 2;
} catch (const std::bad_alloc&) {  // the estimate missed, or the memory went to someone else
  fmt::print(stderr, "dlscale-grad-probe: out of memory while measuring; a smaller --batch or "
                     "network expected\n");
  return 2;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-grad-probe: internal error: {}\n", e.what());
  return 1;
}

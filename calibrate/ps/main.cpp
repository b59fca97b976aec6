// dlscale-ps: a parser plus one call per role; bad input exits 2 with the reason, a network
// failure or a timeout exits 1 with what failed.
#include <csignal>
#include <iostream>

#include <fmt/format.h>

#include "calibrate/ps/args.hpp"
#include "calibrate/ps/server.hpp"
#include "calibrate/ps/summary.hpp"
#include "calibrate/ps/worker.hpp"
#include "calibrate/tcp/socket_io.hpp"
#include "dlscale/error.hpp"

int main(int argc, char** argv) try {
  std::signal(SIGPIPE, SIG_IGN);  // sockets use MSG_NOSIGNAL; this covers a closed stdout pipe
  const auto args = dlscale::ps::parse_ps_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  switch (args.role) {
    case dlscale::ps::Role::server: return dlscale::ps::run_server(args, std::cout, std::cerr);
    case dlscale::ps::Role::worker: return dlscale::ps::run_worker(args, std::cout, std::cerr);
    case dlscale::ps::Role::summary:
      std::cout << dlscale::ps::summarize_files(args.files, args.slowest) << '\n';
      return 0;
  }
  return 1;
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-ps: {}\n", e.what());
  return 2;
} catch (const dlscale::tcp::TcpError& e) {
  fmt::print(stderr, "dlscale-ps: {} ({})\n", e.what(), dlscale::tcp::to_string(e.failure));
  return 1;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-ps: internal error: {}\n", e.what());
  return 1;
}

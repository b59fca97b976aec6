// dlscale-tcp-probe: a parser plus one call; bad input exits 2 with the reason, a network
// failure exits 1 with what failed.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "calibrate/tcp/probe_cli.hpp"
#include "calibrate/tcp/probe_mpi.hpp"
#include "calibrate/tcp/socket_io.hpp"
#include "dlscale/error.hpp"

int main(int argc, char** argv) try {
  std::signal(SIGPIPE, SIG_IGN);  // sockets use MSG_NOSIGNAL; this covers a closed stdout pipe
  const auto args = dlscale::tcp::parse_tcp_probe_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  if (dlscale::tcp::launched_by_mpi()) return dlscale::tcp::run_mpi(args, std::cout, std::cerr);
  if (args.mode == dlscale::tcp::ProbeMode::serve) return dlscale::tcp::run_serve(args, std::cout, std::cerr);
  return dlscale::tcp::run_measurements(args, std::cout, std::cerr);
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-tcp-probe: {}\n", e.what());
  return 2;
} catch (const dlscale::tcp::TcpError& e) {
  fmt::print(stderr, "dlscale-tcp-probe: {} ({})\n", e.what(), dlscale::tcp::to_string(e.failure));
  return 1;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-tcp-probe: internal error: {}\n", e.what());
  return 1;
}

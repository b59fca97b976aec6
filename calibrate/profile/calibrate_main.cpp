// dlscale-calibrate: a parser plus one call; bad input exits 2 with the reason, a network
// failure exits 1 with what failed.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <new>

#include <fmt/format.h>

#include "calibrate/profile/calibrate_args.hpp"
#include "calibrate/profile/calibrate_mpi.hpp"
#include "calibrate/profile/gpu_backend.hpp"
#include "calibrate/tcp/socket_io.hpp"
#include "dlscale/error.hpp"

int main(int argc, char** argv) try {
  std::signal(SIGPIPE, SIG_IGN);  // sockets use MSG_NOSIGNAL; this covers a closed stdout pipe
  const auto args = dlscale::calib::parse_calibrate_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  return dlscale::calib::calibrate(args, std::cout, std::cerr);
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-calibrate: {}\n", e.what());
  return 2;
} catch (const dlscale::tcp::TcpError& e) {
  fmt::print(stderr, "dlscale-calibrate: {} ({})\n", e.what(), dlscale::tcp::to_string(e.failure));
  return 1;
} catch (const dlscale::calib::DeviceFailure& e) {
  fmt::print(stderr, "dlscale-calibrate: {}\n", e.what());
  return 1;
} catch (const std::bad_alloc&) {  // the estimate missed, or the memory went to someone else
  fmt::print(stderr, "dlscale-calibrate: out of memory while measuring; a smaller --batch, "
                     "--batches or network expected\n");
  return 2;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-calibrate: internal error: {}\n", e.what());
  return 1;
}

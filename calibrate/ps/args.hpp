#pragma once
/// dlscale-ps's command line: one role per process (server, worker, summary), parsed into a
/// plain struct. Every bad value is a ConfigError naming the option and what was expected
/// (the executable prints it and exits 2).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "dlscale/scenario.hpp"

namespace dlscale::ps {

enum class Role { server, worker, summary };
/// How a server admits its workers: all at once (the kernel shares the link), or one
/// transfer per direction at a time in arrival order (MODELS.md "Access semaphore").
enum class Policy { fair, fifo };

struct Endpoint {
  std::string host;
  int port = 0;
};

struct PsArgs {
  Role role = Role::server;
  bool help = false;
  std::string usage;  ///< the --help text of the role (or of the command)

  // What is exchanged: a network's fp32 tensors placed over `shards` servers, or a byte count
  // (one server only: without tensors there is nothing to place).
  std::string network;      ///< empty: --bytes
  std::uint64_t bytes = 0;  ///< --bytes
  bool largest_first = false;  ///< --placement largest-first (else model order, algorithm 3.7)

  // server
  std::string bind_address = "0.0.0.0";
  int port = 0;
  int workers = 1;   ///< N: the server's barrier counts N pushes; its start waits for N peers
  int shard = 0;     ///< J: which of the K shards this server holds
  int shards = 1;    ///< K
  Policy policy = Policy::fair;
  Mode mode = Mode::sync_join;

  // worker
  std::vector<Endpoint> servers;  ///< shard j is served by servers[j]; K = servers.size()
  double compute_s = 0;           ///< slept per iteration (the emulated t_grad, or t_grad/N)
  int iterations = 10;            ///< timed iterations (after the warm-up)
  int warmup = 2;                 ///< untimed iterations first; summary drops them too

  // both
  std::string token;
  std::chrono::milliseconds timeout{120000};      ///< the whole run
  std::chrono::milliseconds idle_timeout{30000};  ///< one wait for progress

  // summary
  std::vector<std::string> files;  ///< worker outputs
  bool slowest = false;            ///< --slowest: the slowest worker alone (async rows)
};

/// Parses argv (argv[1] is the role). Throws ConfigError.
PsArgs parse_ps_args(int argc, const char* const* argv);

}  // namespace dlscale::ps

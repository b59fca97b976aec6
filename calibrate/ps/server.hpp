#pragma once
/// dlscale-ps's server role: holds one shard (a byte count) and serves N workers over the
/// framed TCP transport (calibrate/tcp), one thread per worker (tcp::Server). Per worker and
/// iteration:
///   turn            -> fifo: queued for the inbound semaphore; `ack` when granted
///                      (fair: `ack` at once); the first one also waits for all N workers
///   data (shard B)  -> read whole (the push), counted as one update of the shard
///   pull (u64 B)    -> sync: waits until all N pushed this round (the barrier); fifo: queued
///                      for the outbound semaphore; then `data` of B bytes, and the worker's
///                      `ack` that all of them arrived ends the transfer (and the turn)
///   bye             -> the worker is done
/// Anything else, a wrong size or a wait past the run's timeout drops the peer and fails the run.
#include <iosfwd>

#include "calibrate/ps/args.hpp"

namespace dlscale::ps {

/// Serves until every worker said bye (0) or the run failed (1: a peer dropped, a timeout).
/// Prints "listening PORT" on `out` once accepting.
int run_server(const PsArgs& args, std::ostream& out, std::ostream& log);

}  // namespace dlscale::ps

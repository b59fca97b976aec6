#pragma once
/// dlscale-ps's worker role: per iteration it sleeps the compute time (the emulated t_grad),
/// then, with every server that holds bytes at once (one thread each: the worker's NIC is
/// shared by the kernel as a real worker's pushes to K servers would share it), asks for a
/// turn, pushes the server's shard, pulls it back and acks it. The iteration's time runs from
/// the start of the sleep to the last ack.
#include <iosfwd>

#include "calibrate/ps/args.hpp"

namespace dlscale::ps {

/// Runs warm-up + timed iterations; prints "# ..." lines and then "iteration,seconds" per
/// timed iteration on `out`. Throws tcp::TcpError when a server fails or the run times out.
int run_worker(const PsArgs& args, std::ostream& out, std::ostream& log);

}  // namespace dlscale::ps

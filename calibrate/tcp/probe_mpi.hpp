#pragma once
/// dlscale-tcp-probe under an MPI launcher (`mpirun -np K dlscale-tcp-probe ...`): rank 0
/// serves, ranks 1..K-1 measure against it one after another, then all send to it at once
/// (fan-in across hosts); rank 0 prints every rank's results. Only where built with MPI.
#include <iosfwd>

#include "calibrate/tcp/probe_cli.hpp"

namespace dlscale::tcp {

/// True when an MPI launcher started this process (Open MPI, MPICH/PMI or PMIx variables).
bool launched_by_mpi();
/// Whether this build can run under MPI.
bool built_with_mpi();
/// The MPI run; throws ConfigError when built without MPI or for options it cannot honour.
int run_mpi(const TcpProbeArgs& args, std::ostream& out, std::ostream& log);

}  // namespace dlscale::tcp

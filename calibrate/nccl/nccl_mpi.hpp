#pragma once
/// The MPI side of an NCCL run, shared by dlscale-nccl-probe and dlscale-calibrate --nccl:
/// every rank's host name, one verdict agreed before NCCL starts (so no rank waits in a
/// collective its peers never join), the communicator over an MPI communicator (its rank 0
/// makes the ncclUniqueId and broadcasts it) and the slowest rank's time. Only in builds with
/// MPI (DLSCALE_HAVE_MPI); MPI's default error handler aborts the job on a failed MPI call,
/// so MPI results are not checked.
#include "config.hpp"

#if DLSCALE_HAVE_MPI
// The C API only: the removed MPI C++ bindings' headers are not -Wextra clean.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "calibrate/nccl/nccl_sweep.hpp"
#include "calibrate/nccl/nccl_world.hpp"
#include "calibrate/nccl/rank_layout.hpp"

namespace dlscale::calib {

/// Each rank's host name (gethostname), in rank order, on every rank of `comm`.
std::vector<std::string> gather_host_names(MPI_Comm comm);

/// Every rank of `comm` gets the code of the lowest-numbered rank that failed (0 when none
/// did); `speaks` is true on that rank only, so the reason is printed once, by a rank that has it.
struct AgreedVerdict {
  int code = 0;
  bool speaks = false;
};
AgreedVerdict agree(MPI_Comm comm, const RankVerdict& mine);

/// The ranks of `comm` as one NCCL communicator (NCCL rank = rank in `comm`), this process on
/// CUDA device `device`.
std::unique_ptr<NcclWorld> make_mpi_world(MPI_Comm comm, int device, std::uint64_t buffer_bytes);

/// The largest of every rank's time in `comm` (MPI_Allreduce, max).
Slowest slowest_over(MPI_Comm comm);

}  // namespace dlscale::calib
#endif

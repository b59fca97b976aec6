#pragma once
/// The MPI steps of an NCCL run that need no NCCL, so dlscale-calibrate compiles them in a build
/// with MPI but without NCCL (where --nccl under mpirun exits 77 on every rank, agreed): every
/// rank's host name, and one verdict agreed before NCCL starts, so no rank waits in a
/// collective its peers never join. Only in builds with MPI (DLSCALE_HAVE_MPI); MPI's default
/// error handler aborts the job on a failed MPI call, so MPI results are not checked.
#include "config.hpp"

#if DLSCALE_HAVE_MPI
// The C API only: the removed MPI C++ bindings' headers are not -Wextra clean.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <string>
#include <vector>

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

}  // namespace dlscale::calib
#endif

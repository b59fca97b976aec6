#pragma once
/// The MPI side of an NCCL run, shared by dlscale-nccl-probe and dlscale-calibrate --nccl: the
/// communicator over an MPI communicator (its rank 0 makes the ncclUniqueId and broadcasts it)
/// and the slowest rank's time, with rank_mpi.hpp's host names and agreed verdict. Only in
/// builds with MPI (DLSCALE_HAVE_MPI); MPI results are not checked (MPI aborts on failure).
#include "config.hpp"

#if DLSCALE_HAVE_MPI

#include <cstdint>
#include <memory>

#include "calibrate/nccl/nccl_sweep.hpp"
#include "calibrate/nccl/nccl_world.hpp"
#include "calibrate/nccl/rank_mpi.hpp"

namespace dlscale::calib {

/// The ranks of `comm` as one NCCL communicator (NCCL rank = rank in `comm`), this process on
/// CUDA device `device`.
std::unique_ptr<NcclWorld> make_mpi_world(MPI_Comm comm, int device, std::uint64_t buffer_bytes);

/// The largest of every rank's time in `comm` (MPI_Allreduce, max).
Slowest slowest_over(MPI_Comm comm);

}  // namespace dlscale::calib
#endif

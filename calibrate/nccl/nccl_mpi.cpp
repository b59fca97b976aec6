#include "calibrate/nccl/nccl_mpi.hpp"

#if DLSCALE_HAVE_MPI
#include "calibrate/nccl/nccl_check.hpp"

namespace dlscale::calib {

std::unique_ptr<NcclWorld> make_mpi_world(MPI_Comm comm, int device, std::uint64_t buffer_bytes) {
  int rank = 0, size = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  ncclUniqueId id{};
  if (rank == 0) DLSCALE_NCCL(ncclGetUniqueId, &id);
  MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, comm);
  return std::make_unique<NcclWorld>(device, rank, size, id, buffer_bytes);
}

Slowest slowest_over(MPI_Comm comm) {
  return [comm](double t) {
    double max = 0;
    MPI_Allreduce(&t, &max, 1, MPI_DOUBLE, MPI_MAX, comm);
    return max;
  };
}

}  // namespace dlscale::calib
#endif

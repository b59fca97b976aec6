#include "calibrate/nccl/rank_mpi.hpp"

#if DLSCALE_HAVE_MPI
#include <unistd.h>

#include <algorithm>

namespace dlscale::calib {

std::vector<std::string> gather_host_names(MPI_Comm comm) {
  // Fixed-size records: one MPI_Allgather, no counts to exchange first.
  constexpr int width = 256;
  char mine[width] = {};
  if (gethostname(mine, width - 1) != 0 || mine[0] == '\0') std::copy_n("localhost", 10, mine);
  int size = 0;
  MPI_Comm_size(comm, &size);
  std::vector<char> all(static_cast<std::size_t>(size) * width);
  MPI_Allgather(mine, width, MPI_CHAR, all.data(), width, MPI_CHAR, comm);
  std::vector<std::string> out;
  for (int r = 0; r < size; ++r) out.emplace_back(all.data() + static_cast<std::size_t>(r) * width);
  return out;
}

AgreedVerdict agree(MPI_Comm comm, const RankVerdict& mine) {
  int rank = 0, size = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int key = mine.code != 0 ? rank : size, first = size;
  MPI_Allreduce(&key, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == size) return {};
  int code = mine.code;
  MPI_Bcast(&code, 1, MPI_INT, first, comm);
  return {code, first == rank};
}

}  // namespace dlscale::calib
#endif

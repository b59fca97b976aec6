#pragma once
/// The ranks this process drives: every local GPU (ncclCommInitAll) or, under MPI, one GPU per
/// process (ncclCommInitRank with rank 0's unique id). Each rank has a stream, a send and a
/// receive buffer of the largest size, and two events.
#include <cstdint>
#include <memory>
#include <vector>

#include <nccl.h>

#include "calibrate/cuda/cuda_resources.hpp"

namespace dlscale::calib {

struct LocalRank {
  int device = 0;
  int rank = 0;  ///< NCCL rank (global under MPI)
  ncclComm_t comm = nullptr;
  std::unique_ptr<Stream> stream;
  std::unique_ptr<Event> start, stop;
  DeviceBuffer send, recv;
};

class NcclWorld {
 public:
  /// One process, ranks 0 .. devices-1 on devices 0 .. devices-1.
  NcclWorld(int devices, std::uint64_t buffer_bytes);
  /// One rank of `ranks` on `device`; `id` comes from rank 0 (ncclGetUniqueId) by MPI.
  NcclWorld(int device, int rank, int ranks, const ncclUniqueId& id, std::uint64_t buffer_bytes);
  NcclWorld(const NcclWorld&) = delete;
  NcclWorld& operator=(const NcclWorld&) = delete;
  ~NcclWorld();

  int ranks() const { return ranks_; }
  std::vector<LocalRank>& local() { return local_; }

 private:
  void allocate(LocalRank& r, std::uint64_t buffer_bytes);
  int ranks_ = 0;
  std::vector<LocalRank> local_;
};

}  // namespace dlscale::calib

#include "calibrate/nccl/nccl_world.hpp"

#include <numeric>

#include "calibrate/nccl/nccl_check.hpp"

namespace dlscale::calib {

// Streams, events and buffers belong to the device current at creation.
void NcclWorld::allocate(LocalRank& r, std::uint64_t buffer_bytes) {
  DLSCALE_CUDA(cudaSetDevice, r.device);
  r.stream = std::make_unique<Stream>();
  r.start = std::make_unique<Event>();
  r.stop = std::make_unique<Event>();
  r.send = DeviceBuffer(buffer_bytes);
  r.recv = DeviceBuffer(buffer_bytes);
  // Defined contents (no NaN or denormal garbage in reductions), ordered before the
  // collectives by the rank's own stream (a non-blocking stream ignores the default stream).
  DLSCALE_CUDA(cudaMemsetAsync, r.send.get(), 0, buffer_bytes, *r.stream);
  DLSCALE_CUDA(cudaMemsetAsync, r.recv.get(), 0, buffer_bytes, *r.stream);
}

NcclWorld::NcclWorld(int devices, std::uint64_t buffer_bytes) : ranks_(devices), local_(devices) {
  std::vector<int> list(devices);
  std::iota(list.begin(), list.end(), 0);
  std::vector<ncclComm_t> comms(devices);
  DLSCALE_NCCL(ncclCommInitAll, comms.data(), devices, list.data());
  for (int d = 0; d < devices; ++d) {
    local_[d].device = d;
    local_[d].rank = d;
    local_[d].comm = comms[d];
  }
  for (auto& r : local_) allocate(r, buffer_bytes);
}

NcclWorld::NcclWorld(int device, int rank, int ranks, const ncclUniqueId& id, std::uint64_t buffer_bytes)
    : ranks_(ranks), local_(1) {
  auto& r = local_[0];
  r.device = device;
  r.rank = rank;
  DLSCALE_CUDA(cudaSetDevice, device);
  DLSCALE_NCCL(ncclCommInitRank, &r.comm, ranks, id, rank);
  allocate(r, buffer_bytes);
}

NcclWorld::~NcclWorld() {
  for (auto& r : local_) {
    cudaSetDevice(r.device);  // release each rank's resources on its own device
    r.send = DeviceBuffer();
    r.recv = DeviceBuffer();
    r.start.reset();
    r.stop.reset();
    r.stream.reset();
    if (r.comm) ncclCommDestroy(r.comm);
  }
}

}  // namespace dlscale::calib

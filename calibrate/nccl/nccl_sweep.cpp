#include "calibrate/nccl/nccl_sweep.hpp"

#include <algorithm>

#include "calibrate/nccl/nccl_check.hpp"

namespace dlscale::calib {
namespace {

// One iteration on every local rank; the group makes NCCL launch them together (required when
// one thread drives several devices, harmless with one).
void launch(NcclWorld& world, Collective c, const CollectiveCounts& k) {
  const int n = world.ranks();
  DLSCALE_NCCL(ncclGroupStart);
  for (auto& r : world.local()) {
    void* send = r.send.get();
    void* recv = r.recv.get();
    cudaStream_t s = *r.stream;
    switch (c) {
      case Collective::broadcast:
        DLSCALE_NCCL(ncclBroadcast, send, recv, k.send_elements, ncclFloat, 0, r.comm, s);
        break;
      case Collective::reduce:
        DLSCALE_NCCL(ncclReduce, send, recv, k.send_elements, ncclFloat, ncclSum, 0, r.comm, s);
        break;
      case Collective::all_reduce:
        DLSCALE_NCCL(ncclAllReduce, send, recv, k.send_elements, ncclFloat, ncclSum, r.comm, s);
        break;
      case Collective::all_gather:
        DLSCALE_NCCL(ncclAllGather, send, recv, k.send_elements, ncclFloat, r.comm, s);
        break;
      case Collective::reduce_scatter:
        DLSCALE_NCCL(ncclReduceScatter, send, recv, k.recv_elements, ncclFloat, ncclSum, r.comm, s);
        break;
      case Collective::send_recv:  // a ring: every rank sends to the next, receives from the previous
        DLSCALE_NCCL(ncclSend, send, k.send_elements, ncclFloat, (r.rank + 1) % n, r.comm, s);
        DLSCALE_NCCL(ncclRecv, recv, k.recv_elements, ncclFloat, (r.rank + n - 1) % n, r.comm, s);
        break;
    }
  }
  DLSCALE_NCCL(ncclGroupEnd);
}

void record(NcclWorld& world, bool start) {
  for (auto& r : world.local()) {
    DLSCALE_CUDA(cudaSetDevice, r.device);
    DLSCALE_CUDA(cudaEventRecord, start ? *r.start : *r.stop, *r.stream);
  }
}

}  // namespace

std::vector<SizeResult> time_collective(NcclWorld& world, Collective c, std::span<const std::uint64_t> sizes,
                                        int warmup, int iters, const Slowest& slowest) {
  std::vector<SizeResult> out;
  for (const auto size : sizes) {
    const auto k = counts_for(c, size, sizeof(float), world.ranks());
    if (k.size_bytes == 0) continue;
    for (int w = 0; w < warmup; ++w) launch(world, c, k);
    record(world, true);
    for (int i = 0; i < iters; ++i) launch(world, c, k);
    record(world, false);
    double seconds = 0;
    for (auto& r : world.local()) {
      DLSCALE_CUDA(cudaEventSynchronize, *r.stop);
      float ms = 0;
      DLSCALE_CUDA(cudaEventElapsedTime, &ms, *r.start, *r.stop);
      seconds = std::max(seconds, 1e-3 * ms / iters);
    }
    seconds = slowest(seconds);
    const double bytes = static_cast<double>(k.size_bytes);
    out.push_back({k.size_bytes, static_cast<std::size_t>(k.size_bytes / sizeof(float)), seconds,
                   alg_bandwidth(bytes, seconds), bus_bandwidth(c, world.ranks(), bytes, seconds)});
  }
  return out;
}

}  // namespace dlscale::calib

#include "calibrate/profile/mpi_launch.hpp"

#include <fmt/format.h>

namespace dlscale::calib {

std::optional<std::string> mpi_launch_refusal(bool nccl, int launcher_ranks, bool mpi_built) {
  if (nccl && !mpi_built)
    return "--nccl under an MPI launcher: this build has no MPI (reconfigure with "
           "-Dmpi=enabled); without mpirun, --nccl measures this node's GPUs in one process";
  if (!nccl && launcher_ranks > 1)
    return fmt::format("{} MPI ranks without --nccl: each would calibrate alone and write the "
                       "same profile; only --nccl runs across ranks, the rest runs without mpirun",
                       launcher_ranks);
  return std::nullopt;
}

RankVerdict nccl_rank_verdict(const NcclRankInputs& in) {
  constexpr int exit_no_device = 77;
  if (!in.gpu_built || in.devices < 1) return {exit_no_device, fmt::format("--nccl: {}", in.gpu_reason)};
  if (!in.nccl_built)
    return {exit_no_device, "--nccl: NCCL support not built; reconfigure with -Dnccl=enabled"};
  if (in.ranks_on_host > in.devices)
    return {2, fmt::format("--nccl under MPI: {} ranks on {}, which has {} CUDA device{}; one rank "
                           "per GPU expected", in.ranks_on_host, in.host, in.devices,
                           in.devices == 1 ? "" : "s")};
  return {};
}

}  // namespace dlscale::calib

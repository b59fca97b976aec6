#pragma once
/// dlscale-calibrate under an MPI launcher: the refusals and each rank's verdict before NCCL
/// starts, as plain functions of what the build and the rank found, so their exact messages are
/// unit-tested on machines without MPI or a GPU. The messages go after "dlscale-calibrate: ".
#include <optional>
#include <string>

#include "calibrate/nccl/rank_layout.hpp"

namespace dlscale::calib {

/// Before MPI starts (exit 2 on every rank): --nccl under a launcher in a build without MPI (each
/// rank would calibrate alone), and a launch of 2 ranks or more without --nccl (only the
/// collectives run across ranks; the rest would run once per rank, all writing one profile).
/// `launcher_ranks` is mpi_launcher_ranks()'s value (0: size not known, nothing refused for it).
std::optional<std::string> mpi_launch_refusal(bool nccl, int launcher_ranks, bool mpi_built);

/// What this rank can do for --nccl under MPI: 77 and the single-process message where the GPU
/// probes are not built or there is no device (the same line as without mpirun), 77 where NCCL
/// is not built, 2 where its host has more ranks than CUDA devices (one rank per GPU).
struct NcclRankInputs {
  bool gpu_built = false;  ///< GpuAvailability::built
  int devices = 0;         ///< GpuAvailability::devices
  std::string gpu_reason;  ///< GpuAvailability::reason
  bool nccl_built = false;
  int ranks_on_host = 1;
  std::string host;
};
RankVerdict nccl_rank_verdict(const NcclRankInputs& in);

}  // namespace dlscale::calib

// dlscale-calibrate --nccl under mpirun. Order matters for the other ranks: every refusal is
// agreed first (rank 0's options and profile path, the layout, each rank's device), then every
// rank runs the collectives, then all leave MPI together (MPI_Finalize) before rank 0 measures
// t_grad and TCP on its own. The other ranks never wait on rank 0's minutes of probing inside
// an MPI call (no timeout to hit, no busy progress loop next to rank 0's timed passes), and
// their GPUs are free again before rank 0's t_grad.
#include "calibrate/profile/calibrate_mpi.hpp"

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/nccl/rank_layout.hpp"
#include "calibrate/profile/calibrate_run.hpp"
#include "calibrate/profile/gpu_backend.hpp"
#include "calibrate/profile/mpi_launch.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"

#include "calibrate/nccl/rank_mpi.hpp"

namespace dlscale::calib {
namespace {

#if DLSCALE_HAVE_MPI
// What each rank can do, agreed by all; on rank 0 also the plan (every refusal of a plain run).
RankVerdict rank_verdict(const CalibrateArgs& a, const RankLayout& layout, int rank,
                         std::optional<CalibrationPlan>& plan, std::ostream& log) {
  if (rank == 0) {
    try {
      plan = plan_calibration(a, log);
      if (!plan) return {77, ""};  // a missing GPU, said by plan_calibration as in a plain run
      require_even(layout);
    } catch (const ConfigError& e) {
      return {2, e.what()};
    }
  } else if (!layout.even()) {
    return {2, ""};  // rank 0 says it
  }
  const auto gpu = gpu_availability();
  const auto r = static_cast<std::size_t>(rank);
  const auto node = static_cast<std::size_t>(layout.node_of_rank[r]);
  return nccl_rank_verdict({gpu.built, gpu.devices, gpu.reason, nccl_built(),
                            layout.ranks_on_host[node], layout.hosts[node]});
}

// Until the collectives are measured, on every rank; returns the exit code all ranks agreed on.
int collectives_across_ranks(const CalibrateArgs& a, int rank, std::optional<CalibrationPlan>& plan,
                             std::vector<ProfileCollective>& collectives, std::ostream& log) {
  const RankLayout layout = layout_of(gather_host_names(MPI_COMM_WORLD));
  const RankVerdict mine = rank_verdict(a, layout, rank, plan, log);
  const AgreedVerdict agreed = agree(MPI_COMM_WORLD, mine);
  if (agreed.code != 0) {
    if (agreed.speaks && !mine.message.empty()) fmt::print(log, "dlscale-calibrate: {}\n", mine.message);
    return agreed.code;
  }
  collectives = measure_nccl_collectives_mpi(a, layout, rank, rank == 0 ? &log : nullptr);
  return 0;
}

int run_mpi(const CalibrateArgs& a, std::ostream& out, std::ostream& log) {
  MPI_Init(nullptr, nullptr);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size == 1) {  // `mpirun -np 1`: nothing across ranks; the plain run, all GPUs in one process
    MPI_Finalize();
    return run_calibration(a, out, log);
  }
  std::optional<CalibrationPlan> plan;
  std::vector<ProfileCollective> collectives;
  int code = 0;
  try {
    code = collectives_across_ranks(a, rank, plan, collectives, log);
  } catch (const std::exception& e) {
    // The other ranks would wait forever in the next collective: take the whole job down.
    fmt::print(log, "dlscale-calibrate: rank {}: {}\n", rank, e.what());
    log.flush();
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  if (code != 0 || rank != 0) return code;
  return finish_calibration(std::move(*plan), a, out, log, &collectives);
}
#endif

}  // namespace

int calibrate(const CalibrateArgs& a, std::ostream& out, std::ostream& log) {
  const auto ranks = mpi_launcher_ranks();
  if (!ranks) return run_calibration(a, out, log);
  if (const auto why = mpi_launch_refusal(a.nccl, *ranks, DLSCALE_HAVE_MPI != 0)) throw ConfigError(*why);
#if DLSCALE_HAVE_MPI
  if (a.nccl) return run_mpi(a, out, log);
#endif
  return run_calibration(a, out, log);  // one rank, or a size the launcher did not say
}

}  // namespace dlscale::calib

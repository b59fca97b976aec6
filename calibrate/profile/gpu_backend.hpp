#pragma once
/// dlscale-calibrate's GPU steps: t_grad with the cuDNN/cuBLAS probe and the NCCL collectives.
/// Plain C++ declarations, defined in gpu_backend.cpp, the one file that knows whether they
/// were built (DLSCALE_CALIBRATE_CUDNN, DLSCALE_CALIBRATE_NCCL).
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibrate/nccl/rank_layout.hpp"
#include "calibrate/profile/calibrate_args.hpp"
#include "calibrate/profile/calibrate_run.hpp"
#include "dlscale/network.hpp"
#include "dlscale/profile.hpp"

namespace dlscale::calib {

/// A CUDA, cuDNN or NCCL call failed while measuring (exit 1, not bad input).
struct DeviceFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Whether `--device gpu` can run here.
struct GpuAvailability {
  bool built = false;   ///< the cuDNN/cuBLAS probe was compiled in
  int devices = 0;      ///< CUDA devices found
  std::string reason;   ///< why not, when !usable(): "not built ...", or cudaGetDeviceCount's
  bool usable() const { return built && devices > 0; }
};
/// Never throws.
GpuAvailability gpu_availability();
/// Whether --nccl was compiled in.
bool nccl_built();

/// t_grad of `net` on device 0 in a.precision at --batch and every --batches size, every
/// timed pass kept, and per-class rates at --batch: the CPU step's GradEntry. Throws
/// DeviceFailure for a failed GPU call, std::logic_error when not built (check availability).
GradEntry measure_gpu_grad_entry(const Network& net, const CalibrateArgs& a, std::ostream& log);

/// The NCCL collectives of a.collectives on every GPU of this node (one process, intra-node
/// scope) over a.nccl_min_bytes .. a.nccl_max_bytes: per collective its samples (the
/// probe's per-size time), the fit_collective fit and its residuals. Empty, with the reason
/// in `skipped`, on a node with fewer than 2 GPUs. Throws DeviceFailure for a failed call.
std::vector<ProfileCollective> measure_nccl_collectives(const CalibrateArgs& a, std::ostream& log,
                                                        std::string& skipped);

/// The same sweep under MPI, every rank of MPI_COMM_WORLD taking part with one GPU
/// (layout.local_rank on its host), the slowest rank's time per size: one section per collective
/// in sweep_scope(layout)'s scope, N and G, then, where node_sweep_scope(layout) says so, node
/// 0's ranks alone for the intra-node sections. Call on every rank after agreeing that each can
/// (mpi_launch.hpp); `log` is null on the ranks that do not print. Throws DeviceFailure for a
/// failed call, std::logic_error where NCCL or MPI was not built.
std::vector<ProfileCollective> measure_nccl_collectives_mpi(const CalibrateArgs& a,
                                                            const RankLayout& layout, int rank,
                                                            std::ostream* log);

}  // namespace dlscale::calib

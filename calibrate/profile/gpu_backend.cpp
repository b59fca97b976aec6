// The one place where dlscale-calibrate asks whether the GPU probes were built. Without them
// every step says so; with them, the probes' own code does the measuring.
#include "calibrate/profile/gpu_backend.hpp"

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#ifdef DLSCALE_CALIBRATE_CUDNN
#include "calibrate/cuda/device_info.hpp"
#include "calibrate/cuda/gpu_runner.hpp"
#endif
#include "config.hpp"
#ifdef DLSCALE_CALIBRATE_NCCL
#include "calibrate/nccl/nccl_mpi.hpp"
#include "calibrate/nccl/nccl_report.hpp"
#include "calibrate/nccl/nccl_sweep.hpp"
#include "calibrate/nccl/nccl_world.hpp"
#endif

namespace dlscale::calib {

#ifdef DLSCALE_CALIBRATE_CUDNN

GpuAvailability gpu_availability() {
  GpuAvailability g;
  g.built = true;
  g.reason = no_device_reason(g.devices);
  if (!g.reason.empty()) g.reason = fmt::format("no CUDA device (cudaGetDeviceCount: {})", g.reason);
  return g;
}

GradEntry measure_gpu_grad_entry(const Network& net, const CalibrateArgs& a, std::ostream& log) {
  try {
    constexpr std::size_t workspace_bytes = std::size_t{256} << 20;  // the probe's default
    GpuSession session(0, a.precision, workspace_bytes);
    GradEntry out;
    out.entry.network = net.name();
    std::vector<int> batches{a.batch};
    for (int b : a.batches)
      if (b != a.batch) batches.push_back(b);
    for (int b : batches) {
      fmt::print(log, "dlscale-calibrate: {} t_grad on {} in {} at batch {} ({} warm-up, {} "
                 "timed)...\n", net.name(), session.device_name(), to_string(a.precision), b,
                 a.warmup, a.repeat);
      log.flush();
      const GpuGradMeasurement g = session.measure(net, b, a.warmup, a.repeat);
      record_batch(out, b, a.batch, g.m,
                   fmt::format("GPU {} cuDNN/cuBLAS {}, median of {} after {} warm-up (range "
                               "{:.4g}-{:.4g} s){}", g.device, to_string(a.precision), a.repeat,
                               a.warmup, g.m.t_grad.min.v, g.m.t_grad.max.v,
                               g.notes.empty() ? "" : "; with emulations, see dlscale-gpu-probe"));
    }
    return out;
  } catch (const GpuError& e) {
    throw DeviceFailure(fmt::format("{} on the GPU: {}", net.name(), e.what()));
  }
}

#else

GpuAvailability gpu_availability() {
  return {false, 0, "GPU support not built; reconfigure with -Dcuda=enabled (the CUDA toolkit "
                    "and cuDNN)"};
}

GradEntry measure_gpu_grad_entry(const Network&, const CalibrateArgs&, std::ostream&) {
  throw std::logic_error("measure_gpu_grad_entry: GPU support not built");
}

#endif

#ifdef DLSCALE_CALIBRATE_NCCL

bool nccl_built() { return true; }

namespace {

// The probe's per-size times as the profile's samples, fitted with fit_collective at the
// sweep's scope, N and G.
ProfileCollective to_profile(dlscale::Collective c, const SweepScope& scope,
                             const std::vector<SizeResult>& sizes, const std::string& how) {
  std::vector<TransferSample> samples;
  for (const auto& s : sizes) samples.push_back({Bytes{s.size_bytes}, Seconds{s.seconds}});
  const auto r = fit_collective(c, scope.scope, scope.workers, scope.gpus_per_node, samples);
  ProfileCollective p;
  p.fit = r.fit;
  p.origin = Origin::fitted;
  p.source = fmt::format("dlscale-calibrate --nccl: {}{}", how, r.link_fit.bad_fit ? ", BAD FIT" : "");
  p.max_relative_residual = r.link_fit.max_abs_residual;
  for (std::size_t i = 0; i < samples.size(); ++i)
    p.samples.push_back({samples[i].bytes, samples[i].seconds, r.link_fit.relative_residuals[i]});
  return p;
}

// Every --collectives on `world`, one process or one MPI rank of many (the same loop: the
// sweep's own code, nccl_sweep.cpp); progress on `log` where given.
void sweep(std::vector<ProfileCollective>& out, NcclWorld& world, const CalibrateArgs& a,
           const SweepScope& scope, const Slowest& slowest, std::ostream* log,
           const std::string& on, const std::string& how) {
  const auto sizes = sweep_sizes(a.nccl_min_bytes, a.nccl_max_bytes);
  for (const dlscale::Collective c : a.collectives) {
    if (log != nullptr) {
      fmt::print(*log, "dlscale-calibrate: NCCL {} on {}, {} to {} B...\n", to_string(c), on,
                 a.nccl_min_bytes, a.nccl_max_bytes);
      log->flush();
    }
    const auto timed = time_collective(world, probe_collective(c), sizes, a.nccl_warmup,
                                       a.nccl_iters, slowest);
    out.push_back(to_profile(c, scope, timed, how));
  }
}

std::string iterations(const CalibrateArgs& a) {
  return fmt::format("{} warm-up + {} timed iterations per size, float sum", a.nccl_warmup,
                     a.nccl_iters);
}

}  // namespace

std::vector<ProfileCollective> measure_nccl_collectives(const CalibrateArgs& a, std::ostream& log,
                                                        std::string& skipped) {
  std::vector<ProfileCollective> out;
  try {
    int count = 0;
    if (const auto why = no_device_reason(count); !why.empty()) {
      skipped = fmt::format("no CUDA device ({})", why);
      return out;
    }
    if (count < 2) {
      skipped = fmt::format("{} GPU on this node; a collective needs 2 or more", count);
      return out;
    }
    NcclWorld world(count, a.nccl_max_bytes);
    sweep(out, world, a, SweepScope{CollectiveScope::intra_node, count, count},
          [](double t) { return t; }, &log, fmt::format("{} GPUs", count),
          fmt::format("{}, one process", iterations(a)));
  } catch (const GpuError& e) {
    throw DeviceFailure(fmt::format("NCCL: {}", e.what()));
  }
  return out;
}

#if DLSCALE_HAVE_MPI

std::vector<ProfileCollective> measure_nccl_collectives_mpi(const CalibrateArgs& a,
                                                            const RankLayout& layout, int rank,
                                                            std::ostream* log) {
  std::vector<ProfileCollective> out;
  const auto r = static_cast<std::size_t>(rank);
  try {
    const auto all = sweep_scope(layout);
    {
      const auto world = make_mpi_world(MPI_COMM_WORLD, layout.local_rank[r], a.nccl_max_bytes);
      sweep(out, *world, a, all, slowest_over(MPI_COMM_WORLD), log, describe(layout),
            fmt::format("{}, {}, one GPU per MPI process, the slowest rank's time", iterations(a),
                        describe(layout)));
    }  // this communicator is destroyed on every rank before node 0's is made
    const auto node = node_sweep_scope(layout);
    if (!node) return out;
    // Node 0 is rank 0's host; its ranks keep their order, so rank 0 stays NCCL rank 0. The
    // other nodes' ranks leave at once and wait in MPI_Finalize.
    MPI_Comm node0 = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, layout.node_of_rank[r] == 0 ? 0 : MPI_UNDEFINED, rank, &node0);
    if (node0 == MPI_COMM_NULL) return out;
    {
      const auto world = make_mpi_world(node0, layout.local_rank[r], a.nccl_max_bytes);
      sweep(out, *world, a, *node, slowest_over(node0), log,
            fmt::format("node {} ({} ranks)", layout.hosts.front(), node->workers),
            fmt::format("{}, node {} of {}, one GPU per MPI process, the slowest rank's time",
                        iterations(a), layout.hosts.front(), describe(layout)));
    }
    MPI_Comm_free(&node0);
  } catch (const GpuError& e) {
    throw DeviceFailure(fmt::format("NCCL: {}", e.what()));
  }
  return out;
}

#else

std::vector<ProfileCollective> measure_nccl_collectives_mpi(const CalibrateArgs&, const RankLayout&,
                                                            int, std::ostream*) {
  throw std::logic_error("measure_nccl_collectives_mpi: MPI support not built");
}

#endif

#else

bool nccl_built() { return false; }

std::vector<ProfileCollective> measure_nccl_collectives(const CalibrateArgs&, std::ostream&,
                                                        std::string& skipped) {
  skipped = "NCCL support not built; reconfigure with -Dnccl=enabled";
  return {};
}

std::vector<ProfileCollective> measure_nccl_collectives_mpi(const CalibrateArgs&, const RankLayout&,
                                                            int, std::ostream*) {
  throw std::logic_error("measure_nccl_collectives_mpi: NCCL support not built");
}

#endif

}  // namespace dlscale::calib

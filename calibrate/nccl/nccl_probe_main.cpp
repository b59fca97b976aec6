// dlscale-nccl-probe: bad input exits 2 before any device is touched; no device exits 77.
// Under an MPI launcher (where built with MPI) each process drives one GPU and only rank 0
// prints; otherwise this process drives every GPU it sees.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "calibrate/cuda/device_info.hpp"
#include "calibrate/nccl/nccl_check.hpp"
#include "calibrate/nccl/nccl_mpi.hpp"
#include "calibrate/nccl/nccl_probe_args.hpp"
#include "calibrate/nccl/nccl_report.hpp"
#include "calibrate/nccl/rank_layout.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"


namespace {

using namespace dlscale;
using namespace dlscale::calib;

constexpr int exit_no_device = 77;

struct Outputs {
  std::ofstream csv, fit_csv;
};

std::ofstream open_csv(const std::string& path) {
  std::ofstream f(path);
  if (!f) throw ConfigError(fmt::format("cannot write '{}'", path));
  return f;
}

int no_device(const std::string& why) {
  fmt::print(stderr, "dlscale-nccl-probe: no CUDA device (cudaGetDeviceCount: {})\n", why);
  return exit_no_device;
}

void sweep_and_print(NcclWorld& world, const NcclProbeArgs& a, const Slowest& slowest, bool prints,
                     const std::string& layout, Outputs& out) {
  int version = 0;
  DLSCALE_NCCL(ncclGetVersion, &version);
  const auto sizes = sweep_sizes(a.min_bytes, a.max_bytes);
  if (prints)
    fmt::print("NCCL {}, {} ranks ({}), sizes {} to {} B, {} warm-up + {} timed iterations per size (CUDA events)\n",
               version, world.ranks(), layout, a.min_bytes, a.max_bytes, a.warmup, a.iters);
  std::vector<CollectiveReport> reports;
  for (const auto c : a.collectives) {
    reports.push_back(make_report(c, world.ranks(), time_collective(world, c, sizes, a.warmup, a.iters, slowest)));
    if (prints) {
      std::cout << '\n';
      print_report(reports.back(), std::cout);
    }
  }
  if (!prints) return;
  if (out.csv.is_open()) write_sizes_csv(reports, out.csv);
  if (out.fit_csv.is_open()) write_fit_csv(reports, out.fit_csv);
}

int run_one_process(const NcclProbeArgs& a, Outputs& out) {
  int count = 0;
  if (const auto why = no_device_reason(count); !why.empty()) return no_device(why);
  NcclWorld world(count, a.max_bytes);
  sweep_and_print(world, a, [](double t) { return t; }, true, fmt::format("{} GPUs of one process", count), out);
  return 0;
}

#if DLSCALE_HAVE_MPI
// All ranks agree before NCCL starts: one rank without a device makes every rank exit 77, and
// the first such rank says why. The shared MPI steps live in nccl_mpi.cpp (dlscale-calibrate
// --nccl runs them too).
int run_mpi_rank(const NcclProbeArgs& a, Outputs& out, int rank) {
  int count = 0;
  const auto why = no_device_reason(count);
  const auto agreed = agree(MPI_COMM_WORLD, {why.empty() ? 0 : exit_no_device, why});
  if (agreed.code != 0) return agreed.speaks ? no_device(why) : agreed.code;
  const RankLayout layout = layout_of(gather_host_names(MPI_COMM_WORLD));
  const auto world = make_mpi_world(MPI_COMM_WORLD, layout.local_rank[static_cast<std::size_t>(rank)] % count,
                                    a.max_bytes);
  sweep_and_print(*world, a, slowest_over(MPI_COMM_WORLD), rank == 0,
                  fmt::format("{}, one GPU per MPI process", describe(layout)), out);
  return 0;
}
#endif

int run(const NcclProbeArgs& a, Outputs& out) {
#if DLSCALE_HAVE_MPI
  // MPI_Init only under a launcher (Open MPI, MPICH/PMI, PMIx): a plain run stays single-process.
  if (mpi_launcher_ranks()) {
    MPI_Init(nullptr, nullptr);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int rc = 0;
    try {
      rc = run_mpi_rank(a, out, rank);
    } catch (const std::exception& e) {
      // Other ranks would wait forever in the next collective: take the whole job down.
      fmt::print(stderr, "dlscale-nccl-probe: rank {}: {}\n", rank, e.what());
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return rc;
  }
#endif
  return run_one_process(a, out);
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = parse_nccl_probe_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  Outputs out;
  if (!args.csv.empty()) out.csv = open_csv(args.csv);
  if (!args.fit_csv.empty()) out.fit_csv = open_csv(args.fit_csv);
  return run(args, out);
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-nccl-probe: {}\n", e.what());
  return 2;
} catch (const dlscale::calib::GpuError& e) {
  fmt::print(stderr, "dlscale-nccl-probe: {}\n", e.what());
  return 1;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-nccl-probe: internal error: {}\n", e.what());
  return 1;
}

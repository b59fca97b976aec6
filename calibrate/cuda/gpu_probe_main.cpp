// dlscale-gpu-probe: everything that can be wrong with the input is checked before the device
// is touched, so exit 2 is testable without a GPU; then exit 77 if there is no device.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "calibrate/cuda/device_info.hpp"
#include "calibrate/cuda/gpu_probe_args.hpp"
#include "calibrate/cuda/gpu_report.hpp"
#include "calibrate/cuda/pool_geometry.hpp"
#include "dlscale/error.hpp"

namespace {

using namespace dlscale;
using namespace dlscale::calib;

// Pooling geometry cuDNN cannot reproduce is a property of the description: report it as bad input.
void check_layers(const Network& net) {
  for (const auto& L : net.layers())
    if (L.kind == LayerKind::maxpool || L.kind == LayerKind::avgpool || L.kind == LayerKind::global_avgpool)
      pool_geometry(L);
}

std::ofstream open_csv(const std::string& path) {
  std::ofstream f(path);
  if (!f) throw ConfigError(fmt::format("cannot write '{}'", path));
  return f;
}

int run(const GpuProbeArgs& args) {
  const auto net = load_network(args.network, DataSource::embedded());
  check_layers(net);
  std::ofstream csv, sweep_csv;
  if (!args.csv.empty()) csv = open_csv(args.csv);
  if (!args.sweep_csv.empty()) sweep_csv = open_csv(args.sweep_csv);
  int count = 0;
  if (const auto why = no_device_reason(count); !why.empty()) {
    fmt::print(stderr, "dlscale-gpu-probe: no CUDA device (cudaGetDeviceCount: {})\n", why);
    return exit_no_device;
  }
  if (args.device >= count)
    throw ConfigError(fmt::format("device {} is invalid; this machine has {} (0 to {})", args.device, count, count - 1));
  GpuSession session(args.device, args.dtype, static_cast<std::size_t>(args.workspace_mib) << 20);
  const auto g = session.measure(net, args.batch, args.warmup, args.repeat);
  print_gpu_measurement(g, std::cout);
  if (csv.is_open()) write_layer_csv(g, csv);
  if (args.batches.empty()) return 0;
  std::vector<GpuGradMeasurement> sweep;
  for (const int b : args.batches) sweep.push_back(session.measure(net, b, args.warmup, args.repeat));
  print_gpu_sweep(sweep, std::cout);
  if (sweep_csv.is_open()) write_sweep_csv(sweep, sweep_csv);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = parse_gpu_probe_args(argc, argv);
  if (args.help) {
    std::cout << args.usage;
    return 0;
  }
  return run(args);
} catch (const dlscale::ConfigError& e) {
  fmt::print(stderr, "dlscale-gpu-probe: {}\n", e.what());
  return 2;
} catch (const dlscale::calib::GpuError& e) {
  fmt::print(stderr, "dlscale-gpu-probe: {}\n", e.what());
  return 1;
} catch (const std::exception& e) {
  fmt::print(stderr, "dlscale-gpu-probe: internal error: {}\n", e.what());
  return 1;
}

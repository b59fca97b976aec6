// dlscale-calibrate from start to end: networks, t_grad, TCP, the profile and its summary.
#include "calibrate/profile/calibrate_run.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/cpu/memory.hpp"
#include "calibrate/cpu/runner.hpp"
#include "calibrate/profile/gpu_backend.hpp"
#include "calibrate/profile/machine.hpp"
#include "dlscale/data.hpp"
#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

std::string host_name() {
  char host[256] = {};
  return gethostname(host, sizeof host - 1) == 0 && host[0] != '\0' ? host : "localhost";
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

void print_summary(std::ostream& out, const Profile& p, const std::vector<Network>& nets,
                   const TcpCalibration* tcp, const std::string& path) {
  fmt::print(out, "{:<14} {:>6} {:>14} {:>14} {:>12}\n", "network", "batch", "t_grad [s]",
             "t_comm [s]", "weights [B]");
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    const auto& e = p.entries[i];
    const bool fitted = e.t_grad.front().origin == Origin::fitted;
    fmt::print(out, "{:<14} {:>6} {:>14.6g} {:>14} {:>12}{}\n", e.network, *e.t_grad.front().batch,
               e.t_grad.front().t_grad.v, e.t_comm ? fmt::format("{:.6g}", e.t_comm->v) : "-",
               nets[i].weight_bytes(Precision::fp32).v, fitted ? "  (estimated)" : "");
  }
  if (tcp != nullptr && tcp->fitted)
    fmt::print(out, "link tcp: alpha {:.4g} s, beta {:.4g} MB/s, max |residual| {:.1f} %{}\n",
               tcp->link.model.alpha.v, tcp->link.model.beta.v / 1e6,
               100 * tcp->link.max_relative_residual.value_or(0),
               tcp->link.max_relative_residual.value_or(0) > default_max_relative_residual
                   ? " (bad fit: one line does not describe this link; measured networks "
                     "keep their own transfer time, estimated ones use the fit)" : "");
  else if (tcp != nullptr)
    fmt::print(out, "link tcp: not fitted ({})\n", tcp->failure);
  for (const auto& c : p.collectives)
    fmt::print(out, "collective {} ({}, N = {}): alpha {:.4g} s, busbw {:.4g} GB/s, max "
               "|residual| {:.1f} %\n", to_string(c.fit.collective), to_string(c.fit.scope),
               c.fit.workers, c.fit.alpha.v, c.fit.bus_bandwidth.v / 1e9,
               100 * c.max_relative_residual.value_or(0));
  fmt::print(out, "wrote {}\n", path);
}

constexpr int exit_no_device = 77;

struct DeviceChoice {
  bool gpu = false;
  std::string line;  ///< "device: ...", printed once every refusal is past
};

// Where t_grad runs; nullopt (and the reason on `log`) when a GPU is required and there is none:
// --device gpu, or --precision fp16/bf16 or --nccl, which only a GPU runs.
std::optional<DeviceChoice> choose_device(const CalibrateArgs& a, std::ostream& log) {
  const GpuAvailability gpu = gpu_availability();
  const bool required = a.device == Device::gpu ||
                        (a.device == Device::automatic && (a.precision != DType::fp32 || a.nccl));
  if (a.device == Device::cpu || (!required && !gpu.usable())) {
    return DeviceChoice{false, fmt::format("device: cpu{}", a.device == Device::cpu ? "" :
                                           fmt::format(" (auto: {})", gpu.reason))};
  }
  if (!gpu.usable()) {
    const std::string why = a.device == Device::gpu ? "--device gpu"
                            : a.nccl ? "--nccl" : fmt::format("--precision {}", to_string(a.precision));
    fmt::print(log, "dlscale-calibrate: {}: {}\n", why, gpu.reason);
    return std::nullopt;
  }
  return DeviceChoice{true, fmt::format("device: gpu ({} CUDA device{}; t_grad on device 0 in "
                                        "{}){}", gpu.devices, gpu.devices == 1 ? "" : "s",
                                        to_string(a.precision),
                                        a.device == Device::automatic ? " (auto)" : "")};
}

// The [rates] source of a GPU calibration (pooled_rates says CPU and its backend).
std::string gpu_rates_source(const CalibrateArgs& a, const std::vector<Network>& nets) {
  std::vector<std::string> names;
  for (const auto& n : nets) names.push_back(n.name());
  return fmt::format("GPU cuDNN/cuBLAS {}, pooled over {}", to_string(a.precision),
                     fmt::join(names, ", "));
}

}  // namespace

std::optional<CalibrationPlan> plan_calibration(const CalibrateArgs& a, std::ostream& log) {
  const DataSource data = DataSource::from_environment();
  CalibrationPlan plan;
  for (const auto& name : a.networks) plan.nets.push_back(load_network(name, data));
  for (const auto& name : a.estimate) plan.estimated.push_back(load_network(name, data));
  check_estimable(plan.nets, plan.estimated);
  plan.out_path = a.out.empty() ? fmt::format("calibrated-{}.profile", host_name()) : a.out;
  // Everything that can be refused is refused before the first measurement: --out (not a
  // link, device or folder; a folder we can write in), and every batch size's memory.
  check_profile_output(plan.out_path);
  const auto device = choose_device(a, log);
  if (!device) return std::nullopt;
  plan.gpu = device->gpu;
  plan.device_line = device->line;
  for (const auto& net : plan.nets) {
    if (plan.gpu) break;  // the GPU's memory is the GPU probe's to check (exit 1 with the layer)
    check_fits(net, a.batch, "--batch", a.backend);
    for (const int b : a.batches) check_fits(net, b, "--batches", a.backend);
  }
  for (const auto& name : remove_stale_profile_temporaries(plan.out_path))
    fmt::print(log, "dlscale-calibrate: removed {}, left by an interrupted run\n", name);
  return plan;
}

int run_calibration(const CalibrateArgs& a, std::ostream& out, std::ostream& log) {
  auto plan = plan_calibration(a, log);
  if (!plan) return exit_no_device;
  return finish_calibration(std::move(*plan), a, out, log, nullptr);
}

int finish_calibration(CalibrationPlan plan, const CalibrateArgs& a, std::ostream& out,
                       std::ostream& log, const std::vector<ProfileCollective>* measured_collectives) {
  auto& nets = plan.nets;
  const auto& estimated = plan.estimated;
  const auto& out_path = plan.out_path;
  const bool gpu = plan.gpu;
  const int threads = set_threads(a.threads);
  fmt::print(out, "{}\n", plan.device_line);

  Profile p;
  p.name = a.name.empty() ? fmt::format("calibrated-{}", host_name()) : a.name;
  p.machine = machine_info(threads);
  p.machine.emplace_back("command", a.command);
  p.machine.emplace_back("date", utc_now());
  p.hardware = hardware_line(p.machine);
  p.provenance = fmt::format("dlscale-calibrate: t_grad from real {} passes, t_comm from real "
                             "TCP transfers{}", gpu ? "GPU" : "CPU",
                             a.nccl ? ", collectives from NCCL" : "");

  std::vector<GradEntry> measured;
  for (const auto& net : nets) {
    measured.push_back(gpu ? measure_gpu_grad_entry(net, a, log)
                           : measure_grad_entry(net, a, threads, log));
    p.entries.push_back(measured.back().entry);
  }
  if (a.nccl && measured_collectives != nullptr) {
    p.collectives = *measured_collectives;
  } else if (a.nccl) {
    std::string skipped;
    p.collectives = measure_nccl_collectives(a, log, skipped);
    if (!skipped.empty()) fmt::print(out, "nccl: no collectives measured: {}\n", skipped);
  }

  std::optional<TcpCalibration> tcp;
  if (a.tcp != TcpMode::none) {
    std::vector<Bytes> sizes;
    for (const auto& net : nets) sizes.push_back(net.weight_bytes(Precision::fp32));
    tcp = measure_tcp(sizes, a, log);
    for (std::size_t i = 0; i < nets.size(); ++i) {
      p.entries[i].t_comm = tcp->t_comm[i];
      p.entries[i].t_comm_origin = Origin::measured;
      p.entries[i].t_comm_source = fmt::format("one-way TCP of the {} fp32 weight bytes, median "
                                               "of {}", sizes[i].v, a.tcp_repeat);
    }
    if (tcp->fitted) p.links.push_back(tcp->link);
    else fmt::print(log, "dlscale-calibrate: warning: no link fit: {}\n", tcp->failure);
  }
  p.rates = pooled_rates(measured, a, threads);
  if (gpu) p.rates->source = gpu_rates_source(a, nets);
  for (const auto& net : estimated)
    p.entries.push_back(estimated_entry(net, *p.rates, p.links.empty() ? nullptr : &p.links.front()));
  // Only now, with every figure in hand: a temporary file, fsync, then a rename.
  save_profile(p, out_path);
  nets.insert(nets.end(), estimated.begin(), estimated.end());  // the summary's weight column
  print_summary(out, p, nets, tcp ? &*tcp : nullptr, out_path);
  return 0;
}

}  // namespace dlscale::calib

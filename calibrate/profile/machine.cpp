#include "calibrate/profile/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string_view>
#include <thread>

#include <Eigen/Core>
#include <fmt/format.h>

#include "config.hpp"
#if DLSCALE_HAVE_CUDA
#include "calibrate/cuda/device_info.hpp"
#endif
#ifdef DLSCALE_CALIBRATE_CUDNN
#include <cudnn.h>
#endif
#ifdef DLSCALE_CALIBRATE_NCCL
#include <nccl.h>
#endif

namespace dlscale::calib {
namespace {

// The value of the first "key : value" line of a /proc file whose key is `key`.
std::string proc_field(const char* file, std::string_view key) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(key)) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto value = line.find_first_not_of(" \t", colon + 1);
    return value == std::string::npos ? std::string() : line.substr(value);
  }
  return {};
}

// Profile text must not hold '#' (a comment) or line breaks.
std::string clean(std::string s) {
  for (char& c : s)
    if (c == '#' || c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

MachineInfo machine_info(int threads) {
  MachineInfo m;
  const auto add = [&m](const char* key, std::string value) {
    if (!value.empty()) m.emplace_back(key, clean(std::move(value)));
  };
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) add("hosts", host);
  add("cpu", proc_field("/proc/cpuinfo", "model name"));
  add("cores", std::to_string(std::thread::hardware_concurrency()));
  add("threads", std::to_string(threads));
  // MemTotal is in kB (KiB, as the kernel means it).
  if (const auto kib = proc_field("/proc/meminfo", "MemTotal"); !kib.empty())
    add("memory_bytes", std::to_string(std::stoull(kib) * 1024));
  utsname u{};
  if (uname(&u) == 0) add("os", fmt::format("{} {} {}", u.sysname, u.release, u.machine));
#if defined(__clang__)
  add("compiler", fmt::format("clang {}", __clang_version__));
#elif defined(__GNUC__)
  add("compiler", fmt::format("gcc {}", __VERSION__));
#endif
  add("eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION));
#if DLSCALE_HAVE_CUDA
  const auto cuda = query_cuda();
  if (cuda.devices.empty()) {
    add("gpu", fmt::format("none ({})", cuda.error.empty() ? "0 devices" : cuda.error));
  } else {
    std::string names;
    for (const auto& d : cuda.devices)
      names += fmt::format("{}{} ({:.0f} GiB)", names.empty() ? "" : ", ", d.name, d.memory_gib);
    add("gpu", names);
  }
  if (cuda.driver_version > 0)
    add("gpu_driver", fmt::format("CUDA driver API {}.{}", cuda.driver_version / 1000,
                                  cuda.driver_version % 1000 / 10));
  add("cuda", fmt::format("{}.{}", cuda.runtime_version / 1000, cuda.runtime_version % 1000 / 10));
#ifdef DLSCALE_CALIBRATE_CUDNN
  // cudnnGetVersion needs no device: MAJOR * 10000 + MINOR * 100 + PATCH since cuDNN 9.
  const auto cudnn = cudnnGetVersion();
  add("cudnn", fmt::format("{}.{}.{}", cudnn / 10000, cudnn % 10000 / 100, cudnn % 100));
#endif
#ifdef DLSCALE_CALIBRATE_NCCL
  // NCCL_VERSION_CODE = MAJOR * 10000 + MINOR * 100 + PATCH since 2.9.
  int nccl = 0;
  if (ncclGetVersion(&nccl) == ncclSuccess)
    add("nccl", fmt::format("{}.{}.{}", nccl / 10000, nccl % 10000 / 100, nccl % 100));
#endif
#else
  add("gpu", "not built (no CUDA toolkit at build time)");
#endif
  return m;
}

std::string hardware_line(const MachineInfo& m) {
  const auto get = [&m](std::string_view key) -> std::string {
    for (const auto& [k, v] : m)
      if (k == key) return v;
    return "?";
  };
  double gib = 0;
  try { gib = std::stod(get("memory_bytes")) / (1024.0 * 1024 * 1024); } catch (const std::exception&) {}
  return fmt::format("{}, {} cores, {:.0f} GiB RAM, gpu: {}", get("cpu"), get("cores"), gib, get("gpu"));
}

}  // namespace dlscale::calib

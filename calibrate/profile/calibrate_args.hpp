#pragma once
/// dlscale-calibrate's command line, parsed into a plain struct (Boost.Program_options).
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/cpu/backend.hpp"
#include "calibrate/cuda/dtype.hpp"
#include "dlscale/collective.hpp"

namespace dlscale::calib {

enum class TcpMode { local, remote, none };
/// Where t_grad is measured: `automatic` is gpu where a GPU probe is built and a device found,
/// else cpu (the output says which).
enum class Device { automatic, cpu, gpu };

struct CalibrateArgs {
  std::vector<std::string> networks;  ///< names or .net files, measured
  std::vector<std::string> estimate;  ///< names or .net files, estimated from class rates
  std::string out;                    ///< the profile to write
  std::string name;                   ///< the profile's name
  int batch = 32;
  std::vector<int> batches;           ///< t_grad(b) also at these (for sync-split's b/N)
  int warmup = 3, repeat = 10, threads = 0;
  CpuBackend backend = default_backend();  ///< kernels of the t_grad passes
  TcpMode tcp = TcpMode::local;
  std::string host, token;            ///< remote server (--tcp HOST:PORT --token T)
  int port = 0;
  double tcp_budget_s = 10;           ///< for the power-of-two sweep; network sizes always run
  int tcp_warmup = 1, tcp_repeat = 5;
  /// The link fit's first size: a token-bucket shaper (tc htb, tbf) passes transfers within
  /// its burst unshaped, which a line through all sizes cannot describe.
  std::uint64_t tcp_min_bytes = 1024;
  Device device = Device::automatic;
  DType precision = DType::fp32;      ///< the GPU probe's element type (the CPU runs fp32)
  bool nccl = false;                  ///< --nccl: the collectives' size sweep and fits
  std::vector<dlscale::Collective> collectives = all_collective_kinds();
  std::uint64_t nccl_min_bytes = 1024, nccl_max_bytes = 64u << 20;
  int nccl_warmup = 5, nccl_iters = 20;
  bool quick = false, help = false;
  std::string command;                ///< the command line, for the profile
  std::string usage;                  ///< the --help text
};

/// Parses argv; throws ConfigError naming the option and the value expected.
CalibrateArgs parse_calibrate_args(int argc, const char* const* argv);

}  // namespace dlscale::calib

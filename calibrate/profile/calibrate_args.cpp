#include "calibrate/profile/calibrate_args.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

namespace po = boost::program_options;

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int positive(const std::string& option, const std::string& item) {
  std::size_t used = 0;
  int v = 0;
  try { v = std::stoi(item, &used); } catch (const std::exception&) { used = 0; }
  if (used != item.size() || used == 0 || v < 1)
    throw ConfigError(fmt::format("--{}: '{}' is not valid; an integer >= 1 expected", option, item));
  return v;
}

po::options_description describe(CalibrateArgs& a) {
  po::options_description d(
      "dlscale-calibrate [options]: measures t_grad (real forward and backward passes on the CPU,\n"
      "Eigen, or on a GPU, cuDNN/cuBLAS), t_comm (real TCP transfers of each network's weights)\n"
      "and with --nccl the NCCL collectives on this machine, and writes a profile that\n"
      "`dlscale --profile FILE` reads. Exit 2: bad input; 77: --device gpu without a GPU");
  d.add_options()("help,h", "this text")
    ("networks", po::value<std::string>()->default_value("MNIST-MLP,CIFAR10-CNN"),
     "comma-separated network names or .net files")
    ("estimate", po::value<std::string>(), "comma-separated networks whose t_grad is estimated "
     "from the per-class rates measured on --networks, and t_comm from the link fit "
     "(written with origin=fitted)")
    ("out,o", po::value(&a.out), "profile to write (default: calibrated-HOSTNAME.profile); "
     "replaced atomically, so an interrupted run leaves the old one intact. It must be a "
     "regular file or a new path: a symbolic link, device, FIFO or folder is refused before "
     "anything is measured (links are not followed). Temporary files .NAME.XXXXXXXX.tmp that "
     "a killed run left next to it are removed")
    ("name", po::value(&a.name), "the profile's name (default: calibrated-HOSTNAME)")
    ("batch,b", po::value<std::string>()->default_value("32"), "batch size of t_grad")
    ("batches", po::value<std::string>(), "also measure t_grad at these batch sizes "
     "(default: b/2, b/4, b/8 down to 1, for sync-split's t_grad(b/N))")
    ("warmup,w", po::value(&a.warmup)->default_value(3), "untimed passes before timing")
    ("repeat,r", po::value(&a.repeat)->default_value(10), "timed passes (median, range, samples kept)")
    ("threads,t", po::value(&a.threads)->default_value(0), "CPU threads (0: all cores)")
    ("backend", po::value<std::string>()->default_value("auto"), "kernels of the t_grad passes: "
     "onednn, eigen, or auto (oneDNN when this build has it)")
    ("tcp", po::value<std::string>()->default_value("local"), "local (a server thread on "
     "127.0.0.1), none, or HOST:PORT of `dlscale-tcp-probe --serve` on another host")
    ("token", po::value(&a.token), "the remote server's token (with --tcp HOST:PORT)")
    ("tcp-budget", po::value(&a.tcp_budget_s)->default_value(10), "seconds for the size sweep "
     "of the link fit, 0 to 86400; each network's own size is always measured")
    ("tcp-repeat", po::value(&a.tcp_repeat)->default_value(5), "timed transfers per size")
    ("tcp-min-bytes", po::value<std::string>()->default_value("1024"), "the link fit's smallest "
     "size in bytes (the sweep doubles from it); smaller networks are still timed for their "
     "t_comm but left out of the fit. Raise it above a token-bucket shaper's burst (tc htb/tbf "
     "pass a burst unshaped)")
    ("device", po::value<std::string>()->default_value("auto"), "where t_grad is measured: "
     "cpu (Eigen), gpu (cuDNN/cuBLAS on device 0; exit 77 without a device or GPU support), or "
     "auto: gpu when a device is found, else cpu, said in the output")
    ("precision", po::value<std::string>()->default_value("fp32"), "the GPU probe's element "
     "type: fp32, fp16 or bf16 (the CPU probe runs fp32 only)")
    ("nccl", "also time the NCCL collectives on this node's GPUs over a size sweep and write "
     "their alpha/busbw fits as [collective NAME] sections (needs --device gpu or auto with a "
     "GPU, and 2 GPUs or more)")
    ("collectives", po::value<std::string>(), "with --nccl: comma-separated, from all-reduce, "
     "reduce-scatter, all-gather, broadcast, reduce (default: all five)")
    ("nccl-max-bytes", po::value<std::string>(), "with --nccl: the sweep's largest size "
     "(1 KiB doubling up to it; default 64 MiB)")
    ("quick", "CI mode: 1 warm-up, 3 timed passes, 2 s TCP budget, 3 transfers per size; "
     "--nccl up to 4 MiB, 2 warm-up and 5 timed iterations");
  return d;
}

Device parse_device(const std::string& text) {
  if (text == "auto") return Device::automatic;
  if (text == "cpu") return Device::cpu;
  if (text == "gpu") return Device::gpu;
  throw ConfigError(fmt::format("--device: '{}' is not valid; cpu, gpu or auto expected", text));
}

DType parse_precision(const std::string& text) {
  if (text == "fp32") return DType::fp32;
  if (text == "fp16") return DType::fp16;
  if (text == "bf16") return DType::bf16;
  throw ConfigError(fmt::format("--precision: '{}' is not valid; fp32, fp16 or bf16 expected",
                                text));
}

std::vector<dlscale::Collective> parse_collectives(const std::string& text) {
  std::vector<dlscale::Collective> out;
  for (const auto& item : split_commas(text)) {
    const auto c = dlscale::parse_collective(item);
    if (!c)
      throw ConfigError(fmt::format("--collectives: unknown collective '{}'; all-reduce, "
                                    "reduce-scatter, all-gather, broadcast or reduce expected",
                                    item));
    if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
  }
  if (out.empty()) throw ConfigError("--collectives: empty; at least one collective expected");
  return out;
}

// The GPU options together: each is refused where it cannot apply, before anything runs.
void read_gpu_options(const po::variables_map& vm, CalibrateArgs& a) {
  a.device = parse_device(vm["device"].as<std::string>());
  a.precision = parse_precision(vm["precision"].as<std::string>());
  a.nccl = vm.count("nccl") > 0;
  if (vm.count("collectives")) {
    a.collectives = parse_collectives(vm["collectives"].as<std::string>());
    if (!a.nccl) throw ConfigError("--collectives: only with --nccl");
  }
  if (vm.count("nccl-max-bytes")) {
    if (!a.nccl) throw ConfigError("--nccl-max-bytes: only with --nccl");
    a.nccl_max_bytes = static_cast<std::uint64_t>(positive("nccl-max-bytes",
                                                           vm["nccl-max-bytes"].as<std::string>()));
    if (a.nccl_max_bytes < a.nccl_min_bytes)
      throw ConfigError(fmt::format("--nccl-max-bytes: {} is not valid; {} (the first size) or "
                                    "more expected", a.nccl_max_bytes, a.nccl_min_bytes));
  } else if (a.quick) {
    a.nccl_max_bytes = 4u << 20;
  }
  if (a.quick) {
    a.nccl_warmup = 2;
    a.nccl_iters = 5;
  }
  if (a.device == Device::cpu && a.precision != DType::fp32)
    throw ConfigError(fmt::format("--precision {}: the CPU probe runs fp32 only; --device gpu "
                                  "expected", to_string(a.precision)));
  if (a.device == Device::cpu && a.nccl)
    throw ConfigError("--nccl: the NCCL collectives run on GPUs; --device gpu or auto expected");
}

void parse_tcp(const std::string& text, CalibrateArgs& a) {
  if (text == "local") return void(a.tcp = TcpMode::local);
  if (text == "none") return void(a.tcp = TcpMode::none);
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw ConfigError(fmt::format("--tcp: '{}' is not valid; local, none or HOST:PORT expected", text));
  a.tcp = TcpMode::remote;
  a.host = text.substr(0, colon);
  a.port = positive("tcp", text.substr(colon + 1));
  if (a.port > 65535)
    throw ConfigError(fmt::format("--tcp: port {} is not valid; 1..65535 expected", a.port));
  if (a.token.empty())
    throw ConfigError("--tcp HOST:PORT needs --token T (printed by `dlscale-tcp-probe --serve`)");
}

}  // namespace

CalibrateArgs parse_calibrate_args(int argc, const char* const* argv) {
  CalibrateArgs a;
  auto desc = describe(a);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(fmt::format("{}; see --help", e.what()));
  }
  a.usage = (std::ostringstream() << desc).str();
  a.help = vm.count("help") > 0;
  if (a.help) return a;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) a.command += ' ';
    a.command += argv[i];
  }
  a.quick = vm.count("quick") > 0;
  if (a.quick) {
    if (vm["warmup"].defaulted()) a.warmup = 1;
    if (vm["repeat"].defaulted()) a.repeat = 3;
    if (vm["tcp-budget"].defaulted()) a.tcp_budget_s = 2;
    if (vm["tcp-repeat"].defaulted()) a.tcp_repeat = 3;
  }
  a.networks = split_commas(vm["networks"].as<std::string>());
  if (a.networks.empty()) throw ConfigError("--networks: empty; at least one network expected");
  if (vm.count("estimate")) a.estimate = split_commas(vm["estimate"].as<std::string>());
  a.batch = positive("batch", vm["batch"].as<std::string>());
  if (vm.count("batches")) {
    for (const auto& item : split_commas(vm["batches"].as<std::string>()))
      a.batches.push_back(positive("batches", item));
  } else {
    for (int b = a.batch / 2; b >= 1 && b >= a.batch / 8; b /= 2) a.batches.push_back(b);
  }
  a.tcp_min_bytes = static_cast<std::uint64_t>(positive("tcp-min-bytes",
                                                       vm["tcp-min-bytes"].as<std::string>()));
  if (a.repeat < 1) throw ConfigError(fmt::format("--repeat: {} is not valid; 1 or more expected", a.repeat));
  if (a.warmup < 0) throw ConfigError(fmt::format("--warmup: {} is not valid; 0 or more expected", a.warmup));
  if (a.threads < 0)
    throw ConfigError(fmt::format("--threads: {} is not valid; 0 (all cores) or more expected", a.threads));
  // At most a day, as the TCP probe's seconds options: a larger budget is a typing error.
  if (!(std::isfinite(a.tcp_budget_s) && a.tcp_budget_s >= 0 && a.tcp_budget_s <= 86400))
    throw ConfigError(fmt::format("--tcp-budget: {} is not valid; a number of seconds from 0 to "
                                  "86400 expected", a.tcp_budget_s));
  if (a.tcp_repeat < 1)
    throw ConfigError(fmt::format("--tcp-repeat: {} is not valid; 1 or more expected", a.tcp_repeat));
  a.backend = parse_backend(vm["backend"].as<std::string>(), "--backend");
  parse_tcp(vm["tcp"].as<std::string>(), a);
  read_gpu_options(vm, a);
  return a;
}

}  // namespace dlscale::calib

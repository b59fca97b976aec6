#include "calibrate/cuda/gpu_probe_args.hpp"

#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {

std::string_view to_string(DType t) {
  switch (t) {
    case DType::fp32: return "fp32";
    case DType::fp16: return "fp16";
    case DType::bf16: return "bf16";
  }
  return "?";
}

DType parse_dtype(std::string_view text) {
  if (text == "fp32") return DType::fp32;
  if (text == "fp16") return DType::fp16;
  if (text == "bf16") return DType::bf16;
  throw ConfigError(fmt::format("--dtype '{}': fp32, fp16 or bf16 expected", text));
}

std::vector<int> parse_batch_list(const std::string& option, const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    int b = 0;
    try { b = std::stoi(item, &used); } catch (const std::exception&) { used = 0; }
    if (used != item.size() || used == 0 || b < 1)
      throw ConfigError(fmt::format("{} '{}': comma-separated batch sizes of 1 or more expected", option, text));
    out.push_back(b);
  }
  if (out.empty())
    throw ConfigError(fmt::format("{} '{}': comma-separated batch sizes of 1 or more expected", option, text));
  return out;
}

namespace {

namespace po = boost::program_options;

po::options_description describe(GpuProbeArgs& a) {
  po::options_description d(
      "dlscale-gpu-probe NETWORK [options]: times forward and backward passes of NETWORK's layers "
      "on a CUDA device (cuDNN, cuBLAS; synthetic data).\nExit codes: 0 measured, 2 bad input, "
      "77 no CUDA device (nothing measured), 1 a CUDA/cuDNN/cuBLAS error");
  d.add_options()("help,h", "this text")
    ("batch,b", po::value(&a.batch)->default_value(32), "batch size")
    ("batches", po::value<std::string>(), "also sweep t_grad(b) over these, e.g. 1,2,4,8")
    ("repeat,r", po::value(&a.repeat)->default_value(10), "timed runs (median and range reported)")
    ("warmup,w", po::value(&a.warmup)->default_value(3), "untimed warm-up runs")
    ("dtype", po::value<std::string>()->default_value("fp32"),
     "fp32, fp16 or bf16 (fp16/bf16 accumulate in fp32 where cuDNN allows; fp32 uses no TF32)")
    ("device", po::value(&a.device)->default_value(0), "CUDA device index")
    ("workspace-mib", po::value(&a.workspace_mib)->default_value(256),
     "largest cuDNN convolution workspace, MiB")
    ("csv", po::value(&a.csv), "write the per-layer table to this CSV file")
    ("sweep-csv", po::value(&a.sweep_csv), "write the batch sweep to this CSV file")
    ("quick", "CI mode: 1 warm-up and 3 timed runs unless --warmup/--repeat say otherwise");
  return d;
}

}  // namespace

GpuProbeArgs parse_gpu_probe_args(int argc, const char* const* argv) {
  GpuProbeArgs a;
  auto desc = describe(a);
  po::options_description hidden;
  hidden.add_options()("network", po::value(&a.network));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("network", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(fmt::format("{}; see --help", e.what()));
  }
  a.usage = (std::ostringstream() << desc).str();
  a.help = vm.count("help") > 0;
  if (a.help) return a;
  if (a.network.empty()) throw ConfigError("a network name or file expected; see --help");
  if (vm.count("quick")) {
    if (vm["repeat"].defaulted()) a.repeat = 3;
    if (vm["warmup"].defaulted()) a.warmup = 1;
  }
  a.dtype = parse_dtype(vm["dtype"].as<std::string>());
  if (vm.count("batches")) a.batches = parse_batch_list("--batches", vm["batches"].as<std::string>());
  if (!a.sweep_csv.empty() && a.batches.empty()) throw ConfigError("--sweep-csv needs --batches");
  if (a.batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", a.batch));
  if (a.repeat < 1) throw ConfigError(fmt::format("repeat {} is invalid; 1 or more expected", a.repeat));
  if (a.warmup < 0) throw ConfigError(fmt::format("warmup {} is invalid; 0 or more expected", a.warmup));
  if (a.device < 0) throw ConfigError(fmt::format("device {} is invalid; 0 or more expected", a.device));
  if (a.workspace_mib < 0 || a.workspace_mib > (1LL << 20))
    throw ConfigError(fmt::format("workspace {} MiB is invalid; 0 to 1048576 expected", a.workspace_mib));
  return a;
}

}  // namespace dlscale::calib

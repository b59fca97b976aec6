#include "calibrate/nccl/nccl_probe_args.hpp"

#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

namespace dlscale::calib {

std::uint64_t parse_bytes(const std::string& option, const std::string& text) {
  std::size_t used = 0;
  unsigned long long v = 0;
  try { v = std::stoull(text, &used); } catch (const std::exception&) { used = 0; }
  int shift = 0;
  if (used > 0 && used + 1 == text.size()) {
    switch (text.back()) {
      case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      default: used = 0;
    }
    if (used > 0) ++used;
  }
  if (used == 0 || used != text.size() || text.front() == '-' || v > (~0ull >> shift))
    throw ConfigError(fmt::format("{} '{}': a byte count expected, e.g. 1048576, 1024K, 64M or 1G", option, text));
  return static_cast<std::uint64_t>(v) << shift;
}

namespace {

namespace po = boost::program_options;

std::vector<Collective> parse_collectives(const std::string& text) {
  std::vector<Collective> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto c = parse_collective(item);
    if (!c)
      throw ConfigError(fmt::format("--collectives: unknown collective '{}'; broadcast, reduce, all_reduce, "
                                    "all_gather, reduce_scatter or send_recv expected", item));
    out.push_back(*c);
  }
  if (out.empty()) throw ConfigError("--collectives: at least one collective expected");
  return out;
}

po::options_description describe(NcclProbeArgs& a) {
  po::options_description d(
      "dlscale-nccl-probe [options]: times NCCL collectives across all GPUs of this process (or one "
      "GPU per MPI rank under mpirun, where built with MPI), sizes from 1 KiB doubling to a maximum; "
      "reports nccl-tests' algbw and busbw and fits t = alpha + size / beta per collective.\n"
      "Exit codes: 0 measured, 2 bad input, 77 no CUDA device (nothing measured), 1 a CUDA/NCCL error");
  d.add_options()("help,h", "this text")
    ("max-bytes", po::value<std::string>(), "largest size (default 64M; K, M, G are binary multiples)")
    ("network", po::value(&a.network), "largest size = this network's fp32 weights (instead of --max-bytes)")
    ("warmup,w", po::value(&a.warmup)->default_value(5), "untimed iterations per size")
    ("iters,n", po::value(&a.iters)->default_value(20), "timed iterations per size (their mean is reported)")
    ("collectives", po::value<std::string>(), "comma-separated subset, e.g. all_reduce,all_gather (default all)")
    ("csv", po::value(&a.csv), "write one row per collective and size to this CSV file")
    ("fit-csv", po::value(&a.fit_csv), "write one alpha/beta fit per collective to this CSV file")
    ("quick", "CI mode: 1 warm-up, 5 timed iterations, up to 64K unless given");
  return d;
}

}  // namespace

NcclProbeArgs parse_nccl_probe_args(int argc, const char* const* argv) {
  NcclProbeArgs a;
  const auto desc = describe(a);
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
  const bool quick = vm.count("quick") > 0;
  if (quick && vm["warmup"].defaulted()) a.warmup = 1;
  if (quick && vm["iters"].defaulted()) a.iters = 5;
  if (a.warmup < 0) throw ConfigError(fmt::format("warmup {} is invalid; 0 or more expected", a.warmup));
  if (a.iters < 1) throw ConfigError(fmt::format("iters {} is invalid; 1 or more expected", a.iters));
  if (vm.count("collectives")) a.collectives = parse_collectives(vm["collectives"].as<std::string>());
  if (vm.count("max-bytes") && vm.count("network"))
    throw ConfigError("--max-bytes and --network both set the largest size; give one");
  if (vm.count("max-bytes")) a.max_bytes = parse_bytes("--max-bytes", vm["max-bytes"].as<std::string>());
  else if (!a.network.empty())
    a.max_bytes = load_network(a.network, DataSource::embedded()).weight_bytes(Precision::fp32).v;
  else if (quick) a.max_bytes = 64 << 10;
  if (a.max_bytes < a.min_bytes)
    throw ConfigError(fmt::format("largest size {} B is invalid; {} (1 KiB, the first size) or more expected",
                                  a.max_bytes, a.min_bytes));
  return a;
}

}  // namespace dlscale::calib

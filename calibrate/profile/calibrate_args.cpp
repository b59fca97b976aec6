#include "calibrate/profile/calibrate_args.hpp"

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
      "Eigen) and t_comm (real TCP transfers of each network's weights) on this machine and\n"
      "writes a profile that `dlscale --profile FILE` reads");
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
    ("quick", "CI mode: 1 warm-up, 3 timed passes, 2 s TCP budget, 3 transfers per size");
  return d;
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
  return a;
}

}  // namespace dlscale::calib

#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"

namespace dlscale::cli {

namespace {
// Short options are off so that "--t-grad -1" reads -1 as a value (and is then rejected
// with a useful message) instead of as an unknown option "-1".
constexpr int style = po::command_line_style::unix_style ^ po::command_line_style::allow_short;

// True for "%" letters-or-underscores "%" anywhere in `a`.
bool holds_placeholder(std::string_view a) {
  for (auto open = a.find('%'); open != std::string_view::npos; open = a.find('%', open + 1)) {
    std::size_t i = open + 1;
    while (i < a.size() && (std::isalpha(static_cast<unsigned char>(a[i])) || a[i] == '_')) ++i;
    if (i > open + 1 && i < a.size() && a[i] == '%') return true;
  }
  return false;
}

// At most 64 bytes of `a`, control and non-ASCII bytes as '?', for a one-line message.
std::string printable(std::string_view a) {
  std::string out;
  for (char c : a.substr(0, 64))
    out += static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f ? '?' : c;
  return a.size() > 64 ? out + "..." : out;
}
}  // namespace

bool parse_options(std::string_view sub, std::string_view usage, const po::options_description& desc,
                   const std::vector<std::string>& args, po::variables_map& vm, std::ostream& out,
                   const po::positional_options_description* positional) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      out << "usage: " << usage << "\n\n" << desc << "\n";
      return false;
    }
  // Boost.Program_options builds its error messages by replacing placeholders such as
  // %canonical_option% and %value% with the user's text until none is left; text that holds a
  // placeholder itself makes that loop forever (found by the fuzz harness). Option names and
  // values never need one, so such an argument is refused before Boost sees it.
  for (const auto& a : args)
    if (holds_placeholder(a))
      throw ConfigError(fmt::format("{}: argument '{}' holds a %word% placeholder, which the "
                                    "option parser cannot report on; remove it", sub,
                                    printable(a)));
  try {
    // Without a positional description Boost keeps stray words and store() drops them, so a
    // typo such as `--workers 8 16` ran silently. Here they are collected and refused.
    po::options_description all;
    all.add(desc).add_options()("stray-argument", po::value<std::vector<std::string>>());
    po::positional_options_description strays;
    strays.add("stray-argument", -1);
    po::command_line_parser parser(args);
    parser.options(positional != nullptr ? desc : all).style(style);
    parser.positional(positional != nullptr ? *positional : strays);
    po::store(parser.run(), vm);
    if (vm.count("stray-argument"))
      throw ConfigError(fmt::format("{}: unexpected argument '{}'; options start with -- (see "
                                    "'dlscale {} --help')", sub,
                                    vm["stray-argument"].as<std::vector<std::string>>().front(), sub));
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(fmt::format("{}: {}; see 'dlscale {} --help'", sub, e.what(), sub));
  }
  return true;
}

void add_scenario_options(po::options_description& desc, bool many_networks) {
  desc.add_options()
    ("network", po::value<std::vector<std::string>>(), many_networks
        ? "network name, .net file or .onnx model; repeatable or comma-separated (default: the profile's)"
        : "network name, .net file or .onnx model")
    ("profile", po::value<std::string>(), "profile file (default: the embedded thesis-2017)")
    ("param", po::value<std::vector<std::string>>(), "network override NAME=INTEGER, e.g. classes=1000; repeatable")
    ("precision", po::value<std::string>()->default_value("fp32"), "fp32 | fp16 | bf16 (weight and gradient size)")
    ("batches", po::value<std::string>()->default_value("128"), "D: batches to train")
    ("batch-size", po::value<std::string>(), "b: pick the profile's t_grad measured at this batch size")
    ("t-grad", po::value<std::string>(), "t_grad [s]: overrides the profile")
    ("t-comm", po::value<std::string>(), "t_comm [s]: overrides the profile")
    ("params", po::value<std::string>(), "without --network: trainable parameters of the network "
        "(the weight size that hierarchical and the simulator's topologies need)")
    ("bytes", po::value<std::string>(), "without --network: bytes of the weight set (instead of "
        "--params)")
    ("workers-per-node", po::value<std::string>(), "G: workers per node (--scheme hierarchical)")
    ("intra-bandwidth", po::value<std::string>(), "B/s between workers of one node (--scheme hierarchical)")
    ("intra-latency", po::value<std::string>(), "s between workers of one node (default 0)")
    ("data-dir", po::value<std::string>(), "read networks/ and profiles/ here (default: $DLSCALE_DATA_DIR, else built in)");
}

std::vector<std::string> list_values(const po::variables_map& vm, const char* name) {
  std::vector<std::string> out;
  if (!vm.count(name)) return out;
  for (const auto& v : vm[name].as<std::vector<std::string>>()) {
    std::size_t pos = 0;
    while (pos <= v.size()) {
      const auto comma = std::min(v.find(',', pos), v.size());
      if (const auto part = detail::trim(std::string_view(v).substr(pos, comma - pos)); !part.empty())
        out.emplace_back(part);
      pos = comma + 1;
    }
  }
  return out;
}

std::vector<Scheme> schemes_from(const po::variables_map& vm) {
  const auto names = list_values(vm, "scheme");
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return all_schemes();
  std::vector<Scheme> out;
  for (const auto& n : names) out.push_back(parse_scheme(n));
  return out;
}

std::vector<Mode> modes_from(const po::variables_map& vm) {
  const auto names = list_values(vm, "mode");
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return all_modes();
  std::vector<Mode> out;
  for (const auto& n : names) out.push_back(parse_mode(n));
  return out;
}

Seconds parse_seconds(std::string_view sub, std::string_view option, std::string_view text) {
  return Seconds{detail::parse_bounded(text, detail::Where{sub, 0, option}, detail::seconds_bounds, "s")};
}

std::int64_t parse_count(std::string_view sub, std::string_view option, std::string_view text,
                         std::int64_t min, std::int64_t max) {
  return detail::parse_int(text, detail::Where{sub, 0, option}, min, max);
}

// The nodes of the hierarchical all-reduce: all or nothing, so a half description is an error.
static std::optional<NodeModel> read_node(std::string_view sub, const po::variables_map& vm) {
  const bool any = vm.count("workers-per-node") || vm.count("intra-bandwidth") ||
                   vm.count("intra-latency");
  if (!any) return std::nullopt;
  if (!vm.count("workers-per-node") || !vm.count("intra-bandwidth"))
    throw ConfigError(fmt::format("{}: --workers-per-node and --intra-bandwidth go together; "
                                  "both expected", sub));
  NodeModel node;
  node.workers_per_node = static_cast<int>(
      parse_count(sub, "--workers-per-node", vm["workers-per-node"].as<std::string>(), 1, 1 << 20));
  const detail::Where at{sub, 0, "--intra-bandwidth"};
  node.intra.beta = BytesPerSec{detail::parse_bounded(vm["intra-bandwidth"].as<std::string>(), at,
                                                       detail::rate_bounds, "B/s")};
  if (vm.count("intra-latency"))
    node.intra.alpha = Seconds{detail::parse_bounded(vm["intra-latency"].as<std::string>(),
                                                     {sub, 0, "--intra-latency"},
                                                     detail::latency_bounds, "s")};
  return node;
}

// NAME=INTEGER, the same override a profile's `param NAME INTEGER` line makes.
static void add_param(std::string_view sub, std::string_view text, NetworkParams& params) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw ConfigError(fmt::format("{}: --param: '{}' is not valid; NAME=INTEGER expected", sub, text));
  const std::string name(text.substr(0, eq));
  params.values[name] = parse_count(sub, fmt::format("--param {}", name), text.substr(eq + 1), 1,
                                    std::int64_t{1} << 40);
}

ScenarioOptions read_scenario_options(std::string_view sub, const po::variables_map& vm) {
  ScenarioOptions o;
  o.networks = list_values(vm, "network");
  if (vm.count("param"))
    for (const auto& p : vm["param"].as<std::vector<std::string>>()) add_param(sub, p, o.params);
  o.precision = parse_precision(vm["precision"].as<std::string>());
  o.batches = parse_count(sub, "--batches", vm["batches"].as<std::string>(), 1, std::int64_t{1} << 40);
  if (vm.count("batch-size"))
    o.batch_size = parse_count(sub, "--batch-size", vm["batch-size"].as<std::string>(), 1, 1 << 24);
  if (vm.count("t-grad")) o.t_grad = parse_seconds(sub, "--t-grad", vm["t-grad"].as<std::string>());
  if (vm.count("t-comm")) o.t_comm = parse_seconds(sub, "--t-comm", vm["t-comm"].as<std::string>());
  o.node = read_node(sub, vm);
  if (vm.count("params") || vm.count("bytes")) {
    if (vm.count("params") && vm.count("bytes"))
      throw ConfigError(fmt::format("{}: --params and --bytes both give the weight size; one "
                                    "expected", sub));
    if (!o.networks.empty())
      throw ConfigError(fmt::format("{}: --{}: the network's description gives its size; leave it "
                                    "out with --network", sub, vm.count("params") ? "params" : "bytes"));
    o.weight_bytes = vm.count("bytes")
        ? Bytes{static_cast<std::uint64_t>(
              parse_count(sub, "--bytes", vm["bytes"].as<std::string>(), 1, std::int64_t{1} << 53))}
        : Bytes{static_cast<std::uint64_t>(
              parse_count(sub, "--params", vm["params"].as<std::string>(), 1, std::int64_t{1} << 50) *
              bytes_per_element(o.precision))};
  }
  return o;
}

DataSource data_source(std::string_view sub, const po::variables_map& vm) {
  if (!vm.count("data-dir")) return DataSource::from_environment();
  const std::filesystem::path dir = vm["data-dir"].as<std::string>();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ConfigError(fmt::format("{}: --data-dir: '{}' is not a directory; a folder holding "
                                  "networks/ and profiles/ expected", sub, dir.string()));
  return DataSource::directory(dir);
}

Profile profile_from(const po::variables_map& vm, const DataSource& data) {
  if (vm.count("profile")) return load_profile_file(vm["profile"].as<std::string>());
  return default_profile(data);
}

}  // namespace dlscale::cli

#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "detail/units.hpp"
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
    ("precision", po::value<std::string>()->default_value("fp32"), "fp32 | fp16 | bf16: compute "
        "precision (t_grad as measured or given; it does not change the bytes exchanged)")
    ("comm-precision", po::value<std::string>()->default_value("fp32"), "fp32 | fp16 | bf16: "
        "precision of the exchanged weights and gradients (PyTorch DDP and Horovod exchange fp32 "
        "in mixed-precision training unless compression is asked for)")
    ("batches", po::value<std::string>()->default_value("128"), "D: batches to train (the "
        "thesis's experiments: 128); or give --dataset")
    ("batch-size", po::value<std::string>(), "b: samples per worker and step; picks the profile's "
        "t_grad measured at this batch size")
    ("dataset", po::value<std::string>(), "SAMPLES per epoch: D = ceil(SAMPLES x EPOCHS / b) "
        "batches of b = --batch-size (or the profile's); weak scaling, the frameworks' default: "
        "each of N workers trains b samples per step")
    ("epochs", po::value<std::string>()->default_value("1"), "EPOCHS over --dataset")
    ("global-batch", po::value<std::string>(), "G: samples per step for the whole cluster, split "
        "over the N workers (strong scaling; the sync-split mode with b = G, so t_grad is one "
        "worker's time for all G samples)")
    ("t-grad", po::value<std::string>(), "t_grad [s]: overrides the profile")
    ("t-comm", po::value<std::string>(), "t_comm [s]: overrides the profile")
    ("params", po::value<std::string>(), "without --network: trainable parameters of the network "
        "(the weight size that hierarchical and the simulator's topologies need)")
    ("bytes", po::value<std::string>(), "without --network: bytes of the weight set (instead of "
        "--params)")
    ("gpus-per-node", po::value<std::string>(), "G: workers (GPUs) per node, sharing the node's "
        "NIC; nodes M = ceil(N / G), the last may be partial (default 1)")
    ("workers-per-node", po::value<std::string>(), "same as --gpus-per-node")
    ("nic", po::value<std::string>(), "RATE: each node's NIC, each way, shared by its G workers, "
        "e.g. 25Gbit/s; t_comm then follows from the weight bytes")
    ("latency", po::value<std::string>(), "TIME: one message between workers of different nodes, "
        "e.g. 5us (default 0; needs --nic)")
    ("intra", po::value<std::string>(), "RATE: per worker each way inside a node (NVLink, PCIe), "
        "e.g. 150GB/s (default: not a bottleneck)")
    ("intra-bandwidth", po::value<std::string>(), "same as --intra; a bare number is B/s")
    ("intra-latency", po::value<std::string>(), "TIME: one message between workers of one node "
        "(default 0)")
    ("servers", po::value<std::vector<std::string>>(), "K: parameter servers of the sharded "
        "schemes (default: one per node with --nic, else every worker serves a shard); optimal "
        "compares a list such as 1,2,4,8")
    ("server-nic", po::value<std::string>(), "RATE: the servers run on hosts of their own with "
        "this NIC (default: server k on node k mod M, sharing its NIC; the central server always "
        "has a host of its own, with the nodes' NIC unless this is given)")
    ("aggregate", po::bool_switch(), "per-node aggregation before the servers (TensorFlow "
        "replicated variables, MXNet device+dist kvstore, BytePS); needs N a multiple of G")
    ("split-tensors", po::value<std::string>(), "SIZE: cut tensors into pieces of at most SIZE "
        "before placing them on servers (MXNet's big-array bound, BytePS's partitions), e.g. 4MiB")
    ("overlap", po::value<std::string>(), "none | tensor | buckets[:SIZE[/FIRST]]: when gradients "
        "are exchanged (MODELS.md \"Overlap\"). none (the default for every scheme, and the only "
        "choice with --t-grad/--t-comm alone): after the whole backward pass, the thesis's model; "
        "tensor: each tensor as soon as it is ready (parameter-server frameworks; use with the "
        "sharded and central schemes); buckets: reverse layer order in buckets of 25 MiB, the "
        "first 1 MiB (PyTorch DDP; use with ring, tree, hierarchical), or of SIZE (the first "
        "min(1 MiB, SIZE), or FIRST), e.g. buckets:64MiB as Horovod's fusion buffer. Needs a "
        "network; prints the exposed communication beside t_iter")
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
  const bool global = vm.count("global-batch") > 0;
  if (names.empty() || (names.size() == 1 && names[0] == "all"))
    return global ? std::vector<Mode>{Mode::sync_split} : all_modes();
  std::vector<Mode> out;
  for (const auto& n : names) out.push_back(parse_mode(n));
  for (const Mode m : out)
    if (global && m != Mode::sync_split) throw global_batch_mode(m);
  return out;
}

ConfigError global_batch_mode(Mode m) {
  return ConfigError(fmt::format("--mode {}: --global-batch splits one step's samples over the "
                                 "workers, which is the sync-split mode; sync-split expected",
                                 to_string(m)));
}

Seconds parse_seconds(std::string_view sub, std::string_view option, std::string_view text) {
  return Seconds{detail::parse_bounded(text, detail::Where{sub, 0, option}, detail::seconds_bounds, "s")};
}

std::int64_t parse_count(std::string_view sub, std::string_view option, std::string_view text,
                         std::int64_t min, std::int64_t max) {
  return detail::parse_int(text, detail::Where{sub, 0, option}, min, max);
}

static std::optional<BytesPerSec> rate_option(std::string_view sub, const po::variables_map& vm,
                                              const char* name) {
  if (!vm.count(name)) return std::nullopt;
  const std::string field = fmt::format("--{}", name);  // outlives `at`, which views it
  const detail::Where at{sub, 0, field};
  return BytesPerSec{detail::parse_rate(vm[name].as<std::string>(), at)};
}

static std::optional<Seconds> latency_option(std::string_view sub, const po::variables_map& vm,
                                             const char* name) {
  if (!vm.count(name)) return std::nullopt;
  const std::string field = fmt::format("--{}", name);  // outlives `at`, which views it
  const detail::Where at{sub, 0, field};
  return Seconds{detail::parse_latency(vm[name].as<std::string>(), at)};
}

// --intra, or the older --intra-bandwidth, which also takes a bare number of B/s.
static std::optional<BytesPerSec> intra_rate(std::string_view sub, const po::variables_map& vm) {
  if (vm.count("intra") && vm.count("intra-bandwidth"))
    throw ConfigError(fmt::format("{}: --intra and --intra-bandwidth give the same rate; one "
                                  "expected", sub));
  if (!vm.count("intra-bandwidth")) return rate_option(sub, vm, "intra");
  const auto& text = vm["intra-bandwidth"].as<std::string>();
  const detail::Where at{sub, 0, "--intra-bandwidth"};
  if (text.find('/') == std::string::npos)  // no unit: B/s, as before units were accepted
    return BytesPerSec{detail::parse_bounded(text, at, detail::rate_bounds, "B/s")};
  return BytesPerSec{detail::parse_rate(text, at)};
}

// --intra-latency also takes a bare number of seconds, as before units were accepted.
static std::optional<Seconds> intra_latency(std::string_view sub, const po::variables_map& vm) {
  if (!vm.count("intra-latency")) return std::nullopt;
  const auto& text = vm["intra-latency"].as<std::string>();
  const detail::Where at{sub, 0, "--intra-latency"};
  if (!text.ends_with('s'))
    return Seconds{detail::parse_bounded(text, at, detail::latency_bounds, "s")};
  return Seconds{detail::parse_latency(text, at)};
}

// The cluster's options, each one optional: they override a profile's [cluster] field by
// field (build_scenario), and ClusterSpec::resolve checks what needs a NIC.
static ClusterSpec read_cluster(std::string_view sub, const po::variables_map& vm,
                                std::vector<int>& server_counts) {
  if (vm.count("gpus-per-node") && vm.count("workers-per-node"))
    throw ConfigError(fmt::format("{}: --gpus-per-node and --workers-per-node are the same; one "
                                  "expected", sub));
  ClusterSpec c;
  const char* g_option = vm.count("workers-per-node") ? "workers-per-node" : "gpus-per-node";
  if (vm.count(g_option))
    c.gpus_per_node = static_cast<int>(parse_count(sub, fmt::format("--{}", g_option),
                                                   vm[g_option].as<std::string>(), 1, 1 << 20));
  c.intra = intra_rate(sub, vm);
  c.intra_latency = intra_latency(sub, vm);
  c.nic = rate_option(sub, vm, "nic");
  c.latency = latency_option(sub, vm, "latency");
  c.server_nic = rate_option(sub, vm, "server-nic");
  if (vm.count("servers")) {
    // A list (optimal compares each K): every value checked, the first stands for them in
    // the checks that need one.
    for (const auto& k : list_values(vm, "servers"))
      server_counts.push_back(static_cast<int>(parse_count(sub, "--servers", k, 1, 1'000'000)));
    if (server_counts.empty())
      throw ConfigError(fmt::format("{}: --servers: empty; K or a list such as 1,2,4 expected", sub));
    if (server_counts.size() > 1 && sub != "optimal")
      throw ConfigError(fmt::format("{}: --servers: one K expected; 'dlscale optimal' compares a "
                                    "list", sub));
    c.servers = server_counts.front();
  }
  if (vm.count("aggregate") && vm["aggregate"].as<bool>()) c.aggregate = true;
  return c;
}

// --dataset, --epochs and --global-batch: the training's length as users give it.
static void read_training_length(std::string_view sub, const po::variables_map& vm,
                                 ScenarioOptions& o) {
  if (vm.count("dataset")) {
    if (!vm["batches"].defaulted())
      throw ConfigError(fmt::format("{}: --dataset and --batches both give the training's length; "
                                    "one expected", sub));
    o.dataset = parse_count(sub, "--dataset", vm["dataset"].as<std::string>(), 1,
                            std::int64_t{1} << 50);
    o.epochs = parse_count(sub, "--epochs", vm["epochs"].as<std::string>(), 1, 1 << 20);
  } else if (!vm["epochs"].defaulted()) {
    throw ConfigError(fmt::format("{}: --epochs counts passes over --dataset SAMPLES; --dataset "
                                  "expected with it", sub));
  }
  if (!vm.count("global-batch")) return;
  const auto g = parse_count(sub, "--global-batch", vm["global-batch"].as<std::string>(), 1, 1 << 24);
  if (o.batch_size && *o.batch_size != g)
    throw ConfigError(fmt::format("{}: --global-batch {} and --batch-size {}: with a global batch "
                                  "the serial baseline trains all G samples per step; one of them "
                                  "expected", sub, g, *o.batch_size));
  o.batch_size = g;
  o.global_batch = true;
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

Overlap parse_overlap(std::string_view sub, std::string_view option, std::string_view text) {
  Overlap o;
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  if (name == "none" && colon == std::string_view::npos) o.policy = OverlapPolicy::none;
  else if (name == "tensor" && colon == std::string_view::npos) o.policy = OverlapPolicy::tensor;
  else if (name == "buckets") o.policy = OverlapPolicy::buckets;
  else
    throw ConfigError(fmt::format("{}: {}: '{}' is not valid; none, tensor, buckets, "
                                  "buckets:SIZE or buckets:SIZE/FIRST expected", sub, option, text));
  if (colon == std::string_view::npos) return o;
  const std::string_view sizes = text.substr(colon + 1);
  const auto slash = sizes.find('/');
  const auto field = fmt::format("{} buckets", option);
  o.bucket_bytes = static_cast<std::uint64_t>(
      detail::parse_size(sizes.substr(0, slash), {sub, 0, field}));
  o.first_bucket_bytes = std::min(ddp_first_bucket_bytes, o.bucket_bytes);
  if (slash != std::string_view::npos)
    o.first_bucket_bytes = static_cast<std::uint64_t>(
        detail::parse_size(sizes.substr(slash + 1), {sub, 0, fmt::format("{} first bucket", option)}));
  return o;
}

ScenarioOptions read_scenario_options(std::string_view sub, const po::variables_map& vm) {
  ScenarioOptions o;
  if (vm.count("overlap"))
    o.overlap = parse_overlap(sub, "--overlap", vm["overlap"].as<std::string>());
  o.networks = list_values(vm, "network");
  if (vm.count("param"))
    for (const auto& p : vm["param"].as<std::vector<std::string>>()) add_param(sub, p, o.params);
  o.precision = parse_precision(vm["precision"].as<std::string>());
  o.comm_precision = parse_precision(vm["comm-precision"].as<std::string>());
  if (vm.count("split-tensors"))
    o.split_bytes = static_cast<std::uint64_t>(
        detail::parse_size(vm["split-tensors"].as<std::string>(), {sub, 0, "--split-tensors"}));
  o.batches = parse_count(sub, "--batches", vm["batches"].as<std::string>(), 1, std::int64_t{1} << 40);
  if (vm.count("batch-size"))
    o.batch_size = parse_count(sub, "--batch-size", vm["batch-size"].as<std::string>(), 1, 1 << 24);
  read_training_length(sub, vm, o);
  if (vm.count("t-grad")) o.t_grad = parse_seconds(sub, "--t-grad", vm["t-grad"].as<std::string>());
  if (vm.count("t-comm")) o.t_comm = parse_seconds(sub, "--t-comm", vm["t-comm"].as<std::string>());
  o.cluster = read_cluster(sub, vm, o.server_counts);
  o.cluster.resolve(sub, true);  // refuses --servers and the like without --nic at once
  if (o.t_comm && o.cluster.nic)
    throw ConfigError(fmt::format("{}: --t-comm and --nic both give the exchange time; one "
                                  "expected", sub));
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
              bytes_per_element(o.comm_precision))};
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

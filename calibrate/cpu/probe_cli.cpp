#include "calibrate/cpu/probe_cli.hpp"

#include <ostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/ostream.h>

#include "calibrate/cpu/runner.hpp"
#include "dlscale/error.hpp"
#include "dlscale/report.hpp"

namespace dlscale::calib {
namespace {

namespace po = boost::program_options;

std::vector<int> parse_batches(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    int b = 0;
    try { b = std::stoi(item, &used); } catch (const std::exception&) { used = 0; }
    if (used != item.size() || used == 0 || b < 1)
      throw ConfigError(fmt::format("--batches '{}': comma-separated batch sizes of 1 or more expected", text));
    out.push_back(b);
  }
  return out;
}

po::options_description describe(ProbeArgs& a) {
  po::options_description d("dlscale-grad-probe NETWORK [options]: times forward and backward "
                            "passes of NETWORK's layers on the CPU (oneDNN or Eigen, float32, "
                            "synthetic data)");
  d.add_options()("help,h", "this text")
    ("batch,b", po::value(&a.batch)->default_value(32), "batch size")
    ("batches", po::value<std::string>(), "also sweep t_grad(b) over these, e.g. 1,2,4,8")
    ("repeat,r", po::value(&a.repeat)->default_value(10), "timed runs (median and range reported)")
    ("warmup,w", po::value(&a.warmup)->default_value(3), "untimed warm-up runs")
    ("threads,t", po::value(&a.threads)->default_value(0), "OpenMP threads for the kernels (0: all cores)")
    ("backend", po::value<std::string>()->default_value("auto"),
     "kernels: onednn, eigen, or auto (oneDNN when this build has it)")
    ("layers-json", "print NETWORK's layers as JSON (kinds, inputs, shapes, kernel geometry, "
     "parameter count) and measure nothing: what a framework needs to build the same network")
    ("quick", "CI mode: 1 warm-up and 3 timed runs unless --warmup/--repeat say otherwise");
  return d;
}

}  // namespace

ProbeArgs parse_probe_args(int argc, const char* const* argv) {
  ProbeArgs a;
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
  a.layers_json = vm.count("layers-json") > 0;
  if (a.help) return a;
  if (a.network.empty()) throw ConfigError("a network name or file expected; see --help");
  if (vm.count("quick")) {
    if (vm["repeat"].defaulted()) a.repeat = 3;
    if (vm["warmup"].defaulted()) a.warmup = 1;
  }
  a.backend = parse_backend(vm["backend"].as<std::string>(), "--backend");
  if (vm.count("batches")) a.batches = parse_batches(vm["batches"].as<std::string>());
  if (a.batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", a.batch));
  if (a.repeat < 1) throw ConfigError(fmt::format("repeat {} is invalid; 1 or more expected", a.repeat));
  if (a.warmup < 0) throw ConfigError(fmt::format("warmup {} is invalid; 0 or more expected", a.warmup));
  if (a.threads < 0) throw ConfigError(fmt::format("threads {} is invalid; 0 (all cores) or more expected", a.threads));
  return a;
}

namespace {

void print_measurement(const GradMeasurement& m, std::ostream& out) {
  fmt::print(out, "{}: batch {}, {} threads, {} warm-up + {} timed runs, backend {}\n",
             m.network, m.batch, m.threads, m.warmup, m.repeat, describe(m.backend));
  fmt::print(out, "{:<28} {:<9} {:>12} {:>12}\n", "layer", "kind", "forward_ms", "backward_ms");
  for (const auto& l : m.layers)
    fmt::print(out, "{:<28} {:<9} {:>12.4f} {:>12.4f}\n", l.name, to_string(l.kind),
               1e3 * l.forward.v, 1e3 * l.backward.v);
  fmt::print(out, "t_grad median {:.4f} ms (min {:.4f}, max {:.4f})\n", 1e3 * m.t_grad.median.v,
             1e3 * m.t_grad.min.v, 1e3 * m.t_grad.max.v);
  fmt::print(out, "{:<9} {:>6} {:>10} {:>14}  (conv, fc: 3 x MACs x batch per iteration)\n",
             "class", "layers", "time_ms", "rate");
  for (const auto& c : m.classes)
    fmt::print(out, "{:<9} {:>6} {:>10.4f} {:>14.3f} {}\n", to_string(c.kind), c.layers,
               1e3 * c.time.v, c.per_mac ? c.rate * 1e-9 : c.rate * 1e-6,
               c.per_mac ? "GMAC/s" : "Melem/s");
}

void print_layers_json(const Network& net, std::ostream& out) {
  fmt::print(out, "{{\"network\": {}, \"parameters\": {}, \"layers\": [", report::json_string(net.name()),
             net.parameters());
  const char* sep = "\n  ";
  for (const auto& L : net.layers()) {
    std::string inputs;
    for (const auto& name : L.inputs) inputs += (inputs.empty() ? "" : ", ") + report::json_string(name);
    fmt::print(out, "{}{{\"name\": {}, \"kind\": \"{}\", \"inputs\": [{}], \"in\": [{}, {}, {}], "
               "\"out\": [{}, {}, {}], \"kernel\": [{}, {}], \"stride\": {}, \"pad\": [{}, {}], "
               "\"groups\": {}, \"bias\": {}, \"params\": {}}}", sep, report::json_string(L.name),
               to_string(L.kind), inputs, L.in.c, L.in.h, L.in.w, L.out.c, L.out.h, L.out.w,
               L.kernel_h, L.kernel_w, L.stride, L.pad, L.pad_w, L.groups, L.bias, L.params);
    sep = ",\n  ";
  }
  fmt::print(out, "\n]}}\n");
}

}  // namespace

int run_probe(const ProbeArgs& args, std::ostream& out) {
  const auto net = load_network(args.network, DataSource::embedded());
  if (args.layers_json) {
    print_layers_json(net, out);
    return 0;
  }
  // Every batch size before the first pass: refused with the estimate, not after minutes of
  // measuring, and not by bad_alloc or the OOM killer.
  check_fits(net, args.batch, "--batch", args.backend);
  for (const int b : args.batches) check_fits(net, b, "--batches", args.backend);
  set_threads(args.threads);
  const GradOptions o{args.batch, args.warmup, args.repeat, args.backend};
  print_measurement(measure_grad(net, o), out);
  if (args.batches.empty()) return 0;
  fmt::print(out, "\nsweep: {:>6} {:>16} {:>12} {:>12}\n", "batch", "t_grad_median_ms", "min_ms", "max_ms");
  for (const auto& m : sweep_batches(net, args.batches, o))
    fmt::print(out, "       {:>6} {:>16.4f} {:>12.4f} {:>12.4f}\n", m.batch, 1e3 * m.t_grad.median.v,
               1e3 * m.t_grad.min.v, 1e3 * m.t_grad.max.v);
  return 0;
}

}  // namespace dlscale::calib

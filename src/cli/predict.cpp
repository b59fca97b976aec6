// `dlscale predict`: the thesis's estimate.py (--t-grad/--t-comm, no files) and one
// prediction for a profiled network.
#include <fmt/format.h>

#include "cli/build_scenario.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/report.hpp"

namespace dlscale::cli {

namespace {

constexpr std::string_view usage =
    "dlscale predict --t-grad S --t-comm S [--type MODE] [--server SCHEME] --workers N "
    "[--batches D] [--output single|csv|plot]\n"
    "       dlscale predict --network NAME [--profile FILE] [--scheme S] [--mode M] --workers N "
    "[--output table|json|single|csv|plot]";

// Python's str(float), as estimate.py printed it: shortest round-trip digits, and a
// trailing ".0" on whole numbers.
std::string python_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// --type or its synonym --mode (and --server or --scheme): at most one of the two.
std::string one_of(const po::variables_map& vm, const char* a, const char* b, const char* fallback) {
  if (vm.count(a) && vm.count(b))
    throw ConfigError(fmt::format("predict: --{} and --{} mean the same; give one", a, b));
  if (vm.count(a)) return vm[a].as<std::string>();
  if (vm.count(b)) return vm[b].as<std::string>();
  return fallback;
}

Scenario scenario_for(const po::variables_map& vm, const ScenarioOptions& o) {
  if (o.networks.empty()) {
    if (!times_describe_scenario(o))
      throw ConfigError("predict: --t-grad and --t-comm are both required without --network "
                        "(estimate.py mode), or --t-grad with --nic and --params or --bytes; or "
                        "give --network NAME");
    return scenario_from_times(o, o.t_comm ? "" : times_label(o));
  }
  if (o.networks.size() != 1)
    throw ConfigError("predict: --network: one network expected; use 'dlscale sweep' for several");
  const auto data = data_source("predict", vm);
  return build_scenario(o.networks[0], o, profile_from(vm, data), data).scenario;
}

}  // namespace

int cmd_predict(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("predict options");
  desc.add_options()
    ("type", po::value<std::string>(), "mode: sync-join | sync-split | async (default sync-join)")
    ("mode", po::value<std::string>(), "same as --type")
    ("server", po::value<std::string>(), "scheme: central | distributed | sharded-placed | "
                                          "sharded-lpt | central-semaphore | ring | tree | hierarchical (default central)")
    ("scheme", po::value<std::string>(), "same as --server")
    ("workers", po::value<std::string>(), "N: number of workers (required)")
    ("output", po::value<std::string>(), "single | csv | plot: estimate.py's outputs (csv is its "
                                         "semicolon list of the speedups at 1..N); table | json "
                                         "(default: single without --network, else table)")
    ("format", po::value<std::string>(), "table | csv | json: csv is the header-and-units CSV of "
                                         "every subcommand (one row at N)")
    ("json", "same as --output json")
    ("out", po::value<std::string>()->default_value("speedup.png"), "file for --output plot (.png or .svg)");
  add_scenario_options(desc, false);
  po::variables_map vm;
  if (!parse_options("predict", usage, desc, args, vm, out)) return 0;

  const auto o = read_scenario_options("predict", vm);
  if (!vm.count("workers"))
    throw ConfigError("predict: --workers: missing; an integer >= 1 expected");
  const int n = int(parse_count("predict", "--workers", vm["workers"].as<std::string>(), 1, 1'000'000));
  const Scheme scheme = parse_scheme(one_of(vm, "server", "scheme", "central"));
  const Mode mode = parse_mode(one_of(vm, "type", "mode", o.global_batch ? "sync-split" : "sync-join"));
  if (o.global_batch && mode != Mode::sync_split) throw global_batch_mode(mode);
  std::string output = vm.count("json") ? "json" : o.networks.empty() ? "single" : "table";
  if (vm.count("output")) output = vm["output"].as<std::string>();
  if (output != "single" && output != "csv" && output != "plot" && output != "table" && output != "json")
    throw ConfigError(fmt::format("predict: --output: '{}' is not valid; single, csv, plot, "
                                  "table or json expected", output));
  if (vm.count("format")) {
    if (vm.count("output"))
      throw ConfigError("predict: --format and --output both choose the output; one expected");
    output = vm["format"].as<std::string>();
    if (output != "table" && output != "csv" && output != "json")
      throw ConfigError(fmt::format("predict: --format: '{}' is not valid; table, csv or json "
                                    "expected", output));
    if (output == "csv") output = "units-csv";
  }

  const Scenario s = scenario_for(vm, o);
  if (output == "single") return out << python_float(predict(s, scheme, mode, n).speedup) << "\n", 0;
  if (output == "table" || output == "json" || output == "units-csv") {
    const auto p = predict(s, scheme, mode, n);
    if (output == "json") report::write_json(out, std::span(&p, 1));
    else if (output == "units-csv") report::write_csv(out, std::span(&p, 1));
    else report::write_prediction(out, p);
    return 0;
  }
  std::vector<Prediction> rows;
  for (int k = 1; k <= n; ++k) rows.push_back(predict(s, scheme, mode, k));
  if (output == "csv") {
    std::vector<std::string> values;
    for (const auto& r : rows) values.push_back(python_float(r.speedup));
    out << fmt::format("{}\n", fmt::join(values, ";"));
    return 0;
  }
  const std::string file = vm["out"].as<std::string>();
  report::PlotOptions po;
  po.title = fmt::format("{} {} {}", s.network.empty() ? "speedup" : s.network, to_string(scheme),
                         to_string(mode));
  po.caption = fmt::format("D = {} batches", s.batches);
  report::write_plot(file, rows, po);
  out << "wrote " << file << "\n";
  return 0;
}

}  // namespace dlscale::cli

// `dlscale validate --measured FILE.csv`: every measured row predicted by the closed forms and
// the simulator, and each predictor's error (docs/measured-runs.md).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/validate_report.hpp"
#include "dlscale/validate.hpp"

namespace dlscale::cli {

namespace {

constexpr std::string_view usage =
    "dlscale validate --measured FILE.csv [--profile P] [--format table|csv|json] "
    "[--jitter-cv X] [--jitter-runs K] [--sim-iterations I] [--data-dir DIR]";

ValidateOptions read_validate_options(const po::variables_map& vm) {
  ValidateOptions o;
  if (vm.count("profile")) o.profile = load_profile_file(vm["profile"].as<std::string>());
  const auto cv = vm["jitter-cv"].as<std::string>();
  try {
    std::size_t used = 0;
    o.jitter_cv = std::stod(cv, &used);
    if (used != cv.size() || !(o.jitter_cv >= 0 && o.jitter_cv <= 10)) throw std::invalid_argument(cv);
  } catch (const std::exception&) {
    throw ConfigError(fmt::format("validate: --jitter-cv: '{}' is not valid; a number in [0, 10] "
                                  "expected", cv));
  }
  o.jitter_runs = int(parse_count("validate", "--jitter-runs", vm["jitter-runs"].as<std::string>(), 0, 100));
  o.sim_iterations = parse_count("validate", "--sim-iterations",
                                 vm["sim-iterations"].as<std::string>(), 1, 1000);
  return o;
}

}  // namespace

int cmd_validate(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("validate options");
  desc.add_options()
    ("measured", po::value<std::string>(), "measured-runs CSV (columns: docs/measured-runs.md); required")
    ("profile", po::value<std::string>(), "profile measured on the cluster, for rows without a "
        "profile column of their own: its fitted tcp link replaces the row's link_rate_Bps and "
        "latency_s, the spread of its raw transfers around the fit widens the interval")
    ("format", po::value<std::string>()->default_value("table"), "table | csv | json")
    ("jitter-cv", po::value<std::string>()->default_value("0.05"), "coefficient of variation of "
        "t_grad in the simulator's jitter runs (lognormal), in [0, 10]; 0: none")
    ("jitter-runs", po::value<std::string>()->default_value("5"), "simulator runs with jitter per "
        "row (seeds 1..K), in [0, 100]")
    ("sim-iterations", po::value<std::string>()->default_value("20"), "iterations each simulation "
        "runs, in [1, 1000]")
    ("data-dir", po::value<std::string>(), "folder with networks/ (default: DLSCALE_DATA_DIR, else "
        "the embedded copy)");
  po::variables_map vm;
  if (!parse_options("validate", usage, desc, args, vm, out)) return 0;
  if (!vm.count("measured"))
    throw ConfigError("validate: --measured: missing; a measured-runs CSV expected");
  const auto format = vm["format"].as<std::string>();
  if (format != "table" && format != "csv" && format != "json")
    throw ConfigError(fmt::format("validate: --format: '{}' is not valid; table, csv or json "
                                  "expected", format));
  const auto options = read_validate_options(vm);
  const auto runs = load_measured_runs(vm["measured"].as<std::string>());
  const auto rows = score_runs(runs, options, data_source("validate", vm));
  const auto interval = interval_source(options, any_row_profile(runs));
  const auto summary = summarize(rows);
  if (format == "csv") write_validation_csv(out, rows, summary);
  else if (format == "json") write_validation_json(out, rows, summary, interval);
  else write_validation_table(out, rows, summary, interval);
  return 0;
}

}  // namespace dlscale::cli

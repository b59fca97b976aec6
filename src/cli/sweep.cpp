// `dlscale sweep`, `optimal` and `plot`: the same scenarios over a worker range.
#include <fstream>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include "cli/build_scenario.hpp"
#include "cli/job.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/report.hpp"

namespace dlscale::cli {

namespace {

std::vector<Prediction> run_sweep(const Job& job) {
  std::vector<Prediction> rows;
  for (const auto& s : job.scenarios) {
    auto part = sweep(s, job.schemes, job.modes, job.workers);
    rows.insert(rows.end(), std::make_move_iterator(part.begin()),
                std::make_move_iterator(part.end()));
  }
  return rows;
}

// Every row goes straight to the printers: a 1:4096 sweep of four networks (a quarter of a
// million rows) is never held in memory.
void stream_sweep(const Job& job, std::span<const std::unique_ptr<report::RowSink>> sinks) {
  for (const auto& s : job.scenarios)
    sweep_each(s, job.schemes, job.modes, job.workers, [&sinks](const Prediction& p) {
      for (const auto& sink : sinks) sink->add(p);
    });
  for (const auto& sink : sinks) sink->finish();
}

}  // namespace

int cmd_sweep(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("sweep options");
  add_range_options(desc, "1:8");
  desc.add_options()
    ("format", po::value<std::string>()->default_value("table"), "table | csv | json")
    ("csv", po::value<std::string>(), "also write the CSV to FILE");
  po::variables_map vm;
  if (!parse_options("sweep", "dlscale sweep [--network NAME]... [--workers RANGE] [options]",
                     desc, args, vm, out))
    return 0;
  const auto format = vm["format"].as<std::string>();
  if (format != "table" && format != "csv" && format != "json")
    throw ConfigError(fmt::format("sweep: --format: '{}' is not valid; table, csv or json expected", format));
  const auto job = read_job("sweep", vm);
  std::ofstream csv_file;
  std::vector<std::unique_ptr<report::RowSink>> sinks;
  if (vm.count("csv")) {
    const auto file = vm["csv"].as<std::string>();
    csv_file.open(file, std::ios::binary);
    if (!csv_file) throw ConfigError(fmt::format("sweep: --csv: cannot open '{}' for writing", file));
    sinks.push_back(report::csv_sink(csv_file));
  }
  if (format == "csv") sinks.push_back(report::csv_sink(out));
  else if (format == "json") sinks.push_back(report::json_sink(out));
  else sinks.push_back(report::table_sink(out));
  stream_sweep(job, sinks);
  if (csv_file.is_open() && !csv_file.flush())
    throw ConfigError(fmt::format("sweep: --csv: cannot write '{}'", vm["csv"].as<std::string>()));
  return 0;
}

int cmd_optimal(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("optimal options");
  add_range_options(desc, "1:64");
  desc.add_options()("json", "JSON instead of a table");
  po::variables_map vm;
  if (!parse_options("optimal", "dlscale optimal [--network NAME]... [--workers RANGE] [options]",
                     desc, args, vm, out))
    return 0;
  const auto job = read_job("optimal", vm);
  std::vector<Optimum> all;
  for (const auto& s : job.scenarios) {
    const auto best = optimal(s, job.schemes, job.modes, job.workers);
    if (!vm.count("json")) {
      if (&s != &job.scenarios.front()) out << "\n";
      report::write_optimal_table(out, best);
    }
    all.insert(all.end(), best.begin(), best.end());
  }
  if (vm.count("json")) report::write_optimal_json(out, all);
  return 0;
}

int cmd_plot(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("plot options");
  add_range_options(desc, "1:8");
  desc.add_options()("out", po::value<std::string>(), "FILE.png or FILE.svg (required)");
  po::variables_map vm;
  if (!parse_options("plot", "dlscale plot --out FILE.png|svg [--network NAME]... [options]",
                     desc, args, vm, out))
    return 0;
  if (!vm.count("out")) throw ConfigError("plot: --out: missing; a file ending .png or .svg expected");
  const auto job = read_job("plot", vm);
  const auto rows = run_sweep(job);
  const auto file = vm["out"].as<std::string>();
  report::write_plot(file, rows, fmt::format("speedup vs workers, D = {}", job.scenarios.empty()
                                                 ? 0 : job.scenarios.front().batches));
  out << "wrote " << file << "\n";
  return 0;
}

}  // namespace dlscale::cli

// `dlscale sweep`, `optimal` and `plot`: the same scenarios over a worker range.
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/build_scenario.hpp"
#include "cli/job.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/report.hpp"
#include "detail/text.hpp"

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

// "2.5/h" or "2.5": a price per hour, >= 0.
double parse_price(std::string_view option, std::string text) {
  if (text.ends_with("/h")) text.resize(text.size() - 2);
  const double v = detail::parse_double(text, {"optimal", 0, option});
  if (!(v >= 0 && std::isfinite(v)))
    throw ConfigError(fmt::format("optimal: {}: '{}' is not valid; a price >= 0 per hour such as "
                                  "2.5/h expected", option, text));
  return v;
}

// "6h", "90min", "3600s", "2d".
Seconds parse_duration(std::string_view option, const std::string& text) {
  struct Unit { std::string_view suffix; double seconds; };
  for (const Unit u : {Unit{"min", 60}, Unit{"h", 3600}, Unit{"d", 86400}, Unit{"s", 1}}) {
    if (!text.ends_with(u.suffix)) continue;
    const auto number = std::string_view(text).substr(0, text.size() - u.suffix.size());
    double v = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec == std::errc() && ptr == number.data() + number.size() && !number.empty() && v > 0 &&
        v * u.seconds <= 1e9)
      return Seconds{v * u.seconds};
    break;
  }
  throw ConfigError(fmt::format("optimal: {}: '{}' is not valid; a time > 0 with a unit (s, min, "
                                "h, d) such as 6h expected", option, text));
}

OptimumQuestions read_questions(const po::variables_map& vm) {
  OptimumQuestions q;
  q.min_efficiency = detail::parse_double(vm["min-efficiency"].as<std::string>(),
                                          {"optimal", 0, "--min-efficiency"});
  q.knee_gain = detail::parse_double(vm["knee-gain"].as<std::string>(), {"optimal", 0, "--knee-gain"});
  if (vm.count("price")) q.worker_hour_price = parse_price("--price", vm["price"].as<std::string>());
  if (vm.count("node-price"))
    q.node_hour_price = parse_price("--node-price", vm["node-price"].as<std::string>());
  if (vm.count("deadline")) q.deadline = parse_duration("--deadline", vm["deadline"].as<std::string>());
  if (q.deadline && !q.worker_hour_price && !q.node_hour_price)
    throw ConfigError("optimal: --deadline picks the cheapest N: --price (or --node-price) expected");
  return q;
}

bool is_sharded(Scheme s) {
  return s == Scheme::sharded || s == Scheme::sharded_placed || s == Scheme::sharded_lpt;
}

// optimal --servers K1,K2,...: the sharded schemes once per K (labelled with it), every other
// scheme once, in one table, so the answers compare K as well as N and the scheme.
std::vector<Optimum> optimal_over_servers(const Scenario& s, const Job& job,
                                          const std::optional<WorkerRange>& range,
                                          const OptimumQuestions& q) {
  if (job.server_counts.size() < 2 || !s.cluster || !s.cluster->nic)
    return optimal(s, job.schemes, job.modes, range, q);
  std::vector<Scheme> sharded, others;
  for (const Scheme scheme : job.schemes) (is_sharded(scheme) ? sharded : others).push_back(scheme);
  std::vector<Optimum> out = optimal(s, others, job.modes, range, q);
  for (const int k : job.server_counts) {
    Scenario with_k = s;
    with_k.cluster->servers.count = k;
    for (Optimum& o : optimal(with_k, sharded, job.modes, range, q)) {
      o.servers = k;
      out.push_back(std::move(o));
    }
  }
  return out;
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
  add_range_options(desc, nullptr);
  desc.add_options()
    ("min-efficiency", po::value<std::string>()->default_value("0.8"), "efficient: the largest N "
        "whose speedup / N stays at or above this, in (0, 1]")
    ("knee-gain", po::value<std::string>()->default_value("0.1"), "knee: the N from which on "
        "doubling the workers gains less than this fraction of speedup, in (0, 1]")
    ("price", po::value<std::string>(), "PRICE/h per worker-hour, e.g. 2.5/h: adds the cheapest N")
    ("node-price", po::value<std::string>(), "PRICE/h per node-hour (needs --workers-per-node)")
    ("deadline", po::value<std::string>(), "TIME (e.g. 6h, 90min, 3600s, 2d): the cheapest N "
        "among those that finish within it")
    ("format", po::value<std::string>()->default_value("table"), "table | csv | json")
    ("json", "JSON instead of a table (the same as --format json)");
  po::variables_map vm;
  if (!parse_options("optimal", "dlscale optimal [--network NAME]... [--workers RANGE] [options]",
                     desc, args, vm, out))
    return 0;
  const auto format = vm.count("json") ? std::string("json") : vm["format"].as<std::string>();
  if (format != "table" && format != "csv" && format != "json")
    throw ConfigError(fmt::format("optimal: --format: '{}' is not valid; table, csv or json expected", format));
  const OptimumQuestions q = read_questions(vm);
  const auto job = read_job("optimal", vm);
  const auto range = vm.count("workers") ? std::optional(job.workers) : std::nullopt;
  std::vector<Optimum> all;
  for (const auto& s : job.scenarios) {
    const auto best = optimal_over_servers(s, job, range, q);
    if (format == "table") {
      if (&s != &job.scenarios.front()) out << "\n";
      report::write_optimal_table(out, best, q);
    }
    all.insert(all.end(), best.begin(), best.end());
  }
  if (format == "json") report::write_optimal_json(out, all);
  if (format == "csv") report::write_optimal_csv(out, all);
  return 0;
}

// Below the panels: where the numbers come from, D, and the cluster when one is described.
std::string plot_caption(const Job& job) {
  std::vector<std::string> parts{job.source};
  if (!job.scenarios.empty()) {
    const auto& s = job.scenarios.front();
    parts.push_back(fmt::format("D = {} batches", s.batches));
    if (s.cluster) parts.push_back(report::describe_cluster(*s.cluster));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

// The networks of the plot, for its title: "SqueezeNet" or "4 networks".
std::string plot_subject(const Job& job) {
  if (job.scenarios.size() == 1) return job.scenarios.front().network;
  return fmt::format("{} networks", job.scenarios.size());
}

int cmd_plot(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description desc("plot options");
  add_range_options(desc, "1:8");
  desc.add_options()("out", po::value<std::string>(), "FILE.png or FILE.svg (required)")
    ("panels", po::value<std::string>()->default_value("mode"),
     "one panel per mode, scheme or network; a panel holds at most 6 lines (a larger group "
     "is split into parts)");
  po::variables_map vm;
  if (!parse_options("plot", "dlscale plot --out FILE.png|svg [--network NAME]... [options]",
                     desc, args, vm, out))
    return 0;
  if (!vm.count("out")) throw ConfigError("plot: --out: missing; a file ending .png or .svg expected");
  report::PlotOptions po;
  po.panels = report::parse_panel_by(vm["panels"].as<std::string>(), "--panels");
  const auto job = read_job("plot", vm);
  const auto rows = run_sweep(job);
  const auto file = vm["out"].as<std::string>();
  po.title = fmt::format("speedup vs workers: {}", plot_subject(job));
  po.caption = plot_caption(job);
  report::write_plot(file, rows, po);
  out << "wrote " << file << "\n";
  return 0;
}

}  // namespace dlscale::cli

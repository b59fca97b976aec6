// `dlscale simulate`: the discrete-event simulation beside the closed forms, over a worker range.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/job.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "detail/text.hpp"
#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/report.hpp"
#include "dlscale/sim/training.hpp"

namespace dlscale::cli {
namespace {

sim::Sharing parse_policy(const std::string& text) {
  if (text == "fair") return sim::Sharing::fair;
  if (text == "fifo") return sim::Sharing::fifo;
  throw ConfigError(fmt::format("simulate: --policy: '{}' is not valid; fair or fifo expected", text));
}

sim::Jitter parse_jitter(const std::string& text) {
  if (text == "none") return sim::Jitter::none;
  if (text == "normal") return sim::Jitter::normal;
  if (text == "lognormal") return sim::Jitter::lognormal;
  throw ConfigError(fmt::format("simulate: --jitter: '{}' is not valid; none, normal or "
                                "lognormal expected", text));
}

// FRACTION:FACTOR, e.g. 0.1:2 (a tenth of the workers twice as slow).
void parse_stragglers(const std::string& text, sim::SimOptions& o) {
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    throw ConfigError(fmt::format("simulate: --stragglers: '{}' is not valid; FRACTION:FACTOR "
                                  "expected, e.g. 0.1:2", text));
  o.straggler_fraction = detail::parse_double(text.substr(0, colon), {"simulate", 0, "--stragglers"});
  o.straggler_factor = detail::parse_double(text.substr(colon + 1), {"simulate", 0, "--stragglers"});
}

// A file path, or the name of a topology in data/topologies.
std::shared_ptr<const sim::Topology> load_topology(const std::string& name,
                                                   const po::variables_map& vm) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(name, ec))
    return std::make_shared<const sim::Topology>(sim::Topology::load(name));
  const DataSource data = data_source("simulate", vm);
  const std::string relative = fmt::format("topologies/{}.topo", name);
  std::vector<std::string> known;
  for (const auto& path : data.list("topologies"))
    if (path.ends_with(".topo")) {
      if (path == relative)
        return std::make_shared<const sim::Topology>(
            sim::Topology::parse(data.read(path), data.describe(path)));
      known.push_back(path.substr(11, path.size() - 16));  // "topologies/" and ".topo"
    }
  throw ConfigError(fmt::format("simulate: --topology: '{}' is neither a file nor a topology "
                                "of data/topologies; a path or one of {} expected", name,
                                fmt::join(known, ", ")));
}

sim::SimOptions read_sim_options(const po::variables_map& vm) {
  sim::SimOptions o;
  o.sharing = parse_policy(vm["policy"].as<std::string>());
  o.jitter = parse_jitter(vm["jitter"].as<std::string>());
  o.cv = detail::parse_double(vm["cv"].as<std::string>(), {"simulate", 0, "--cv"});
  if (vm.count("stragglers")) parse_stragglers(vm["stragglers"].as<std::string>(), o);
  o.seed = static_cast<std::uint64_t>(
      parse_count("simulate", "--seed", vm["seed"].as<std::string>(), 0, INT64_MAX));
  if (vm.count("iterations"))
    o.iterations = parse_count("simulate", "--iterations", vm["iterations"].as<std::string>(), 1,
                               INT64_MAX);
  if (vm.count("topology")) o.topology = load_topology(vm["topology"].as<std::string>(), vm);
  o.max_flows = static_cast<double>(
      parse_count("simulate", "--max-flows", vm["max-flows"].as<std::string>(), 1, INT64_MAX));
  return o;
}

void keep_busiest_link(sim::SimResult& r) {
  if (r.links.empty()) return;
  const auto busiest = std::max_element(r.links.begin(), r.links.end(), [](const auto& a, const auto& b) {
    return a.utilization < b.utilization;
  });
  r.links = {*busiest};
  r.links.shrink_to_fit();
}

// A timeline is for looking at one run: more would be an unreadable (and huge) file.
void check_one_run(const Job& job) {
  const std::size_t runs = job.scenarios.size() * job.schemes.size() * job.modes.size() *
                           job.workers.values().size();
  if (runs != 1)
    throw ConfigError(fmt::format("simulate: --trace: {} runs selected; one expected (give one "
                                  "--network, --scheme, --mode and a single worker count, "
                                  "e.g. --workers 4:4)", runs));
}

void write_trace(const std::string& file, const std::vector<report::Simulated>& rows) {
  std::ofstream f(file, std::ios::binary);
  if (!f) throw ConfigError(fmt::format("simulate: --trace: cannot open '{}' for writing", file));
  const auto& r = rows.front();
  report::write_chrome_trace(f, r.sim, r.closed.workers,
                             fmt::format("{} {} {} N={}", r.closed.network,
                                         to_string(r.closed.scheme), to_string(r.closed.mode),
                                         r.closed.workers));
  if (!f.flush()) throw ConfigError(fmt::format("simulate: --trace: cannot write '{}'", file));
}

}  // namespace

std::vector<report::Simulated> run_all(const Job& job, const sim::SimOptions& o, bool all_pairs,
                                       std::ostream& err) {
  struct Run {
    const Scenario* s;
    Scheme scheme;
    Mode mode;
    int n;
  };
  std::vector<Run> runs;
  for (const auto& s : job.scenarios)
    for (const Scheme scheme : job.schemes)
      for (const Mode mode : job.modes) {
        if (!supports(scheme, mode) || (all_pairs && !sim::simulated(scheme, mode))) continue;
        for (const int n : job.workers.values()) runs.push_back({&s, scheme, mode, n});
      }
  // The whole request is sized before the first run: --max-flows bounds the sum, so a wide
  // worker range is refused at once instead of after hours (each run is checked again, and
  // for memory, inside simulate()).
  sim::SimWork total;
  for (const auto& r : runs) {
    const auto w = sim::estimate_work(*r.s, r.scheme, r.mode, r.n, o);
    sim::check_work(w, o, fmt::format("{} {} N={}", to_string(r.scheme), to_string(r.mode), r.n));
    total.flows += w.flows;
    total.iterations += w.iterations;
  }
  sim::check_work(total, o, fmt::format("{} runs together", runs.size()));
  std::vector<report::Simulated> rows;
  rows.reserve(runs.size());
  // Counted in iterations, so that one long run shows progress too.
  Progress progress(err, "simulate", static_cast<std::size_t>(total.iterations), "iterations");
  auto options = o;
  options.on_iteration = [&progress] { progress.step(); };
  for (const auto& r : runs) {
    rows.push_back({predict(*r.s, r.scheme, r.mode, r.n), sim::simulate(*r.s, r.scheme, r.mode, r.n, options)});
    // Several runs report only their busiest link: keeping every link of every run would
    // make the memory grow with runs x N.
    if (runs.size() > 1) keep_busiest_link(rows.back().sim);
  }
  return rows;
}

int cmd_simulate(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description desc("simulate options");
  add_range_options(desc, "1:8");
  desc.add_options()
    ("policy", po::value<std::string>()->default_value("fair"), "fair (max-min sharing: the "
        "central worst case) | fifo (one transfer per port at a time: the best case, 7.2)")
    ("jitter", po::value<std::string>()->default_value("none"), "none | normal | lognormal "
        "variation of t_grad per batch")
    ("cv", po::value<std::string>()->default_value("0"), "coefficient of variation of t_grad")
    ("stragglers", po::value<std::string>(), "FRACTION:FACTOR, e.g. 0.1:2 (10 % of workers 2x slower)")
    ("seed", po::value<std::string>()->default_value("1"), "random seed (same seed, same result)")
    ("iterations", po::value<std::string>(), "simulate at most K iterations and extrapolate "
        "t_train from their mean (asynchronous: K batches per worker; default: all)")
    ("max-flows", po::value<std::string>()->default_value("100000000"), "refuse a request that "
        "would simulate more transfers than this in all (a few million take a second)")
    ("format", po::value<std::string>()->default_value("table"), "table | csv")
    ("csv", po::value<std::string>(), "also write the CSV to FILE")
    ("topology", po::value<std::string>(), "topology FILE: hosts, switches, links and routes "
        "(data/topologies/README.md); default: one non-blocking switch")
    ("links", po::value<std::string>()->default_value("5"), "one run: show its K busiest links "
        "(0: none)")
    ("trace", po::value<std::string>(), "write the timeline of every compute and transfer as "
        "Chrome trace / Perfetto JSON to FILE (one network, scheme, mode and worker count)");
  po::variables_map vm;
  if (!parse_options("simulate", "dlscale simulate [--network NAME]... [--workers RANGE] "
                     "[--policy fair|fifo] [options]", desc, args, vm, out))
    return 0;
  const auto format = vm["format"].as<std::string>();
  if (format != "table" && format != "csv")
    throw ConfigError(fmt::format("simulate: --format: '{}' is not valid; table or csv expected", format));
  auto options = read_sim_options(vm);
  options.trace = vm.count("trace") > 0;
  const auto job = read_job("simulate", vm);
  if (options.trace) check_one_run(job);
  // Without --scheme/--mode: every pair the simulator implements; named ones must be.
  const auto top_links = static_cast<std::size_t>(
      parse_count("simulate", "--links", vm["links"].as<std::string>(), 0, 1 << 20));
  const auto rows = run_all(job, options, !vm.count("scheme") && !vm.count("mode"), err);
  if (vm.count("csv")) {
    const auto file = vm["csv"].as<std::string>();
    std::ofstream f(file, std::ios::binary);
    if (!f) throw ConfigError(fmt::format("simulate: --csv: cannot open '{}' for writing", file));
    report::write_simulation_csv(f, rows);
    if (!f.flush()) throw ConfigError(fmt::format("simulate: --csv: cannot write '{}'", file));
  }
  if (options.trace) write_trace(vm["trace"].as<std::string>(), rows);
  if (format == "csv") report::write_simulation_csv(out, rows);
  else report::write_simulation_table(out, rows);
  if (format == "table" && rows.size() > 1) report::write_simulated_optima(out, rows);
  // One run: where its time went (busiest links, staleness, assumptions).
  if (format == "table" && rows.size() == 1) report::write_simulation_details(out, rows.front(), top_links);
  return 0;
}

}  // namespace dlscale::cli

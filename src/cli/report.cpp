// `dlscale report`: one self-contained HTML page with what was assumed, the speedup and
// time-to-train curves, the optimum answers and the simulator beside the closed forms.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/job.hpp"
#include "cli/options.hpp"
#include "cli/validate_report.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"
#include "dlscale/report.hpp"
#include "dlscale/sim/training.hpp"
#include "dlscale/validate.hpp"

namespace dlscale::cli {

namespace {

// The simulator runs at the sweep's worker counts up to this many workers, for at most
// `sim_iterations` iterations each (no jitter: every iteration is alike, so their mean is the
// training's), within `sim_flows` transfers in all: a report takes seconds, not hours.
constexpr int sim_max_workers = 64;
constexpr std::int64_t sim_iterations = 4;
constexpr double sim_flows = 2e6;

std::filesystem::path checked_out(const std::string& text) {
  const std::filesystem::path file(text);
  const auto ext = file.extension().string();
  if (ext != ".html" && ext != ".htm")
    throw ConfigError(fmt::format("{}: --out: '{}' is not supported; a file ending .html expected",
                                  text, ext));
  const auto parent = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec))
    throw ConfigError(fmt::format("{}: --out: directory '{}' does not exist; an existing "
                                  "directory expected", text, parent.string()));
  return file;
}

report::HtmlSection assumptions(const Job& job) {
  report::HtmlSection sec;
  sec.heading = "What was assumed";
  sec.facts.emplace_back("source of t_grad and t_comm", job.source);
  for (const auto& s : job.scenarios) {
    sec.facts.emplace_back(fmt::format("{}: t_grad", s.network),
                           fmt::format("{:.6g} s per batch{}", s.t_grad.v,
                                       s.batch_size ? fmt::format(" of {} samples", *s.batch_size) : ""));
    sec.facts.emplace_back(fmt::format("{}: t_comm", s.network),
                           fmt::format("{:.6g} s for the {} weight bytes over one link", s.t_comm.v,
                                       s.weight_bytes.v));
    if (s.link)
      sec.facts.emplace_back(fmt::format("{}: link", s.network),
                             fmt::format("alpha {:.6g} s, beta {:.6g} B/s", s.link->alpha.v, s.link->beta.v));
    sec.facts.emplace_back(fmt::format("{}: training", s.network), fmt::format("D = {} batches", s.batches));
    if (s.cluster) sec.facts.emplace_back(fmt::format("{}: cluster", s.network), report::describe_cluster(*s.cluster));
    for (const auto& n : s.input_notes) sec.facts.emplace_back(fmt::format("{}: note", s.network), n);
  }
  return sec;
}

// What the models assumed, once each (a row's notes repeat across N), at most `max` of them.
report::HtmlSection model_notes(std::span<const Prediction> rows, std::size_t max = 24) {
  report::HtmlSection sec;
  sec.heading = "Notes from the models";
  std::vector<std::string> notes;
  std::set<std::string> seen;
  for (const auto& r : rows)
    for (const auto& n : r.notes)
      if (seen.insert(n).second) notes.push_back(n);
  const auto shown = std::min(max, notes.size());
  sec.preformatted = fmt::format("{}\n", fmt::join(notes.begin(), notes.begin() + long(shown), "\n"));
  if (notes.size() > shown)
    sec.preformatted += fmt::format("... and {} more (dlscale sweep --format csv lists them per "
                                    "row)\n", notes.size() - shown);
  if (notes.empty()) sec.paragraphs.push_back("None.");
  return sec;
}

report::HtmlSection figure(std::string heading, std::span<const Prediction> rows,
                           report::PlotOptions o, std::string caption) {
  report::HtmlSection sec;
  sec.heading = std::move(heading);
  sec.svg = report::plot_svg(rows, o);
  sec.caption = std::move(caption);
  return sec;
}

report::HtmlSection optimum(const Job& job) {
  report::HtmlSection sec;
  sec.heading = "The best worker count";
  sec.paragraphs.push_back("Per scheme and mode within the report's worker range: the fastest N, "
                           "the largest N at 80 % efficiency, and the knee (dlscale optimal "
                           "answers more questions: prices, deadlines, server counts).");
  std::ostringstream text;
  const OptimumQuestions q;
  for (const auto& s : job.scenarios) {
    if (&s != &job.scenarios.front()) text << "\n";
    report::write_optimal_table(text, optimal(s, job.schemes, job.modes, job.workers, q), q);
  }
  sec.preformatted = text.str();
  return sec;
}

// The simulated speedups as rows the plot can draw beside the closed forms: same scheme and
// mode, the network named "... (simulated)".
std::vector<Prediction> simulated_rows(std::span<const report::Simulated> sims) {
  std::vector<Prediction> rows;
  for (const auto& r : sims) {
    rows.push_back(r.closed);
    auto sim = r.closed;
    sim.network += " (simulated)";
    sim.speedup = sim.speedup_best = sim.speedup_worst = r.sim.speedup;
    sim.t_train = {r.sim.t_train, r.sim.t_train, r.sim.t_train};
    rows.push_back(std::move(sim));
  }
  // The plot groups lines by first appearance: closed and simulated of one pair side by side.
  std::stable_sort(rows.begin(), rows.end(), [](const Prediction& a, const Prediction& b) {
    return std::tie(a.scheme, a.mode) < std::tie(b.scheme, b.mode);
  });
  return rows;
}

std::vector<report::HtmlSection> simulation(const Job& job, std::ostream& err) {
  report::HtmlSection sec;
  sec.heading = "The simulator beside the closed forms";
  Job small = job;
  std::vector<int> counts;
  for (const int n : job.workers.values())
    if (n <= sim_max_workers) counts.push_back(n);
  small.workers = WorkerRange{};
  small.workers.list = counts;
  if (!counts.empty()) {
    small.workers.first = counts.front();
    small.workers.last = counts.back();
  }
  sim::SimOptions o;
  o.iterations = sim_iterations;
  o.max_flows = sim_flows;
  std::vector<report::Simulated> sims;
  try {
    if (counts.empty()) throw ConfigError(fmt::format("no worker count of the range is at most {}", sim_max_workers));
    sims = run_all(small, o, true, err);
  } catch (const ConfigError& e) {
    sec.paragraphs.push_back(fmt::format("Not simulated: {}. dlscale simulate runs any size you "
                                         "allow with --max-flows.", e.what()));
    return {sec};
  }
  if (sims.empty()) {
    sec.paragraphs.push_back("Not simulated: the simulator implements none of the chosen (scheme, mode) pairs.");
    return {sec};
  }
  sec.paragraphs.push_back(fmt::format(
      "Flows over full-duplex links with max-min fair sharing, no jitter, {} simulated iterations "
      "per run, N up to {}: where the simulator and the closed form agree the lines lie on each "
      "other (the closed form's worst case for the central server is fair sharing).",
      sim_iterations, sim_max_workers));
  const auto rows = simulated_rows(sims);
  report::PlotOptions po;
  po.title = "closed form and simulation";
  po.caption = job.source;
  sec.svg = report::plot_svg(rows, po);
  report::HtmlSection links;
  links.heading = "Link utilisation";
  links.paragraphs.push_back("The busiest link of each simulated run at the largest N: bytes "
                             "carried / (capacity x t_train), and the share of the time it "
                             "carried anything.");
  std::ostringstream text;
  text << fmt::format("{:<14} {:<18} {:<11} {:>5}  {:<24} {:>13} {:>8}\n", "network", "scheme", "mode",
                      "N", "busiest link", "utilisation", "busy");
  for (const auto& r : sims)
    if (r.closed.workers == counts.back() && !r.sim.links.empty()) {
      const auto& l = *std::max_element(r.sim.links.begin(), r.sim.links.end(),
                                        [](const auto& a, const auto& b) { return a.utilization < b.utilization; });
      text << fmt::format("{:<14} {:<18} {:<11} {:>5}  {:<24} {:>12.1f}% {:>7.1f}%\n", r.closed.network,
                          to_string(r.closed.scheme), to_string(r.closed.mode), r.closed.workers,
                          l.name, 100 * l.utilization, 100 * l.busy);
    }
  links.preformatted = text.str();
  return {sec, links};
}

// Measured runs a user brings (the measured-runs CSV of `dlscale validate`): each row predicted
// by validate's own scoring, drawn predicted against measured, and its error tables.
report::HtmlSection measured(const std::string& file, const po::variables_map& vm) {
  report::HtmlSection sec;
  sec.heading = "Predicted against measured runs";
  const ValidateOptions o;
  const auto runs = load_measured_runs(file);
  const auto rows = score_runs(runs, o, data_source("report", vm));
  const auto interval = interval_source(o, any_row_profile(runs));
  std::vector<report::ScatterSeries> series{{"closed form", {}}, {"simulator", {}}};
  for (const auto& r : rows) {
    const double measured_s = r.run.t_iter_p50.v;
    series[0].points.emplace_back(measured_s, r.closed_form.v);
    if (r.simulated) series[1].points.emplace_back(measured_s, r.simulated->v);
  }
  if (series[1].points.empty()) series.pop_back();
  sec.paragraphs.push_back(fmt::format("{} rows of {}, each predicted as `dlscale validate "
                                       "--measured` does (docs/measured-runs.md); the interval: {}",
                                       rows.size(), file, interval));
  sec.svg = report::scatter_svg(series, "predicted vs measured t_iter");
  sec.caption = "Points on the dashed line are predicted exactly; above it dlscale predicts too slow.";
  std::ostringstream text;
  write_validation_table(text, rows, summarize(rows), interval);
  sec.preformatted = text.str();
  return sec;
}

}  // namespace

int cmd_report(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description desc("report options");
  add_range_options(desc, "1:64:x2");
  desc.add_options()("out", po::value<std::string>(), "FILE.html (required): one page, no "
                     "network access needed to view it")
    ("measured", po::value<std::string>(), "a measured-runs CSV (docs/measured-runs.md): adds "
     "predicted against measured, scored as dlscale validate does");
  po::variables_map vm;
  if (!parse_options("report", "dlscale report --out FILE.html [--network NAME]... [options]",
                     desc, args, vm, out))
    return 0;
  if (!vm.count("out")) throw ConfigError("report: --out: missing; a file ending .html expected");
  const auto text = vm["out"].as<std::string>();
  const auto file = checked_out(text);
  const auto job = read_job("report", vm);
  // A bad measured-runs file fails before the curves and simulations are computed.
  std::optional<report::HtmlSection> measured_runs;
  if (vm.count("measured")) measured_runs = measured(vm["measured"].as<std::string>(), vm);
  const auto rows = run_sweep(job);
  if (rows.empty()) throw ConfigError("report: no (scheme, mode) pair of the request is supported");
  const std::string subject = job.scenarios.size() == 1 ? job.scenarios.front().network
                                                        : fmt::format("{} networks", job.scenarios.size());
  std::vector<report::HtmlSection> sections{assumptions(job), model_notes(rows)};
  report::PlotOptions po;
  po.title = fmt::format("speedup vs workers: {}", subject);
  po.caption = job.source;
  sections.push_back(figure("Speedup", rows, po, "One panel per mode; shaded: the best-to-worst "
                            "bound where a scheme has one; dot: each line's fastest N."));
  po.metric = report::PlotMetric::time_to_train;
  po.title = fmt::format("time to train vs workers: {}", subject);
  sections.push_back(figure("Time to train", rows, po, "The whole training of D batches, estimate."));
  sections.push_back(optimum(job));
  for (auto& s : simulation(job, err)) sections.push_back(std::move(s));
  if (measured_runs) sections.push_back(std::move(*measured_runs));

  // Written beside the target and renamed: a failed run leaves no half page.
  const auto temp = std::filesystem::path(text + ".part");
  {
    std::ofstream f(temp, std::ios::binary);
    if (!f)
      throw ConfigError(fmt::format("{}: --out: cannot write: {}; a writable file expected", text,
                                    std::strerror(errno)));
    report::write_html(f, fmt::format("dlscale report: {}", subject), sections,
                       fmt::format("dlscale {}: dlscale report {}", DLSCALE_VERSION, fmt::join(args, " ")));
    if (!f.flush()) {
      std::filesystem::remove(temp);
      throw ConfigError(fmt::format("{}: --out: cannot write", text));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw ConfigError(fmt::format("{}: --out: cannot write: {}; a writable file expected", text, ec.message()));
  }
  out << "wrote " << text << "\n";
  return 0;
}

}  // namespace dlscale::cli

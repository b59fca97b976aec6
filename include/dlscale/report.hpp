#pragma once
/// Printers: prediction rows, optima and networks as an aligned table, CSV, JSON or a
/// gnuplot plot. They compute nothing.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dlscale/network.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/sim/training.hpp"

namespace dlscale::report {

/// Version written as `# format_version 1` before the CSV header and as "format_version" in JSON.
inline constexpr int format_version = 1;

/// Takes prediction rows one at a time (from `sweep_each`) and prints them; `finish` writes
/// what is left. A sweep printed through a sink keeps no rows in memory (the table keeps one
/// speedup per row).
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void add(const Prediction& p) = 0;
  virtual void finish() = 0;
};
/// The CSV of `write_csv`, the JSON of `write_json` and the table of `write_sweep_table`.
std::unique_ptr<RowSink> csv_sink(std::ostream& out);
std::unique_ptr<RowSink> json_sink(std::ostream& out);
std::unique_ptr<RowSink> table_sink(std::ostream& out, std::size_t max_columns = 10);

/// Sweep as a table: one row per (network, scheme, mode), the estimated speedup for each worker
/// count as columns; beyond `max_columns` counts only the first, powers of two and the last.
void write_sweep_table(std::ostream& out, std::span<const Prediction> rows,
                       std::size_t max_columns = 10);
/// One prediction: best / worst / estimate of t_iter, t_train and speedup, then its notes.
void write_prediction(std::ostream& out, const Prediction& p);
/// The answers per (scheme, mode) and overall, for one network: fastest, efficient, knee and
/// (with a price) cheapest, then what lies beyond the searched range.
void write_optimal_table(std::ostream& out, std::span<const Optimum> optima,
                         const OptimumQuestions& questions);
/// One row per (network, scheme, mode): each answer's N and figures, units in the names.
void write_optimal_csv(std::ostream& out, std::span<const Optimum> optima);

/// CSV with units in the column names, after a `# format_version 1` line (header below).
void write_csv(std::ostream& out, std::span<const Prediction> rows);
/// The CSV header line, without the newline.
std::string_view csv_header();
/// JSON: {"format_version": 1, "predictions": [...]} with the CSV's fields, notes as an array.
void write_json(std::ostream& out, std::span<const Prediction> rows);
/// JSON: {"format_version": 1, "optima": [...]}.
void write_optimal_json(std::ostream& out, std::span<const Optimum> optima);

/// Networks: name, parameters, MB (fp32), forward GMACs per sample, tensors.
void write_networks_table(std::ostream& out, std::span<const Network> nets);
void write_networks_json(std::ostream& out, std::span<const Network> nets);
/// One network: per-layer kind, output shape, parameters and MACs, then every tensor's bytes.
void write_network_detail(std::ostream& out, const Network& net, Precision p);

/// What one panel of a plot holds: the series of one mode (the default), scheme or network.
enum class PanelBy { mode, scheme, network };
/// "mode", "scheme" or "network"; throws ConfigError naming `option` otherwise.
PanelBy parse_panel_by(std::string_view text, std::string_view option);

/// What the y axis shows: the speedup over one worker, or the whole training's time.
enum class PlotMetric { speedup, time_to_train };

struct PlotOptions {
  std::string title;    ///< above the panels
  std::string caption;  ///< below them: the profile, D, the cluster
  PanelBy panels = PanelBy::mode;
  std::size_t max_lines = 6;  ///< per panel; a larger group is split into parts
  PlotMetric metric = PlotMetric::speedup;
};

/// Renders speedup vs workers (estimate; the best-worst band shaded where a scheme has one;
/// each line's fastest N marked) with gnuplot, one panel per group, to `file` (.png or .svg).
/// Throws ConfigError if gnuplot is missing, the extension is not .png/.svg or the directory
/// does not exist, Error if gnuplot fails.
void write_plot(const std::filesystem::path& file, std::span<const Prediction> rows,
                const PlotOptions& options);
/// The same picture as SVG text, for pages that inline it.
std::string plot_svg(std::span<const Prediction> rows, const PlotOptions& options);

/// One part of an HTML report; empty members are left out.
struct HtmlSection {
  std::string heading;
  std::vector<std::string> paragraphs;                      ///< plain text
  std::vector<std::pair<std::string, std::string>> facts;  ///< (what, value) rows
  std::string svg;                                          ///< a figure, e.g. plot_svg()
  std::string caption;                                      ///< under the figure
  std::string preformatted;                                 ///< a text table
};
/// `text` with &, <, >, " and ' escaped for HTML.
std::string html_escape(std::string_view text);
/// A self-contained page (inline style and SVG, nothing fetched): title, sections, footer.
void write_html(std::ostream& out, std::string_view title, std::span<const HtmlSection> sections,
                std::string_view footer);

/// One predictor's points (measured, predicted), both in seconds and > 0.
struct ScatterSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;
};
/// Predicted against measured on log-log axes with the line predicted = measured, as SVG text.
/// Throws ConfigError when there is no point, Error if gnuplot fails.
std::string scatter_svg(std::span<const ScatterSeries> series, std::string_view title);

/// "8 workers per node, NIC 25 Gbit/s each way, latency 5 us, intra 150 GB/s, servers: one per
/// node": the cluster in words, for captions and reports.
std::string describe_cluster(const Cluster& c);

/// The closed form and the simulation of one (network, scheme, mode, workers).
struct Simulated {
  Prediction closed;
  sim::SimResult sim;
};
/// One line per row: closed-form speedup best / estimate / worst beside the simulated one,
/// and the simulated iteration time's p50 and p99.
void write_simulation_table(std::ostream& out, std::span<const Simulated> rows);
/// One run in detail: its `top_links` busiest links, the staleness histogram of an
/// asynchronous run, and the notes of the simulation.
void write_simulation_details(std::ostream& out, const Simulated& r, std::size_t top_links);
/// For each (network, scheme, mode) simulated at several N: the fastest N of the closed form
/// and of the simulation, side by side, flagged when it is the largest N simulated.
void write_simulated_optima(std::ostream& out, std::span<const Simulated> rows);
/// The sweep CSV's columns, then sim_t_train_s, sim_speedup, sim_t_iter_mean_s,
/// sim_t_iter_p50_s, sim_t_iter_p99_s, sim_busiest_link, sim_busiest_link_utilization,
/// sim_staleness_mean, sim_staleness_max (both empty for synchronous runs), sim_events.
void write_simulation_csv(std::ostream& out, std::span<const Simulated> rows);

/// The run's timeline as Chrome trace / Perfetto JSON (load it in ui.perfetto.dev or
/// chrome://tracing): one track per host, `workers` workers then the server; times in us.
void write_chrome_trace(std::ostream& out, const sim::SimResult& r, int workers,
                        std::string_view title);

/// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

}  // namespace dlscale::report

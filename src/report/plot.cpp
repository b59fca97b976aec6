// Plots go through gnuplot (Debian: gnuplot-nox): a script and a data file in a fresh
// temporary directory, run with posix_spawnp so no shell quoting is involved. No path a user
// chose reaches the script: gnuplot runs inside the temporary directory, reads and writes fixed
// relative names there, and the finished picture is copied to --out afterwards. The only user
// text in the script (title, series labels) is single-quoted with every control character
// replaced, so a newline cannot start a gnuplot command (system(), shell, load ...).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <limits>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dlscale/error.hpp"
#include "dlscale/report.hpp"
#include "report/plot_layout.hpp"
#include "report/series.hpp"

extern char** environ;

namespace dlscale::report {

namespace {

// gnuplot single-quoted strings double a quote to escape it and take backslashes literally;
// a line break would end the command, so control characters become spaces.
std::string gp_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';
    else out += c;
  }
  return out + "'";
}

void check_extension(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".png" || ext == ".svg") return;
  throw ConfigError(fmt::format("{}: --out: '{}' is not supported; a file ending .png or .svg "
                                "expected", file.string(), ext));
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "dlscale-plot-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr)
      throw Error(fmt::format("cannot create a temporary directory: {}", std::strerror(errno)));
    path = templ;
  }
  ~TempDir() { std::error_code ec; std::filesystem::remove_all(path, ec); }
};

// --out's directory must exist before gnuplot runs, so a typo costs no plotting.
void check_out_dir(const std::filesystem::path& file) {
  const auto parent = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec))
    throw ConfigError(fmt::format("{}: --out: directory '{}' does not exist; an existing "
                                  "directory expected", file.string(), parent.string()));
  if (std::filesystem::is_directory(file, ec))
    throw ConfigError(fmt::format("{}: --out: is a directory; a file ending .png or .svg "
                                  "expected", file.string()));
}

void copy_picture(const std::filesystem::path& from, const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::copy_file(from, file, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec)
    throw ConfigError(fmt::format("{}: --out: cannot write: {}; a writable file expected",
                                  file.string(), ec.message()));
}

struct Canvas {
  int columns = 1, rows = 1, width = 0, height = 0;
};

Canvas canvas_for(std::size_t panels) {
  Canvas c;
  c.columns = panels <= 1 ? 1 : panels <= 4 ? 2 : 3;
  c.rows = int((panels + std::size_t(c.columns) - 1) / std::size_t(c.columns));
  c.width = 640 * c.columns;
  c.height = 440 * c.rows + 125;  // room for the title and the caption
  return c;
}

std::string terminal(std::string_view ext, const Canvas& c) {
  if (ext == ".png") return fmt::format("pngcairo size {},{} font ',11'", c.width, c.height);
  return fmt::format("svg size {},{} dynamic font 'sans,12'", c.width, c.height);
}

bool has_band(const report_detail::Series& s) {
  return std::any_of(s.rows.begin(), s.rows.end(),
                     [](const Prediction* r) { return r->t_train.best != r->t_train.worst; });
}

// values.dat: per series a block "N estimate worst best" of the metric; fastest.dat: per series
// the N with the shortest training (ties: fewer workers).
void write_data(const std::filesystem::path& dir, const std::vector<report_detail::Series>& series,
                PlotMetric metric) {
  std::ofstream data(dir / "values.dat"), fastest(dir / "fastest.dat");
  const auto values = [metric](const Prediction& r) {
    if (metric == PlotMetric::time_to_train)
      return std::array{r.t_train.estimate.v, r.t_train.worst.v, r.t_train.best.v};
    return std::array{r.speedup, r.speedup_worst, r.speedup_best};
  };
  for (const auto& s : series) {
    data << "# " << s.label() << "\n";
    const Prediction* best = nullptr;
    for (const auto* r : s.rows) {
      const auto v = values(*r);
      data << fmt::format("{} {:.9g} {:.9g} {:.9g}\n", r->workers, v[0], v[1], v[2]);
      if (best == nullptr || r->t_train.estimate < best->t_train.estimate) best = r;
    }
    data << "\n\n";
    fastest << fmt::format("{} {:.9g}\n\n\n", best->workers, values(*best)[0]);
  }
  if (!data || !fastest) throw Error(fmt::format("{}: cannot write the plot data", dir.string()));
}

// Every distinct label keeps its colour across panels when there are few enough of them;
// else the colours restart in each panel (distinct within it).
std::vector<int> colours(const std::vector<report_detail::Panel>& panels, std::size_t& distinct) {
  std::vector<std::string> labels;
  for (const auto& p : panels)
    for (const auto& l : p.lines)
      if (std::find(labels.begin(), labels.end(), l.label) == labels.end()) labels.push_back(l.label);
  distinct = labels.size();
  std::vector<int> out;
  for (const auto& p : panels)
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
      const auto at = std::find(labels.begin(), labels.end(), p.lines[i].label) - labels.begin();
      out.push_back(distinct <= 8 ? int(at) + 1 : int(i) + 1);
    }
  return out;
}

void write_script(const std::filesystem::path& dir, std::string_view ext,
                  std::span<const Prediction> rows, const PlotOptions& o) {
  const auto series = report_detail::group_series(rows);
  const auto panels = report_detail::plan_panels(series, o.panels, o.max_lines);
  write_data(dir, series, o.metric);
  const auto counts = report_detail::worker_counts(rows);
  const bool wide = counts.back() >= 32 * counts.front();
  const auto c = canvas_for(panels.size());
  std::size_t distinct = 0;
  const auto colour = colours(panels, distinct);
  std::ofstream gp(dir / "plot.gp");
  gp << fmt::format("set terminal {}\nset output {}\n", terminal(ext, c),
                    gp_quote(fmt::format("plot{}", ext)))
     << "set xlabel 'workers N'\n"
     << (o.metric == PlotMetric::speedup ? "set ylabel 'speedup over 1 worker [x]'\n"
                                         : "set ylabel 'time to train [s]'\n")
     << "set grid\n"
        "set key top left inside noenhanced\nset yrange [0:*]\nset offsets 0, 0, graph 0.05, 0\n"
        "set style fill transparent solid 0.18 noborder\n"
     << (wide ? "set logscale x 2\nset format x '%g'\n" : "")
     << fmt::format("set label 1 {} at screen 0.01, screen 0.015 left noenhanced\n",
                    gp_quote(o.caption + (o.caption.empty() ? "" : "   ") +
                             "dot: each line's fastest N; shaded: best to worst bound"))
     << fmt::format("set multiplot layout {},{} title {} font ',16' noenhanced margins 0.06, 0.98, {:.4f}, "
                    "{:.4f} spacing 0.07, {:.4f}\n", c.rows, c.columns, gp_quote(o.title),
                    95.0 / c.height, 1.0 - 75.0 / c.height, 125.0 / c.height);
  std::size_t k = 0;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    gp << fmt::format("set title {} noenhanced\n", gp_quote(panels[p].title));
    std::vector<std::string> parts;
    for (const auto& line : panels[p].lines) {
      const auto i = line.series;
      const int lc = colour[k++];
      if (has_band(series[i]))
        parts.push_back(fmt::format("'values.dat' index {} using 1:3:4 with filledcurves lc {} notitle",
                                    i, lc));
      parts.push_back(fmt::format("'values.dat' index {} using 1:2 with linespoints pt 6 ps 0.6 lw 2 "
                                  "lc {} title {}", i, lc, gp_quote(line.label)));
      parts.push_back(fmt::format("'fastest.dat' index {} using 1:2 with points pt 7 ps 1.6 lc {} notitle",
                                  i, lc));
    }
    gp << "plot " << fmt::format("{}", fmt::join(parts, ", \\\n     ")) << "\n";
    if (p == 0) gp << "unset label 1\n";  // the caption is drawn once
  }
  gp << "unset multiplot\n";
  if (!gp) throw Error(fmt::format("{}: cannot write the plot script", dir.string()));
}

// Runs gnuplot on plot.gp inside `dir`; the picture is dir/plot<ext>.
void run_gnuplot(const std::filesystem::path& dir, const std::filesystem::path& shown_as) {
  const std::string script = "plot.gp", log = (dir / "gnuplot.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char* argv[] = {const_cast<char*>("gnuplot"), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw ConfigError(fmt::format("plot: cannot run gnuplot ({}); install it, e.g. "
                                  "'apt-get install gnuplot-nox'", std::strerror(rc)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw Error(fmt::format("plot: gnuplot failed writing {}: {}", shown_as.string(), text));
  }
}

}  // namespace

PanelBy parse_panel_by(std::string_view text, std::string_view option) {
  if (text == "mode") return PanelBy::mode;
  if (text == "scheme") return PanelBy::scheme;
  if (text == "network") return PanelBy::network;
  throw ConfigError(fmt::format("{} '{}': unknown grouping; mode, scheme or network expected",
                                option, text));
}

void write_plot(const std::filesystem::path& file, std::span<const Prediction> rows,
                const PlotOptions& options) {
  check_extension(file);  // reject a bad extension or directory before anything else
  check_out_dir(file);
  if (rows.empty()) throw ConfigError("plot: no predictions to plot");
  TempDir dir;
  const auto ext = file.extension().string();
  write_script(dir.path, ext, rows, options);
  run_gnuplot(dir.path, file);
  copy_picture(dir.path / ("plot" + ext), file);
}

std::string plot_svg(std::span<const Prediction> rows, const PlotOptions& options) {
  if (rows.empty()) throw ConfigError("plot: no predictions to plot");
  TempDir dir;
  write_script(dir.path, ".svg", rows, options);
  run_gnuplot(dir.path, "an SVG picture");
  std::ifstream in(dir.path / "plot.svg");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string scatter_svg(std::span<const ScatterSeries> series, std::string_view title) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& s : series)
    for (const auto& [x, y] : s.points) {
      if (!(x > 0 && y > 0 && std::isfinite(x) && std::isfinite(y)))
        throw ConfigError(fmt::format("plot: {}: point ({}, {}) is not positive and finite", s.label, x, y));
      lo = std::min({lo, x, y});
      hi = std::max({hi, x, y});
    }
  if (hi == 0) throw ConfigError("plot: no measured point to draw");
  TempDir dir;
  std::ofstream data(dir.path / "points.dat"), gp(dir.path / "plot.gp");
  for (const auto& s : series) {
    data << "# " << s.label << "\n";
    for (const auto& [x, y] : s.points) data << fmt::format("{:.9g} {:.9g}\n", x, y);
    data << "\n\n";
  }
  // Square log-log axes a little wider than the points, so the diagonal is the diagonal.
  gp << "set terminal svg size 900,760 dynamic font 'sans,12'\nset output 'plot.svg'\n"
     << fmt::format("set title {} noenhanced\n", gp_quote(title))
     << "set logscale xy\nset format x '%g'\nset format y '%g'\nset grid\nset size square\n"
     << fmt::format("set xrange [{0:.6g}:{1:.6g}]\nset yrange [{0:.6g}:{1:.6g}]\n", lo / 1.3, hi * 1.3)
     << "set xlabel 'measured t_iter p50 [s]' noenhanced\n"
        "set ylabel 'predicted t_iter [s]' noenhanced\nset key top left noenhanced\n";
  std::vector<std::string> parts{"x with lines dt 2 lc rgb 'gray40' title 'predicted = measured'"};
  for (std::size_t i = 0; i < series.size(); ++i)
    parts.push_back(fmt::format("'points.dat' index {} using 1:2 with points pt {} ps 1.2 lc {} title {}",
                                i, i == 0 ? 7 : 6, i + 1, gp_quote(series[i].label)));
  gp << "plot " << fmt::format("{}", fmt::join(parts, ", \\\n     ")) << "\n";
  if (!data.flush() || !gp.flush()) throw Error(fmt::format("{}: cannot write the plot script", dir.path.string()));
  run_gnuplot(dir.path, "an SVG picture");
  std::ifstream in(dir.path / "plot.svg");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string describe_cluster(const Cluster& c) {
  std::vector<std::string> parts{fmt::format("{} worker{} per node", c.workers_per_node,
                                             c.workers_per_node == 1 ? "" : "s")};
  if (c.nic)
    parts.push_back(fmt::format("NIC {:.4g} Gbit/s each way, latency {:.4g} us",
                                c.nic->beta.v * 8e-9, c.nic->alpha.v * 1e6));
  if (std::isfinite(c.intra.beta.v))
    parts.push_back(fmt::format("intra {:.4g} GB/s", c.intra.beta.v * 1e-9));
  if (c.servers.count > 0) parts.push_back(fmt::format("{} servers", c.servers.count));
  if (c.servers.dedicated_nic)
    parts.push_back(fmt::format("server NIC {:.4g} Gbit/s", c.servers.dedicated_nic->v * 8e-9));
  if (c.aggregate) parts.push_back("per-node aggregation");
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace dlscale::report

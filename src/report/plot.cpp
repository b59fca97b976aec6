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

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/report.hpp"
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

std::string terminal_for(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".png") return "pngcairo size 1100,800";
  if (ext == ".svg") return "svg size 1100,800 dynamic";
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

// The picture gnuplot draws inside the temporary directory, before it is copied to --out.
std::string picture_name(const std::filesystem::path& file) {
  return "plot" + file.extension().string();
}

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

void write_script(const std::filesystem::path& dir, const std::filesystem::path& file,
                  std::span<const Prediction> rows, std::string_view title) {
  const auto series = report_detail::group_series(rows);
  std::ofstream data(dir / "speedup.dat"), fastest(dir / "fastest.dat");
  for (const auto& s : series) {
    data << "# " << s.label() << "\n";
    const Prediction* best = nullptr;  // the fastest N of the line (ties: fewer workers)
    for (const auto* r : s.rows) {
      data << fmt::format("{} {:.9g}\n", r->workers, r->speedup);
      if (best == nullptr || r->t_train.estimate < best->t_train.estimate) best = r;
    }
    data << "\n\n";
    if (best != nullptr) fastest << fmt::format("{} {:.9g}\n\n\n", best->workers, best->speedup);
  }
  std::ofstream gp(dir / "plot.gp");
  gp << fmt::format("set terminal {}\nset output {}\nset title {} noenhanced\n",
                    terminal_for(file), gp_quote(picture_name(file)), gp_quote(title))
     << "set xlabel 'workers N'\nset ylabel 'speedup (estimate)'\nset grid\n"
        "set key outside below center horizontal noenhanced\nset yrange [0:*]\n";
  // Each line in its own colour, its fastest N a filled circle of the same colour.
  for (std::size_t i = 0; i < series.size(); ++i)
    gp << (i == 0 ? "plot " : ", \\\n     ")
       << fmt::format("{} index {} using 1:2 with linespoints lc {} title {}, \\\n     "
                      "{} index {} using 1:2 with points pt 7 ps 2 lc {} notitle",
                      gp_quote("speedup.dat"), i, i + 1, gp_quote(series[i].label()),
                      gp_quote("fastest.dat"), i, i + 1);
  gp << ", \\\n     NaN with points pt 7 ps 2 lc rgb 'black' title 'fastest N of each line'\n";
  if (!data || !fastest || !gp) throw Error(fmt::format("{}: cannot write the plot script", dir.string()));
}

}  // namespace

void write_plot(const std::filesystem::path& file, std::span<const Prediction> rows,
                std::string_view title) {
  terminal_for(file);  // reject a bad extension or directory before anything else
  check_out_dir(file);
  if (rows.empty()) throw ConfigError("plot: no predictions to plot");
  TempDir dir;
  write_script(dir.path, file, rows, title);
  const std::string script = "plot.gp", log = (dir.path / "gnuplot.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.path.c_str());
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
    throw Error(fmt::format("plot: gnuplot failed writing {}: {}", file.string(), text));
  }
  copy_picture(dir.path / picture_name(file), file);
}

}  // namespace dlscale::report

// Plots go through gnuplot (Debian: gnuplot-nox): a script and a data file in a fresh
// temporary directory, run with posix_spawnp so no shell quoting is involved.
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

// gnuplot single-quoted strings double a quote to escape it.
std::string gp_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
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

void write_script(const std::filesystem::path& dir, const std::filesystem::path& file,
                  std::span<const Prediction> rows, std::string_view title) {
  const auto series = report_detail::group_series(rows);
  std::ofstream data(dir / "speedup.dat");
  for (const auto& s : series) {
    data << "# " << s.label() << "\n";
    for (const auto* r : s.rows) data << fmt::format("{} {:.9g}\n", r->workers, r->speedup);
    data << "\n\n";
  }
  std::ofstream gp(dir / "plot.gp");
  gp << fmt::format("set terminal {}\nset output {}\nset title {} noenhanced\n",
                    terminal_for(file), gp_quote(file.string()), gp_quote(title))
     << "set xlabel 'workers N'\nset ylabel 'speedup (estimate)'\nset grid\n"
        "set key outside below center horizontal noenhanced\nset yrange [0:*]\n";
  for (std::size_t i = 0; i < series.size(); ++i)
    gp << (i == 0 ? "plot " : ", \\\n     ")
       << fmt::format("{} index {} using 1:2 with linespoints title {}",
                      gp_quote((dir / "speedup.dat").string()), i, gp_quote(series[i].label()));
  gp << "\n";
  if (!data || !gp) throw Error(fmt::format("{}: cannot write the plot script", dir.string()));
}

}  // namespace

void write_plot(const std::filesystem::path& file, std::span<const Prediction> rows,
                std::string_view title) {
  terminal_for(file);  // reject a bad extension before anything else
  if (rows.empty()) throw ConfigError("plot: no predictions to plot");
  TempDir dir;
  write_script(dir.path, file, rows, title);
  const std::string script = (dir.path / "plot.gp").string(), log = (dir.path / "gnuplot.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
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
}

}  // namespace dlscale::report

// Regression tests of the reliability audit (issue "harden every input path"): each case
// failed on main at 8aebcb8 and names the defect it covers. Bad input must give exit 2 and
// one line naming the file or option and what was expected; never a crash, a hang, a NaN
// with exit 0, or an internal error.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_cli.hpp"

using dlscale::test::run_cli;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

// Defect 2: a newline in --out used to end gnuplot's `set output '...'` line, so the rest of
// the name ran as gnuplot commands (system("touch PWNED")). The path no longer reaches the
// script; gnuplot draws into its temporary directory and the picture is copied to --out.
TEST_CASE("plot --out cannot inject gnuplot commands") {
  const auto dir = fresh_dir("dlscale_plot_injection");
  const auto pwned = dir / "PWNED";
  const auto out = (dir / "x.png\nsystem(\"touch ").string() + pwned.string() + "\")\n#.png";
  const auto r = run_cli({"plot", "--network", "SqueezeNet", "--scheme", "ring", "--out", out});
  if (r.rc == 2 && r.err.find("cannot run gnuplot") != std::string::npos) return;  // no gnuplot
  CHECK(!std::filesystem::exists(pwned));
  // The name is an odd but legal file name inside a directory that does not exist.
  CHECK(r.rc == 2);
  CHECK(r.err.find("does not exist; an existing directory expected") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("plot writes a file whose name holds a newline and quotes, and nothing else") {
  const auto dir = fresh_dir("dlscale_plot_odd_name");
  const auto out = dir / "a'b\nsystem(\"touch PWNED\")\n#.svg";
  const auto r = run_cli({"plot", "--network", "SqueezeNet", "--scheme", "ring", "--out", out.string()});
  if (r.rc == 2 && r.err.find("cannot run gnuplot") != std::string::npos) return;
  REQUIRE(r.rc == 0);
  CHECK(std::filesystem::exists(out));
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);
  std::filesystem::remove_all(dir);
}

// Defect 11: a missing directory used to reach gnuplot and come back as exit 1 "internal
// error" with gnuplot's own output.
TEST_CASE("plot --out into a missing directory is bad input") {
  const auto r = run_cli({"plot", "--network", "SqueezeNet", "--out", "/nonexistent/x.png"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: /nonexistent/x.png: --out: directory '/nonexistent' does not exist; "
                 "an existing directory expected\n");
}

// dlscale report: one self-contained page; bad input is exit 2 with the exact message.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "run_cli.hpp"

using dlscale::test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("report: one page with every part, nothing fetched, no duplicate id") {
  const auto dir = fresh_dir("dlscale_report_test");
  const auto page = dir / "r.html";
  const auto r = run_cli({"report", "--network", "SqueezeNet", "--workers", "1:16:x2", "--out",
                          page.string()});
  if (r.rc == 2 && r.err.find("gnuplot") != std::string::npos) return;  // gnuplot-nox absent
  REQUIRE(r.rc == 0);
  CHECK(r.out == "wrote " + page.string() + "\n");
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 1);  // no .part left behind
  const auto html = read(page);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<title>dlscale report: SqueezeNet</title>") != std::string::npos);
  for (const char* h : {"What was assumed", "Notes from the models", "Speedup", "Time to train",
                        "The best worker count", "The simulator beside the closed forms",
                        "Link utilisation"})
    CHECK_MESSAGE(html.find(std::string("<h2>") + h + "</h2>") != std::string::npos, h);
  CHECK(count(html, "<svg") == 3);  // speedup, time to train, closed form and simulation
  CHECK(html.find("0.758 s per batch") != std::string::npos);  // the thesis's SqueezeNet t_grad
  CHECK(html.find("SqueezeNet (simulated) central") != std::string::npos);
  // Offline: no script, stylesheet link, image source or URL other than the SVG namespaces.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(count(html, "http") == count(html, "xmlns=\"http://www.w3.org/2000/svg\"") +
                                   count(html, "xmlns:xlink=\"http://www.w3.org/1999/xlink\""));
  // Each figure's ids carry its own prefix.
  std::set<std::string> ids;
  std::size_t total = 0;
  for (auto at = html.find("id='"); at != std::string::npos; at = html.find("id='", at + 1)) {
    const auto end = html.find('\'', at + 4);
    ids.insert(html.substr(at + 4, end - at - 4));
    ++total;
  }
  CHECK(total > 0);
  CHECK(ids.size() == total);
  fs::remove_all(dir);
}

TEST_CASE("report: bad input is exit 2 with the exact message and writes nothing") {
  auto r = run_cli({"report", "--network", "SqueezeNet"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: report: --out: missing; a file ending .html expected\n");
  r = run_cli({"report", "--network", "SqueezeNet", "--out", "r.pdf"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: r.pdf: --out: '.pdf' is not supported; a file ending .html expected\n");
  r = run_cli({"report", "--network", "SqueezeNet", "--out", "/nonexistent/r.html"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: /nonexistent/r.html: --out: directory '/nonexistent' does not exist; "
                 "an existing directory expected\n");
  // Unwritable even for root: /proc takes no new files.
  r = run_cli({"report", "--network", "SqueezeNet", "--workers", "1:2", "--out", "/proc/r.html"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: /proc/r.html: --out: cannot write: "));
  CHECK(r.err.ends_with("; a writable file expected\n"));
  CHECK_FALSE(fs::exists("/proc/r.html.part"));
  r = run_cli({"report", "--network", "NoSuchNet", "--out", "r.html"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: network 'NoSuchNet': neither a file nor a known network; one "
                          "of AlexNet, "));
  CHECK_FALSE(fs::exists("r.html"));
}

TEST_CASE("report --measured: predicted against measured, scored as validate does") {
  const auto dir = fresh_dir("dlscale_report_measured");
  const auto csv = dir / "runs.csv";
  // validate_test's exact ring row: 2 hosts at 1e8 B/s, 5e-5 s latency, 1 MB, t_grad 0.01 s.
  std::ofstream(csv) << "system,algorithm,network,bytes,workers,workers_per_host,link_rate_Bps,"
                        "latency_s,t_grad_s,t_grad_how,scheme,mode,bucket_bytes,t_iter_p50_s,"
                        "t_iter_p90_s,speedup,repeats\n"
                        "openmpi,ring,,1000000,2,1,1e8,5e-5,0.01,sleep,ring,sync-join,,0.0201,0.021,,10\n";
  const auto page = dir / "r.html";
  auto r = run_cli({"report", "--network", "SqueezeNet", "--workers", "1:4", "--measured",
                    csv.string(), "--out", page.string()});
  if (r.rc == 2 && r.err.find("gnuplot") != std::string::npos) return;
  REQUIRE(r.rc == 0);
  const auto html = read(page);
  CHECK(html.find("<h2>Predicted against measured runs</h2>") != std::string::npos);
  CHECK(html.find("1 rows of " + csv.string()) != std::string::npos);
  CHECK(count(html, "<svg") == 4);
  CHECK(html.find("predicted = measured") != std::string::npos);
  // The error table is validate's: the row's line number and its scheme.
  CHECK(html.find("closed form") != std::string::npos);
  // A file that is not there: exit 2 before anything is computed or written.
  fs::remove(page);
  r = run_cli({"report", "--network", "SqueezeNet", "--measured", (dir / "none.csv").string(),
               "--out", page.string()});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + (dir / "none.csv").string() + ": cannot read: No such file or directory\n");
  CHECK_FALSE(fs::exists(page));
  fs::remove_all(dir);
}

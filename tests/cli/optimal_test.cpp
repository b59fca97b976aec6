// `dlscale optimal` and the simulated optimum through the CLI: option parsing, exact
// messages for bad input, the CSV columns and the table's answers.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "run_cli.hpp"

using dlscale::test::run_cli;

namespace {
const std::vector<std::string> squeezenet{"optimal", "--network", "SqueezeNet", "--scheme",
                                          "distributed", "--mode", "sync-join"};
std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}
}  // namespace

TEST_CASE("optimal answers fastest, efficient, knee and cheapest") {
  // The hand-derived values of tests/models/optimum_test.cpp: fastest 128, efficient 147,
  // knee 128; at 3600 per worker-hour within 1 s, the cheapest is 128 at 105.41.
  const auto r = run_cli(with(squeezenet, {"--price", "3600/h", "--deadline", "1s"}));
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("fastest:   sharded sync-join with 128 workers") != std::string::npos);
  CHECK(r.out.find("efficient: sharded sync-join with 147 workers") != std::string::npos);
  CHECK(r.out.find("knee:      sharded sync-join from 128 workers") != std::string::npos);
  CHECK(r.out.find("cheapest:  sharded sync-join with 128 workers: cost 105.41") != std::string::npos);
  const auto csv = run_cli(with(squeezenet, {"--format", "csv"}));
  REQUIRE(csv.rc == 0);
  CHECK(csv.out.find("network,scheme,mode,servers,fastest_workers,fastest_t_train_s,fastest_speedup,"
                     "fastest_still_rising,efficient_workers,efficient_efficiency,knee_workers,"
                     "knee_speedup,cheapest_workers,cheapest_cost,cheapest_t_train_s,notes\n")
        != std::string::npos);
  CHECK(csv.out.find("SqueezeNet,sharded,sync-join,,128,0.823484375,") != std::string::npos);
}

TEST_CASE("optimal: bad questions exit 2 with the exact message") {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--price", "-1/h"}, "optimal: --price: '-1' is not valid; a price >= 0 per hour such as "
                            "2.5/h expected"},
      {{"--price", "cheap"}, "optimal: --price: 'cheap' is not a number"},
      {{"--price", "1/h", "--deadline", "6 hours"}, "optimal: --deadline: '6 hours' is not valid; "
                                                    "a time > 0 with a unit (s, min, h, d) such as "
                                                    "6h expected"},
      {{"--price", "1/h", "--deadline", "0h"}, "optimal: --deadline: '0h' is not valid; a time > 0 "
                                               "with a unit (s, min, h, d) such as 6h expected"},
      {{"--deadline", "6h"}, "optimal: --deadline picks the cheapest N: --price (or --node-price) "
                             "expected"},
      {{"--min-efficiency", "1.5"}, "optimal: --min-efficiency: 1.5; a number in (0, 1] expected"},
      {{"--knee-gain", "0"}, "optimal: --knee-gain: 0; a number in (0, 1] expected"},
      {{"--format", "xml"}, "optimal: --format: 'xml' is not valid; table, csv or json expected"},
  };
  for (const auto& [args, message] : cases) {
    CAPTURE(message);
    const auto r = run_cli(with(squeezenet, args));
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: " + message + "\n");
  }
}

TEST_CASE("simulate over a range puts the simulated optimum beside the closed form's") {
  // Ring sync-join without jitter equals the closed form: S rises with N up to 8 here (the
  // range's end), so both answers are 8 and flagged as the range's largest N.
  const auto r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "ring", "--mode",
                          "sync-join", "--workers", "1:8", "--iterations", "2"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("  SqueezeNet ring sync-join: closed form N = 8+ (S 7.434), simulated N = 8+ "
                   "(S 7.434)\n") != std::string::npos);
}

TEST_CASE("plot marks the fastest N of each line") {
  const auto svg = std::filesystem::temp_directory_path() / "dlscale_optimal_marks.svg";
  const auto r = run_cli({"plot", "--network", "SqueezeNet", "--scheme", "central", "--mode",
                          "sync-split", "--out", svg.string()});
  if (r.rc == 2 && r.err.find("cannot run gnuplot") != std::string::npos) return;  // no gnuplot
  REQUIRE(r.rc == 0);
  std::ifstream in(svg);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("fastest N; shaded: best to worst bound") != std::string::npos);  // the caption
  std::filesystem::remove(svg);
}

TEST_CASE("optimal compares a list of server counts K on a cluster") {
  const auto r = run_cli({"optimal", "--network", "ResNet50", "--t-grad", "0.2", "--nic",
                          "25Gbit/s", "--gpus-per-node", "8", "--mode", "sync-join", "--workers",
                          "8:64:8", "--servers", "2,8", "--scheme", "sharded,ring", "--format",
                          "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("ResNet50,ring,sync-join,,") != std::string::npos);
  CHECK(r.out.find("ResNet50,sharded,sync-join,2,") != std::string::npos);
  CHECK(r.out.find("ResNet50,sharded,sync-join,8,") != std::string::npos);
  // Elsewhere one K: a list is refused with where to take it.
  const auto bad = run_cli({"sweep", "--network", "ResNet50", "--t-grad", "0.2", "--nic",
                            "25Gbit/s", "--servers", "2,8"});
  CHECK(bad.rc == 2);
  CHECK(bad.err == "dlscale: sweep: --servers: one K expected; 'dlscale optimal' compares a "
                   "list\n");
}

// What a command line says about the scenario wins over files, and a scenario given only by
// numbers is labelled as such (the "defects met on the way" of the real-clusters issue).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "run_cli.hpp"

using dlscale::test::run_cli;

TEST_CASE("--t-comm wins over the profile's link fit for every scheme") {
  // The committed profile has a [link tcp] fit; with --t-comm 100 s the ring must use it too:
  // t_iter = t_g + 2 (N-1)/N t_c = t_g + 100 at N = 2, as the central server's worst case
  // grows by the same t_comm. Before, the ring kept the link fit and printed a speedup ~ 2.
  const auto r = run_cli({"sweep", "--profile", "data/profiles/dev-vm-cpu-loopback.profile",
                          "--network", "SqueezeNet", "--t-comm", "100", "--scheme", "ring",
                          "--mode", "sync-join", "--workers", "2:2", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("ring: no link model; alpha = 0, bytes/beta = t_comm") != std::string::npos);
  CHECK(r.out.find("ring: link alpha") == std::string::npos);
}

TEST_CASE("--workers takes a list as well as a range") {
  auto r = run_cli({"sweep", "--network", "SqueezeNet", "--scheme", "ring", "--mode", "sync-join",
                    "--workers", "64,8,16,32"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("N=8    N=16    N=32    N=64\n") != std::string::npos);
  r = run_cli({"sweep", "--network", "SqueezeNet", "--workers", "8,8"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: workers '8,8': 8 is listed twice; distinct counts expected\n");
  r = run_cli({"sweep", "--network", "SqueezeNet", "--workers", "8,,9"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: workers: list: '' is not an integer; an integer in [1, 1000000] "
                 "expected\n");
}

TEST_CASE("--t-grad and --t-comm without --network are one scenario, labelled by the times") {
  // Before, the embedded profile's four networks each printed these same numbers under their
  // own names.
  const auto r = run_cli({"sweep", "--t-grad", "0.758", "--t-comm", "0.033", "--scheme", "ring",
                          "--mode", "sync-join", "--workers", "1:2", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("SqueezeNet") == std::string::npos);
  CHECK(r.out.find("\nt_grad=0.758s/t_comm=0.033s,ring,sync-join,1,") != std::string::npos);
  CHECK(r.out.find("\nt_grad=0.758s/t_comm=0.033s,ring,sync-join,2,") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 4);  // version, header, two rows
}

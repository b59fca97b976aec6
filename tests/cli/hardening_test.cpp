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

namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

// Defect 10: finite but extreme inputs passed validation and printed NaN or inf with exit 0
// (or an "event scheduled at -nan s" invariant). Times, rates and jitter are now bounded where
// they are read, with the range in the message.
TEST_CASE("extreme times, rates and jitter are refused where they are read") {
  const auto topo = write_file("dlscale_denormal.topo", "switch sw\nhosts h 4 sw capacity=1e-320B/s\n");
  auto r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "central,ring,sharded",
                    "--mode", "sync-join", "--workers", "2:2", "--topology", topo.string()});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: " + topo.string() + ":2: capacity: '1e-320B/s' is not valid; "
                          "a rate from 1 B/s to 1e15 B/s"));
  std::filesystem::remove(topo);
  for (const char* jitter : {"normal", "lognormal"}) {
    r = run_cli({"simulate", "--network", "SqueezeNet", "--workers", "4:4", "--iterations", "3",
                 "--scheme", "ring", "--mode", "sync-join", "--jitter", jitter, "--cv", "1e200"});
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: simulate: --cv: 1e+200; a number in [0, 10] expected\n");
  }
  r = run_cli({"sweep", "--t-grad", "1.7976931348623157e308", "--t-comm", "1", "--workers", "1:4"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: sweep: --t-grad: '1.7976931348623157e308' is not valid; a number in "
                 "[1e-09, 1e+09] s expected\n");
  r = run_cli({"optimal", "--t-grad", "1", "--t-comm", "5e-324", "--workers", "1:64"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: optimal: --t-comm: '5e-324' is not valid; a number in [1e-09, 1e+09] "
                 "s expected\n");
  // The extremes that are accepted still give finite numbers: 1e9 s of compute, 1 ns of
  // communication, 2^40 batches.
  r = run_cli({"sweep", "--t-grad", "1e9", "--t-comm", "1e-9", "--batches", "1099511627776",
               "--workers", "1:4", "--format", "csv"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("nan") == std::string::npos);
  CHECK(r.out.find("inf") == std::string::npos);
}

// Defect 11: a profile's `param` lines and section names were blamed on the network file.
TEST_CASE("a bad network name or param in a profile names the profile") {
  const auto profile = write_file("dlscale_param.profile",
                                  "format_version 1\nname p\n[network SqueezeNet]\nparam clases 3\n"
                                  "t_grad_s 1\nt_comm_s 0.1\n");
  auto r = run_cli({"sweep", "--profile", profile.string(), "--workers", "2:2"});
  CHECK(r.rc == 2);
  // (then the network file, embedded or from DLSCALE_DATA_DIR, and the network's message)
  CHECK(r.err.starts_with("dlscale: " + profile.string() + ":3: [network SqueezeNet]: "));
  CHECK(r.err.ends_with("squeezenet.net: param override 'clases=3': not a param of SqueezeNet; "
                        "one of classes, input\n"));
  const auto unknown = write_file("dlscale_unknown.profile",
                                  "format_version 1\nname p\n[network NoSuchNet]\nt_grad_s 1\n"
                                  "t_comm_s 0.1\n");
  r = run_cli({"sweep", "--profile", unknown.string(), "--workers", "2:2"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: " + unknown.string() + ":3: [network NoSuchNet]: network "
                          "'NoSuchNet': neither a file nor a known network"));
  std::filesystem::remove(profile);
  std::filesystem::remove(unknown);
}

// Defect 5: `simulate --workers 1:100000` started 1.7 million runs and reached 7.1 GB in a
// minute. The request is now sized before the first run and refused with its size.
TEST_CASE("a simulation too large for the budget is refused before it starts") {
  auto r = run_cli({"simulate", "--network", "SqueezeNet", "--workers", "1:100000"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: simulate: "));
  CHECK(r.err.find("fewer workers") != std::string::npos);
  CHECK(r.out.empty());
  // 1e9 batches asynchronously: 2e9 transfers; --iterations 3 makes it 3 batches per worker.
  r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode", "async",
               "--workers", "8:8", "--batches", "1000000000"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: central async N=8: about 2e+09 transfers to simulate; at "
                 "most 1e+08 (--max-flows; a few million take a second); fewer workers, "
                 "--iterations K, or a larger --max-flows expected\n");
  r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode", "async",
               "--workers", "8:8", "--batches", "1000000000", "--iterations", "3"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("24 of 1000000000 batches simulated") != std::string::npos);
}

// Defect 5: durations were kept one per iteration (O(iterations) memory). Past 2^16 they are
// sampled; without jitter every iteration of one worker takes 0.824 s, so the sampled
// percentiles are still exact: 200,000 iterations of 2 transfers. (This one passed on the
// old code too: it checks that the bounded path gives the same answer.)
TEST_CASE("percentiles of more iterations than are kept") {
  const auto r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode",
                          "sync-join", "--workers", "1:1", "--batches", "200000", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find(",0.824,0.824,0.824,") != std::string::npos);
}

// Defect 5: a timeline keeps every span; ring at N = 1024 is 2 N (N-1) = 2.1e6 transfers.
TEST_CASE("a timeline too large to look at is refused") {
  const auto r = run_cli({"simulate", "--network", "SqueezeNet", "--scheme", "ring", "--mode",
                          "sync-join", "--workers", "1024:1024", "--trace", "/tmp/unused.json"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: ring sync-join N=1024: --trace: about 2.1e+06 transfers; a "
                 "timeline of at most 1e+06 expected (fewer workers or --iterations K)\n");
}

// Found by the fuzz harness: stray words were dropped, so `--workers 8 16` ran on 1..8 with
// exit 0. Every subcommand without positional arguments now refuses them.
TEST_CASE("a stray argument is refused") {
  for (const char* sub : {"predict", "sweep", "optimal", "simulate", "plot"}) {
    CAPTURE(sub);
    const auto r = run_cli({sub, "--workers", "8", "16"});
    CHECK(r.rc == 2);
    CHECK(r.err == std::string("dlscale: ") + sub + ": unexpected argument '16'; options start "
                   "with -- (see 'dlscale " + sub + " --help')\n");
  }
}

// Found by the fuzz harness: Boost.Program_options fills its messages by replacing
// placeholders until none is left, so an argument holding "%canonical_option%" made an error
// message loop forever (the command hung).
TEST_CASE("an argument holding an option-parser placeholder is refused, not hung on") {
  auto r = run_cli({"simulate", "--n%canonical_option%etwork", "ResNet69", "--work"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: argument '--n%canonical_option%etwork' holds a %word% "
                 "placeholder, which the option parser cannot report on; remove it\n");
  r = run_cli({"sweep", "--workers=4%value%"});
  CHECK(r.rc == 2);
  // A lone % is an ordinary character.
  r = run_cli({"sweep", "--network", "SqueezeNet", "--workers", "4", "--csv", "/nonexistent/5%.csv"});
  CHECK(r.err == "dlscale: sweep: --csv: cannot open '/nonexistent/5%.csv' for writing\n");
}

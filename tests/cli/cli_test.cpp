// The dlscale CLI in-process through cli::run: outputs, exit codes and exact messages.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "run_cli.hpp"

namespace {

using Result = dlscale::test::CliResult;
Result run(std::vector<std::string> args) { return dlscale::test::run_cli(std::move(args)); }

std::vector<double> split_doubles(const std::string& line) {
  std::vector<double> v;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ';');) v.push_back(std::stod(cell));
  return v;
}

}  // namespace

TEST_CASE("help everywhere") {
  const auto top = run({"--help"});
  CHECK(top.rc == 0);
  CHECK(top.out.find("predict") != std::string::npos);
  for (const char* sub : {"predict", "sweep", "optimal", "networks", "plot", "simulate", "report"}) {
    CAPTURE(sub);
    const auto r = run({sub, "--help"});
    CHECK(r.rc == 0);
    CHECK(r.out.starts_with(std::string("usage: dlscale ") + sub));
  }
}

TEST_CASE("estimate.py example: SqueezeNet, sync-split, central server") {
  // t_g = 0.758, t_c = 0.033. Split: I = D and each worker computes t_g/N; central server
  // mean (4.11): t_iter = ((N+1) t_c + 2N t_c)/2 + t_g/N; S = D t_g / (D t_iter).
  //   N = 1: t_iter = (0.066 + 0.066)/2 + 0.758 = 0.824;        S = 0.758/0.824  = 0.919903
  //   N = 8: t_iter = (0.297 + 0.528)/2 + 0.09475 = 0.50725;    S = 0.758/0.50725 = 1.494332
  const auto r = run({"predict", "--t-grad", "0.758", "--t-comm", "0.033", "--type",
                      "sync-split", "--server", "central", "--workers", "8", "--batches", "128",
                      "--output", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  const auto s = split_doubles(r.out);
  REQUIRE(s.size() == 8);
  CHECK(s[0] == doctest::Approx(0.758 / 0.824).epsilon(1e-12));
  CHECK(s[7] == doctest::Approx(0.758 / 0.50725).epsilon(1e-12));
  // Fastest at N = 4 (MODELS.md finding): t_iter = (0.165 + 0.264)/2 + 0.1895 = 0.404.
  CHECK(s[3] == doctest::Approx(0.758 / 0.404).epsilon(1e-12));
  CHECK(std::max_element(s.begin(), s.end()) - s.begin() == 3);

  const auto single = run({"predict", "--t-grad", "0.758", "--t-comm", "0.033", "--type",
                           "sync-split", "--workers", "8", "--output", "single"});
  CHECK(single.rc == 0);
  CHECK(std::stod(single.out) == doctest::Approx(0.758 / 0.50725).epsilon(1e-12));
}

TEST_CASE("distributed server, sync-join: exact at N = 1") {
  // 4.12: t_iter = 2 t_c (N-1)/N + t_g = t_g at N = 1, so S = 1 exactly; Python prints 1.0.
  const auto r = run({"predict", "--t-grad", "0.5", "--t-comm", "0.1", "--server",
                      "distributed", "--workers", "1"});
  CHECK(r.rc == 0);
  CHECK(r.out == "1.0\n");
}

TEST_CASE("bad input: exit 2 and an exact message") {
  const std::vector<std::string> base{"predict", "--t-comm", "0.1", "--workers", "2", "--t-grad"};
  for (const std::string bad : {"-1", "0", "nan", "inf", "abc"}) {
    CAPTURE(bad);
    auto args = base;
    args.push_back(bad);
    const auto r = run(args);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: predict: --t-grad: '" + bad + "' is not valid; a number in [1e-09, 1e+09] s expected\n");
    CHECK(r.out.empty());
  }
  auto r = run({"frobnicate"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: unknown subcommand 'frobnicate'; expected one of predict, sweep, "
                 "optimal, networks, plot, simulate, report, validate\n");
  r = run({});
  CHECK(r.rc == 2);
  r = run({"sweep", "--frob"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: sweep: unrecognised option '--frob'; see 'dlscale sweep --help'\n");
  r = run({"predict", "--t-grad", "1", "--t-comm", "1", "--workers", "0"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: predict: --workers: 0 is out of range; an integer in [1, 1000000] expected\n");
  r = run({"predict", "--t-grad", "1", "--t-comm", "1", "--workers", "eight"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: predict: --workers: 'eight' is not an integer; an integer in [1, 1000000] expected\n");
  r = run({"predict", "--t-grad", "1", "--workers", "2"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: predict: --t-grad and --t-comm are both required"));
  for (const char* range : {"8:2", "0", "x", "0:4"}) {
    CAPTURE(range);
    r = run({"sweep", "--network", "SqueezeNet", "--workers", range});
    CHECK(r.rc == 2);
    CHECK(r.err.starts_with("dlscale: "));
  }
  r = run({"sweep", "--network", "NoSuchNet"});
  CHECK(r.rc == 2);
  CHECK(r.err.find("NoSuchNet") != std::string::npos);
  r = run({"sweep", "--type", "async"});
  CHECK(r.rc == 2);
}

TEST_CASE("missing and truncated profiles") {
  auto r = run({"sweep", "--profile", "/nonexistent/p.profile"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: /nonexistent/p.profile: cannot read"));
  const auto path = std::filesystem::temp_directory_path() / "dlscale_cli_test_trunc.profile";
  { std::ofstream(path) << "format_version 1\nname t\n[network SqueezeNet]\n"; }
  r = run({"sweep", "--profile", path.string()});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + path.string() + ":3: t_grad_s: network 'SqueezeNet' (line 3) "
                 "has no t_grad_s; at least one expected\n");
  std::filesystem::remove(path);
}

TEST_CASE("sweep CSV: version line, header with units, one row per (scheme, mode, N)") {
  const auto r = run({"sweep", "--network", "SqueezeNet", "--scheme", "central",
                      "--mode", "sync-join,async", "--workers", "1:8", "--format", "csv"});
  REQUIRE(r.rc == 0);
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  CHECK(line == "# format_version 1");
  std::getline(in, line);
  CHECK(line == "network,scheme,mode,workers,iterations,t_iter_s,t_train_s,speedup,efficiency,"
                "t_train_best_s,t_train_worst_s,speedup_best,speedup_worst,notes");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  CHECK(rows == 2 * 8);  // 1 scheme x 2 modes x 8 worker counts
}

TEST_CASE("bad network files: exit 2 with file, line and field") {
  // One case per class of the issue; the parser's own tests check every message in full.
  const auto dir = std::filesystem::temp_directory_path() / "dlscale_cli_test_nets";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const std::string head = "name T\ninput data 3 8 8\n";
  const std::pair<std::string, std::string> cases[] = {
      {write("unknown.net", head + "conv c1 4 k=3 p=1\nfrob x 3\n"),
       ":4: layer 'x': unknown type 'frob'; one of input, conv,"},
      {write("shape.net", head + "conv a 4 k=3 p=1\nconv b 8 k=3 p=1 from=data\nadd s from=a,b\n"),
       ":5: layer 's': add of different shapes: 'a' is 4x8x8, 'b' is 8x8x8; equal shapes expected"},
      {write("cycle.net", head + "conv a 3 k=3 p=1 from=c\nconv b 3 k=3 p=1\nadd c from=b,data\n"),
       ":5: layer 'c': inputs form a cycle c -> a -> b -> c"},
      {write("truncated.net", "name T\n"), ": no layers; at least an 'input' layer expected"},
      {write("huge.net", "name T\n" + std::string(100'000'000, '#') + "\n"),
       ": file is 100000008 bytes; at most 16777216 expected"},
      {(dir / "missing.net").string(), ": cannot read"},
  };
  for (const auto& [path, message] : cases) {
    CAPTURE(path);
    for (const auto& args : {std::vector<std::string>{"networks", path},
                             {"predict", "--network", path, "--t-grad", "1", "--t-comm", "1",
                              "--workers", "2"}}) {
      const auto r = run(args);
      CHECK(r.rc == 2);
      CHECK(r.err.starts_with("dlscale: " + path + message));
      CHECK(r.out.empty());
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("plot renders a PNG with gnuplot") {
  const auto png = std::filesystem::temp_directory_path() / "dlscale_cli_test_plot.png";
  std::filesystem::remove(png);
  const auto r = run({"plot", "--network", "SqueezeNet", "--scheme", "central", "--out", png.string()});
  if (r.rc == 2 && r.err.find("gnuplot") != std::string::npos) return;  // gnuplot-nox absent
  REQUIRE(r.rc == 0);
  std::ifstream in(png, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  CHECK(std::string(magic + 1, 3) == "PNG");
  std::filesystem::remove(png);
}

TEST_CASE("plot: a bad --panels and a network given twice are bad input") {
  auto r = run({"plot", "--network", "SqueezeNet", "--panels", "modes", "--out", "x.png"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: --panels 'modes': unknown grouping; mode, scheme or network expected\n");
  r = run({"sweep", "--network", "SqueezeNet", "--network", "GoogLeNet", "--network", "SqueezeNet"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: --network 'SqueezeNet': given twice; each network once expected\n");
}

TEST_CASE("hierarchical all-reduce: the nodes come from the command line") {
  const std::vector<std::string> base{"sweep", "--network", "GoogLeNet", "--scheme",
                                      "hierarchical", "--mode", "sync-join", "--workers", "8"};
  auto args = base;
  auto r = run(args);
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: scenario 'GoogLeNet': scheme 'hierarchical' needs the nodes described: "
                 "workers per node and the links (--gpus-per-node G --intra RATE, and --nic "
                 "RATE)\n");
  args.insert(args.end(), {"--workers-per-node", "4"});
  r = run(args);
  CHECK(r.rc == 0);  // without --intra the intra-node link is not a bottleneck
  CHECK(r.out.find("intra beta = inf B/s") != std::string::npos);
  for (const std::string bad : {"0", "-1e9", "nan", "inf"}) {
    CAPTURE(bad);
    auto a = args;
    a.insert(a.end(), {"--intra-bandwidth", bad});
    r = run(a);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: sweep: --intra-bandwidth: '" + bad + "' is not valid; a number in "
                   "[1, 1e+15] B/s expected\n");
  }
  auto ok = args;
  ok.insert(ok.end(), {"--intra-bandwidth", "10e9", "--format", "csv"});
  r = run(ok);
  CHECK(r.rc == 0);
  CHECK(r.out.find("GoogLeNet,hierarchical,sync-join,8,") != std::string::npos);
  ok.insert(ok.end(), {"--intra-latency", "-1"});
  r = run(ok);
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: sweep: --intra-latency: '-1' is not valid; a number in [0, 1e+09] s "
                 "expected\n");
}

TEST_CASE("simulate: the closed forms beside the simulation, reproducibly") {
  // FIFO at N = 4, SqueezeNet sync-join: the simulation is the central best case, S = 3.285
  // ((4+1) 0.033 + 0.758 = 0.923 per iteration, 32 iterations: 0.758*128 / (32*0.923)).
  auto r = run({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode",
                "sync-join", "--workers", "4:4", "--policy", "fifo"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("SqueezeNet   central            sync-join      4     3.285     3.118     "
                   "2.967     3.285") != std::string::npos);
  // Same seed, same file, bit for bit; jitter and stragglers on.
  const auto dir = std::filesystem::temp_directory_path();
  const auto a = (dir / "dlscale_sim_a.csv").string(), b = (dir / "dlscale_sim_b.csv").string();
  const std::vector<std::string> base{"simulate", "--network", "GoogLeNet", "--workers", "1:6",
                                      "--jitter", "lognormal", "--cv", "0.2", "--stragglers",
                                      "0.2:3", "--seed", "7", "--csv"};
  auto args = base;
  args.push_back(a);
  REQUIRE(run(args).rc == 0);
  args.back() = b;
  REQUIRE(run(args).rc == 0);
  const auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(a).size() > 1000);
  CHECK(slurp(a) == slurp(b));
  std::filesystem::remove(a);
  std::filesystem::remove(b);
  // Bad input: exit 2 and the exact message.
  r = run({"simulate", "--seed", "abc"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: --seed: 'abc' is not an integer; an integer in [0, "
                 "9223372036854775807] expected\n");
  r = run({"simulate", "--iterations", "0"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: --iterations: 0 is out of range; an integer in [1, "
                 "9223372036854775807] expected\n");
  r = run({"simulate", "--policy", "lifo"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: --policy: 'lifo' is not valid; fair or fifo expected\n");
  r = run({"simulate", "--stragglers", "2"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: --stragglers: '2' is not valid; FRACTION:FACTOR expected, "
                 "e.g. 0.1:2\n");
  r = run({"simulate", "--stragglers", "0.5:0.5", "--network", "SqueezeNet"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: straggler factor = 0.5; a number in [1, 1e6] expected\n");
  r = run({"simulate", "--network", "SqueezeNet", "--scheme", "tree"});
  CHECK(r.rc == 2);
  CHECK(r.err.starts_with("dlscale: simulate: scheme 'tree' is not simulated yet"));
}

TEST_CASE("simulate --trace: one run's timeline as Chrome trace JSON") {
  // 3 workers, D = 6 batches: 2 iterations, each worker downloads, computes, uploads:
  // 2 x 3 x 3 = 18 spans, plus 4 track names (3 workers and the server).
  const auto path = (std::filesystem::temp_directory_path() / "dlscale_trace.json").string();
  auto r = run({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode",
                "sync-join", "--workers", "3:3", "--batches", "6", "--trace", path});
  REQUIRE(r.rc == 0);
  std::ifstream in(path);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  CHECK(text.starts_with("{\"displayTimeUnit\": \"ms\""));
  CHECK(std::count(text.begin(), text.end(), '\n') == 1 + 4 + 18 + 1);
  CHECK(text.find("\"name\": \"compute\", \"cat\": \"compute\", \"pid\": 1, \"tid\": 0, "
                  "\"ts\": 99000.000, \"dur\": 758000.000") != std::string::npos);
  std::filesystem::remove(path);
  r = run({"simulate", "--network", "SqueezeNet", "--trace", path});
  CHECK(r.rc == 2);
  // 1 network x 7 schemes x 3 modes x 8 worker counts asked for
  CHECK(r.err.starts_with("dlscale: simulate: --trace: 168 runs selected; one expected"));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("simulate --topology: by name or file; bad files exit 2 with the exact message") {
  // fat-server: 16 workers at 1x, the server's port at 4x. Central, fair, N = 4: the four
  // downloads share the 4x port, C each, so each ends at t_c, and so do the uploads:
  // t_iter = 2 t_c + t_g = 2 x 0.033 + 0.758 = 0.824 s for SqueezeNet.
  auto r = run({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--mode",
                "sync-join", "--workers", "4:4", "--topology", "fat-server"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find(" 0.824s       0.824s") != std::string::npos);
  // One run: its busiest links follow the table; the server's port carries 4 B per 0.824 s
  // at 4 B / t_c: 0.033 / 0.824 = 4.0 %.
  CHECK(r.out.find("busiest links of 34") != std::string::npos);
  CHECK(r.out.find("  ps->sw                          4.0%") != std::string::npos);
  CHECK(r.err.empty());  // a short run shows no progress

  const auto dir = std::filesystem::temp_directory_path();
  const auto file = (dir / "dlscale_cycle.topo").string();
  {
    std::ofstream f(file);
    f << "host a\nhost b\nhost c\nlink a b capacity=1x\nlink b c capacity=1x\n"
         "route b c via a\nroute a c via b\n";
  }
  r = run({"simulate", "--network", "SqueezeNet", "--topology", file});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + file + ":7: route: routing cycle toward 'c': a -> b -> a; routes "
                 "must reach their destination\n");
  {
    std::ofstream f(file);
    f << "host a\nhost b\nlink a b capacity=1x\n";
  }
  r = run({"simulate", "--network", "SqueezeNet", "--scheme", "central", "--workers", "2:2",
           "--topology", file});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + file + ": 2 hosts, 3 needed (2 workers and the central server); "
                 "fewer workers or more hosts expected\n");
  std::filesystem::remove(file);
  r = run({"simulate", "--topology", "three-racks"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: simulate: --topology: 'three-racks' is neither a file nor a topology "
                 "of data/topologies; a path or one of fat-server, two-racks expected\n");
}

TEST_CASE("simulate: an asynchronous run shows its staleness histogram") {
  auto r = run({"simulate", "--network", "GoogLeNet", "--scheme", "central", "--mode", "async",
                "--workers", "1:1", "--links", "0"});
  REQUIRE(r.rc == 0);
  // One worker: no update lands between its read and its write, all 128 have staleness 0.
  CHECK(r.out.find("mean 0, max 0\n       0      128  ####") != std::string::npos);
  CHECK(r.out.find("busiest links") == std::string::npos);
}

TEST_CASE("a network the profile never ran: t_grad from its [rates], and the note says so") {
  // MNIST-MLP at batch 2 with fc 1e9 MAC/s, relu 1e8 and softmax 1e7 elements/s:
  //   fc: 3 x (100352 + 8192 + 2048 + 320) MACs x 2 = 665,472 -> 6.65472e-4 s
  //   relu: (128 + 64 + 32) x 2 = 448 elements -> 4.48e-6 s; softmax: 10 x 2 = 20 -> 2e-6 s
  //   t_grad = 6.71952e-4 s. t_comm from the link: 1e-4 + 444,584 B / 4.44584e8 B/s = 1.1e-3 s.
  const auto path = (std::filesystem::temp_directory_path() / "dlscale_rates.profile").string();
  {
    std::ofstream f(path);
    f << "format_version 1\nname rated\n[rates]\nbatch_size 2\nfc 1e9\nrelu 1e8\nsoftmax 1e7\n"
         "[network CIFAR10-CNN]\nt_grad_s 0.07\nt_comm_s 0.001\n"
         "[link tcp]\nalpha_s 1e-4\nbeta_Bps 4.44584e8\n";
  }
  auto r = run({"predict", "--profile", path, "--network", "MNIST-MLP", "--scheme", "central",
                "--mode", "sync-join", "--workers", "1", "--output", "csv"});
  REQUIRE(r.rc == 0);
  // N = 1, central: t_iter = 2 t_c + t_g, so S = t_g / (2 t_c + t_g) = 6.71952e-4 / 2.871952e-3.
  CHECK(split_doubles(r.out)[0] == doctest::Approx(6.71952e-4 / 2.871952e-3).epsilon(1e-9));
  r = run({"predict", "--profile", path, "--network", "MNIST-MLP", "--workers", "1"});
  CHECK(r.out.find("note: t_grad 0.000671952 s estimated from the per-class rates of profile "
                   "rated at batch 2 (not measured)") != std::string::npos);
  // CIFAR10-CNN has conv layers, for which the profile has no rate; it is measured, so fine.
  CHECK(run({"predict", "--profile", path, "--network", "CIFAR10-CNN", "--workers", "2"}).rc == 0);
  r = run({"predict", "--profile", path, "--network", "SqueezeNet", "--workers", "2"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + path + ": network 'SqueezeNet' is not in the profile and its conv, "
                 "maxpool, concat, dropout, gavgpool layers have no rate in [rates]; give "
                 "--t-grad, or calibrate a network with them\n");
  std::filesystem::remove(path);
}

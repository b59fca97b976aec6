// `dlscale validate`: measured rows scored against the closed forms and the simulator, and every
// class of bad measured-runs CSV refused with its file, line and column (exit 2).
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <fmt/format.h>

#include "run_cli.hpp"

using dlscale::test::run_cli;

namespace {

const std::string header =
    "system,algorithm,network,bytes,workers,workers_per_host,link_rate_Bps,latency_s,t_grad_s,"
    "t_grad_how,scheme,mode,bucket_bytes,t_iter_p50_s,t_iter_p90_s,speedup,repeats\n";

// A file of its own per call, removed with the object.
struct TempCsv {
  std::string path;
  explicit TempCsv(const std::string& text) {
    path = (std::filesystem::temp_directory_path() /
            fmt::format("dlscale-validate-{}-{}.csv", ::getpid(), count++))
               .string();
    std::ofstream(path) << text;
  }
  ~TempCsv() { std::filesystem::remove(path); }
  static inline int count = 0;
};

// The ring row used below: N = 4, W = 1e6 B, B = 1e8 B/s, a = 1e-4 s, t_g = 0.1 s.
// MODELS.md ring: t_iter = t_g + 2 (N-1) (a + W / (N B)) = 0.1 + 6 (1e-4 + 1e6 / 4e8)
//               = 0.1 + 6 x 0.0026 = 0.1156 s.
std::string ring_row(const std::string& p50, const std::string& p90) {
  return fmt::format("openmpi,ring,,1000000,4,1,1e8,1e-4,0.1,sleep,ring,sync-join,,{},{},,10\n",
                     p50, p90);
}

dlscale::test::CliResult validate(const std::string& text, std::vector<std::string> extra = {}) {
  TempCsv f(text);
  std::vector<std::string> args = {"validate", "--measured", f.path};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_cli(args);
  // Messages name the temporary file; tests compare them with FILE in its place.
  for (auto at = r.err.find(f.path); at != std::string::npos; at = r.err.find(f.path))
    r.err.replace(at, f.path.size(), "FILE");
  return r;
}

}  // namespace

TEST_CASE("a row measured exactly as the ring formula predicts has no error") {
  const auto r = validate(header + ring_row("0.1156", "0.12"), {"--format", "csv"});
  REQUIRE(r.rc == 0);
  // closed form 0.1156 s, error 0; the simulator is the formula's twin without jitter.
  CHECK(r.out.find(",0.1156,0.1156,0.1156,0.1156,0.0000,") != std::string::npos);
  CHECK(r.out.find("\"closed form\",1,0.0000,0.0000,0.0000,0.0000,1\n") != std::string::npos);
  CHECK(r.out.find("\"simulator\",1,0.0000,0.0000,0.0000,0.0000,1\n") != std::string::npos);
}

TEST_CASE("errors, bias and the interval count of two rows") {
  // Measured 0.1156 x 1.25 = 0.1445 s: predicted 0.1156 is 100 (0.1156 - 0.1445) / 0.1445 = -20 %.
  // Measured 0.1156 / 1.25 = 0.09248 s: +25 %. Median (nearest rank of {20, 25}) 20, p90 25,
  // max 25, bias (-20 + 25) / 2 = +2.5 %; neither inside the exact ring's interval, which
  // jitter widens only by a few percent (cv 0.05 on t_g = 0.1 s).
  const auto r = validate(header + ring_row("0.1445", "0.15") + ring_row("0.09248", "0.1"),
                          {"--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("\"closed form\",2,20.0000,25.0000,25.0000,2.5000,0\n") != std::string::npos);
  CHECK(r.out.find("\"simulator\",2,20.0000,25.0000,25.0000,2.5000,0\n") != std::string::npos);
}

TEST_CASE("the central server's interval spans best..worst and the table says where it comes from") {
  // Central, N = 2, W = 1e6 B over B = 1e6 B/s: t_c = a + W/B = 1 s (a = 0), t_g = 1 s.
  // Best (4.4-4.6): (N+1) t_c + t_g = 4 s; worst (4.7-4.9): 2 N t_c + t_g = 5 s; estimate 4.5.
  // Measured 4.2 s lies inside [4, 5]; closed-form error 100 (4.5 - 4.2) / 4.2 = +7.1429 %.
  // The simulator's fair sharing is the worst case, 5 s: 100 (5 - 4.2) / 4.2 = +19.0476 %.
  const std::string row = "dlscale-ps,,,1000000,2,1,1e6,0,1,sleep,central,sync-join,,4.2,4.3,,5\n";
  auto r = validate(header + row, {"--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("2,\"dlscale-ps\",\"\",\"\",1000000,2,1,central,sync-join,4.2,4.5,4,5,7.1429,5,"
                   "19.0476,4,5,1,") != std::string::npos);
  r = validate(header + row);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("4..5 yes") != std::string::npos);
  CHECK(r.out.find("interval: the closed form's best..worst bounds") != std::string::npos);
}

TEST_CASE("a bare collective (t_grad 0) and a network row are predicted; tree is closed form only") {
  const auto r = validate(header +
                          "openmpi,binomial,,4096,4,1,1e8,5e-5,0,none,tree,sync-join,,0.0005,0.0006,,100\n"
                          "pytorch-ddp-gloo,,MNIST-MLP,,2,1,1e8,5e-5,0.01,sleep,ring,sync-join,1048576,0.02,0.021,,20\n");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("tree sync-join: not simulated (closed form only)") != std::string::npos);
  CHECK(r.out.find("bare collective: t_grad 1 ns") != std::string::npos);
  // The row's bucket becomes the scenario's overlap (DDP's buckets, readiness from the layers).
  CHECK(r.out.find("bucket 1048576 B: overlapped as --overlap buckets:1048576B/1048576B") !=
        std::string::npos);
  CHECK(r.out.find("444584") != std::string::npos);  // MNIST-MLP's fp32 bytes (README)
}

TEST_CASE("bad measured-runs CSVs exit 2 naming the file, line and column") {
  SUBCASE("a missing column") {
    std::string h = header;
    h.replace(h.find("latency_s,"), 10, "");
    const auto r = validate(h + "x\n");
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:1: column latency_s is missing; every column of "
                   "docs/measured-runs.md expected\n");
  }
  SUBCASE("an unknown column") {
    const auto r = validate("colour," + header);
    CHECK(r.rc == 2);
    CHECK(r.err.find("dlscale: FILE:1: column 'colour' is unknown;") == 0);
    CHECK(r.err.find(",speedup,repeats (and optionally profile)\n") != std::string::npos);
  }
  SUBCASE("an unknown scheme") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",ring,sync"), 5, ",bogus");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err.find("dlscale: FILE:2: column scheme: scheme 'bogus': unknown; one of central,") == 0);
  }
  SUBCASE("a negative time") {
    const auto r = validate(header + ring_row("-0.1", "0.12"));
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column t_iter_p50_s: '-0.1' is not valid; a number in "
                   "[1e-09, 1e+09] s expected\n");
  }
  SUBCASE("a negative t_grad") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",0.1,sleep"), 4, ",-1");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column t_grad_s: '-1' is not valid; a number in [0, 1e+09] "
                   "s expected\n");
  }
  SUBCASE("a non-number") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",4,1,"), 3, ",four,");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column workers: 'four' is not an integer; an integer in "
                   "[1, 1000000] expected\n");
  }
  SUBCASE("a rate that is not a finite number") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",1e8,"), 5, ",nan,");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column link_rate_Bps: 'nan' is not valid; a number in "
                   "[1, 1e+15] B/s expected\n");
  }
  SUBCASE("a p90 below the p50") {
    const auto r = validate(header + ring_row("0.2", "0.1"));
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column t_iter_p90_s: 0.1 is below t_iter_p50_s 0.2; a p90 "
                   ">= the p50 expected\n");
  }
  SUBCASE("a row with too few cells") {
    const auto r = validate(header + "openmpi,ring\n");
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: 2 cells; 17 expected, one per column of the header\n");
  }
  SUBCASE("neither bytes nor a network") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",1000000,"), 9, ",,");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column bytes: empty, and so is column network; the bytes "
                   "exchanged or a network expected\n");
  }
  SUBCASE("an empty required value") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find(",10\n"), 4, ",\n");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column repeats: empty; a value expected\n");
  }
  SUBCASE("t_grad_how that contradicts t_grad") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find("sleep"), 5, "none");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE:2: column t_grad_how: 'none' with t_grad_s 0.1; none exactly "
                   "when t_grad_s is 0 expected\n");
  }
  SUBCASE("a header and no rows") {
    const auto r = validate(header);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: FILE: no measured rows; a header and at least one row expected\n");
  }
  SUBCASE("an all-reduce scheme asked to run asynchronously") {
    auto row = ring_row("0.1156", "0.12");
    row.replace(row.find("sync-join"), 9, "async");
    const auto r = validate(header + row);
    CHECK(r.rc == 2);
    CHECK(r.err.find("dlscale: measured row at line 2: ") == 0);
  }
}

TEST_CASE("validate's own options are checked") {
  CHECK(run_cli({"validate"}).err == "dlscale: validate: --measured: missing; a measured-runs CSV "
                                     "expected\n");
  const auto r = validate(header + ring_row("0.1156", "0.12"), {"--format", "xml"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: validate: --format: 'xml' is not valid; table, csv or json expected\n");
  CHECK(run_cli({"validate", "--measured", "/nonexistent/runs.csv"}).rc == 2);
}

TEST_CASE("--profile: its link replaces the rows' and its fit residual widens the interval") {
  // The row says 1e6 B/s and 0.5 s; the profile's link (alpha 1e-4 s, beta 1e8 B/s) replaces
  // them, so the ring row is the 0.1156 s one above. Residual 0.1: every transfer 10 % faster
  // and slower gives 0.1 + 0.9 x 0.0156 = 0.11404 s and 0.1 + 1.1 x 0.0156 = 0.11716 s
  // (no jitter runs, so nothing else widens it).
  TempCsv profile("format_version 1\nname testbed-check\nhardware emulated\nsource a test\n\n"
                  "[network MNIST-MLP]\nt_grad_s 0.001 origin=typed source=\"test\"\n\n"
                  "[link tcp]\nalpha_s 1e-4 origin=typed source=\"test\"\n"
                  "beta_Bps 1e8 origin=typed source=\"test\"\nmax_relative_residual 0.1\n");
  auto row = ring_row("0.1156", "0.12");
  row.replace(row.find(",1e8,1e-4,"), 10, ",1e6,0.5,");
  const auto r = validate(header + row, {"--profile", profile.path, "--jitter-runs", "0",
                                          "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find(",0.1156,0.0000,0.1156,0.0000,0.11404,0.11716,1,\"link from profile "
                   "testbed-check: alpha 0.0001 s, beta 1e+08 B/s; link spread -10.0 %..+10.0 %: "
                   "the largest fit residual of profile testbed-check\"") != std::string::npos);
}

namespace {
// A profile whose link is alpha 1e-4 s, beta 1e8 B/s (1e6 B: 1e-4 + 0.01 = 0.0101 s), with
// five raw transfers of 1e6 B: 0.00909 s (0.9 x the fit), three at the fit, 0.01212 s (1.2 x).
const std::string raw_transfers_profile =
    "format_version 1\nname raw\nhardware emulated\nsource a test\n\n"
    "[network MNIST-MLP]\nt_grad_s 0.001 origin=typed source=\"test\"\n\n[link tcp]\nalpha_s 1e-4 origin=fitted source=\"test\"\n"
    "beta_Bps 1e8 origin=fitted source=\"test\"\nmax_relative_residual 0.01\n"
    "transfer_s 0.00909 bytes=1000000\ntransfer_s 0.0101 bytes=1000000\n"
    "transfer_s 0.0101 bytes=1000000\ntransfer_s 0.0101 bytes=1000000\n"
    "transfer_s 0.01212 bytes=1000000\n";
}  // namespace

TEST_CASE("--profile: the spread of its raw transfers around the fit widens the interval") {
  // Ratios to the fit -0.1, 0, 0, 0, +0.2: by nearest rank p10 is the 1st (-10 %) and p90 the
  // 5th (+20 %), not the 1 % fit residual. The ring row's exchange of 0.0156 s: lo 0.1 + 0.9 x
  // 0.0156 = 0.11404 s, hi 0.1 + 1.2 x 0.0156 = 0.11872 s.
  TempCsv profile(raw_transfers_profile);
  const auto r = validate(header + ring_row("0.118", "0.12"),
                          {"--profile", profile.path, "--jitter-runs", "0", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find(",0.11404,0.11872,1,\"link from profile raw: alpha 0.0001 s, beta 1e+08 B/s; "
                   "link spread -10.0 %..+20.0 %: p10..p90 of 5 raw transfers of profile raw "
                   "against its fit\"") != std::string::npos);
}

TEST_CASE("a row's own profile column, relative to the CSV's folder, wins over --profile") {
  // Row 2 names the raw-transfers profile by its file name (the CSV sits in the same folder):
  // its link gives the 0.1156 s ring. Row 3 leaves the column empty and keeps its own
  // 1e8 B/s and 1e-4 s (no --profile): the same 0.1156 s, with no "link from profile" note.
  TempCsv profile(raw_transfers_profile);
  const auto name = std::filesystem::path(profile.path).filename().string();
  auto slow = ring_row("0.1156", "0.12");
  slow.replace(slow.find(",1e8,1e-4,"), 10, ",1e6,0.5,");
  slow.insert(slow.size() - 1, "," + name);
  auto own = ring_row("0.1156", "0.12");
  own.insert(own.size() - 1, ",");  // an empty profile cell
  const auto h = header.substr(0, header.size() - 1) + ",profile\n";
  const auto r = validate(h + slow + own, {"--jitter-runs", "0", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("\n2,\"openmpi\",\"ring\",\"\",1000000,4,1,ring,sync-join,0.1156,0.1156,") !=
        std::string::npos);
  CHECK(r.out.find("\"link from profile raw: alpha 0.0001 s") != std::string::npos);
  CHECK(r.out.find("3,\"openmpi\",\"ring\",\"\",1000000,4,1,ring,sync-join,0.1156,0.1156,0.1156,"
                   "0.1156,0.0000,0.1156,0.0000,0.1156,0.1156,1,\"\"") != std::string::npos);

  // A profile that is not there: exit 2 naming the row.
  auto missing = ring_row("0.1156", "0.12");
  missing.insert(missing.size() - 1, ",no-such.profile");
  const auto bad = validate(h + missing);
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("dlscale: measured row at line 2: ") == 0);
  CHECK(bad.err.find("no-such.profile") != std::string::npos);
}

TEST_CASE("--format json carries the rows, the predictors and the interval's source") {
  const auto r = validate(header + ring_row("0.1156", "0.12"), {"--format", "json", "--jitter-runs", "0"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("{\"rows\": [\n  {\"line\": 2, \"system\": \"openmpi\", \"algorithm\": \"ring\", "
                   "\"network\": \"\", \"bytes\": 1000000, \"workers\": 4, \"workers_per_host\": 1, "
                   "\"scheme\": \"ring\", \"mode\": \"sync-join\", \"measured_p50_s\": 0.1156, "
                   "\"closed_form_s\": 0.1156,") == 0);
  // The errors are 0 up to rounding (1e-14 %), printed with full precision in JSON.
  const std::string key = "{\"predictor\": \"closed form\", \"rows\": 1, \"median_abs_error_pct\": ";
  const auto closed = r.out.find(key);
  REQUIRE(closed != std::string::npos);
  CHECK(std::stod(r.out.substr(closed + key.size())) < 1e-9);
  CHECK(r.out.find("\"inside_interval\": 1}", closed) != std::string::npos);
  CHECK(r.out.find("], \"interval\": \"the closed form's best..worst bounds, the simulator without "
                   "jitter (fair, and FIFO for the central server)\"}\n") != std::string::npos);
}

TEST_CASE("--profile: the jitter runs take the spread of the profile's t_grad samples") {
  // Samples 0.9, 1.0, 1.1 ms at batch 32: mean 1.0, sample variance (0.01 + 0 + 0.01) / 2 =
  // 0.01 (in ms^2), standard deviation 0.1 ms: cv 0.1. A row of another network keeps 0.05.
  TempCsv profile("format_version 1\nname spread\nhardware emulated\nsource a test\n\n"
                  "[network MNIST-MLP]\nt_grad_s 0.001 batch=32 origin=measured source=\"test\"\n"
                  "grad_sample_s 0.0009 batch=32\ngrad_sample_s 0.001 batch=32\n"
                  "grad_sample_s 0.0011 batch=32\n\n"
                  "[link tcp]\nalpha_s 1e-4 origin=typed source=\"test\"\n"
                  "beta_Bps 1e8 origin=typed source=\"test\"\n");
  const auto r = validate(
      header + "pytorch-ddp-gloo,,MNIST-MLP,,2,1,1e8,1e-4,0.05,sleep,ring,sync-join,,0.06,0.07,,10\n"
               "pytorch-ddp-gloo,,CIFAR10-CNN,,2,1,1e8,1e-4,0.05,sleep,ring,sync-join,,0.06,0.07,,10\n",
      {"--profile", profile.path});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("  - jitter cv 0.1 from 3 t_grad samples of profile spread\n") != std::string::npos);
  CHECK(r.out.find("CIFAR10-CNN") == std::string::npos);  // the table shows no network names
  CHECK(r.out.find("jitter cv 0.05") == std::string::npos);
}

TEST_CASE("an async row is simulated as the slowest worker's time per batch, as predicted") {
  // MNIST-MLP on a sharded server with 2 workers, model-order placement: fc1's weights
  // (401,408 B) are shard 0 on host 0, everything else (43,176 B) shard 1 on host 1. Worker 1
  // pulls and pushes 401,408 B over a 12.5 MB/s link per batch; worker 0 only 43,176 B, so it
  // runs ahead. t_train is worker 1's: t_g + 2 x 401,408 / 12.5e6 = 0.02 + 0.0642 = 0.0842 s
  // per batch (predict's cluster phase, eq. 4.21 with f_max). The median over both workers'
  // batches would be near worker 0's ~0.027 s instead.
  const auto r = validate(header + "dlscale-ps,,MNIST-MLP,,2,1,12500000,1e-5,0.02,sleep,"
                                   "sharded-placed,async,,0.0843,0.085,,10\n",
                          {"--format", "csv", "--jitter-runs", "0"});
  REQUIRE(r.rc == 0);
  const auto line = r.out.substr(r.out.find('\n') + 1);
  std::vector<std::string> cells;
  for (std::size_t from = 0, comma = 0; comma != std::string::npos; from = comma + 1) {
    comma = line.find(',', from);
    cells.push_back(line.substr(from, comma - from));
  }
  REQUIRE(cells.size() > 15);
  CHECK(std::stod(cells[10]) == doctest::Approx(0.0842).epsilon(0.01));  // closed_form_s
  CHECK(std::stod(cells[14]) == doctest::Approx(0.0842).epsilon(0.03));  // simulated_s
  CHECK(r.out.find("async: simulated t_iter = t_train / ceil(D/N)") != std::string::npos);
}

// End to end without a GPU: a profile with [collective all-reduce] sections drives ring, tree
// and hierarchical through `dlscale predict`, while the central server keeps the TCP link.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "run_cli.hpp"

using dlscale::test::run_cli;
using doctest::Approx;

namespace {

// MNIST-MLP: 111,146 parameters = 444,584 B in fp32 (data/networks/README.md).
// [link tcp]: t_comm = 1e-4 + 444584 / 1e8 = 4.54584e-3 s.
// inter-node all-reduce at N = 16: ring link alpha = 6e-5 / (2 x 15) = 2e-6 s, beta = 1.25e10 B/s.
// intra-node all-reduce at N = 8:  ring link alpha = 1.4e-5 / (2 x 7) = 1e-6 s, beta = 1e11 B/s.
const std::string profile_text = R"(format_version 1
name nccl-lab

[network MNIST-MLP]
t_grad_s 0.01

[link tcp]
alpha_s 0.0001
beta_Bps 1e8

[collective all-reduce]
scope inter-node
workers 16
gpus_per_node 8
alpha_s 6e-05
busbw_Bps 1.25e10
sample_s 0.0001 bytes=1048576

[collective all-reduce]
scope intra-node
workers 8
gpus_per_node 8
alpha_s 1.4e-05
busbw_Bps 1e11

[collective broadcast]
scope intra-node
workers 8
gpus_per_node 8
alpha_s 1e-05
busbw_Bps 1e11
)";

struct Profile {
  std::filesystem::path dir, file;
  Profile() {
    dir = std::filesystem::temp_directory_path() /
          ("dlscale-collective-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    file = dir / "nccl-lab.profile";
    std::ofstream(file) << profile_text;
  }
  ~Profile() { std::filesystem::remove_all(dir); }
};

// The CSV row's fields (predict --format csv: a version line, the header, one row).
std::vector<std::string> row_of(const std::string& csv) {
  std::istringstream in(csv);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  std::vector<std::string> fields;
  std::string field;
  std::istringstream row(last.substr(0, last.find(",\"")));  // the notes column is quoted
  while (std::getline(row, field, ',')) fields.push_back(field);
  return fields;
}

double t_iter_of(const std::string& csv) { return std::stod(row_of(csv).at(5)); }

dlscale::test::CliResult predict(const Profile& p, const std::string& scheme,
                                 std::vector<std::string> more = {}) {
  std::vector<std::string> args{"predict", "--profile", p.file.string(), "--network", "MNIST-MLP",
                                "--scheme", scheme, "--workers", "4", "--format", "csv"};
  args.insert(args.end(), more.begin(), more.end());
  return run_cli(args);
}

}  // namespace

TEST_CASE("predict --scheme ring uses the profile's inter-node all-reduce fit") {
  const Profile p;
  const auto r = predict(p, "ring");
  REQUIRE(r.rc == 0);
  // ring: t_g + 2 (N-1) (alpha + W / (N beta)) at N = 4:
  //   0.01 + 6 x (2e-6 + 444584 / 4 / 1.25e10) = 0.01 + 6 x (2e-6 + 8.89168e-6)
  //   = 0.01 + 6.535008e-5 = 0.01006535008 s
  CHECK(t_iter_of(r.out) == Approx(0.01006535008).epsilon(1e-8));
  // D = 128 at N = 4: 32 iterations; speedup = 128 x 0.01 / (32 x 0.01006535008) = 3.97403...
  CHECK(std::stod(row_of(r.out).at(7)) == Approx(1.28 / (32 * 0.01006535008)).epsilon(1e-8));
  CHECK(r.out.find("ring: link between nodes alpha = 2e-06 s, beta = 1.25e+10 B/s from "
                   "nccl-lab's all-reduce inter-node fit at N = 16, G = 8") != std::string::npos);
  // The intra-node fit needs nodes: without --gpus-per-node it is said to be unused.
  CHECK(r.out.find("is not used: no nodes described") != std::string::npos);
}

TEST_CASE("the parameter servers keep the TCP link; --t-comm drops the collective fits") {
  const Profile p;
  auto r = predict(p, "central");
  REQUIRE(r.rc == 0);
  // central (4.4-4.11) with t_c = 4.54584e-3 s: best 5 t_c + t_g = 0.0327292, worst
  // 8 t_c + t_g = 0.04636672; estimate their mean 0.03954796 s.
  CHECK(t_iter_of(r.out) == Approx(0.03954796).epsilon(1e-8));
  CHECK(r.out.find("all-reduce") == std::string::npos);
  r = predict(p, "ring", {"--t-comm", "0.004"});
  REQUIRE(r.rc == 0);
  // 4.12's ring twin: t_g + 2 (N-1)/N t_c = 0.01 + 1.5 x 0.004 = 0.016 s
  CHECK(t_iter_of(r.out) == Approx(0.016).epsilon(1e-9));
  CHECK(r.out.find("--t-comm: nccl-lab's collective fits are not used") != std::string::npos);
}

TEST_CASE("tree and hierarchical take the inter-node and intra-node fits separately") {
  const Profile p;
  auto r = predict(p, "tree");
  REQUIRE(r.rc == 0);
  // tree: t_g + 2 ceil(log2 4) (alpha + W / beta) = 0.01 + 4 x (2e-6 + 444584 / 1.25e10)
  //   = 0.01 + 4 x (2e-6 + 3.556672e-5) = 0.01 + 1.5026688e-4 = 0.01015026688 s
  CHECK(t_iter_of(r.out) == Approx(0.01015026688).epsilon(1e-8));
  // hierarchical on nodes of G = 2 (no NIC): intra link from the intra-node fit, the link
  // between nodes from the inter-node fit. N = 4, M = 2, shard = W / G = 222292 B:
  //   inside: 2 (G-1) (1e-6 + 222292 / 1e11) = 2 x (1e-6 + 2.22292e-6) = 6.44584e-6
  //   across: 2 (M-1) (2e-6 + 222292 / 2 / 1.25e10) = 2 x (2e-6 + 8.89168e-6) = 2.178336e-5
  //   t_iter = 0.01 + 6.44584e-6 + 2.178336e-5 = 0.0100282292 s
  r = predict(p, "hierarchical", {"--gpus-per-node", "2"});
  REQUIRE(r.rc == 0);
  CHECK(t_iter_of(r.out) == Approx(0.0100282292).epsilon(1e-8));
  CHECK(r.out.find("hierarchical: intra-node link alpha = 1e-06 s, beta = 1e+11 B/s from "
                   "nccl-lab's all-reduce intra-node fit at N = 8, G = 8") != std::string::npos);
  // --intra on the command line wins over the intra-node fit.
  r = predict(p, "hierarchical", {"--gpus-per-node", "2", "--intra", "10GB/s"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("--intra: nccl-lab's all-reduce intra-node fit") != std::string::npos);
}

TEST_CASE("the overlap's per-bucket exchange runs on the same collective fits") {
  const Profile p;
  // One bucket larger than all of MNIST-MLP's 444,584 gradient bytes: the bucket is ready at
  // t_grad and its exchange is the whole one, so t_iter equals the unoverlapped fit's value for
  // ring (0.01006535008 s, above), tree and hierarchical; on the TCP link (without the fits)
  // the ring would give a different figure, so this fails if the buckets ignore the fits.
  for (const char* scheme : {"ring", "tree", "hierarchical"}) {
    CAPTURE(scheme);
    const std::vector<std::string> nodes{"--gpus-per-node", "2"};
    auto plain = predict(p, scheme, nodes);
    auto more = nodes;
    more.insert(more.end(), {"--overlap", "buckets:1GiB/1GiB"});
    auto overlapped = predict(p, scheme, more);
    REQUIRE(plain.rc == 0);
    REQUIRE(overlapped.rc == 0);
    CHECK(t_iter_of(overlapped.out) == Approx(t_iter_of(plain.out)).epsilon(1e-12));
  }
  const auto ring = predict(p, "ring", {"--overlap", "buckets:1GiB/1GiB"});
  REQUIRE(ring.rc == 0);
  CHECK(t_iter_of(ring.out) == Approx(0.01006535008).epsilon(1e-8));
}

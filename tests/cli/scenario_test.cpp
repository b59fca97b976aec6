// What a command line says about the scenario wins over files, and a scenario given only by
// numbers is labelled as such (the "defects met on the way" of the real-clusters issue).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

TEST_CASE("without a network, --params or --bytes give the weight size hierarchical needs") {
  // SqueezeNet's 1,248,424 parameters are 4,993,696 B in fp32 either way.
  const std::vector<std::string> base{"predict", "--t-grad", "0.758", "--t-comm", "0.033",
                                      "--server", "hierarchical", "--workers", "8",
                                      "--workers-per-node", "4", "--intra-bandwidth", "10e9"};
  auto with = [&](std::vector<std::string> more) {
    auto a = base;
    a.insert(a.end(), more.begin(), more.end());
    return run_cli(a);
  };
  const auto by_params = with({"--params", "1248424"});
  const auto by_bytes = with({"--bytes", "4993696"});
  REQUIRE(by_params.rc == 0);
  CHECK(by_params.out == by_bytes.out);
  auto r = with({});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: scenario '': scheme 'hierarchical' needs the weight size; a network "
                 "with its parameters expected (--network, or --params or --bytes)\n");
  r = with({"--params", "1", "--bytes", "4"});
  CHECK(r.err == "dlscale: predict: --params and --bytes both give the weight size; one expected\n");
  r = run_cli({"predict", "--network", "SqueezeNet", "--bytes", "5", "--workers", "8"});
  CHECK(r.err == "dlscale: predict: --bytes: the network's description gives its size; leave it "
                 "out with --network\n");
}

TEST_CASE("predict: --output csv is estimate.py's list, --format csv the CSV with units") {
  const std::vector<std::string> base{"predict", "--t-grad", "0.758", "--t-comm", "0.033",
                                      "--workers", "2"};
  auto a = base;
  a.insert(a.end(), {"--output", "csv"});
  CHECK(run_cli(a).out == "0.9199029126213591;1.7355466514024043\n");
  a = base;
  a.insert(a.end(), {"--format", "csv"});
  const auto r = run_cli(a);
  REQUIRE(r.rc == 0);
  CHECK(r.out.starts_with("# format_version 1\nnetwork,scheme,mode,workers,iterations,t_iter_s,"));
  CHECK(r.out.find("\n,central,sync-join,2,64,") != std::string::npos);
  a.insert(a.end(), {"--output", "csv"});
  CHECK(run_cli(a).err == "dlscale: predict: --format and --output both choose the output; one "
                          "expected\n");
}

TEST_CASE("a cluster from the command line: rates and times in units, t_comm from the bytes") {
  // ResNet50 (25,557,032 parameters, 102,228,128 B in fp32), 4 GPUs per node on a 10 Gbit/s
  // NIC (1.25e9 B/s), N = 32: flat ring, 2 (N-1)/N W / B = 62/32 x 0.0817825 = 0.158454 s,
  // t_iter = 0.2 + 0.158454 = 0.358454 s.
  auto r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--nic", "10Gbit/s",
                    "--gpus-per-node", "4", "--workers", "32", "--scheme", "ring"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("t_iter [s]       0.358454") != std::string::npos);
  // The same in Gb/s and with --comm-precision fp16: half the bytes, 0.2 + 0.079227.
  r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--nic", "10Gb/s",
               "--gpus-per-node", "4", "--workers", "32", "--scheme", "ring", "--comm-precision",
               "fp16"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("t_iter [s]       0.279227") != std::string::npos);
  // Without a network: --bytes with --nic is a complete question.
  r = run_cli({"predict", "--t-grad", "0.2", "--bytes", "102228128", "--nic", "10Gbit/s",
               "--gpus-per-node", "4", "--workers", "32", "--scheme", "ring", "--format", "csv"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("t_grad=0.2s/bytes=102228128,ring,sync-join,32,") != std::string::npos);
}

TEST_CASE("a cluster's bad input: exact message, exit 2") {
  const std::vector<std::string> base{"predict", "--network", "ResNet50", "--t-grad", "0.2",
                                      "--workers", "8", "--scheme", "sharded"};
  const auto fails = [&](std::vector<std::string> extra, const std::string& message) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    CHECK(r.rc == 2);
    CHECK(r.err == "dlscale: " + message + "\n");
  };
  const std::string rates = "a rate from 1 B/s to 1e15 B/s with a unit (B/s, kB/s, MB/s, GB/s, "
                            "TB/s, KiB/s, MiB/s, GiB/s, bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s, "
                            "Mb/s, Gb/s, Tb/s), such as 25Gbit/s expected";
  fails({"--nic", "25Gb"}, "predict: --nic: '25Gb' is not valid; " + rates);  // unknown unit
  fails({"--nic", "10"}, "predict: --nic: '10' is not valid; " + rates);      // no unit
  fails({"--nic", "0Gbit/s"}, "predict: --nic: '0Gbit/s' is not valid; " + rates);
  fails({"--nic", "-1Gbit/s"}, "predict: --nic: '-1Gbit/s' is not valid; " + rates);
  fails({"--nic", "1Gbit/s", "--latency", "5 us"},
        "predict: --latency: '5 us' is not valid; a time from 0 to 1e9 s with a unit (ns, us, "
        "ms, s), such as 5us expected");
  fails({"--nic", "1Gbit/s", "--servers", "9"},
        "scenario 'ResNet50': sharded at N = 8: 9 servers (--servers) for 8 workers; K <= N "
        "expected");
  fails({"--nic", "1Gbit/s", "--gpus-per-node", "3", "--aggregate"},
        "scenario 'ResNet50': sharded at N = 8: per-node aggregation needs full nodes; N a "
        "multiple of G = 3 expected");
  fails({"--servers", "2"}, "predict: --servers describes the network between nodes; --nic RATE "
                            "expected with it");
  fails({"--nic", "1Gbit/s", "--t-comm", "1"},
        "predict: --t-comm and --nic both give the exchange time; one expected");
  fails({"--nic", "1Gbit/s", "--split-tensors", "4MB/s"},
        "predict: --split-tensors: '4MB/s' is not valid; a size from 1 B to 2^53 B with a unit "
        "(B, kB, MB, GB, KiB, MiB, GiB), such as 4MiB expected");
  fails({"--nic", "1Gbit/s", "--latency", "1us", "--intra-latency", "2us"},
        "scenario 'ResNet50': inter-node latency 1e-06 s < intra-node latency 2e-06 s; a message "
        "between nodes also crosses the node, so a latency >= the intra-node one expected");
}

TEST_CASE("the training's length as users give it, and the cap shown where it bites") {
  // ImageNet-1k, 1,281,167 samples, b = 32: D = ceil(1281167 / 32) = 40,037 batches;
  // N = 64: I = ceil(40037 / 64) = 626.
  auto r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--t-comm", "0.1",
                    "--batch-size", "32", "--dataset", "1281167", "--scheme", "ring", "--workers",
                    "64"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("workers 64, iterations 626\n") != std::string::npos);
  CHECK(r.out.find("D = ceil(1281167 samples x 1 epochs / b = 32) = 40037 batches") !=
        std::string::npos);
  CHECK(r.out.find("capped") == std::string::npos);
  // Two epochs: D = ceil(2562334 / 32) = 80,073.
  r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--t-comm", "0.1",
               "--batch-size", "32", "--dataset", "1281167", "--epochs", "2", "--workers", "64",
               "--format", "json"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("80073 batches") != std::string::npos);
  // The default D = 128 caps N = 512 in sync-join: said in the output itself.
  r = run_cli({"predict", "--network", "SqueezeNet", "--scheme", "ring", "--workers", "512"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("capped: N = 512 > D = 128 batches: 384 workers have no batch to train") !=
        std::string::npos);
  r = run_cli({"sweep", "--network", "SqueezeNet", "--scheme", "ring", "--mode", "sync-join",
               "--workers", "64,256"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("  58.95 117.78*\n* capped: N > D = 128 batches") != std::string::npos);
  // A global batch is strong scaling: sync-split by default, other modes refused.
  r = run_cli({"sweep", "--network", "ResNet50", "--t-grad", "0.2", "--t-comm", "0.1",
               "--global-batch", "1024", "--scheme", "ring", "--workers", "8"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("sync-split") != std::string::npos);
  CHECK(r.out.find("sync-join") == std::string::npos);
  r = run_cli({"sweep", "--network", "ResNet50", "--t-grad", "0.2", "--global-batch", "1024",
               "--mode", "sync-join"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: --mode sync-join: --global-batch splits one step's samples over the "
                 "workers, which is the sync-split mode; sync-split expected\n");
  r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--t-comm", "0.1",
               "--dataset", "1000", "--workers", "8"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: scenario 'ResNet50': --dataset needs the batch size b of t_grad; "
                 "--batch-size B expected\n");
  r = run_cli({"predict", "--network", "ResNet50", "--t-grad", "0.2", "--batch-size", "32",
               "--dataset", "1000", "--batches", "10", "--workers", "8"});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: predict: --dataset and --batches both give the training's length; one "
                 "expected\n");
}

TEST_CASE("a profile's [cluster] is the default; the command line overrides it field by field") {
  const auto dir = std::filesystem::temp_directory_path() / "dlscale-cluster-profile";
  std::filesystem::create_directories(dir);
  const auto file = (dir / "c.profile").string();
  std::ofstream(file) << "format_version 1\nname c\n[cluster]\ngpus_per_node 4\nnic 10Gbit/s\n"
                         "[network ResNet50]\nt_grad_s 0.2\n";
  // As the first case above (G = 4, 10 Gbit/s, N = 32, ring): 0.358454 s, from the profile.
  auto r = run_cli({"predict", "--profile", file, "--network", "ResNet50", "--workers", "32",
                    "--scheme", "ring"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("t_iter [s]       0.358454") != std::string::npos);
  // --nic 20Gbit/s over it: half the exchange, 0.2 + 0.079227.
  r = run_cli({"predict", "--profile", file, "--network", "ResNet50", "--workers", "32",
               "--scheme", "ring", "--nic", "20Gbit/s"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("t_iter [s]       0.279227") != std::string::npos);
  // --t-comm wins over the profile's NIC: the thesis's ring with t_c = 0.1 s.
  r = run_cli({"predict", "--profile", file, "--network", "ResNet50", "--workers", "32",
               "--scheme", "ring", "--t-comm", "0.1"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("ring: no link model") != std::string::npos);
  std::filesystem::remove_all(dir);
}

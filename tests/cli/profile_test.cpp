// Profile parser: the embedded thesis profile and one test per class of bad input.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"

using namespace dlscale;

namespace {

const std::string head = "format_version 1\nname t\n";
const std::string good_net = "[network N]\nt_grad_s 0.5\nt_comm_s 0.25\n";

// The message of the ConfigError that parse_profile throws, or "" when it accepts the text.
std::string error_of(const std::string& text) {
  try {
    parse_profile(text, "x.profile");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the embedded thesis profile holds table 6.1") {
  const auto p = default_profile();
  CHECK(p.name == "thesis-2017");
  CHECK(p.hardware.find("GTX 970") != std::string::npos);
  CHECK(p.hardware.find("1 Gbit/s") != std::string::npos);
  CHECK(p.provenance.find("table 6.1") != std::string::npos);
  REQUIRE(p.entries.size() == 4);
  // Table 6.1, t_grad [s] / t_comm [s] per network.
  struct Row { const char* net; double t_grad, t_comm; };
  for (const Row r : {Row{"VGG16E", 0.719, 5.153}, Row{"GoogLeNet", 0.763, 0.210},
                      Row{"SqueezeNet", 0.758, 0.033}, Row{"ResNet34", 0.821, 0.811}}) {
    CAPTURE(r.net);
    const auto* e = p.find(r.net);
    REQUIRE(e != nullptr);
    CHECK(e->grad_at().t_grad.v == r.t_grad);
    REQUIRE(e->t_comm.has_value());
    CHECK(e->t_comm->v == r.t_comm);
    CHECK(e->params.at("classes") == 256);  // Caltech-256
    CHECK(e->grad_at().origin == Origin::measured);
    CHECK(e->grad_at().source == "thesis table 6.1");
  }
  CHECK(p.find("resnet34") != nullptr);  // case-insensitive
  CHECK(p.find("AlexNet") == nullptr);
  CHECK(p.link() == nullptr);            // the thesis measured t_comm, not a link
}

TEST_CASE("batch sizes, attributes and links are read") {
  const auto p = parse_profile(head + "hardware h x\n[network N]\n"
                               "t_grad_s 0.4 batch=32 origin=measured source=\"a b\"\n"
                               "t_grad_s 0.25 batch=16 origin=fitted\n"
                               "[link TCP]\nalpha_s 0 origin=typed\nbeta_Bps 1.25e8 source=s\n",
                               "x.profile");
  CHECK(p.hardware == "h x");
  const auto& e = p.entries.at(0);
  CHECK_FALSE(e.t_comm.has_value());
  CHECK(e.grad_at(16).t_grad.v == 0.25);
  CHECK(e.grad_at(16).origin == Origin::fitted);
  CHECK(e.grad_at().batch == 32);  // no batch asked: the first sample
  CHECK(e.grad_at(32).source == "a b");
  CHECK_THROWS_WITH_AS(e.grad_at(64), "network 'N': t_grad_s: no sample at batch 64; the "
                       "profile has batch 32, 16", ConfigError);
  const auto* link = p.link("tcp");
  REQUIRE(link != nullptr);
  CHECK(link->model.alpha.v == 0.0);
  CHECK(link->model.beta.v == 1.25e8);
  CHECK(link->origin == Origin::typed);
  CHECK(link->source == "s");
}

TEST_CASE("a missing profile file names the path") {
  const std::string msg = [] {
    try { load_profile_file("/nonexistent/dir/x.profile"); } catch (const ConfigError& e) { return std::string(e.what()); }
    return std::string();
  }();
  CHECK(msg.starts_with("/nonexistent/dir/x.profile: cannot read"));
}

TEST_CASE("empty and truncated profiles are rejected") {
  CHECK(error_of("") == "x.profile:1: format_version: file is empty; 'format_version 1' "
                        "expected as the first line");
  CHECK(error_of("# only a comment\n\n") == "x.profile:2: format_version: file is empty; "
                                            "'format_version 1' expected as the first line");
  CHECK(error_of("name t\n") == "x.profile:1: format_version: expected 'format_version 1' as "
                                "the first line, got 'name t'");
  CHECK(error_of("format_version 2\n").starts_with("x.profile:1: format_version: 2 is out of range"));
  CHECK(error_of(head) == "x.profile:2: [network]: no network section; at least one "
                          "'[network NAME]' expected");
  // Cut off in the middle of a section header, and right after one.
  CHECK(error_of(head + "[network N") == "x.profile:3: [network N: unterminated section "
                                         "header; '[network NAME]' or '[link NAME]' expected");
  CHECK(error_of(head + "[network N]\n") == "x.profile:3: t_grad_s: network 'N' (line 3) has "
                                            "no t_grad_s; at least one expected");
  CHECK(error_of("format_version 1\n" + good_net) == "x.profile: name: missing; a 'name NAME' "
                                                     "line expected");
}

TEST_CASE("unknown keys, attributes and sections are rejected") {
  CHECK(error_of(head + "colour red\n" + good_net) ==
        "x.profile:3: colour: unknown key; expected name, hardware, source or a "
        "[machine] / [rates] / [network NAME] / [link NAME] section");
  CHECK(error_of(head + "[network N]\nt_grad_s 1\nt_cmm_s 1\n") ==
        "x.profile:5: t_cmm_s: unknown key; expected t_grad_s, grad_sample_s, layer_s, t_comm_s or "
        "param");
  CHECK(error_of(head + "[network N]\nt_grad_s 1 colour=red\n") ==
        "x.profile:4: t_grad_s: unknown attribute 'colour'; expected one of batch, origin, source");
  CHECK(error_of(head + "[network N]\nt_grad_s 1 origin=guessed\n") ==
        "x.profile:4: t_grad_s: origin: 'guessed' is not valid; measured, fitted, typed or "
        "derived expected");
  CHECK(error_of(head + "[network N]\nt_grad_s 1 source=\"open\n") ==
        "x.profile:4: t_grad_s: source: unterminated quote; a closing '\"' expected");
  CHECK(error_of(head + "[cluster c]\n" + good_net) ==
        "x.profile:3: [cluster c]: unknown section; '[machine]', '[cluster]', '[rates]', "
        "'[network NAME]', '[link NAME]' or '[collective NAME]' expected");
  // [rates]: batch_size and per-class rates.
  CHECK(error_of(head + "[rates]\nbatch_size 8\nwarp 1e9\n" + good_net).starts_with(
        "x.profile:5: warp: unknown key; batch_size or a layer class (input, conv, fc"));
  CHECK(error_of(head + "[rates]\nbatch_size 8\nfc 1e9\nfc 2e9\n" + good_net) ==
        "x.profile:6: fc: given twice");
  CHECK(error_of(head + "[rates]\nfc 1e9\n" + good_net) ==
        "x.profile:5: batch_size: [rates] (line 3) is missing it; batch_size and at least one "
        "layer class expected");
  CHECK(error_of(head + "[rates]\nbatch_size 8\nfc 0\n" + good_net) ==
        "x.profile:5: fc: '0' is not valid; a finite number > 0 [work/s] expected");
  // The calibration's own sections and keys.
  CHECK(error_of(head + "[machine]\ncolour red\n" + good_net) ==
        "x.profile:4: colour: unknown key; expected one of hosts, cpu, cores, threads, "
        "memory_bytes, os, compiler, eigen, gpu, gpu_driver, cuda, cudnn, nccl, mpi, command, date");
  CHECK(error_of(head + "[machine]\ncpu\n" + good_net) == "x.profile:4: cpu: missing value");
  CHECK(error_of(head + "[machine]\ncpu a\ncpu b\n" + good_net) == "x.profile:5: cpu: given twice");
  CHECK(error_of(head + "[machine]\n[machine]\n" + good_net) ==
        "x.profile:4: [machine]: duplicate machine; first at line 3");
  CHECK(error_of(head + "[network N]\nt_grad_s 1\ngrad_sample_s 1 origin=measured\n") ==
        "x.profile:5: grad_sample_s: unknown attribute 'origin'; expected one of batch");
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s 0\nbeta_Bps 1\ntransfer_s 0.1\n") ==
        "x.profile:9: transfer_s: bytes= missing; 'transfer_s SECONDS bytes=N' expected");
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s 0\nbeta_Bps 1\ntransfer_s 0 bytes=1\n") ==
        "x.profile:9: transfer_s: '0' is not valid; a number in [1e-09, 1e+09] s expected");
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s 0\nbeta_Bps 1\n"
                 "max_relative_residual -1\n") ==
        "x.profile:9: max_relative_residual: '-1' is not valid; a finite number >= 0 expected");
  // Reported at the last line (7), where the section ends.
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s 0\n") ==
        "x.profile:7: beta_Bps: link 'tcp' (line 6) is missing it; alpha_s and beta_Bps expected");
}

TEST_CASE("layer_s: forward and backward seconds, one batch, each layer once") {
  const std::string net = head + "[network N]\nt_grad_s 1\n";
  CHECK(error_of(net + "layer_s fc1 forward=0.1\n") ==
        "x.profile:5: layer_s: backward= missing; forward=SECONDS and backward=SECONDS expected");
  CHECK(error_of(net + "layer_s fc1 forward=0.1 backward=-1\n").starts_with(
        "x.profile:5: backward: '-1'"));
  CHECK(error_of(net + "layer_s fc1 forward=0.1 backward=x\n").starts_with(
        "x.profile:5: backward: 'x'"));
  CHECK(error_of(net + "layer_s fc1 forward=0.1 backward=0.2 colour=red\n") ==
        "x.profile:5: layer_s: unknown attribute 'colour'; forward, backward or batch expected");
  CHECK(error_of(net + "layer_s fc1 forward=0.1 backward=0.2 batch=8\n"
                       "layer_s fc2 forward=0.1 backward=0.2 batch=16\n") ==
        "x.profile:6: layer_s: batch 16 differs from the first layer_s line's 8; one batch size "
        "per network expected");
  CHECK(error_of(net + "layer_s fc1 forward=0.1 backward=0.2\nlayer_s fc1 forward=0.1 backward=0.2\n") ==
        "x.profile:6: layer_s: layer 'fc1' given twice");
  CHECK(error_of(net + "layer_s fc1 forward=0 backward=0.2 batch=8\n").empty());
}

TEST_CASE("times must be finite and positive") {
  for (const std::string bad : {"-1", "0", "nan", "inf", "-inf", "1e999", "abc", "0.5s"}) {
    CAPTURE(bad);
    CHECK(error_of(head + "[network N]\nt_grad_s " + bad + "\n") ==
          "x.profile:4: t_grad_s: '" + bad + "' is not valid; a number in [1e-09, 1e+09] s expected");
    CHECK(error_of(head + "[network N]\nt_grad_s 1\nt_comm_s " + bad + "\n") ==
          "x.profile:5: t_comm_s: '" + bad + "' is not valid; a number in [1e-09, 1e+09] s expected");
  }
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s -1\nbeta_Bps 1\n") ==
        "x.profile:7: alpha_s: '-1' is not valid; a number in [0, 1e+09] s expected");
  CHECK(error_of(head + good_net + "[link tcp]\nalpha_s 0\nbeta_Bps 0\n") ==
        "x.profile:8: beta_Bps: '0' is not valid; a number in [1, 1e+15] B/s expected");
  CHECK(error_of(head + "[network N]\nt_grad_s 1 batch=0\n")
            .starts_with("x.profile:4: batch: 0 is out of range"));
}

TEST_CASE("duplicates are rejected") {
  CHECK(error_of(head + good_net + "[network n]\nt_grad_s 1\n") ==
        "x.profile:6: [network n]: duplicate network; first at line 3");
  CHECK(error_of(head + "[network N]\nt_grad_s 1\nt_grad_s 2\n") ==
        "x.profile:5: t_grad_s: duplicate t_grad_s for batch (none)");
  CHECK(error_of(head + "[network N]\nt_grad_s 1 batch=8\nt_grad_s 2 batch=8\n") ==
        "x.profile:5: t_grad_s: duplicate t_grad_s for batch 8");
  CHECK(error_of(head + good_net + "t_comm_s 1\n") == "x.profile:6: t_comm_s: given twice");
  CHECK(error_of(head + "name u\n" + good_net) == "x.profile:3: name: given twice");
  CHECK(error_of(head + "[network N]\nparam classes 10\nparam classes 20\nt_grad_s 1\n") ==
        "x.profile:5: param classes: given twice");
  CHECK(error_of(head + "[network N]\nparam classes\nt_grad_s 1\n") ==
        "x.profile:4: param: expected 'param NAME INTEGER', got 'param classes'");
}

TEST_CASE("a 100 MB line is rejected without reading on") {
  std::string text = head + "hardware " + std::string(100u << 20, 'x') + "\n" + good_net;
  CHECK(error_of(text) == "x.profile:3: line is 104857609 bytes long; at most 4096 expected");
  // And as a file: rejected by size before it is split.
  const auto path = std::filesystem::temp_directory_path() / "dlscale_profile_test_big.profile";
  { std::ofstream(path, std::ios::binary) << text; }
  try {
    load_profile_file(path);
    FAIL("accepted a 100 MB file");
  } catch (const ConfigError& e) {
    // 17 + 7 bytes of head, 9 + 100 MiB + 1 of the long line, 39 of good_net.
    CHECK(text.size() == 104857673u);
    CHECK(std::string(e.what()) == path.string() + ": file is 104857673 bytes; at most "
                                   "16777216 expected");
  }
  std::filesystem::remove(path);
}

TEST_CASE("[cluster]: the cluster in units, each key once, values checked") {
  const auto p = parse_profile(head + "[cluster]\ngpus_per_node 8\nnic 25Gbit/s\nlatency 5us\n"
                               "intra 150GB/s\nservers 4\naggregate yes\n" + good_net, "x.profile");
  CHECK(p.cluster.gpus_per_node == 8);
  CHECK(p.cluster.nic->v == 25e9 / 8);
  CHECK(p.cluster.latency->v == doctest::Approx(5e-6));
  CHECK(p.cluster.intra->v == 150e9);
  CHECK(p.cluster.servers == 4);
  CHECK(p.cluster.aggregate == true);
  // Written back exactly (B/s and s) and read again to the same values.
  const auto again = parse_profile(format_profile(p), "again");
  CHECK(again.cluster.nic == p.cluster.nic);
  CHECK(again.cluster.latency == p.cluster.latency);
  CHECK(again.cluster.aggregate == p.cluster.aggregate);
  CHECK(error_of(head + "[cluster]\nnic 25Gb\n" + good_net) ==
        "x.profile:4: nic: '25Gb' is not valid; a rate from 1 B/s to 1e15 B/s with a unit (B/s, "
        "kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s, "
        "Mb/s, Gb/s, Tb/s), such as 25Gbit/s expected");
  CHECK(error_of(head + "[cluster]\nnic 1Gbit/s\nnic 2Gbit/s\n" + good_net) ==
        "x.profile:5: nic: given twice");
  CHECK(error_of(head + "[cluster]\nracks 2\n" + good_net) ==
        "x.profile:4: racks: unknown key; expected gpus_per_node, nic, latency, intra, "
        "intra_latency, servers, server_nic or aggregate");
  CHECK(error_of(head + "[cluster]\naggregate maybe\n" + good_net) ==
        "x.profile:4: aggregate: 'maybe' is not valid; yes or no expected");
  CHECK(error_of(head + "[cluster]\ngpus_per_node 0\n" + good_net) ==
        "x.profile:4: gpus_per_node: 0 is out of range; an integer in [1, 1048576] expected");
  CHECK(error_of(head + "[cluster]\n[cluster]\n" + good_net) ==
        "x.profile:4: [cluster]: duplicate cluster; first at line 3");
  // What needs a NIC is refused when the cluster is used, with the profile named.
  const auto no_nic = parse_profile(head + "[cluster]\nservers 2\n" + good_net, "x.profile");
  CHECK_THROWS_WITH_AS(no_nic.cluster.resolve(no_nic.source, false),
                       "x.profile: servers describes the network between nodes; a nic line "
                       "expected with it", ConfigError);
}

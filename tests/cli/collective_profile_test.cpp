// `[collective NAME]` sections: read, written back, rejected with file/line/field, and the
// alpha/busbw fit of a hand-derived sample.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "dlscale/collective.hpp"
#include "dlscale/error.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/profile.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

const std::string head = "format_version 1\nname t\n[network N]\nt_grad_s 0.5\n";  // lines 1-4
// Lines 5-11 when appended to head.
const std::string all_reduce =
    "[collective all-reduce]\n"
    "scope inter-node\n"
    "workers 16\n"
    "gpus_per_node 8\n"
    "alpha_s 6e-05 origin=fitted source=\"nccl\"\n"
    "busbw_Bps 1.25e10 origin=fitted source=\"nccl\"\n"
    "sample_s 0.0001 bytes=1048576 residual=-0.02\n";

std::string error_of(const std::string& text) {
  try {
    parse_profile(text, "x.profile");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// An all-reduce on N = 4 ranks that follows t = alpha + S x 2(N-1)/N / busbw exactly, with
// alpha = 20 us and busbw = 1e10 B/s (bus factor 2 x 3 / 4 = 1.5):
//   S = 262144 B:   t = 2e-5 + 262144 x 1.5 / 1e10   = 2e-5 + 3.93216e-5   = 5.93216e-5 s
//   S = 1048576 B:  t = 2e-5 + 1048576 x 1.5 / 1e10  = 2e-5 + 1.572864e-4  = 1.772864e-4 s
//   S = 16777216 B: t = 2e-5 + 16777216 x 1.5 / 1e10 = 2e-5 + 2.5165824e-3 = 2.5365824e-3 s
std::vector<TransferSample> hand_sample() {
  return {{Bytes{262144}, Seconds{5.93216e-5}},
          {Bytes{1048576}, Seconds{1.772864e-4}},
          {Bytes{16777216}, Seconds{2.5365824e-3}}};
}

}  // namespace

TEST_CASE("a [collective] section is read with its fit, N, G and samples") {
  const auto p = parse_profile(head + all_reduce, "x.profile");
  REQUIRE(p.collectives.size() == 1);
  const auto* c = p.collective(Collective::all_reduce, CollectiveScope::inter_node);
  REQUIRE(c != nullptr);
  CHECK(p.collective(Collective::all_reduce, CollectiveScope::intra_node) == nullptr);
  CHECK(c->line == 5);
  CHECK(c->fit.workers == 16);
  CHECK(c->fit.gpus_per_node == 8);
  CHECK(c->fit.alpha.v == 6e-05);
  CHECK(c->fit.bus_bandwidth.v == 1.25e10);
  CHECK(c->origin == Origin::fitted);
  CHECK(c->source == "nccl");
  REQUIRE(c->samples.size() == 1);
  CHECK(c->samples[0].size.v == 1048576);
  CHECK(c->samples[0].seconds.v == 0.0001);
  CHECK(c->samples[0].residual == -0.02);
  // t(1 MiB) = 6e-5 + 1048576 x 2 x 15/16 / 1.25e10 = 6e-5 + 1.572864e-4 = 2.172864e-4 s
  CHECK(c->fit.time(Bytes{1048576}).v == Approx(2.172864e-4));
}

TEST_CASE("every collective and both scopes round-trip through format_profile") {
  std::string text = head;
  for (const char* name : {"all-reduce", "reduce-scatter", "all-gather", "broadcast", "reduce"})
    for (const auto& [scope, n] : std::vector<std::pair<std::string, int>>{{"intra-node", 8},
                                                                            {"inter-node", 32}})
      text += fmt::format("[collective {}]\nscope {}\nworkers {}\ngpus_per_node 8\nalpha_s "
                          "1.2345678901e-05\nbusbw_Bps 1.5e11 origin=measured\n"
                          "max_relative_residual 0.031\nsample_s 3e-05 bytes=1024\n"
                          "sample_s 0.1 bytes=1073741824 residual=0.0125\n", name, scope, n);
  const auto p = parse_profile(text, "x.profile");
  REQUIRE(p.collectives.size() == 10);
  const auto again = parse_profile(format_profile(p), "again");
  REQUIRE(again.collectives.size() == 10);
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& a = p.collectives[i];
    const auto& b = again.collectives[i];
    CAPTURE(i);
    CHECK(a.fit.collective == b.fit.collective);
    CHECK(a.fit.scope == b.fit.scope);
    CHECK(a.fit.workers == b.fit.workers);
    CHECK(a.fit.gpus_per_node == b.fit.gpus_per_node);
    CHECK(a.fit.alpha.v == b.fit.alpha.v);
    CHECK(a.fit.bus_bandwidth.v == b.fit.bus_bandwidth.v);
    CHECK(a.origin == b.origin);
    CHECK(a.max_relative_residual == b.max_relative_residual);
    REQUIRE(a.samples.size() == b.samples.size());
    for (std::size_t k = 0; k < a.samples.size(); ++k) {
      CHECK(a.samples[k].size.v == b.samples[k].size.v);
      CHECK(a.samples[k].seconds.v == b.samples[k].seconds.v);
      CHECK(a.samples[k].residual == b.samples[k].residual);
    }
  }
  CHECK(format_profile(again) == format_profile(p));
  CHECK(format_profile(p).find("alpha_s 1.2345678901e-05 origin=measured") != std::string::npos);
}

TEST_CASE("bad [collective] sections exit with file, line and field") {
  CHECK(error_of(head + "[collective gossip]\n") ==
        "x.profile:5: [collective gossip]: unknown collective 'gossip'; all-reduce, "
        "reduce-scatter, all-gather, broadcast or reduce expected");
  CHECK(error_of(head + "[collective all_reduce]\n") ==
        "x.profile:5: [collective all_reduce]: unknown collective 'all_reduce'; all-reduce, "
        "reduce-scatter, all-gather, broadcast or reduce expected");
  // Missing fields are reported where the section ends (line 10, the file's last line).
  for (const auto& [drop, field] : std::vector<std::pair<std::string, std::string>>{
           {"scope inter-node\n", "scope"}, {"workers 16\n", "workers"},
           {"gpus_per_node 8\n", "gpus_per_node"}}) {
    std::string text = head + all_reduce;
    text.erase(text.find(drop), drop.size());
    CAPTURE(field);
    CHECK(error_of(text) == fmt::format("x.profile:10: {}: collective 'all-reduce' (line 5) is "
                                        "missing it; scope, workers, gpus_per_node, alpha_s and "
                                        "busbw_Bps expected", field));
  }
  CHECK(error_of(head + "[collective broadcast]\nscope intra-node\nworkers 4\ngpus_per_node 4\n"
                 "alpha_s 1e-5\n[network M]\nt_grad_s 1\n") ==
        "x.profile:10: busbw_Bps: collective 'broadcast' (line 5) is missing it; scope, workers, "
        "gpus_per_node, alpha_s and busbw_Bps expected");
  // Bad numbers.
  const auto with = [](std::string_view from, std::string_view to) {
    std::string text = head + all_reduce;
    text.replace(text.find(from), from.size(), to);
    return error_of(text);
  };
  CHECK(with("scope inter-node", "scope cross-rack") ==
        "x.profile:6: scope: 'cross-rack' is not valid; intra-node or inter-node expected");
  CHECK(with("workers 16", "workers 1") ==
        "x.profile:7: workers: 1 is out of range; an integer in [2, 1000000] expected");
  CHECK(with("workers 16", "workers many") ==
        "x.profile:7: workers: 'many' is not an integer; an integer in [2, 1000000] expected");
  CHECK(with("gpus_per_node 8", "gpus_per_node 0") ==
        "x.profile:8: gpus_per_node: 0 is out of range; an integer in [1, 1000000] expected");
  CHECK(with("alpha_s 6e-05", "alpha_s -1") ==
        "x.profile:9: alpha_s: '-1' is not valid; a number in [0, 1e+09] s expected");
  CHECK(with("busbw_Bps 1.25e10", "busbw_Bps nan") ==
        "x.profile:10: busbw_Bps: 'nan' is not valid; a number in [1, 1e+15] B/s expected");
  CHECK(with("sample_s 0.0001", "sample_s 0") ==
        "x.profile:11: sample_s: '0' is not valid; a number in [1e-09, 1e+09] s expected");
  CHECK(with(" bytes=1048576", "") ==
        "x.profile:11: sample_s: bytes= missing; 'sample_s SECONDS bytes=N' expected");
  CHECK(with("residual=-0.02", "residual=inf") ==
        "x.profile:11: residual: 'inf' is not valid; a finite number expected");
  CHECK(with("residual=-0.02", "colour=red") ==
        "x.profile:11: sample_s: unknown attribute 'colour'; bytes= or residual= expected");
  CHECK(with("scope inter-node", "scope inter-node extra=1") ==
        "x.profile:6: scope: unknown attribute 'extra'; none expected");
  CHECK(with("workers 16", "speed 16") ==
        "x.profile:7: speed: unknown key; expected scope, workers, gpus_per_node, alpha_s, "
        "busbw_Bps, max_relative_residual or sample_s");
  CHECK(with("workers 16", "workers 16\nworkers 16") == "x.profile:8: workers: given twice");
  // N and G must agree with the scope.
  CHECK(with("workers 16", "workers 8") ==
        "x.profile:5: workers: inter-node all-reduce at N = 8 with G = 8 per node; N > G (ranks "
        "on more than one node) expected");
  CHECK(with("scope inter-node", "scope intra-node") ==
        "x.profile:5: workers: intra-node all-reduce at N = 16 with G = 8 per node; N <= G "
        "(ranks on one node) expected");
  CHECK(error_of(head + all_reduce + all_reduce) ==
        "x.profile:12: [collective all-reduce]: duplicate inter-node section; first at line 5");
}

TEST_CASE("fit_collective: the hand-derived all-reduce sample gives alpha and busbw back") {
  const auto r = fit_collective(Collective::all_reduce, CollectiveScope::intra_node, 4, 4,
                                hand_sample());
  CHECK(r.fit.alpha.v == Approx(2e-5).epsilon(1e-9));
  CHECK(r.fit.bus_bandwidth.v == Approx(1e10).epsilon(1e-9));
  // algbw = busbw / 1.5 = 6.666...e9 B/s: the slope fit_link sees.
  CHECK(r.link_fit.link.beta.v == Approx(1e10 / 1.5).epsilon(1e-9));
  CHECK(r.link_fit.max_abs_residual < 1e-9);
  CHECK(r.fit.time(Bytes{1048576}).v == Approx(1.772864e-4).epsilon(1e-9));
  // The same times as a broadcast (bus factor 1) mean busbw = algbw.
  const auto b = fit_collective(Collective::broadcast, CollectiveScope::intra_node, 4, 4,
                                hand_sample());
  CHECK(b.fit.bus_bandwidth.v == Approx(1e10 / 1.5).epsilon(1e-9));
  CHECK_THROWS_WITH_AS(fit_collective(Collective::all_reduce, CollectiveScope::intra_node, 1, 1,
                                      hand_sample()),
                       "fit: all-reduce on 1 rank(s); at least 2 ranks expected (one rank moves "
                       "nothing)", ConfigError);
}

TEST_CASE("an all-reduce fit's ring link reproduces the fit at its own N") {
  CollectiveFit f;
  f.workers = 4;
  f.alpha = Seconds{2e-5};
  f.bus_bandwidth = BytesPerSec{1e10};
  const LinkModel link = allreduce_link(f);
  // alpha_step = 2e-5 / (2 x 3) = 3.333...e-6 s; beta = busbw.
  CHECK(link.alpha.v == Approx(2e-5 / 6));
  CHECK(link.beta.v == 1e10);
  // ring: 2 (N-1) (alpha_step + S / N / beta) = 6 x (3.3333e-6 + 262144 / 4e10) = 5.93216e-5 s
  CHECK(models::ring_allreduce(4, Bytes{262144}, link).v == Approx(5.93216e-5));
  f.collective = Collective::broadcast;
  CHECK_THROWS_AS(allreduce_link(f), ConfigError);
}

TEST_CASE("the format example in data/profiles/README.md reads, collective section included") {
  const char* dir = std::getenv("DLSCALE_DATA_DIR");
  REQUIRE(dir != nullptr);
  std::ifstream in(std::filesystem::path(dir) / "profiles" / "README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto start = doc.find("```\nformat_version 1 ");
  REQUIRE(start != std::string::npos);
  const auto body = start + 4;
  const auto end = doc.find("```", body);
  const auto p = parse_profile(doc.substr(body, end - body), "README example");
  const auto* c = p.collective(Collective::all_reduce, CollectiveScope::inter_node);
  REQUIRE(c != nullptr);
  REQUIRE(c->samples.size() == 1);
  // The example's residual is the fit's: t(1 MiB) = 6e-5 + 1048576 x 2 x 15/16 / 1.25e10
  // = 2.172864e-4 s against 2.177e-4 measured, (2.172864 - 2.177) / 2.177 = -0.0019.
  const double model = c->fit.time(c->samples[0].size).v;
  CHECK((model - c->samples[0].seconds.v) / c->samples[0].seconds.v ==
        Approx(*c->samples[0].residual).epsilon(0.01));
}

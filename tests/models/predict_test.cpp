// predict(): iteration counts, notes, split compute, ring link, placement and sweeps.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "thesis.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {
bool has_note(const Prediction& p, const std::string& text) {
  return std::any_of(p.notes.begin(), p.notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("D not divisible by N: I = ceil(D/N) and a note") {
  const Scenario s = test::squeezenet();
  const auto p = predict(s, Scheme::sharded, Mode::sync_join, 3);
  CHECK(p.iterations == 43);  // ceil(128/3) = 43
  CHECK(has_note(p, "D=128 not divisible by N=3: I = ceil(D/N) = 43"));
  // t_train = 43 * (2*0.033*2/3 + 0.758) = 43 * 0.802 = 34.486
  CHECK(p.t_train.estimate.v == Approx(34.486));
  const auto a = predict(s, Scheme::sharded, Mode::async, 3);
  CHECK(a.iterations == 0);
  CHECK(has_note(a, "slowest worker trains ceil(D/N) = 43 batches"));
  CHECK(a.t_train.estimate.v == Approx(34.486));  // 4.21 with D/N = 43: the same product
  CHECK(a.t_iter.estimate.v == Approx(0.802));    // per batch per worker
  CHECK(predict(s, Scheme::sharded, Mode::sync_join, 4).notes.empty());
}

TEST_CASE("more workers than batches: the idle ones are named") {
  // D = 128, N = 200: I = ceil(128/200) = 1 and 200 - 128 = 72 workers get no batch.
  const auto p = predict(test::squeezenet(), Scheme::sharded, Mode::sync_join, 200);
  CHECK(p.iterations == 1);
  CHECK(has_note(p, "N > D: 72 workers have no batch but are still counted"));
}

TEST_CASE("sync split uses a measured t_grad(b/N) when it exists") {
  Scenario s = test::googlenet();
  s.batch_size = 64;
  s.t_grad_by_batch = {{32, Seconds{0.45}}, {64, Seconds{0.763}}};
  SUBCASE("b/N = 32 measured") {
    const auto p = predict(s, Scheme::sharded, Mode::sync_split, 2);
    CHECK(p.t_grad_used.v == 0.45);
    CHECK(has_note(p, "measured t_grad(b/N = 32)"));
    // t_iter = 2*0.210*1/2 + 0.45 = 0.66
    CHECK(p.t_iter.estimate.v == Approx(0.66));
  }
  SUBCASE("b/N = 16 not measured: t_grad / N") {
    const auto p = predict(s, Scheme::sharded, Mode::sync_split, 4);
    CHECK(p.t_grad_used.v == Approx(0.763 / 4));
    CHECK(has_note(p, "t_grad/N (no measured t_grad(b/N))"));
  }
  SUBCASE("b % N != 0: t_grad / N") {
    const auto p = predict(s, Scheme::sharded, Mode::sync_split, 3);
    CHECK(p.t_grad_used.v == Approx(0.763 / 3));
  }
}

TEST_CASE("ring: without a link model it equals the even sharded server") {
  const Scenario s = test::resnet34();
  for (int n : {1, 2, 5, 8}) {
    const auto r = predict(s, Scheme::ring, Mode::sync_join, n);
    CHECK(r.t_train.estimate.v == Approx(predict(s, Scheme::sharded, Mode::sync_join, n)
                                             .t_train.estimate.v));
    CHECK(has_note(r, "no link model"));
  }
}

TEST_CASE("ring: a link model adds latency per step") {
  Scenario s = test::resnet34();
  s.weight_bytes = Bytes{4'000'000};
  s.link = LinkModel{Seconds{1e-3}, BytesPerSec{1e8}};
  // t_iter = 0.821 + 2*3*(1e-3 + 1e6/1e8) = 0.821 + 0.066 = 0.887
  CHECK(predict(s, Scheme::ring, Mode::sync_join, 4).t_iter.estimate.v == Approx(0.887));
}

TEST_CASE("ring has no asynchronous form") {
  CHECK_FALSE(supports(Scheme::ring, Mode::async));
  CHECK(supports(Scheme::ring, Mode::sync_split));
  CHECK_THROWS_WITH_AS(predict(test::resnet34(), Scheme::ring, Mode::async, 4),
                       "scheme 'ring' with mode 'async': unsupported; all-reduce is "
                       "synchronous (use sync-join or sync-split)",
                       ConfigError);
}

TEST_CASE("placed schemes use the tensor list, or the even split with a note") {
  Scenario s = test::thesis("toy", 0.7, 0.2);
  SUBCASE("no tensor list") {
    const auto p = predict(s, Scheme::sharded_placed, Mode::sync_join, 2);
    CHECK(has_note(p, "sharded-placed: no tensor list; even split"));
    CHECK(p.t_iter.estimate.v == Approx(0.9));  // 2*0.2*1/2 + 0.7
  }
  SUBCASE("tensors 1 1 2 4") {
    s.tensor_bytes = {1, 1, 2, 4};
    // model order f_max = 5/8: 2*1*0.625*0.2 + 0.7 = 0.95; LPT f_max = 1/2: 0.2 + 0.7 = 0.9
    const auto m = predict(s, Scheme::sharded_placed, Mode::sync_join, 2);
    CHECK(m.t_iter.estimate.v == Approx(0.95));
    CHECK(has_note(m, "placement (model order): f_max = 0.625"));
    CHECK(predict(s, Scheme::sharded_lpt, Mode::sync_join, 2).t_iter.estimate.v == Approx(0.9));
    // async D=128, N=2: 64 * 0.95 = 60.8
    CHECK(predict(s, Scheme::sharded_placed, Mode::async, 2).t_train.estimate.v ==
          Approx(60.8));
  }
}

TEST_CASE("central-semaphore: estimate is the central best case, range kept") {
  const auto p = predict(test::squeezenet(), Scheme::central_semaphore, Mode::sync_join, 4);
  // I = 32; best = estimate = 32*0.923 = 29.536; worst = 32*1.022 = 32.704
  CHECK(p.t_train.estimate.v == Approx(29.536));
  CHECK(p.t_train.best.v == Approx(29.536));
  CHECK(p.t_train.worst.v == Approx(32.704));
  CHECK(p.speedup_worst < p.speedup);
}

TEST_CASE("sweep returns one row per supported pair and worker count, in worker order") {
  const auto rows =
      sweep(test::googlenet(), all_schemes(), all_modes(), parse_worker_range("1:8:x2"));
  // 7 schemes x 3 modes - (ring, async) - (tree, async) = 19 pairs; N in {1,2,4,8}: 76 rows
  CHECK(rows.size() == 76);
  CHECK(rows[0].workers == 1);
  CHECK(rows[3].workers == 8);
  for (const auto& r : rows) {
    CHECK_FALSE((r.scheme == Scheme::ring && r.mode == Mode::async));
    CHECK_FALSE((r.scheme == Scheme::tree && r.mode == Mode::async));
    CHECK(r.scheme != Scheme::hierarchical);  // needs nodes: never in all_schemes()
  }
}

TEST_CASE("optimal: ties go to fewer workers") {
  // D=2, t_g = t_c = 0.5, sharded sync-join:
  //   N=1: I=2, t_iter = 0 + 0.5           -> t_train 1.0
  //   N=2: I=1, t_iter = 2*0.5*(1/2) + 0.5 -> t_train 1.0 (a tie, exact in binary)
  //   N=3: I=1, t_iter = 2*0.5*(2/3) + 0.5 -> 1.1667
  Scenario s = test::thesis("tie", 0.5, 0.5);
  s.batches = 2;
  const Scheme scheme[] = {Scheme::sharded, Scheme::ring};
  const Mode mode[] = {Mode::sync_join};
  const auto o = optimal(s, scheme, mode, parse_worker_range("3"));
  REQUIRE(o.size() == 2);
  CHECK(o[0].best.t_train.estimate.v == 1.0);
  CHECK(o[0].best.workers == 1);
  // sharded and ring tie too: the earlier entry wins
  CHECK(overall_best(o).scheme == Scheme::sharded);
  CHECK(overall_best(o).best.workers == 1);
  CHECK_THROWS_AS(overall_best({}), ConfigError);
}

TEST_CASE("hierarchical needs the nodes described; tree is synchronous") {
  Scenario s = test::googlenet();
  CHECK_THROWS_WITH_AS(predict(s, Scheme::hierarchical, Mode::sync_join, 8),
                       "scenario 'GoogLeNet': scheme 'hierarchical' needs the nodes described: "
                       "workers per node and the links (--gpus-per-node G --intra RATE, and "
                       "--nic RATE)",
                       ConfigError);
  s.cluster = Cluster{};
  s.cluster->workers_per_node = 4;
  s.cluster->intra = LinkModel{Seconds{0}, BytesPerSec{1e10}};
  CHECK_THROWS_WITH_AS(predict(s, Scheme::hierarchical, Mode::sync_join, 8),
                       "scenario 'GoogLeNet': scheme 'hierarchical' needs the weight size; a "
                       "network with its parameters expected (--network, or --params or --bytes)",
                       ConfigError);
  // 24,943,808 B moved in t_comm 0.210 s: inter beta = 118,780,038 B/s. N=8, G=4, M=2:
  //   shard 6,235,952 B; inside 2*3*6,235,952/1e10 = 0.0037416; across 2*1*(6,235,952/2)/beta
  //   = 6,235,952/118,780,038 = 0.0525; t_iter = 0.763 + 0.0037416 + 0.0525 = 0.81924
  s.weight_bytes = Bytes{24'943'808};
  const auto p = predict(s, Scheme::hierarchical, Mode::sync_join, 8);
  CHECK(p.t_iter.estimate.v == Approx(0.763 + 0.0037416 + 0.0525).epsilon(1e-4));
  s.cluster->workers_per_node = 0;
  CHECK_THROWS_WITH_AS(predict(s, Scheme::hierarchical, Mode::sync_join, 8),
                       "scenario 'GoogLeNet': workers per node = 0; an integer >= 1 expected",
                       ConfigError);
  CHECK_FALSE(supports(Scheme::tree, Mode::async));
  CHECK_FALSE(supports(Scheme::hierarchical, Mode::async));
}

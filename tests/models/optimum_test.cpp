// The optimum search (issue "an honest optimum"): every expected value is derived by hand
// from the thesis's SqueezeNet figures, t_g = 0.758 s, t_c = 0.033 s, D = 128.
// Sharded sync-join: t_iter = t_g + 2 (N-1)/N t_c (4.12), I = ceil(128 / N).
#include <doctest/doctest.h>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "thesis.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

Optimum one(Scheme scheme, Mode mode, std::optional<WorkerRange> range = std::nullopt,
            const OptimumQuestions& q = {}) {
  const Scheme schemes[] = {scheme};
  const Mode modes[] = {mode};
  auto all = optimal(test::squeezenet(), schemes, modes, range, q);
  REQUIRE(all.size() == 1);
  return all.front();
}

}  // namespace

TEST_CASE("an optimum beyond 64 workers is found without a range") {
  // N <= 128 that divide 128: t_train = (128/N)(0.758 + 0.066 (N-1)/N), falling with N;
  // N > 128: I = 1 and t_iter grows with N. So N = 128:
  // t_train = 0.758 + 0.066 x 127/128 = 0.8234844 s, speedup 97.024 / 0.8234844 = 117.82.
  const auto o = one(Scheme::sharded, Mode::sync_join);
  CHECK(o.best.workers == 128);
  CHECK(o.best.t_train.estimate.v == Approx(0.758 + 0.066 * 127 / 128).epsilon(1e-12));
  CHECK(o.best.speedup == Approx(97.024 / 0.82348438).epsilon(1e-6));
  CHECK_FALSE(o.still_rising);
  CHECK(o.edge_note.empty());
}

TEST_CASE("a range's edge is honoured and flagged") {
  // Within 1:64 the best is 64 (t_train 2 x (0.758 + 0.066 x 63/64) = 1.6459375 s), and
  // N = 65 is no faster (I = 2 still) but N = 128 is: the note names 128.
  const auto o = one(Scheme::sharded, Mode::sync_join, parse_worker_range("1:64"));
  CHECK(o.best.workers == 64);
  CHECK(o.best.t_train.estimate.v == Approx(1.6459375).epsilon(1e-12));
  CHECK(o.still_rising);
  CHECK(o.edge_note == "at the edge of --workers (last 64): N = 128 is faster (speedup 117.8); "
                       "widen the range or leave --workers out");
  // 1:200 contains 128: not at the edge, nothing to flag.
  const auto wide = one(Scheme::sharded, Mode::sync_join, parse_worker_range("1:200"));
  CHECK(wide.best.workers == 128);
  CHECK_FALSE(wide.still_rising);
}

TEST_CASE("no optimum: the speedup keeps rising up to the cap") {
  // Sharded sync-split: I = D, t_iter = t_g / N + 2 (N-1)/N t_c = (0.692 / N) + 0.066, which
  // falls for every N (0.692 > 0): the largest N searched is the fastest.
  const auto o = one(Scheme::sharded, Mode::sync_split);
  CHECK(o.best.workers == 1'000'000);
  CHECK(o.still_rising);
  CHECK(o.edge_note == "no optimum below 1000000 workers: the speedup keeps rising");
}

TEST_CASE("efficient: the largest N at or above the threshold") {
  // For N > 128 (I = 1): efficiency = 97.024 / (N (0.758 + 0.066 (N-1)/N))
  //                                  = 97.024 / (0.824 N - 0.066) >= 0.8
  //   <=> N <= (121.28 + 0.066) / 0.824 = 147.26, so N = 147 (efficiency 0.8004).
  const auto o = one(Scheme::sharded, Mode::sync_join);
  REQUIRE(o.efficient);
  CHECK(o.efficient->workers == 147);
  CHECK(o.efficient->efficiency == Approx(97.024 / (0.824 * 147 - 0.066)).epsilon(1e-9));
  // At 0.99 even N = 2 fails (0.758 / (0.758 + 0.033) = 0.958); N = 1 is exactly 1.
  OptimumQuestions strict;
  strict.min_efficiency = 0.99;
  CHECK(one(Scheme::sharded, Mode::sync_join, std::nullopt, strict).efficient->workers == 1);
  // The central server is below 1 already at N = 1: 0.758 / 0.824 = 0.92.
  CHECK_FALSE(one(Scheme::central, Mode::sync_join, std::nullopt, strict).efficient);
}

TEST_CASE("knee: the first N where doubling gains less than 10 %") {
  // N = 128 -> 256: 117.82 -> 97.024 / (0.758 + 0.066 x 255/256) = 117.78, a loss. Every
  // smaller N gains at least 1.5x by doubling (I = 3 -> 2 or 2 -> 1 or halves), so 128.
  const auto o = one(Scheme::sharded, Mode::sync_join);
  REQUIRE(o.knee);
  CHECK(o.knee->workers == 128);
}

TEST_CASE("cheapest: minimum cost, within a deadline") {
  // At 3600 per worker-hour the cost is N x t_train in worker-seconds.
  OptimumQuestions q;
  q.worker_hour_price = 3600;
  // No deadline: N = 1 costs 128 x 0.758 = 97.024; N = 2 costs 2 x 64 x 0.791 = 101.248, and
  // more workers only add transfers.
  auto o = one(Scheme::sharded, Mode::sync_join, std::nullopt, q);
  REQUIRE(o.cheapest);
  CHECK(o.cheapest->workers == 1);
  CHECK(o.cheapest_cost == Approx(97.024).epsilon(1e-9));
  // Within 1 s only N >= 128 qualify (N = 64 takes 1.646 s); N = 128 costs
  // 128 x 0.8234844 = 105.406, N = 129 costs 129 x 0.758 + 0.066 x 128 = 106.23.
  q.deadline = Seconds{1};
  o = one(Scheme::sharded, Mode::sync_join, std::nullopt, q);
  REQUIRE(o.cheapest);
  CHECK(o.cheapest->workers == 128);
  CHECK(o.cheapest_cost == Approx(128 * 0.82348438).epsilon(1e-6));
  // Within 0.5 s nothing qualifies: every iteration has t_g = 0.758 s.
  q.deadline = Seconds{0.5};
  o = one(Scheme::sharded, Mode::sync_join, std::nullopt, q);
  CHECK_FALSE(o.cheapest);
  CHECK(o.cheapest_note == "no N meets the deadline of 0.0001389 h; the fastest, N = 128, takes "
                           "0.0002287 h");
}

TEST_CASE("bad questions are refused") {
  OptimumQuestions q;
  q.min_efficiency = 0;
  CHECK_THROWS_WITH_AS(one(Scheme::ring, Mode::sync_join, std::nullopt, q),
                       "optimal: --min-efficiency: 0; a number in (0, 1] expected", ConfigError);
  q = {};
  q.node_hour_price = 10;
  CHECK_THROWS_WITH_AS(one(Scheme::ring, Mode::sync_join, std::nullopt, q),
                       "optimal: --node-price needs the nodes described: --gpus-per-node G",
                       ConfigError);
}

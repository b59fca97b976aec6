// The MODELS.md findings from table 6.1, and the thesis estimate.py numbers.
#include <doctest/doctest.h>

#include <vector>

#include "dlscale/predict.hpp"
#include "thesis.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {
std::vector<Optimum> optima(const Scenario& s, const char* range) {
  return optimal(s, all_schemes(), all_modes(), parse_worker_range(range));
}
}  // namespace

TEST_CASE("VGG16E speedup stays below 1 for N in 2..4, every scheme and mode") {
  const Scenario s = test::vgg16e();
  for (const Scheme scheme : all_schemes())
    for (const Mode mode : all_modes()) {
      if (!supports(scheme, mode)) continue;
      CAPTURE(to_string(scheme));
      CAPTURE(to_string(mode));
      for (int n = 2; n <= 4; ++n) CHECK(predict(s, scheme, mode, n).speedup < 1.0);
      // N = 1: sharded and ring move nothing (2 (N-1) ... = 0) so exactly 1; central < 1.
      const double s1 = predict(s, scheme, mode, 1).speedup;
      if (scheme == Scheme::central || scheme == Scheme::central_semaphore)
        CHECK(s1 < 1.0);
      else
        CHECK(s1 == 1.0);
    }
}

TEST_CASE("VGG16E: the best choice over 1..4 workers is one worker") {
  const auto all = optima(test::vgg16e(), "4");
  const Optimum& best = overall_best(all);
  CHECK(best.best.workers == 1);
  CHECK(best.best.speedup == 1.0);
}

TEST_CASE("SqueezeNet, synchronous split, central server: fastest at N = 4 (mean estimate)") {
  const Scheme scheme[] = {Scheme::central};
  const Mode mode[] = {Mode::sync_split};
  const auto o = optimal(test::squeezenet(), scheme, mode, parse_worker_range("1:64"));
  REQUIRE(o.size() == 1);
  CHECK(o[0].best.workers == 4);
}

TEST_CASE("estimate.py: SqueezeNet sync-split central speedups for N = 1..8") {
  // I = D, so S = D t_g / (D t_iter) = t_g / t_iter with
  // t_iter = mean((N+1) t_c, 2N t_c) + t_g/N = (3N+1)/2 t_c + t_g/N.
  // N=1: 2*0.033 + 0.758 = 0.824 -> 0.758/0.824 = 0.919903
  // N=8: 12.5*0.033 + 0.758/8 = 0.4125 + 0.09475 = 0.50725 -> 0.758/0.50725 = 1.494332
  const double expected[] = {0.919903, 1.532861, 1.814844, 1.876238,
                             1.823869, 1.723380, 1.608366, 1.494332};
  const Scenario s = test::squeezenet();
  for (int n = 1; n <= 8; ++n) {
    const auto p = predict(s, Scheme::central, Mode::sync_split, n);
    CAPTURE(n);
    CHECK(p.speedup == Approx(expected[n - 1]).epsilon(1e-6));
    CHECK(p.iterations == 128);
  }
}

TEST_CASE("the even distributed server is never worse than the central one") {
  for (const Scenario& s : test::table_6_1())
    for (const Mode mode : all_modes())
      for (int n = 1; n <= 64; ++n) {
        const auto sh = predict(s, Scheme::sharded, mode, n);
        const auto ce = predict(s, Scheme::central, mode, n);
        CAPTURE(s.network);
        CAPTURE(n);
        CHECK(sh.t_train.best <= ce.t_train.best);
        CHECK(sh.t_train.worst <= ce.t_train.worst);
        CHECK(sh.t_train.estimate <= ce.t_train.estimate);
      }
}

TEST_CASE("with the central server, N = 1 is slower than serial training") {
  // N=1 sync: t_iter = 2 t_c + t_g in both cases (best (1+1) t_c, worst 2*1 t_c), so
  // S = t_g / (2 t_c + t_g); SqueezeNet 0.758 / 0.824 = 0.919903.
  for (const Scenario& s : test::table_6_1())
    for (const Mode mode : all_modes()) {
      const auto p = predict(s, Scheme::central, mode, 1);
      CHECK(p.speedup < 1.0);
      CHECK(p.speedup == Approx(s.t_grad.v / (2 * s.t_comm.v + s.t_grad.v)));
    }
}

TEST_CASE("speedup and efficiency follow 4.23") {
  // GoogLeNet sync-join sharded N=8: I = 16, t_iter = 2*0.210*7/8 + 0.763 = 0.3675 + 0.763
  // = 1.1305; t_train = 18.088; S = 128*0.763/18.088 = 97.664/18.088 = 5.39938; E = S/8
  const auto p = predict(test::googlenet(), Scheme::sharded, Mode::sync_join, 8);
  CHECK(p.iterations == 16);
  CHECK(p.t_iter.estimate.v == Approx(1.1305));
  CHECK(p.t_train.estimate.v == Approx(18.088));
  CHECK(p.speedup == Approx(5.39938));
  CHECK(p.efficiency == Approx(5.39938 / 8));
  CHECK(p.notes.empty());
}

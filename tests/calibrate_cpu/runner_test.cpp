// The runner on real networks at batch 8: finite, positive times whose per-layer parts add up
// inside each pass's wall time; rates and the estimate are consistent. Nothing asserts on speed.
#include <doctest/doctest.h>

#include "calibrate/cpu/runner.hpp"
#include "dlscale/error.hpp"

using namespace dlscale::calib;
using dlscale::Seconds;

namespace {

void check_measurement(const GradMeasurement& m, int layers) {
  REQUIRE(m.layers.size() == static_cast<std::size_t>(layers));
  REQUIRE(m.t_grad_samples.size() == 3);
  CHECK(m.threads >= 1);
  for (std::size_t r = 0; r < m.t_grad_samples.size(); ++r) {
    // the per-layer clocks run inside the pass's clock, so their sum cannot exceed it
    Seconds parts;
    for (const auto& l : m.layers) parts += l.forward_samples[r] + l.backward_samples[r];
    CHECK(parts.v > 0);
    CHECK(parts <= m.t_grad_samples[r]);
  }
  for (const auto& l : m.layers) {
    CHECK(l.forward.v > 0);
    CHECK(l.backward.v > 0);
    CHECK(l.forward.v < 60);
  }
  CHECK(m.t_grad.min <= m.t_grad.median);
  CHECK(m.t_grad.median <= m.t_grad.max);
  CHECK(m.t_grad.min.v > 0);
}

}  // namespace

TEST_CASE("MNIST MLP end to end at batch 8") {
  const auto net = dlscale::load_network("MNIST-MLP", dlscale::DataSource::embedded());
  const auto m = measure_grad(net, {8, 1, 3});
  check_measurement(m, 8);  // 4 fc, 3 relu, softmax
  REQUIRE(m.classes.size() == 3);
  const auto& fc = m.classes[0];
  CHECK(fc.kind == dlscale::LayerKind::fc);
  CHECK(fc.per_mac);
  // 784*128 + 128*64 + 64*32 + 32*10 = 110,912 MACs per sample, x 3 x batch 8
  CHECK(fc.work == doctest::Approx(3.0 * 110912 * 8));
  CHECK(fc.rate > 0);
}

TEST_CASE("CIFAR10-CNN end to end at batch 8; the estimate from its own rates gives back its times") {
  const auto net = dlscale::load_network("CIFAR10-CNN", dlscale::DataSource::embedded());
  const auto m = measure_grad(net, {8, 1, 3});
  check_measurement(m, 13);  // 3 x (conv, relu, maxpool), flatten, dropout, fc, softmax
  Seconds sum;
  for (const auto& l : m.layers) sum += l.forward + l.backward;
  const auto e = estimate_t_grad(net, 8, m.classes);
  CHECK(e.unmeasured.empty());
  CHECK(e.t_grad.v == doctest::Approx(sum.v).epsilon(1e-9));
  // the MLP has no conv: its estimate from these rates uses the fc, relu and softmax classes
  const auto mlp = dlscale::load_network("MNIST-MLP", dlscale::DataSource::embedded());
  CHECK(estimate_t_grad(mlp, 8, m.classes).unmeasured.empty());
  const auto squeeze = dlscale::load_network("SqueezeNet", dlscale::DataSource::embedded());
  const auto es = estimate_t_grad(squeeze, 8, m.classes);
  CHECK(es.unmeasured == std::vector{dlscale::LayerKind::concat, dlscale::LayerKind::global_avgpool});
}

TEST_CASE("batch sweep returns one measurement per batch size, in order") {
  const auto net = dlscale::load_network("MNIST-MLP", dlscale::DataSource::embedded());
  const std::vector<int> batches{1, 4, 16};
  const auto s = sweep_batches(net, batches, {0, 0, 1});
  REQUIRE(s.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(s[i].batch == batches[i]);
}

TEST_CASE("median and spread") {
  const std::vector<Seconds> odd{{3}, {1}, {2}}, even{{4}, {1}, {3}, {2}};
  CHECK(spread_of(odd).median.v == 2);
  CHECK(spread_of(even).median.v == 2.5);
  CHECK(spread_of(even).min.v == 1);
  CHECK(spread_of(even).max.v == 4);
}

TEST_CASE("bad options are ConfigErrors") {
  const auto net = dlscale::load_network("MNIST-MLP", dlscale::DataSource::embedded());
  CHECK_THROWS_AS(measure_grad(net, {0, 1, 3}), dlscale::ConfigError);
  CHECK_THROWS_AS(measure_grad(net, {8, 1, 0}), dlscale::ConfigError);
  CHECK_THROWS_AS(measure_grad(net, {8, -1, 3}), dlscale::ConfigError);
}

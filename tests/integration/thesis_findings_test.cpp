// The thesis's findings (MODELS.md, chapters 6 and 7) reproduced end to end: the embedded
// default profile (table 6.1) plus the shipped network descriptions, through `predict`.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "dlscale/fit.hpp"
#include "dlscale/network.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/profile.hpp"

using namespace dlscale;

namespace {

const std::vector<std::string> thesis_networks = {"VGG16E", "GoogLeNet", "SqueezeNet", "ResNet34"};

Scenario thesis_scenario(const std::string& name) {
  const Profile profile = default_profile();
  const ProfileEntry* entry = profile.find(name);
  REQUIRE(entry != nullptr);
  REQUIRE(entry->t_comm.has_value());
  Scenario s;
  s.network = name;
  s.t_grad = entry->grad_at().t_grad;
  s.t_comm = *entry->t_comm;
  s.batches = 128;  // the thesis's experiments: D = 128
  return s;
}

double estimate_speedup(const std::string& net, Scheme scheme, Mode mode, int n) {
  return predict(thesis_scenario(net), scheme, mode, n).speedup;
}

}  // namespace

TEST_CASE("VGG16E: no scheme or mode beats one worker on 1..4 workers") {
  // t_comm = 5.153 s is 7x t_grad = 0.719 s: any exchange of weights costs more than the
  // compute it parallelises. At N = 1 the sharded server and the ring have no transfer at
  // all (factor N - 1 = 0), so their speedup is exactly 1; every other case is below 1.
  for (Scheme scheme : all_schemes())
    for (Mode mode : all_modes()) {
      if (!supports(scheme, mode)) continue;
      CAPTURE(to_string(scheme));
      CAPTURE(to_string(mode));
      CHECK(estimate_speedup("VGG16E", scheme, mode, 1) <= 1.0 + 1e-12);
      for (int n = 2; n <= 4; ++n) CHECK(estimate_speedup("VGG16E", scheme, mode, n) < 1.0);
    }
}

TEST_CASE("SqueezeNet, synchronous split, central server: fastest at N = 4") {
  // Mean estimate t_iter = (3N + 1)/2 t_c + t_g / N with t_c = 0.033, t_g = 0.758:
  // N=3: 0.165 + 0.2527 = 0.4177; N=4: 0.2145 + 0.1895 = 0.4040; N=5: 0.264 + 0.1516 = 0.4156.
  const auto rows = optimal(thesis_scenario("SqueezeNet"), std::vector{Scheme::central},
                            std::vector{Mode::sync_split}, parse_worker_range("1:64"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].best.workers == 4);
  CHECK(rows[0].best.speedup == doctest::Approx(0.758 / 0.4040).epsilon(1e-3));
}

TEST_CASE("the distributed server is never worse than the central one") {
  for (const auto& net : thesis_networks)
    for (Mode mode : all_modes())
      for (int n = 1; n <= 64; ++n) {
        CAPTURE(net);
        CAPTURE(n);
        const auto s = thesis_scenario(net);
        const auto central = predict(s, Scheme::central, mode, n);
        const auto sharded = predict(s, Scheme::sharded, mode, n);
        CHECK(sharded.t_train.estimate.v <= central.t_train.estimate.v * (1 + 1e-12));
        CHECK(sharded.t_train.worst.v <= central.t_train.best.v * (1 + 1e-12));
      }
}

TEST_CASE("central server on one worker is slower than serial training") {
  // N = 1: t_iter = 2 t_c + t_g in both bounds, so S = t_g / (2 t_c + t_g) < 1.
  for (const auto& net : thesis_networks)
    for (Mode mode : all_modes()) CHECK(estimate_speedup(net, Scheme::central, mode, 1) < 1.0);
}

TEST_CASE("one bandwidth explains table 6.1's four t_comm values within 10 %") {
  // Bytes at the thesis's set-up (profile params: 256 classes, 224x224, no aux heads), fp32:
  //   VGG16E 140,619,072 x 4 = 562,476,288 B in 5.153 s; GoogLeNet 6,235,952 x 4 = 24,943,808 B
  //   in 0.210 s; SqueezeNet 866,752 x 4 = 3,467,008 B in 0.033 s; ResNet34 21,416,000 x 4 =
  //   85,664,000 B in 0.811 s. Per-network rates 109.2, 118.8, 105.1, 105.6 MB/s; the relative
  //   least-squares rate lies between them (about 109 MB/s, 87 % of 1 Gbit/s), so the largest
  //   residual is GoogLeNet's, about (109/118.8 - 1) = -8 %.
  const Profile profile = default_profile();
  std::vector<TransferSample> samples;
  for (const auto& name : thesis_networks) {
    const ProfileEntry* entry = profile.find(name);
    REQUIRE(entry != nullptr);
    NetworkParams params;
    for (const auto& [key, value] : entry->params) params.values[key] = value;
    const Network net = load_network(name, DataSource::embedded(), params);
    samples.push_back({net.weight_bytes(Precision::fp32), *entry->t_comm});
  }
  CHECK(samples[0].bytes.v == 562'476'288);
  const LinkFit fit = fit_bandwidth(samples);
  CAPTURE(fit.link.beta.v);
  CHECK(fit.link.beta.v > 105e6);
  CHECK(fit.link.beta.v < 119e6);
  CHECK(fit.link.beta.v < 125e6);  // below the 1 Gbit/s line rate
  for (double r : fit.relative_residuals) CHECK(std::abs(r) < 0.10);
  CHECK_FALSE(fit.bad_fit);
}

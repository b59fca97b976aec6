// Least-squares link fits on synthetic samples with a known alpha and beta.
#include <doctest/doctest.h>

#include <vector>

#include "dlscale/error.hpp"
#include "dlscale/fit.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {
// t = alpha + bytes / beta, times (1 + noise[i]).
std::vector<TransferSample> synthetic(double alpha, double beta, std::vector<double> noise = {}) {
  std::vector<TransferSample> out;
  const std::uint64_t sizes[] = {1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000};
  for (std::size_t i = 0; i < 6; ++i) {
    const double t = alpha + static_cast<double>(sizes[i]) / beta;
    out.push_back({Bytes{sizes[i]}, Seconds{t * (1 + (noise.empty() ? 0.0 : noise[i]))}});
  }
  return out;
}
}  // namespace

TEST_CASE("exact samples give back alpha and beta") {
  // alpha 1e-4 s, beta 1e8 B/s: t(1e3) = 1e-4 + 1e-5 = 1.1e-4 ... t(1e8) = 1.0001
  const auto f = fit_link(synthetic(1e-4, 1e8));
  CHECK(f.link.alpha.v == Approx(1e-4).epsilon(1e-9));
  CHECK(f.link.beta.v == Approx(1e8).epsilon(1e-9));
  CHECK(f.max_abs_residual < 1e-9);
  CHECK(f.r_squared == Approx(1.0));
  CHECK(f.relative_residuals.size() == 6);
  CHECK_FALSE(f.negative_alpha);
  CHECK_FALSE(f.bad_fit);
}

TEST_CASE("±2 % noise: the fit stays within a few percent and is not flagged") {
  const auto f = fit_link(synthetic(1e-4, 1e8, {0.02, -0.02, 0.02, -0.02, 0.02, -0.02}));
  CHECK(f.link.alpha.v == Approx(1e-4).epsilon(0.10));
  CHECK(f.link.beta.v == Approx(1e8).epsilon(0.05));
  CHECK(f.max_abs_residual < 0.03);  // at most about the 2 % put in
  CHECK(f.r_squared > 0.99);
  CHECK_FALSE(f.bad_fit);
}

TEST_CASE("one sample 50 % off is flagged as a bad fit") {
  const auto f = fit_link(synthetic(1e-4, 1e8, {0, 0, 0.5, 0, 0, 0}));
  CHECK(f.bad_fit);
  CHECK(f.max_abs_residual > 0.10);
}

TEST_CASE("a negative intercept is reported, not clamped") {
  // t = -1e-6 + bytes / 1e8: the smallest is 1e-5 - 1e-6 = 9e-6 > 0
  const auto f = fit_link(synthetic(-1e-6, 1e8));
  CHECK(f.negative_alpha);
  CHECK(f.link.alpha.v == Approx(-1e-6).epsilon(1e-6));
}

TEST_CASE("for a profile, a negative intercept is refitted with alpha = 0") {
  // t = bytes / 1e9 - 2e-5 at 1, 2 and 4 MB: 9.8e-4, 1.98e-3, 3.98e-3 s. The free fit finds
  // alpha = -2e-5 exactly; under alpha >= 0 the optimum is alpha = 0 and fit_bandwidth's
  // k = sum(u) / sum(u^2), u = bytes / t = 1.020408e9, 1.010101e9, 1.005025e9 B/s:
  // beta = 1 / k = sum(u^2) / sum(u) = 1.011885e9 B/s.
  const std::vector<TransferSample> s{{Bytes{1'000'000}, Seconds{9.8e-4}},
                                      {Bytes{2'000'000}, Seconds{1.98e-3}},
                                      {Bytes{4'000'000}, Seconds{3.98e-3}}};
  CHECK(fit_link(s).link.alpha.v == Approx(-2e-5).epsilon(1e-6));
  const auto f = fit_link_nonnegative(s);
  CHECK(f.link.alpha.v == 0);
  CHECK(f.link.beta.v == Approx(1.0118852468e9).epsilon(1e-9));
  REQUIRE(f.refitted_from_alpha.has_value());
  CHECK(f.refitted_from_alpha->v == Approx(-2e-5).epsilon(1e-6));
  // A positive intercept is fit_link's own.
  const auto g = fit_link_nonnegative(synthetic(1e-4, 1e8));
  CHECK_FALSE(g.refitted_from_alpha.has_value());
  CHECK(g.link.alpha.v == Approx(1e-4).epsilon(1e-6));
}

TEST_CASE("degenerate samples are rejected") {
  const std::vector<TransferSample> one_size{{Bytes{1000}, Seconds{1e-3}},
                                             {Bytes{1000}, Seconds{2e-3}}};
  CHECK_THROWS_WITH_AS(fit_link(one_size),
                       "fit: 2 samples with 1 distinct size(s); at least 2 distinct message "
                       "sizes expected",
                       ConfigError);
  CHECK_THROWS_AS(fit_link(std::vector<TransferSample>{}), ConfigError);
  const std::vector<TransferSample> zero_time{{Bytes{1000}, Seconds{0}},
                                              {Bytes{2000}, Seconds{1e-3}}};
  CHECK_THROWS_WITH_AS(fit_link(zero_time),
                       "fit: sample 0 (1000 bytes): seconds = 0; a finite number > 0 [s] expected",
                       ConfigError);
  const std::vector<TransferSample> shrinking{{Bytes{1000}, Seconds{2e-3}},
                                              {Bytes{2000}, Seconds{1e-3}}};
  CHECK_THROWS_AS(fit_link(shrinking), ConfigError);
}

TEST_CASE("through-origin fit: one effective bandwidth") {
  // t = bytes / 1.25e8 exactly (1 Gbit/s): beta = 1.25e8, alpha = 0
  const auto f = fit_bandwidth(synthetic(0.0, 1.25e8));
  CHECK(f.link.alpha.v == 0.0);
  CHECK(f.link.beta.v == Approx(1.25e8));
  CHECK(f.max_abs_residual < 1e-12);
  // With a real latency the smallest message is badly explained: t(1e3) = 1e-4 + 8e-6
  // while a pure bandwidth fit dominated by the large sizes predicts about 8e-6.
  CHECK(fit_bandwidth(synthetic(1e-4, 1.25e8)).bad_fit);
  const std::vector<TransferSample> empty_msgs{{Bytes{0}, Seconds{1e-3}}};
  CHECK_THROWS_WITH_AS(fit_bandwidth(empty_msgs),
                       "fit: 1 samples, all of 0 bytes; at least one size > 0 expected",
                       ConfigError);
}

// Pooling, batch norm, LRN, ReLU, dropout, softmax loss and concat: forward against direct
// computation, backward against central finite differences of L = <r, y>, in double.
#include <doctest/doctest.h>

#include <cmath>

#include "calibrate/cpu/norm.hpp"
#include "calibrate/cpu/pointwise.hpp"
#include "calibrate/cpu/pool.hpp"
#include "fd.hpp"

using namespace dlscale::calib;
using dlscale::test::random_vec, dlscale::test::max_fd_error, dlscale::test::fd_tolerance,
    dlscale::test::dot;

namespace {
// k=3, s=2, p=1 on 6x6 in ceil mode: ceil((6 + 2 - 3) / 2) + 1 = 4 (floor mode gives 3); the
// last window starts at 5, inside the input, so Caffe keeps it. It covers rows 5..7 of which
// only row 5 exists: the average divides by min(5 + 3, 6 + 1) - 5 = 2 rows.
const PoolGeom ceil_pool{{2, 3, 6, 6}, {2, 3, 4, 4}, 3, 2, 1};
}  // namespace

TEST_CASE("maxpool in ceil mode: forward picks the window maximum, backward routes dy there") {
  const auto& g = ceil_pool;
  auto x = random_vec(static_cast<std::size_t>(g.in.size()), 11);
  const auto r = random_vec(static_cast<std::size_t>(g.out.size()), 12);
  std::vector<double> y(r.size()), dx(x.size());
  std::vector<std::int32_t> arg;
  maxpool_forward(g, x.data(), y.data(), arg);
  // last window of plane 0: rows 5, cols 5 only (the rest is padding past the edge)
  CHECK(y[15] == x[35]);
  // first window: rows 0..1, cols 0..1
  CHECK(y[0] == std::max(std::max(x[0], x[1]), std::max(x[6], x[7])));
  maxpool_backward(g, r.data(), arg, dx.data());
  auto loss = [&] { maxpool_forward(g, x.data(), y.data(), arg); return dot(r, y); };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
}

TEST_CASE("avgpool in ceil mode divides by the window clipped to the padded input") {
  const auto& g = ceil_pool;
  auto x = random_vec(static_cast<std::size_t>(g.in.size()), 13);
  const auto r = random_vec(static_cast<std::size_t>(g.out.size()), 14);
  std::vector<double> y(r.size()), dx(x.size());
  avgpool_forward(g, x.data(), y.data());
  CHECK(y[15] == doctest::Approx(x[35] / 4));                      // 2 x 2 padded window
  CHECK(y[0] == doctest::Approx((x[0] + x[1] + x[6] + x[7]) / 9));  // 3 x 3 incl. left pad
  avgpool_backward(g, r.data(), dx.data());
  auto loss = [&] { avgpool_forward(g, x.data(), y.data()); return dot(r, y); };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
}

TEST_CASE("global average pooling: plane means and their gradient") {
  const Dims d{2, 3, 4, 5};
  auto x = random_vec(static_cast<std::size_t>(d.size()), 15);
  const auto r = random_vec(6, 16);
  std::vector<double> y(6), dx(x.size());
  global_avgpool_forward(d, x.data(), y.data());
  double s = 0;
  for (int i = 20; i < 40; ++i) s += x[static_cast<std::size_t>(i)];
  CHECK(y[1] == doctest::Approx(s / 20));
  global_avgpool_backward(d, r.data(), dx.data());
  auto loss = [&] { global_avgpool_forward(d, x.data(), y.data()); return dot(r, y); };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
}

TEST_CASE("batch norm in training mode: normalised output and gradients through the statistics") {
  const Dims d{3, 2, 2, 3};
  auto x = random_vec(static_cast<std::size_t>(d.size()), 17, -2, 3);
  auto gamma = random_vec(2, 18, 0.5, 1.5), beta = random_vec(2, 19);
  const auto r = random_vec(x.size(), 20);
  std::vector<double> y(x.size()), dx(x.size()), dg(2), dbeta(2);
  BatchNormSaved<double> saved;
  batchnorm_forward(d, x.data(), gamma.data(), beta.data(), y.data(), saved);
  // channel 0 of the output has mean beta[0] and variance gamma[0]^2 (up to eps)
  double mean = 0, var = 0;
  for (std::int64_t n = 0; n < 3; ++n)
    for (int p = 0; p < 6; ++p) mean += y[static_cast<std::size_t>(n * 12 + p)] / 18;
  for (std::int64_t n = 0; n < 3; ++n)
    for (int p = 0; p < 6; ++p) var += std::pow(y[static_cast<std::size_t>(n * 12 + p)] - mean, 2) / 18;
  CHECK(mean == doctest::Approx(beta[0]));
  CHECK(var == doctest::Approx(gamma[0] * gamma[0]).epsilon(1e-4));
  batchnorm_backward(d, x.data(), gamma.data(), r.data(), saved, dx.data(), dg.data(), dbeta.data());
  auto loss = [&] {
    batchnorm_forward(d, x.data(), gamma.data(), beta.data(), y.data(), saved);
    return dot(r, y);
  };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
  CHECK(max_fd_error(gamma, dg, loss) < fd_tolerance);
  CHECK(max_fd_error(beta, dbeta, loss) < fd_tolerance);
}

TEST_CASE("LRN across channels, with alpha large enough that the cross term matters") {
  // alpha = 1e-4 (Caffe's default) would hide a wrong cross-channel term below the tolerance.
  const LrnParams p{3, 1.0, 0.75, 2.0};
  const Dims d{2, 5, 2, 2};
  auto x = random_vec(static_cast<std::size_t>(d.size()), 21);
  const auto r = random_vec(x.size(), 22);
  std::vector<double> y(x.size()), dx(x.size()), scale;
  lrn_forward(d, p, x.data(), y.data(), scale);
  // channel 0, pixel 0: window is channels 0..1 (size 3 clipped at the edge)
  const double s0 = 2.0 + 1.0 / 3 * (x[0] * x[0] + x[4] * x[4]);
  CHECK(y[0] == doctest::Approx(x[0] * std::pow(s0, -0.75)));
  lrn_backward(d, p, x.data(), y.data(), r.data(), scale, dx.data());
  auto loss = [&] { lrn_forward(d, p, x.data(), y.data(), scale); return dot(r, y); };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
}

TEST_CASE("ReLU and dropout gradients") {
  auto x = random_vec(50, 23);
  for (auto& v : x) v += v > 0 ? 0.01 : -0.01;  // keep every input away from the kink
  const auto r = random_vec(50, 24);
  std::vector<double> y(50), dx(50), mask;
  relu_backward(50, (relu_forward(50, x.data(), y.data()), y.data()), r.data(), dx.data());
  auto loss = [&] { relu_forward(50, x.data(), y.data()); return dot(r, y); };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);

  std::mt19937 rng(7);
  dropout_forward(50, 0.5, x.data(), y.data(), mask, rng);
  dropout_backward(50, r.data(), mask, dx.data());
  int kept = 0;
  for (std::size_t i = 0; i < 50; ++i) {
    REQUIRE((mask[i] == 0.0 || mask[i] == 2.0));  // inverted dropout: kept units scale by 2
    CHECK(y[i] == x[i] * mask[i]);
    CHECK(dx[i] == r[i] * mask[i]);
    kept += mask[i] > 0;
  }
  CHECK(kept > 10);
  CHECK(kept < 40);
}

TEST_CASE("softmax cross-entropy: loss of a known case and gradient") {
  const std::vector<std::int32_t> labels{2, 0};
  std::vector<double> z{0, 0, std::log(2.0), 1, 2, 3}, p(6), dz(6);
  // sample 0: p = (1/4, 1/4, 1/2), loss -log(1/2); sample 1: label 0
  const double l = softmax_xent_forward<double>(2, 3, z.data(), labels, p.data());
  const double l1 = -(1 - std::log(std::exp(1) + std::exp(2) + std::exp(3)));
  CHECK(l == doctest::Approx((std::log(2.0) + l1) / 2));
  CHECK(p[2] == doctest::Approx(0.5));
  softmax_xent_backward<double>(2, 3, p.data(), labels, dz.data());
  auto loss = [&] { return softmax_xent_forward<double>(2, 3, z.data(), labels, p.data()); };
  CHECK(max_fd_error(z, dz, loss) < fd_tolerance);
}

TEST_CASE("concat backward is the adjoint of concat forward") {
  // <dy, concat(a, b)> = <slice_a(dy), a> + <slice_b(dy), b> for any dy
  const std::vector<std::int64_t> sizes{3, 5};
  const auto a = random_vec(6, 25), b = random_vec(10, 26), dy = random_vec(16, 27);
  std::vector<double> y(16), da(6), db(10);
  const std::vector<const double*> xs{a.data(), b.data()};
  concat_forward<double>(2, sizes, xs, y.data());
  CHECK(y[3] == b[0]);   // sample 0: a0 a1 a2 b0 ...
  CHECK(y[8] == a[3]);   // sample 1 starts at 8 with a3
  concat_backward<double>(2, sizes, 0, dy.data(), da.data());
  concat_backward<double>(2, sizes, 1, dy.data(), db.data());
  CHECK(dot(dy, y) == doctest::Approx(dot(da, a) + dot(db, b)));
}

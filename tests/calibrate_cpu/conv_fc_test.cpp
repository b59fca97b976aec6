// Convolution and fully connected kernels: forward against naive loops, backward against
// central finite differences of L = <r, y> (so dL/dy = r), all in double.
#include <doctest/doctest.h>

#include "calibrate/cpu/conv.hpp"
#include "calibrate/cpu/conv_isa.hpp"
#include "fd.hpp"

using namespace dlscale::calib;
using dlscale::test::random_vec, dlscale::test::max_fd_error, dlscale::test::fd_tolerance;

namespace {

// 2 samples, 4 -> 6 channels in 2 groups, 3x2 kernel, stride 2, pad 1 (height) and 0 (width):
// out h = (7 + 2 - 3) / 2 + 1 = 4, out w = (6 - 2) / 2 + 1 = 3.
ConvGeom small_conv() {
  return {{2, 4, 7, 6}, {2, 6, 4, 3}, 3, 2, 2, 1, 0, 2};
}

std::vector<double> naive_conv(const ConvGeom& g, const std::vector<double>& x,
                               const std::vector<double>& w, const std::vector<double>& b) {
  std::vector<double> y(static_cast<std::size_t>(g.out.size()));
  const auto ci_g = g.in.c / g.groups, co_g = g.out.c / g.groups;
  std::size_t o = 0;
  for (std::int64_t n = 0; n < g.out.n; ++n)
    for (std::int64_t co = 0; co < g.out.c; ++co)
      for (std::int64_t oy = 0; oy < g.out.h; ++oy)
        for (std::int64_t ox = 0; ox < g.out.w; ++ox, ++o) {
          double s = b[static_cast<std::size_t>(co)];
          for (std::int64_t ci = 0; ci < ci_g; ++ci)
            for (int ky = 0; ky < g.kh; ++ky)
              for (int kx = 0; kx < g.kw; ++kx) {
                const auto iy = oy * g.stride - g.pad_h + ky, ix = ox * g.stride - g.pad_w + kx;
                if (iy < 0 || iy >= g.in.h || ix < 0 || ix >= g.in.w) continue;
                const auto c = co / co_g * ci_g + ci;
                s += w[static_cast<std::size_t>(((co * ci_g + ci) * g.kh + ky) * g.kw + kx)] *
                     x[static_cast<std::size_t>(((n * g.in.c + c) * g.in.h + iy) * g.in.w + ix)];
              }
          y[o] = s;
        }
  return y;
}

}  // namespace

TEST_CASE("conv forward with stride, asymmetric padding and groups matches naive loops") {
  const auto g = small_conv();
  auto x = random_vec(static_cast<std::size_t>(g.in.size()), 1);
  auto w = random_vec(static_cast<std::size_t>(g.out.c * g.k_rows()), 2);
  auto b = random_vec(static_cast<std::size_t>(g.out.c), 3);
  std::vector<double> y(static_cast<std::size_t>(g.out.size()));
  ConvScratch<double> s;
  conv_forward(g, x.data(), w.data(), b.data(), y.data(), s);
  const auto want = naive_conv(g, x, w, b);
  for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(want[i]).epsilon(1e-12));
}

TEST_CASE("conv backward: data, filter and bias gradients match finite differences") {
  const auto g = small_conv();
  auto x = random_vec(static_cast<std::size_t>(g.in.size()), 1);
  auto w = random_vec(static_cast<std::size_t>(g.out.c * g.k_rows()), 2);
  auto b = random_vec(static_cast<std::size_t>(g.out.c), 3);
  const auto r = random_vec(static_cast<std::size_t>(g.out.size()), 4);
  std::vector<double> y(r.size()), dx(x.size()), dw(w.size()), db(b.size());
  ConvScratch<double> s;
  conv_backward(g, x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data(), s);
  auto loss = [&] {
    conv_forward(g, x.data(), w.data(), b.data(), y.data(), s);
    return dlscale::test::dot(r, y);
  };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
  CHECK(max_fd_error(w, dw, loss) < fd_tolerance);
  CHECK(max_fd_error(b, db, loss) < fd_tolerance);
}

TEST_CASE("fc forward matches naive loops and its gradients match finite differences") {
  const std::int64_t batch = 3, in = 5, out = 4;
  auto x = random_vec(batch * in, 5), w = random_vec(out * in, 6), b = random_vec(out, 7);
  const auto r = random_vec(batch * out, 8);
  std::vector<double> y(r.size()), dx(x.size()), dw(w.size()), db(b.size());
  fc_forward<double>(batch, in, out, x.data(), w.data(), b.data(), y.data());
  for (std::int64_t n = 0; n < batch; ++n)
    for (std::int64_t o = 0; o < out; ++o) {
      double s = b[static_cast<std::size_t>(o)];
      for (std::int64_t i = 0; i < in; ++i)
        s += w[static_cast<std::size_t>(o * in + i)] * x[static_cast<std::size_t>(n * in + i)];
      CHECK(y[static_cast<std::size_t>(n * out + o)] == doctest::Approx(s).epsilon(1e-12));
    }
  fc_backward<double>(batch, in, out, x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data());
  auto loss = [&] {
    fc_forward<double>(batch, in, out, x.data(), w.data(), b.data(), y.data());
    return dlscale::test::dot(r, y);
  };
  CHECK(max_fd_error(x, dx, loss) < fd_tolerance);
  CHECK(max_fd_error(w, dw, loss) < fd_tolerance);
  CHECK(max_fd_error(b, db, loss) < fd_tolerance);
}

#if DLSCALE_HAVE_X86_64_V3_KERNELS
TEST_CASE("the x86-64-v3 copy of the conv and fc kernels equals the baseline copy") {
  __builtin_cpu_init();
  if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))) {
    MESSAGE("no AVX2/FMA here: only the baseline copy runs");
    return;
  }
  const auto g = small_conv();
  auto x = random_vec(static_cast<std::size_t>(g.in.size()), 1);
  auto w = random_vec(static_cast<std::size_t>(g.out.c * g.k_rows()), 2);
  auto b = random_vec(static_cast<std::size_t>(g.out.c), 3);
  const auto r = random_vec(static_cast<std::size_t>(g.out.size()), 4);
  std::vector<double> y0(r.size()), y1(r.size()), dx0(x.size()), dx1(x.size()), dw0(w.size()),
      dw1(w.size()), db0(b.size()), db1(b.size());
  ConvScratch<double> s;
  baseline::conv_forward(g, x.data(), w.data(), b.data(), y0.data(), s);
  x86_64_v3::conv_forward(g, x.data(), w.data(), b.data(), y1.data(), s);
  baseline::conv_backward(g, x.data(), w.data(), r.data(), dx0.data(), dw0.data(), db0.data(), s);
  x86_64_v3::conv_backward(g, x.data(), w.data(), r.data(), dx1.data(), dw1.data(), db1.data(), s);
  for (std::size_t i = 0; i < y0.size(); ++i) REQUIRE(y1[i] == doctest::Approx(y0[i]).epsilon(1e-12));
  for (std::size_t i = 0; i < dx0.size(); ++i) REQUIRE(dx1[i] == doctest::Approx(dx0[i]).epsilon(1e-12));
  for (std::size_t i = 0; i < dw0.size(); ++i) REQUIRE(dw1[i] == doctest::Approx(dw0[i]).epsilon(1e-12));
  for (std::size_t i = 0; i < db0.size(); ++i) REQUIRE(db1[i] == doctest::Approx(db0[i]).epsilon(1e-12));
}
#endif

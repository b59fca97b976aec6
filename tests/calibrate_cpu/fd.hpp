#pragma once
// Test helpers: seeded random buffers and central finite differences in double.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace dlscale::test {

inline std::vector<double> random_vec(std::size_t n, unsigned seed, double lo = -1, double hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Worst |numeric - analytic| / max(1, |numeric|) over every element of v, where numeric is the
// central difference (f(v + h e_i) - f(v - h e_i)) / 2h. Double precision: the truncation error
// is O(h^2) ~ 1e-10, so a correct gradient lands near 1e-8 and a wrong one near 1e-1.
template <class F>
double max_fd_error(std::vector<double>& v, const std::vector<double>& analytic, F scalar,
                    double h = 1e-5) {
  double worst = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double old = v[i];
    v[i] = old + h;
    const double plus = scalar();
    v[i] = old - h;
    const double minus = scalar();
    v[i] = old;
    const double numeric = (plus - minus) / (2 * h);
    worst = std::max(worst, std::abs(numeric - analytic[i]) / std::max(1.0, std::abs(numeric)));
  }
  return worst;
}

constexpr double fd_tolerance = 1e-6;

}  // namespace dlscale::test

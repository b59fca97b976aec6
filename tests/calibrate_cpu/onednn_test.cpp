// The oneDNN backend, every layer kind: (1) its loss and gradients equal the Eigen reference's
// in double (Executor<double>, itself checked against finite differences) from the same seeded
// weights and input; (2) its own gradients match central finite differences of its own
// forward pass, in float. Float differences are noisier than the double ones in fd.hpp, so
// (2) compares whole tensors: |numeric - analytic| / |numeric| (Euclidean norms; |numeric|
// counts as at least 0.01 per element, as a gradient that is zero in theory, such as a conv
// bias before batch norm, leaves only rounding), which stays below 1e-2 for a right gradient
// and is about 1 for a wrong one (a missing branch, a swapped layout). The step, 1e-3, is a
// compromise: larger ones move ReLU and max-pool inputs across their kinks (at 1e-2 the MLP's
// fc1 error is 0.3), smaller ones leave float rounding (at 5e-4 the largest error here is
// 4e-3, at 1e-3 2e-3).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "calibrate/cpu/executor.hpp"
#include "calibrate/cpu/onednn/executor.hpp"
#include "calibrate/cpu/runner.hpp"
#include "dlscale/error.hpp"

using namespace dlscale::calib;

namespace {

// Fan-out (r1 read by three layers), add, concat, grouped and 1x1 conv, batch norm, LRN,
// ceil-mode max pooling, average pooling, flatten, fc, softmax: executor_test's network.
constexpr const char* dag = R"(name tiny-dag
input   data 2 6 6
conv    c1 4 k=3 p=1
relu    r1
conv    a 4 k=1 from=r1
conv    b 4 k=3 p=1 g=2 from=r1
add     sum from=a,b,r1
concat  cat from=sum,a
batchnorm bn
lrn     norm
maxpool mp k=3 s=2 ceil=1
avgpool ap k=2 s=1
flatten flat
fc      out 3
softmax prob
)";

// Stride 2 with padding, a 1x3 kernel with width-only padding, no bias, batch norm after it,
// padded max pooling, global average pooling, dropout and fc after fc.
constexpr const char* strided = R"(name strided
input   data 3 9 9
conv    c1 8 k=3 s=2 p=1
relu    r1
conv    c2 16 kh=1 kw=3 ph=0 pw=1 bias=0
batchnorm bn
relu    r2
maxpool mp k=3 s=1 p=1
gavgpool gap
fc      f1 6
relu    r3
dropout drop
fc      f2 3 bias=0
softmax prob
)";

// An MLP: fc straight on the 4-D input, as MNIST-MLP.
constexpr const char* mlp = R"(name mlp
input   image 1 5 5
fc      fc1 7
relu    r1
fc      fc2 3
softmax prob
)";

const LrnParams strong_lrn{3, 1.0, 0.75, 2.0};  // a cross-channel term large enough to check
constexpr float step = 1e-3f;                    // of the finite differences (see the top)

bool has_params(const dlscale::Layer& L) {
  return L.kind == dlscale::LayerKind::conv || L.kind == dlscale::LayerKind::fc ||
         L.kind == dlscale::LayerKind::batchnorm;
}

// Largest |a - b| over the tensor, relative to its largest |b| (at least 1e-3: the biases of
// convs whose outputs meet batch norm have a gradient of zero in theory, and rounding there
// must not count).
template <class A, class B>
double max_relative_difference(const A& a, const B& b) {
  double diff = 0, scale = 1e-3;
  for (std::size_t k = 0; k < b.size(); ++k) {
    diff = std::max(diff, std::abs(double(a[k]) - double(b[k])));
    scale = std::max(scale, std::abs(double(b[k])));
  }
  return diff / scale;
}

// Central differences of the loss over every element of `v`, as a norm ratio.
double fd_norm_error(OnednnExecutor& ex, std::span<float> v, std::span<const float> analytic_live,
                     float h) {
  const std::vector<float> analytic(analytic_live.begin(), analytic_live.end());
  double diff = 0, norm = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    const float old = v[k];
    v[k] = old + h;
    const double plus = ex.forward_all();
    v[k] = old - h;
    const double minus = ex.forward_all();
    v[k] = old;
    const double numeric = (plus - minus) / (2.0 * double(h));
    diff += (numeric - analytic[k]) * (numeric - analytic[k]);
    norm += std::max(numeric * numeric, 1e-4);
  }
  return std::sqrt(diff / norm);
}

void check_against_eigen(const char* text, int batch) {
  set_threads(1);  // tiny tensors: OpenMP barriers would cost more than they save on a busy machine
  const auto net = dlscale::parse_network(text, "test");
  Executor<double> ref(net, batch, 42);
  ref.set_lrn(strong_lrn);
  OnednnExecutor ex(net, batch, 42, strong_lrn);
  REQUIRE(ex.size() == ref.size());
  const double loss_ref = ref.forward_all(), loss = ex.forward_all();
  CHECK(loss == doctest::Approx(loss_ref).epsilon(1e-5));
  ref.backward_all();
  ex.backward_all();
  for (std::size_t i = 0; i < ex.size(); ++i) {
    if (!has_params(ex.layer(i))) continue;
    CAPTURE(ex.layer(i).name);
    const auto& s = ref.state(i);
    REQUIRE(ex.weight_grad(i).size() == s.dw.size());
    CHECK(max_relative_difference(ex.weights(i), s.w) < 1e-6);  // the same seeded weights
    CHECK(max_relative_difference(ex.weight_grad(i), s.dw) < 1e-4);
    REQUIRE(ex.bias_grad(i).size() == s.db.size());
    if (!s.db.empty()) CHECK(max_relative_difference(ex.bias_grad(i), s.db) < 1e-4);
  }
}

void check_finite_differences(const char* text, int batch) {
  set_threads(1);
  const auto net = dlscale::parse_network(text, "test");
  OnednnExecutor ex(net, batch, 42, strong_lrn);
  ex.forward_all();
  ex.backward_all();
  for (std::size_t i = 0; i < ex.size(); ++i) {
    if (!has_params(ex.layer(i))) continue;
    CAPTURE(ex.layer(i).name);
    const double ew = fd_norm_error(ex, ex.weights(i), ex.weight_grad(i), 5e-4f);
    MESSAGE(ew);
    CHECK(ew < 1e-2);
    if (!ex.bias(i).empty()) CHECK(fd_norm_error(ex, ex.bias(i), ex.bias_grad(i), 2e-3f) < 1e-2);
  }
}

}  // namespace

TEST_CASE("oneDNN: fan-out, add, concat, grouped conv, batch norm, LRN, pooling equal the Eigen reference") {
  check_against_eigen(dag, 3);
}

TEST_CASE("oneDNN: strides, 1x3 kernels, padded pooling, global pooling, dropout equal the Eigen reference") {
  // Dropout draws the same masks: the same generator, seeded alike, after the same weights.
  check_against_eigen(strided, 4);
}

TEST_CASE("oneDNN: fc on a 4-D input equals the Eigen reference") { check_against_eigen(mlp, 5); }

TEST_CASE("oneDNN gradients match finite differences of oneDNN's own forward pass") {
  SUBCASE("fan-out, add, concat, batch norm, LRN, pooling") { check_finite_differences(dag, 3); }
  SUBCASE("mlp") { check_finite_differences(mlp, 5); }
}

TEST_CASE("oneDNN: a second backward pass gives the same gradients (overwritten, not summed)") {
  const auto net = dlscale::parse_network(dag, "test");
  OnednnExecutor ex(net, 2, 7, strong_lrn);
  ex.forward_all();
  ex.backward_all();
  const std::vector<float> first(ex.weight_grad(1).begin(), ex.weight_grad(1).end());
  ex.backward_all();
  CHECK(std::vector<float>(ex.weight_grad(1).begin(), ex.weight_grad(1).end()) == first);
}

TEST_CASE("oneDNN: a batch below 1 and a batch too large for the memory are refused") {
  const auto net = dlscale::parse_network(mlp, "test");
  CHECK_THROWS_AS(OnednnExecutor(net, 0), dlscale::ConfigError);
  CHECK_THROWS_AS(OnednnExecutor(net, 2147483647), dlscale::ConfigError);
  CHECK(onednn_working_set_bytes(net, 64) < onednn_working_set_bytes(net, 128));
}

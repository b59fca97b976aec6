// Overlap of the gradient exchange with backpropagation (MODELS.md "Overlap"): buckets, the
// readiness of each tensor, and the recurrence e_k = max(r_k, e_(k-1)) + c(bytes_k), each on
// a case derived by hand in the comments.
#include <doctest/doctest.h>

#include <numeric>
#include <random>
#include <vector>

#include "dlscale/error.hpp"
#include "dlscale/estimate.hpp"
#include "dlscale/profile.hpp"
#include "dlscale/models/central_ps.hpp"
#include "dlscale/models/overlap.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/network.hpp"
#include "dlscale/predict.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

constexpr std::uint64_t MiB = 1ull << 20;

Overlap buckets(std::uint64_t cap, std::uint64_t first) {
  return {OverlapPolicy::buckets, cap, first};
}

// Three layers, one tensor each, in model order: L1 400 B, L2 300 B, L3 300 B. t_g = 0.9 s
// with t_fwd = 0.3 s and 0.2 s of backward per layer: L3 is ready at 0.5 s, L2 at 0.7 s, L1
// at 0.9 s (shares 5/9, 7/9, 1). Ring all-reduce on N = 2 over a link of alpha = 0.01 s.
Scenario three_layers(double beta) {
  Scenario s;
  s.network = "three-layers";
  s.t_grad = Seconds{0.9};
  s.weight_bytes = Bytes{1000};
  s.link = LinkModel{Seconds{0.01}, BytesPerSec{beta}};
  s.t_comm = s.link->time(s.weight_bytes);
  s.grad_tensors = {{400, 0.9 / 0.9}, {300, 0.7 / 0.9}, {300, 0.5 / 0.9}};
  s.grad_timing_source = "typed in";
  return s;
}

}  // namespace

TEST_CASE("DDP buckets: reverse layer order, a bucket closes once it holds its cap") {
  // Model order 10, 20, 2, 0.5 MiB. Reversed: 0.5 (< 1 MiB) + 2 = 2.5 MiB >= 1: the first
  // bucket; 20 (< 25) + 10 = 30 MiB >= 25: the second, ready when its earliest layer is.
  const std::vector<GradTensor> t{{10 * MiB, 1.0}, {20 * MiB, 0.8}, {2 * MiB, 0.6},
                                  {MiB / 2, 0.5}};
  const auto b = models::make_buckets(t, buckets(ddp_bucket_bytes, ddp_first_bucket_bytes));
  REQUIRE(b.size() == 2);
  CHECK(b[0].bytes.v == 5 * MiB / 2);
  CHECK(b[0].ready_share == 0.6);
  CHECK(b[1].bytes.v == 30 * MiB);
  CHECK(b[1].ready_share == 1.0);
  // tensor: one exchange per tensor, last layer first.
  const auto per = models::make_buckets(t, {OverlapPolicy::tensor});
  REQUIRE(per.size() == 4);
  CHECK(per[0].bytes.v == MiB / 2);
  CHECK(per[3].bytes.v == 10 * MiB);
  // none: everything at once, ready at t_g.
  const auto all = models::make_buckets(t, {});
  REQUIRE(all.size() == 1);
  CHECK(all[0].bytes.v == 65 * MiB / 2);
  CHECK(all[0].ready_share == 1.0);
}

TEST_CASE("three layers, two buckets: the second waits for the first exchange") {
  // First bucket cap 300 B: L3 alone (300 B, ready 0.5 s); then L2 + L1 (700 B, ready 0.9 s).
  // beta = 250 B/s: c(b) = 2 (N-1) (a + b/N / beta) = 2 (0.01 + b / 500):
  //   c1 = 2 (0.01 + 0.6) = 1.22, c2 = 2 (0.01 + 1.4) = 2.82.
  //   e1 = 0.5 + 1.22 = 1.72; e2 = max(0.9, 1.72) + 2.82 = 4.54 = t_iter.
  // none: 0.9 + 2 (0.01 + 2) = 4.92; exposed 4.54 - 0.9 = 3.64 instead of 4.02.
  Scenario s = three_layers(250);
  s.overlap = buckets(10'000, 300);
  const Prediction p = predict(s, Scheme::ring, Mode::sync_join, 2);
  CHECK(p.t_iter.estimate.v == Approx(4.54));
  CHECK(p.exposed_comm.estimate.v == Approx(3.64));
  s.overlap = {};
  CHECK(predict(s, Scheme::ring, Mode::sync_join, 2).t_iter.estimate.v == Approx(4.92));
}

TEST_CASE("three layers, two buckets: the second waits for its gradients") {
  // beta = 5000 B/s: c1 = 2 (0.01 + 300/2/5000) = 0.08, c2 = 2 (0.01 + 700/2/5000) = 0.16.
  //   e1 = 0.5 + 0.08 = 0.58; e2 = max(0.9, 0.58) + 0.16 = 1.06; none: 0.9 + 2 (0.01 + 0.1) = 1.12.
  Scenario s = three_layers(5000);
  s.overlap = buckets(10'000, 300);
  const Prediction p = predict(s, Scheme::ring, Mode::sync_join, 2);
  CHECK(p.t_iter.estimate.v == Approx(1.06));
  CHECK(p.exposed_comm.estimate.v == Approx(0.16));
  // tensor: L3 at 0.5 + 0.08 = 0.58, L2 at max(0.7, 0.58) + 0.08 = 0.78, L1 (400 B: c =
  // 2 (0.01 + 0.04) = 0.1) at max(0.9, 0.78) + 0.1 = 1.0.
  s.overlap = {OverlapPolicy::tensor};
  CHECK(predict(s, Scheme::ring, Mode::sync_join, 2).t_iter.estimate.v == Approx(1.0));
  // sync-split at N = 2: t_g / 2 = 0.45 and every readiness halves: e1 = 0.25 + 0.08 = 0.33,
  // e2 = max(0.45, 0.33) + 0.16 = 0.61.
  s.overlap = buckets(10'000, 300);
  CHECK(predict(s, Scheme::ring, Mode::sync_split, 2).t_iter.estimate.v == Approx(0.61));
}

TEST_CASE("a bucket larger than all gradients is the model without overlap") {
  // One bucket of W ready at t_g: e = t_g + c(W), today's model, for every scheme.
  Scenario flat = three_layers(250);
  Cluster c;
  c.workers_per_node = 2;
  c.nic = LinkModel{Seconds{1e-3}, BytesPerSec{400}};
  c.intra = LinkModel{Seconds{1e-5}, BytesPerSec{4000}};
  Scenario on_cluster = flat;
  on_cluster.cluster = c;
  on_cluster.t_comm = c.nic->time(on_cluster.weight_bytes);
  on_cluster.tensor_bytes = {400, 300, 300};
  const Scheme schemes[] = {Scheme::central, Scheme::central_semaphore, Scheme::sharded,
                            Scheme::sharded_placed, Scheme::sharded_lpt, Scheme::ring,
                            Scheme::tree, Scheme::hierarchical};
  for (Scenario s : {flat, on_cluster}) {
    for (const Scheme scheme : schemes) {
      if (scheme == Scheme::hierarchical && !s.cluster) continue;
      for (const int n : {1, 2, 3, 4, 8}) {
        CAPTURE(to_string(scheme));
        CAPTURE(n);
        s.overlap = {};
        const Prediction none = predict(s, scheme, Mode::sync_join, n);
        s.overlap = buckets(1000, 1000);
        const Prediction one = predict(s, scheme, Mode::sync_join, n);
        CHECK(one.t_iter.best.v == Approx(none.t_iter.best.v).epsilon(1e-12));
        CHECK(one.t_iter.worst.v == Approx(none.t_iter.worst.v).epsilon(1e-12));
        CHECK(one.t_iter.estimate.v == Approx(none.t_iter.estimate.v).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("t_iter >= max(t_grad, total exchange) over random layers and buckets") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::uint64_t> size(1, 50 * MiB);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const int layers = 1 + static_cast<int>(rng() % 40);
    // Readiness grows towards the first layer: t_fwd share, then backward from the end.
    std::vector<double> backward(static_cast<std::size_t>(layers));
    for (auto& b : backward) b = unit(rng) + 1e-3;
    const double fwd = unit(rng);
    const double total = fwd + std::accumulate(backward.begin(), backward.end(), 0.0);
    std::vector<GradTensor> tensors;
    double done = fwd;
    std::vector<double> ready(static_cast<std::size_t>(layers));
    for (int l = layers - 1; l >= 0; --l) ready[static_cast<std::size_t>(l)] = (done += backward[static_cast<std::size_t>(l)]) / total;
    for (int l = 0; l < layers; ++l) tensors.push_back({size(rng), ready[static_cast<std::size_t>(l)]});
    const Overlap policy = trial % 3 == 0 ? Overlap{OverlapPolicy::tensor}
                                          : buckets(1 + rng() % (64 * MiB), 1 + rng() % (4 * MiB));
    const auto b = models::make_buckets(tensors, policy);
    const LinkModel link{Seconds{unit(rng) * 1e-3}, BytesPerSec{1e8 + unit(rng) * 1e10}};
    const int n = 1 + static_cast<int>(rng() % 64);
    const Seconds t_g{0.01 + unit(rng)};
    // Odd trials: the ring (exact); even ones: the central server's best/worst/estimate.
    const auto exchange = [&](Bytes bytes) {
      if (trial % 2 == 1) return models::exact(models::ring_allreduce(n, bytes, link));
      return models::central_sync_iter(n, link.time(bytes), Seconds{0});
    };
    double sum_best = 0, sum_worst = 0, sum = 0;
    std::uint64_t bytes = 0;
    for (const auto& k : b) {
      const auto c = exchange(k.bytes);
      sum_best += c.best.v;
      sum_worst += c.worst.v;
      sum += c.estimate.v;
      bytes += k.bytes.v;
    }
    std::uint64_t expected_bytes = 0;
    for (const auto& t : tensors) expected_bytes += t.bytes;
    CHECK(bytes == expected_bytes);  // every tensor in exactly one bucket
    const auto t_iter = models::overlapped_sync_iter(b, t_g, exchange);
    CHECK(t_iter.estimate.v >= std::max(t_g.v, sum) * (1 - 1e-12));
    CHECK(t_iter.best.v >= std::max(t_g.v, sum_best) * (1 - 1e-12));
    CHECK(t_iter.worst.v >= std::max(t_g.v, sum_worst) * (1 - 1e-12));
    // and never later than exchanging every bucket after t_g
    CHECK(t_iter.estimate.v <= (t_g.v + sum) * (1 + 1e-12));
  }
}

TEST_CASE("readiness from multiply-adds: forward 1/3, each layer's backward 2 macs / 3M") {
  // fc1 and fc2 each 100 x 100 = 10,000 MACs (M = 20,000): fc2's tensors are ready after the
  // forward (1/3) and fc2's backward (2/3 x 1/2): 2/3 of t_grad; fc1's at 1.
  const Network net = parse_network("name two-fc\ninput image 100 1 1\nfc fc1 100\nfc fc2 100\n",
                                    "two-fc.net");
  const auto r = grad_readiness_from_macs(net, Precision::fp32);
  REQUIRE(r.tensors.size() == 4);  // fc1/weight, fc1/bias, fc2/weight, fc2/bias
  CHECK(r.tensors[0].bytes == 40'000);
  CHECK(r.tensors[0].ready_share == Approx(1.0));
  CHECK(r.tensors[1].ready_share == Approx(1.0));
  CHECK(r.tensors[2].ready_share == Approx(2.0 / 3.0));
  CHECK(r.tensors[3].ready_share == Approx(2.0 / 3.0));
  CHECK(r.source.find("multiply-add") != std::string::npos);
}

TEST_CASE("readiness from a profile's measured layer times") {
  const Network net = parse_network("name two-fc\ninput image 100 1 1\nfc fc1 100\nfc fc2 100\n",
                                    "two-fc.net");
  ProfileEntry e;
  e.network = "two-fc";
  // Forward 0.1 + 0.1 = 0.2 s, backward fc1 0.5 s, fc2 0.3 s: total 1.0 s. fc2's tensors are
  // ready after the forward and fc2's backward: (0.2 + 0.3) / 1.0 = 0.5; fc1's at 1.
  e.layer_times = {{"fc1", Seconds{0.1}, Seconds{0.5}}, {"fc2", Seconds{0.1}, Seconds{0.3}}};
  e.layer_batch = 32;
  auto r = grad_readiness(net, Precision::fp32, &e, "lab");
  REQUIRE(r.tensors.size() == 4);
  CHECK(r.tensors[0].ready_share == Approx(1.0));
  CHECK(r.tensors[2].ready_share == Approx(0.5));
  CHECK(r.tensors[3].ready_share == Approx(0.5));
  CHECK(r.source == "per-layer times measured by profile lab at batch 32 (forward 0.2 s, "
                    "backward 0.8 s; shares of t_grad)");
  // A layer the profile does not time: the multiply-add shares (2/3 for fc2), and why.
  e.layer_times.pop_back();
  r = grad_readiness(net, Precision::fp32, &e, "lab");
  CHECK(r.tensors[2].ready_share == Approx(2.0 / 3.0));
  CHECK(r.source.ends_with("profile lab times no layer 'fc2' of two-fc, so its layer_s lines were "
                           "not used"));
  // No entry at all: the multiply-add shares, as grad_readiness_from_macs.
  r = grad_readiness(net, Precision::fp32, nullptr, "lab");
  CHECK(r.tensors[2].ready_share == Approx(2.0 / 3.0));
}

TEST_CASE("overlap without the network's tensors is refused") {
  Scenario s = three_layers(250);
  s.grad_tensors.clear();
  s.overlap = {OverlapPolicy::tensor};
  CHECK_THROWS_WITH_AS(predict(s, Scheme::ring, Mode::sync_join, 2),
                       "scenario 'three-layers': overlap tensor: needs the network's gradient "
                       "tensors; a network description expected (--network), or --overlap none "
                       "with --t-grad/--t-comm alone",
                       ConfigError);
  s = three_layers(250);
  s.overlap = buckets(0, 1);
  CHECK_THROWS_WITH_AS(predict(s, Scheme::ring, Mode::sync_join, 2),
                       "scenario 'three-layers': overlap buckets: a bucket of 0 B; a size >= 1 B "
                       "expected",
                       ConfigError);
}

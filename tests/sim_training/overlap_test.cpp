// Overlap of the exchange with backpropagation (MODELS.md "Overlap"): the simulator's buckets,
// each its own all-reduce of flows, against the closed form's recurrence, with no jitter.
// Tensors of whole multiples of N x G bytes keep every chunk whole.
#include <doctest/doctest.h>

#include <limits>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/sim/training.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

// Three layers in model order, 400, 300 and 300 MB; ready at t_g, 7/9 t_g and 5/9 t_g.
Scenario three_layers() {
  Scenario s;
  s.network = "three-layers";
  s.t_grad = Seconds{0.9};
  s.weight_bytes = Bytes{1'000'000'000};
  s.batches = 8;
  s.grad_tensors = {{400'000'000, 1.0}, {300'000'000, 7.0 / 9.0}, {300'000'000, 5.0 / 9.0}};
  s.grad_timing_source = "typed in";
  return s;
}

Scenario on_cluster(int g, double intra) {
  Scenario s = three_layers();
  Cluster c;
  c.workers_per_node = g;
  c.nic = LinkModel{Seconds{2e-5}, BytesPerSec{1e9}};
  c.intra = LinkModel{Seconds{1e-6}, BytesPerSec{intra}};
  s.cluster = c;
  s.t_comm = c.nic->time(s.weight_bytes);
  return s;
}

double simulated(const Scenario& s, Scheme scheme, int n) {
  sim::SimOptions o;
  o.iterations = 2;
  return sim::simulate(s, scheme, Mode::sync_join, n, o).t_iter_mean.v;
}

const Overlap policies[] = {{OverlapPolicy::buckets, 350'000'000, 300'000'000},  // 2 buckets
                            {OverlapPolicy::tensor},                             // 3 exchanges
                            {OverlapPolicy::buckets, 2'000'000'000, 2'000'000'000}};  // 1

}  // namespace

TEST_CASE("ring with buckets on one switch: simulation = closed form") {
  for (const auto& policy : policies)
    for (const int n : {1, 2, 4, 8}) {
      for (const double beta : {1e8, 1e10}) {  // exchanges longer and shorter than backward
        CAPTURE(n);
        CAPTURE(beta);
        Scenario s = three_layers();
        s.link = LinkModel{Seconds{0}, BytesPerSec{beta}};
        s.t_comm = s.link->time(s.weight_bytes);
        s.overlap = policy;
        const double closed = predict(s, Scheme::ring, Mode::sync_join, n).t_iter.estimate.v;
        CHECK(simulated(s, Scheme::ring, n) == Approx(closed).epsilon(1e-8));
      }
    }
}

TEST_CASE("flat ring and hierarchical with buckets on nodes sharing a NIC: simulation = closed form") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (const auto& policy : policies)
    for (const int g : {1, 2, 4})
      for (const int m : {1, 2, 3}) {
        for (const double intra : {inf, 4e9}) {
          const int n = g * m;
          CAPTURE(g);
          CAPTURE(m);
          CAPTURE(intra);
          Scenario s = on_cluster(g, intra);
          s.overlap = policy;
          for (const Scheme scheme : {Scheme::ring, Scheme::hierarchical}) {
            CAPTURE(to_string(scheme));
            const double closed = predict(s, scheme, Mode::sync_join, n).t_iter.estimate.v;
            CHECK(simulated(s, scheme, n) == Approx(closed).epsilon(1e-8));
          }
        }
      }
}

TEST_CASE("overlap hides communication in the simulation as in the closed form") {
  // N = 4 on one node-less switch at 1 GB/s: none pays t_g + 2 (3/4) 1 s = 2.4 s; the buckets
  // start 0.4 s (L3 at 0.5 s) and 0.2 s (L2) early, so the simulated iteration is shorter.
  Scenario s = three_layers();
  s.link = LinkModel{Seconds{0}, BytesPerSec{1e9}};
  s.t_comm = s.link->time(s.weight_bytes);
  const double none = simulated(s, Scheme::ring, 4);
  CHECK(none == Approx(2.4));
  s.overlap = {OverlapPolicy::tensor};
  // tensor: L3 0.5 + 0.45 = 0.95, L2 max(0.7, 0.95) + 0.45 = 1.4, L1 1.4 + 0.6 = 2.0.
  CHECK(simulated(s, Scheme::ring, 4) == Approx(2.0));
}

TEST_CASE("sharded servers with buckets: simulation = closed form") {
  // The thesis's servers (every worker serves 1/N; N = 1, 2, 4, 5 divide every bucket) and K
  // servers on the nodes of a cluster (even shares: one per node, or K = 2).
  for (const auto& policy : policies) {
    for (const int n : {1, 2, 4, 5}) {
      CAPTURE(n);
      Scenario s = three_layers();
      s.t_comm = Seconds{1.5};
      s.overlap = policy;
      const double closed = predict(s, Scheme::sharded, Mode::sync_join, n).t_iter.estimate.v;
      CHECK(simulated(s, Scheme::sharded, n) == Approx(closed).epsilon(1e-8));
    }
    for (const int g : {1, 2, 4})
      for (const int m : {1, 2, 4})
        for (const int k : {0, 2}) {
          const int n = g * m;
          if (k > n) continue;
          CAPTURE(g);
          CAPTURE(m);
          CAPTURE(k);
          Scenario s = on_cluster(g, std::numeric_limits<double>::infinity());
          s.cluster->servers.count = k;
          s.overlap = policy;
          const double closed = predict(s, Scheme::sharded, Mode::sync_join, n).t_iter.estimate.v;
          CHECK(simulated(s, Scheme::sharded, n) == Approx(closed).epsilon(1e-8));
        }
  }
}

TEST_CASE("overlap is simulated for ring, hierarchical and sharded only") {
  Scenario s = three_layers();
  s.t_comm = Seconds{1};
  s.overlap = {OverlapPolicy::tensor};
  sim::SimOptions o;
  o.iterations = 1;
  CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::central, Mode::sync_join, 2, o),
                       "simulate: --overlap tensor is simulated for ring, hierarchical and the "
                       "sharded servers without --aggregate; 'central' with overlap is a closed "
                       "form only so far (dlscale predict), or --overlap none",
                       ConfigError);
}

TEST_CASE("overlap with compute jitter: reproducible, and never faster than without jitter") {
  // Every exchange waits for its bucket on every worker, so a slow worker's late gradients
  // delay the exchanges: with lognormal jitter (cv 0.3) the mean iteration exceeds the
  // jitter-free one, and the same seed gives the same run bit for bit.
  Scenario s = on_cluster(2, 4e9);
  s.overlap = {OverlapPolicy::tensor};
  for (const Scheme scheme : {Scheme::ring, Scheme::hierarchical, Scheme::sharded}) {
    CAPTURE(to_string(scheme));
    sim::SimOptions o;
    o.iterations = 8;
    o.jitter = sim::Jitter::lognormal;
    o.cv = 0.3;
    o.seed = 5;
    const auto a = sim::simulate(s, scheme, Mode::sync_join, 8, o);
    const auto b = sim::simulate(s, scheme, Mode::sync_join, 8, o);
    CHECK(a.t_iter_mean.v == b.t_iter_mean.v);
    CHECK(a.t_iter_mean.v > simulated(s, scheme, 8));
  }
}

// The simulator on a described cluster against the closed forms (MODELS.md "Real clusters"),
// with no jitter. W = 1e9 B keeps shards whole bytes for the K tested; every expected value
// is predict()'s, derived in tests/models/cluster_test.cpp.
#include <doctest/doctest.h>

#include <limits>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/sim/training.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

Scenario on_cluster(int g, double nic, double latency, double intra, double intra_latency) {
  Scenario s;
  s.network = "W1e9";
  s.t_grad = Seconds{0.5};
  s.weight_bytes = Bytes{1'000'000'000};
  s.batches = 8;
  Cluster c;
  c.workers_per_node = g;
  c.nic = LinkModel{Seconds{latency}, BytesPerSec{nic}};
  c.intra = LinkModel{Seconds{intra_latency}, BytesPerSec{intra}};
  s.cluster = c;
  s.t_comm = c.nic->time(s.weight_bytes);
  return s;
}

sim::SimResult run(const Scenario& s, Scheme scheme, int n, sim::Sharing sharing) {
  sim::SimOptions o;
  o.sharing = sharing;
  o.iterations = 2;
  return sim::simulate(s, scheme, Mode::sync_join, n, o);
}

constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("flat ring on nodes sharing a NIC: simulation = closed form") {
  for (const int g : {1, 2, 4, 8})
    for (const int n : {2, 3, 8, 12, 16}) {
      for (const double intra : {inf, 3e9, 0.5e9}) {
        CAPTURE(g);
        CAPTURE(n);
        CAPTURE(intra);
        const Scenario s = on_cluster(g, 1e9, 2e-5, intra, intra == inf ? 0 : 1e-6);
        const auto closed = predict(s, Scheme::ring, Mode::sync_join, n);
        const auto simulated = run(s, Scheme::ring, n, sim::Sharing::fair);
        // Chunks are whole bytes: W / 12 is a third of a byte short, 4e-9 of a chunk.
        CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-8));
      }
    }
}

TEST_CASE("sharded servers, one per node or K of them, on the nodes or on hosts of their own") {
  for (const int g : {1, 2, 4})
    for (const int m : {1, 2, 4, 5})
      for (const int k : {0, 1, 2, 4}) {  // 0: one per node
        for (const bool own_hosts : {false, true}) {
          const int n = g * m;
          if (k > n) continue;
          CAPTURE(g);
          CAPTURE(m);
          CAPTURE(k);
          CAPTURE(own_hosts);
          Scenario s = on_cluster(g, 1e9, 0, inf, 0);
          s.cluster->servers.count = k;
          if (own_hosts) s.cluster->servers.dedicated_nic = BytesPerSec{2e9};
          const auto closed = predict(s, Scheme::sharded, Mode::sync_join, n);
          const auto simulated = run(s, Scheme::sharded, n, sim::Sharing::fair);
          // Shards are whole bytes (1e9 / K, K up to 5): at most a few bytes off per phase.
          CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-8));
        }
      }
}

TEST_CASE("sharded with latency and a limited intra-node link, where the NIC is busiest") {
  // a = 50 us, a_i = 2 us, B_i = 4 B: the NICs stay the bottleneck (G (M-1)/M W / B = 3 s
  // against W / B_i = 0.25 s on a worker's link), so every phase is a + the NIC's bytes / B.
  Scenario s = on_cluster(4, 1e9, 5e-5, 4e9, 2e-6);
  const auto closed = predict(s, Scheme::sharded, Mode::sync_join, 16);
  const auto simulated = run(s, Scheme::sharded, 16, sim::Sharing::fair);
  CHECK(closed.t_iter.estimate.v == Approx(0.5 + 2 * (5e-5 + 3.0)));
  CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-9));
}

TEST_CASE("central server on its own host: FIFO is the best case, fair sharing the worst") {
  for (const int g : {1, 2, 4})
    for (const int n : {1, 3, 8}) {
      for (const double server_nic : {1e9, 4e9}) {
        CAPTURE(g);
        CAPTURE(n);
        CAPTURE(server_nic);
        Scenario s = on_cluster(g, 1e9, 1e-4, inf, 0);
        s.cluster->servers.dedicated_nic = BytesPerSec{server_nic};
        const auto closed = predict(s, Scheme::central, Mode::sync_join, n);
        CHECK(run(s, Scheme::central, n, sim::Sharing::fifo).t_iter_mean.v ==
              Approx(closed.t_iter.best.v).epsilon(1e-9));
        CHECK(run(s, Scheme::central, n, sim::Sharing::fair).t_iter_mean.v ==
              Approx(closed.t_iter.worst.v).epsilon(1e-9));
      }
    }
}

TEST_CASE("placed shards on K servers: the simulator places the same tensors") {
  // 3 tensors of 0.6, 0.3, 0.1 GB on K = 2 servers on 2 nodes of 2: model order puts 0.6 on
  // server 0, 0.3 + 0.1 on server 1. Node 0 out: 0.6e9 x (4 - 2) = 1.2e9 B; node 1 in:
  // 2 x 0.6e9 = 1.2e9 B: 1.2 s per phase, t_iter = 0.5 + 2.4 = 2.9.
  Scenario s = on_cluster(2, 1e9, 0, inf, 0);
  s.tensor_bytes = {600'000'000, 300'000'000, 100'000'000};
  s.cluster->servers.count = 2;
  const auto closed = predict(s, Scheme::sharded_placed, Mode::sync_join, 4);
  CHECK(closed.t_iter.estimate.v == Approx(2.9));
  CHECK(run(s, Scheme::sharded_placed, 4, sim::Sharing::fair).t_iter_mean.v ==
        Approx(2.9).epsilon(1e-9));
}

TEST_CASE("per-node aggregation: slices pulled, rings inside the nodes, slices pushed") {
  for (const int g : {1, 2, 4})
    for (const int m : {1, 2, 3})
      for (const int k : {0, 1, 2}) {
        for (const double intra : {inf, 2e9}) {
          if (k > g * m) continue;
          CAPTURE(g);
          CAPTURE(m);
          CAPTURE(k);
          CAPTURE(intra);
          Scenario s = on_cluster(g, 1e9, 0, intra, 0);
          s.cluster->aggregate = true;
          s.cluster->servers.count = k;
          const auto closed = predict(s, Scheme::sharded, Mode::sync_join, g * m);
          const auto simulated = run(s, Scheme::sharded, g * m, sim::Sharing::fair);
          CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-8));
        }
      }
}

TEST_CASE("hierarchical all-reduce: rings inside nodes, G rings across them sharing each NIC") {
  for (const int g : {1, 2, 4, 8})
    for (const int m : {1, 2, 3, 5}) {
      for (const double intra : {inf, 4e9, 0.1e9}) {
        CAPTURE(g);
        CAPTURE(m);
        CAPTURE(intra);
        const Scenario s = on_cluster(g, 1e9, 3e-5, intra, intra == inf ? 0 : 2e-6);
        const auto closed = predict(s, Scheme::hierarchical, Mode::sync_join, g * m);
        const auto simulated = run(s, Scheme::hierarchical, g * m, sim::Sharing::fair);
        CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-8));
      }
    }
}

TEST_CASE("what the simulator does not run on a cluster is refused, not approximated") {
  Scenario s = on_cluster(2, 1e9, 0, inf, 0);
  s.cluster->aggregate = true;
  CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::sharded, Mode::async, 4),
                       "simulate: per-node aggregation (--aggregate) is simulated synchronously "
                       "only; sync-join or sync-split expected", ConfigError);
  CHECK_THROWS_WITH_AS(run(s, Scheme::sharded, 3, sim::Sharing::fair),
                       "simulate: per-node aggregation needs full nodes; N = 3 a multiple of G = "
                       "2 expected", ConfigError);
}

TEST_CASE("collective-fit links (AllreduceLinks) drive ring and hierarchical in both, equally") {
  // The profile's all-reduce fits replace the NIC and the intra-node link for the all-reduce
  // schemes only: closed form and simulation must both use them, and agree.
  for (const int n : {4, 8, 16}) {
    CAPTURE(n);
    Scenario s = on_cluster(4, 1e9, 2e-5, 3e9, 1e-6);
    s.allreduce.inter = LinkModel{Seconds{3e-6}, BytesPerSec{5e9}};
    s.allreduce.intra = LinkModel{Seconds{5e-7}, BytesPerSec{2e10}};
    for (const Scheme scheme : {Scheme::ring, Scheme::hierarchical}) {
      CAPTURE(to_string(scheme));
      const auto closed = predict(s, scheme, Mode::sync_join, n);
      const auto simulated = run(s, scheme, n, sim::Sharing::fair);
      CHECK(simulated.t_iter_mean.v == Approx(closed.t_iter.estimate.v).epsilon(1e-8));
      // ... and they differ from the scenario without the fits (the NIC at 1e9 B/s).
      Scenario plain = s;
      plain.allreduce = {};
      CHECK(predict(plain, scheme, Mode::sync_join, n).t_iter.estimate.v >
            1.5 * closed.t_iter.estimate.v);
    }
  }
}

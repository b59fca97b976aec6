// The closed forms on a described cluster (MODELS.md "Real clusters"), each on a case derived
// by hand in the comments. W = 1e9 B and B = 1e9 B/s keep the arithmetic in whole seconds.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dlscale/error.hpp"
#include "dlscale/models/central_ps.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/models/sharded_ps.hpp"
#include "dlscale/models/tree.hpp"
#include "dlscale/predict.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

constexpr Bytes W{1'000'000'000};

Cluster cluster(int g, double nic, double latency = 0) {
  Cluster c;
  c.workers_per_node = g;
  c.nic = LinkModel{Seconds{latency}, BytesPerSec{nic}};
  return c;
}

Scenario scenario(const Cluster& c) {
  Scenario s;
  s.network = "W1e9";
  s.t_grad = Seconds{1};
  s.weight_bytes = W;
  s.t_comm = c.nic->time(W);
  s.cluster = c;
  return s;
}

}  // namespace

TEST_CASE("flat ring: the slowest hop sets every step") {
  // N = 8, G = 4, M = 2, B = 1e9, B_i = 4e9, a = 1e-3, a_i = 1e-5:
  //   crossing hops: a + W/N / min(B, B_i) = 1e-3 + 0.125 = 0.126; 2 (N-1) = 14 steps: 1.764 s.
  Cluster c = cluster(4, 1e9, 1e-3);
  c.intra = LinkModel{Seconds{1e-5}, BytesPerSec{4e9}};
  CHECK(models::ring_allreduce(8, W, c).v == Approx(14 * 0.126));
  // One node (N = 4 <= G): every hop inside, a_i + W/4 / 4e9 = 1e-5 + 0.0625; 6 steps.
  CHECK(models::ring_allreduce(4, W, c).v == Approx(6 * (1e-5 + 0.0625)));
  // G = 1 and no intra limit: the thesis ring, 2 (N-1)/N W / B = 2 * 3/4 = 1.5 s.
  CHECK(models::ring_allreduce(4, W, cluster(1, 1e9)).v == Approx(1.5));
}

TEST_CASE("tree: rounds inside nodes at B_i, rounds across at the NIC") {
  // N = 8, G = 2: rounds d = 1 (pairs 1-0, 3-2, ...: inside), d = 2 and 4 (across).
  //   inside: W / B_i = 1e9 / 1e10 = 0.1; across: W / min(B, B_i) = 1 s. 2 x (0.1 + 1 + 1) = 4.2.
  Cluster c = cluster(2, 1e9);
  c.intra.beta = BytesPerSec{1e10};
  CHECK(models::tree_allreduce(8, W, c).v == Approx(4.2));
  // G = 3, N = 8 (nodes 0-2, 3-5, 6-7): d = 1 pairs 3 -> 2 across nodes (3 mod 3 = 0 < 1);
  //   d = 2 pairs 6 -> 4 across (6 mod 3 = 0 < 2); d = 4 >= G. All three rounds cross,
  //   although d < G in two of them: 2 x 3 x 1 = 6 s.
  c.workers_per_node = 3;
  CHECK(models::tree_allreduce(8, W, c).v == Approx(6.0));
}

TEST_CASE("sharded servers on the nodes: the busiest NIC sets each phase") {
  // One server per node, even, G = 1: 4.12, 2 (N-1)/N W/B: N = 4: 2 x 0.75 = 1.5 s + t_g 1.
  const std::vector<double> four(4, 0.25e9);
  CHECK(models::sharded_cluster_sync_iter(4, cluster(1, 1e9), four, W, Seconds{1}).estimate.v ==
        Approx(2.5));
  // G = 4, M = 4 (N = 16), K = 4 even: NIC out F (N - G) = 0.25e9 x 12 = 3e9 B; NIC in
  //   G (W - F) = 4 x 0.75e9 = 3e9 B; 3 s per phase = G (M-1)/M W / B. t_iter = 1 + 6 = 7.
  CHECK(models::sharded_cluster_sync_iter(16, cluster(4, 1e9), four, W, Seconds{1}).estimate.v ==
        Approx(7.0));
  // K = 2 servers on M = 4 nodes (nodes 0 and 1): node 0 out 0.5e9 x 12 = 6e9 B; node 2 in
  //   4 x 1e9 = 4e9 B: 6 s per phase, t_iter = 13.
  const std::vector<double> two(2, 0.5e9);
  CHECK(models::sharded_cluster_sync_iter(16, cluster(4, 1e9), two, W, Seconds{1}).estimate.v ==
        Approx(13.0));
  // Uneven loads 0.7/0.1/0.1/0.1 on M = 4, G = 4: node 0 out 0.7e9 x 12 = 8.4e9 B: 8.4 s.
  const std::vector<double> uneven{0.7e9, 0.1e9, 0.1e9, 0.1e9};
  CHECK(models::sharded_exchange(16, cluster(4, 1e9), uneven, W).v == Approx(8.4));
  // Latency: every route crosses a NIC, a = 1 ms once per phase: 3.001 s.
  CHECK(models::sharded_exchange(16, cluster(4, 1e9, 1e-3), four, W).v == Approx(3.001));
}

TEST_CASE("sharded servers on hosts of their own, and per-node aggregation") {
  // K = 2 own hosts at B_s = 2e9, N = 8, G = 4: server NIC N L = 8 x 0.5e9 = 4e9 B at 2e9: 2 s;
  //   node NIC in G W = 4e9 B at 1e9: 4 s. Phase 4 s.
  Cluster c = cluster(4, 1e9);
  c.servers.dedicated_nic = BytesPerSec{2e9};
  const std::vector<double> two(2, 0.5e9);
  CHECK(models::sharded_exchange(8, c, two, W).v == Approx(4.0));
  // Aggregating: the node exchanges one set: node NIC in W = 1e9 B: 1 s; server NIC M L =
  //   2 x 0.5e9 = 1e9 B at 2e9: 0.5 s. Plus intra ring steps (G-1)(a_i + W/G/B_i) with
  //   B_i = 1e10, a_i = 0: 3 x 0.025 = 0.075 each side. t_iter = 1 + 2 (1 + 0.075) = 3.15.
  c.aggregate = true;
  c.intra.beta = BytesPerSec{1e10};
  CHECK(models::sharded_exchange(8, c, two, W).v == Approx(1.0));
  CHECK(models::sharded_cluster_sync_iter(8, c, two, W, Seconds{1}).estimate.v == Approx(3.15));
}

TEST_CASE("central server on its own host") {
  // N = 8, G = 4, B = B_s = 1e9, a = 1 ms: one transfer alone W / 1e9 = 1 s.
  //   best: 2a + (N+1) t_c + t_g = 0.002 + 9 + 1 = 10.002
  //   worst: 2a + 2 max(N W / B_s, G W / B) + t_g = 0.002 + 2 x 8 + 1 = 17.002
  const auto b = models::central_cluster_sync_iter(8, cluster(4, 1e9, 1e-3), W, Seconds{1});
  CHECK(b.best.v == Approx(10.002));
  CHECK(b.worst.v == Approx(17.002));
  CHECK(b.estimate.v == Approx((10.002 + 17.002) / 2));
  // A server NIC 10x faster than the nodes': the node NICs bound the worst case, G W / B = 4 s,
  //   and a transfer alone still takes W / B = 1 s: best 9 + 1, worst 2 x 4 + 1.
  Cluster fast = cluster(4, 1e9);
  fast.servers.dedicated_nic = BytesPerSec{1e10};
  const auto f = models::central_cluster_sync_iter(8, fast, W, Seconds{1});
  CHECK(f.best.v == Approx(10.0));
  CHECK(f.worst.v == Approx(9.0));
}

TEST_CASE("placement loads and split tensors") {
  const std::vector<std::uint64_t> t{10, 1, 1, 1};
  const models::PlacementShares model_order(t, false);
  CHECK(model_order.loads(2) == std::vector<std::uint64_t>{10, 3});
  // 3 units: 10 -> u0, 1 -> u1, 1 -> u2, 1 -> tie u1/u2, the lower: {10, 2, 1}. The kept
  // answer is for the last K only: asking for 2 again recomputes it.
  CHECK(model_order.loads(3) == std::vector<std::uint64_t>{10, 2, 1});
  CHECK(model_order.loads(2) == std::vector<std::uint64_t>{10, 3});
  // Cut into pieces of at most 4: 10 -> 4 + 3 + 3 (as equal as bytes allow), 1, 1, 1.
  CHECK(models::split_tensors(t, 4) == std::vector<std::uint64_t>{4, 3, 3, 1, 1, 1});
  // Model order on 2 units, each piece to the lighter unit (ties: the lower): 4 -> u0 (4),
  //   3 -> u1 (3), 3 -> u1 (6), 1 -> u0 (5), 1 -> u0 (6), 1 -> tie 6/6, u0 (7): loads 7 | 6.
  CHECK(models::PlacementShares(models::split_tensors(t, 4), false).loads(2) ==
        std::vector<std::uint64_t>{7, 6});
}

TEST_CASE("predict on a cluster: the schemes read the description; bad requests refused") {
  Cluster c = cluster(4, 1e9);
  c.servers.count = 4;
  Scenario s = scenario(c);
  // 16 workers, 4 servers (one per node), even: the 7 s iteration above; I = 128/16 = 8.
  const auto p = predict(s, Scheme::sharded, Mode::sync_join, 16);
  CHECK(p.t_iter.estimate.v == Approx(7.0));
  CHECK(p.t_train.estimate.v == Approx(56.0));
  CHECK_THROWS_WITH_AS(predict(s, Scheme::sharded, Mode::sync_join, 3),
                       "scenario 'W1e9': sharded at N = 3: 4 servers (--servers) for 3 workers; "
                       "K <= N expected", ConfigError);
  s.cluster->aggregate = true;
  CHECK_THROWS_WITH_AS(predict(s, Scheme::sharded, Mode::sync_join, 6),
                       "scenario 'W1e9': sharded at N = 6: per-node aggregation needs full nodes; "
                       "N a multiple of G = 4 expected", ConfigError);
  s.cluster->nic->alpha = Seconds{1e-6};
  s.cluster->intra.alpha = Seconds{1e-5};
  CHECK_THROWS_AS(predict(s, Scheme::ring, Mode::sync_join, 8), ConfigError);
  s.cluster->intra.alpha = Seconds{0};
  s.cluster->nic->beta = BytesPerSec{0};
  CHECK_THROWS_WITH_AS(predict(s, Scheme::ring, Mode::sync_join, 8),
                       "scenario 'W1e9': NIC beta = 0 B/s; a finite number > 0 [B/s] expected",
                       ConfigError);
}

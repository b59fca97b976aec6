// Every closed form against a value derived by hand from its equation.
#include <doctest/doctest.h>

#include "dlscale/models/central_ps.hpp"
#include "dlscale/models/ring.hpp"
#include "dlscale/models/tree.hpp"
#include "dlscale/models/hierarchical.hpp"
#include "dlscale/models/semaphore.hpp"
#include "dlscale/models/sharded_ps.hpp"

using namespace dlscale;
using namespace dlscale::models;
using doctest::Approx;

TEST_CASE("central server, synchronous iteration (4.4-4.11)") {
  const auto b = central_sync_iter(4, Seconds{0.033}, Seconds{0.758});
  CHECK(b.best.v == Approx(0.923));      // (4+1)*0.033 + 0.758 = 0.165 + 0.758
  CHECK(b.worst.v == Approx(1.022));     // 2*4*0.033 + 0.758 = 0.264 + 0.758
  CHECK(b.estimate.v == Approx(0.9725)); // (0.923 + 1.022) / 2
}

TEST_CASE("central server, asynchronous training, worker term dominates (4.13-4.20)") {
  // N=4, D=128, t_c=0.033, t_g=0.758.
  // server 4.14: (128+1)*0.033 + 0.758 = 4.257 + 0.758 = 5.015
  // last worker 4.13: 3*0.033 + 32*(2*0.033 + 0.758) = 0.099 + 32*0.824 = 26.467
  // worst 4.16: 32*(2*4*0.033 + 0.758) = 32*1.022 = 32.704; mean (26.467+32.704)/2 = 29.5855
  const auto b = central_async_train(4, 128, Seconds{0.033}, Seconds{0.758});
  CHECK(b.best.v == Approx(26.467));
  CHECK(b.worst.v == Approx(32.704));
  CHECK(b.estimate.v == Approx(29.5855));
}

TEST_CASE("central server, asynchronous training, server term dominates (4.14-4.15)") {
  // N=4, D=8, t_c=5.153, t_g=0.719.
  // server 4.14: 9*5.153 + 0.719 = 46.377 + 0.719 = 47.096
  // last worker 4.13: 3*5.153 + 2*(10.306 + 0.719) = 15.459 + 22.05 = 37.509 -> best 47.096
  // worst 4.16: 2*(8*5.153 + 0.719) = 2*41.943 = 83.886
  const auto b = central_async_train(4, 8, Seconds{5.153}, Seconds{0.719});
  CHECK(b.best.v == Approx(47.096));
  CHECK(b.worst.v == Approx(83.886));
  CHECK(b.estimate.v == Approx((47.096 + 83.886) / 2));
}

TEST_CASE("central asynchronous: D not divisible by N uses the slowest worker's ceil(D/N)") {
  // N=3, D=128: ceil = 43. worst 4.16: 43*(2*3*0.033 + 0.758) = 43*0.956 = 41.108
  const auto b = central_async_train(3, 128, Seconds{0.033}, Seconds{0.758});
  CHECK(b.worst.v == Approx(41.108));
}

TEST_CASE("sharded server, even split (4.12, 4.21)") {
  // 4.12: 2*0.210*(3/4) + 0.763 = 0.315 + 0.763 = 1.078
  const auto it = sharded_sync_iter(4, Seconds{0.210}, Seconds{0.763});
  CHECK(it.best.v == Approx(1.078));
  CHECK(it.worst.v == Approx(1.078));
  CHECK(it.estimate.v == Approx(1.078));
  // 4.21: (128/4) * 1.078 = 34.496
  CHECK(sharded_async_train(4, 128, Seconds{0.210}, Seconds{0.763}).estimate.v ==
        Approx(34.496));
  SUBCASE("N = 1 has no communication") {
    CHECK(sharded_sync_iter(1, Seconds{0.210}, Seconds{0.763}).estimate.v == 0.763);
  }
}

TEST_CASE("sharded server with the largest share f_max (MODELS.md placement)") {
  // 2*(4-1)*0.5*0.2 + 0.7 = 0.6 + 0.7 = 1.3; async D=8: (8/4)*1.3 = 2.6
  CHECK(sharded_placed_sync_iter(4, 0.5, Seconds{0.2}, Seconds{0.7}).estimate.v == Approx(1.3));
  CHECK(sharded_placed_async_train(4, 8, 0.5, Seconds{0.2}, Seconds{0.7}).estimate.v ==
        Approx(2.6));
  // f_max = 1/N reproduces 4.12: 2*3*(1/4)*0.210 + 0.763 = 1.078
  CHECK(sharded_placed_sync_iter(4, 0.25, Seconds{0.210}, Seconds{0.763}).estimate.v ==
        Approx(sharded_sync_iter(4, Seconds{0.210}, Seconds{0.763}).estimate.v));
}

TEST_CASE("ring all-reduce on a fitted link") {
  // N=4, 4e6 B, alpha=1e-3 s, beta=1e8 B/s: chunk = 1e-3 + (4e6/4)/1e8 = 0.011;
  // 2*(4-1)*0.011 = 0.066; + t_g 0.5 = 0.566
  const LinkModel link{Seconds{1e-3}, BytesPerSec{1e8}};
  CHECK(ring_allreduce(4, Bytes{4'000'000}, link).v == Approx(0.066));
  CHECK(ring_sync_iter(4, Bytes{4'000'000}, link, Seconds{0.5}).estimate.v == Approx(0.566));
  CHECK(ring_allreduce(1, Bytes{4'000'000}, link).v == 0.0);  // 2*(1-1) steps
}

TEST_CASE("ring all-reduce from t_comm alone equals the even sharded server") {
  // 0.7 + 2*3*(0.2/4) = 0.7 + 0.3 = 1.0
  CHECK(ring_sync_iter(4, Seconds{0.2}, Seconds{0.7}).estimate.v == Approx(1.0));
  CHECK(ring_sync_iter(7, Seconds{0.2}, Seconds{0.7}).estimate.v ==
        Approx(sharded_sync_iter(7, Seconds{0.2}, Seconds{0.7}).estimate.v));
}

TEST_CASE("tree all-reduce: binomial reduce then broadcast of the whole vector") {
  // rounds = ceil(log2 N): N=1 -> 0, 2 -> 1, 5 -> 3, 8 -> 3, 9 -> 4
  CHECK(tree_rounds(1) == 0);
  CHECK(tree_rounds(2) == 1);
  CHECK(tree_rounds(5) == 3);
  CHECK(tree_rounds(8) == 3);
  CHECK(tree_rounds(9) == 4);
  // N=8, 4e6 B, alpha 1e-3 s, beta 1e8 B/s: one round = 1e-3 + 0.04 = 0.041; 2*3*0.041 = 0.246
  const LinkModel link{Seconds{1e-3}, BytesPerSec{1e8}};
  CHECK(tree_allreduce(8, Bytes{4'000'000}, link).v == Approx(0.246));
  CHECK(tree_sync_iter(8, Bytes{4'000'000}, link, Seconds{0.5}).estimate.v == Approx(0.746));
  // From t_comm: 0.7 + 2*ceil(log2 5)*0.2 = 0.7 + 1.2 = 1.9; N=1 moves nothing
  CHECK(tree_sync_iter(5, Seconds{0.2}, Seconds{0.7}).estimate.v == Approx(1.9));
  CHECK(tree_sync_iter(1, Seconds{0.2}, Seconds{0.7}).estimate.v == Approx(0.7));
}

TEST_CASE("hierarchical all-reduce: rings inside and across nodes") {
  // N=16 in nodes of G=4 (M=4), 8e6 B; intra alpha 1e-5 s, beta 1e10 B/s; inter alpha 1e-4 s,
  // beta 1e9 B/s. Shard = 8e6/4 = 2e6 B.
  //   inside: 2*(4-1)*(1e-5 + 2e6/1e10) = 6*(1e-5 + 2e-4) = 6*2.1e-4 = 1.26e-3
  //   across: 2*(4-1)*(1e-4 + (2e6/4)/1e9) = 6*(1e-4 + 5e-4) = 6*6e-4 = 3.6e-3
  //   total 4.86e-3
  const LinkModel intra{Seconds{1e-5}, BytesPerSec{1e10}}, inter{Seconds{1e-4}, BytesPerSec{1e9}};
  CHECK(hierarchical_allreduce(16, 4, Bytes{8'000'000}, intra, inter).v == Approx(4.86e-3));
  // One node (N <= G): only the intra-node ring: N=4 -> 1.26e-3, as a ring of 4 on the intra link
  CHECK(hierarchical_allreduce(4, 8, Bytes{8'000'000}, intra, inter).v ==
        Approx(ring_allreduce(4, Bytes{8'000'000}, intra).v));
  // One worker per node: a plain ring across nodes
  CHECK(hierarchical_allreduce(16, 1, Bytes{8'000'000}, intra, inter).v ==
        Approx(ring_allreduce(16, Bytes{8'000'000}, inter).v));
  CHECK(hierarchical_sync_iter(16, 4, Bytes{8'000'000}, intra, inter, Seconds{0.1}).estimate.v ==
        Approx(0.10486));
}

TEST_CASE("access semaphore (7.1-7.3)") {
  // 7.1 best t_c = 0.033; 7.2 worst 4*0.033 = 0.132; mean over 4 queue positions 2.5*0.033
  const auto t = semaphore_transfer(4, Seconds{0.033});
  CHECK(t.best.v == Approx(0.033));
  CHECK(t.worst.v == Approx(0.132));
  CHECK(t.estimate.v == Approx(0.0825));
  // Iteration: estimate = best = central best (4+1)*0.033 + 0.758 = 0.923; worst 1.022
  const auto it = semaphore_sync_iter(4, Seconds{0.033}, Seconds{0.758});
  CHECK(it.estimate.v == Approx(0.923));
  CHECK(it.best.v == Approx(0.923));
  CHECK(it.worst.v == Approx(1.022));
  // Async: estimate = central async best 26.467 (see above), worst 32.704
  const auto tr = semaphore_async_train(4, 128, Seconds{0.033}, Seconds{0.758});
  CHECK(tr.estimate.v == Approx(26.467));
  CHECK(tr.worst.v == Approx(32.704));
}

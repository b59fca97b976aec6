// The simulated training processes against the closed forms (MODELS.md), with no jitter.
// Each host's NIC moves the whole weight set in t_comm, so every expectation below is the
// closed form's own arithmetic; predict() supplies it and the comments derive it.
#include <doctest/doctest.h>

#include <cmath>

#include "dlscale/predict.hpp"
#include "dlscale/sim/training.hpp"
#include "thesis_squeezenet.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

Scenario squeezenet() { return test::squeezenet_with_bytes(); }

// Shards and ring chunks are whole bytes, so they differ from B/N by less than a byte: the
// simulated time may differ from the closed form by at most 2 (N-1) bytes per iteration at
// B / t_c bytes per second, plus rounding.
double byte_slack(int n, std::int64_t iterations) {
  const Scenario s = squeezenet();
  return static_cast<double>(iterations) * 2.0 * (n - 1) * s.t_comm.v /
             static_cast<double>(s.weight_bytes.v) + 1e-9;
}

sim::SimResult run(Scheme scheme, Mode mode, int n, sim::Sharing sharing) {
  sim::SimOptions o;
  o.sharing = sharing;
  return sim::simulate(squeezenet(), scheme, mode, n, o);
}

}  // namespace

TEST_CASE("central server, synchronous: FIFO is the best case, fair sharing the worst") {
  // FIFO: the server's up link sends the weights to one worker at a time, so worker k has
  // them at k t_c and returns its gradients over [k t_c + t_g, (k+1) t_c + t_g], after the
  // previous worker's: the last is in at (N+1) t_c + t_g (4.4 - 4.6).
  // Fair: N downloads share the up link and all end at N t_c; N uploads share the down link,
  // another N t_c: 2 N t_c + t_g (4.7 - 4.9). t_train = I t_iter with I = ceil(D/N).
  for (int n = 1; n <= 64; ++n) {
    CAPTURE(n);
    const auto closed = predict(squeezenet(), Scheme::central, Mode::sync_join, n);
    const auto fifo = run(Scheme::central, Mode::sync_join, n, sim::Sharing::fifo);
    const auto fair = run(Scheme::central, Mode::sync_join, n, sim::Sharing::fair);
    CHECK(fifo.iterations == closed.iterations);
    CHECK(fifo.t_train.v == Approx(closed.t_train.best.v).epsilon(1e-9));
    CHECK(fair.t_train.v == Approx(closed.t_train.worst.v).epsilon(1e-9));
  }
}

TEST_CASE("the access semaphore enforces the best case; split batches compute t_g / N") {
  // N = 4, split: t_iter = (4+1) 0.033 + 0.758/4 = 0.165 + 0.1895 = 0.3545; I = D = 128
  const auto sem = run(Scheme::central_semaphore, Mode::sync_split, 4, sim::Sharing::fair);
  CHECK(sem.iterations == 128);
  CHECK(sem.t_iter_mean.v == Approx(0.3545).epsilon(1e-9));
  CHECK(sem.t_train.v == Approx(128 * 0.3545).epsilon(1e-9));
}

TEST_CASE("even sharded server: eq. 4.12") {
  // Every worker fetches N-1 shards of B/N over its own down link while its up link serves
  // N-1 others: (N-1)/N t_c each way, so t_iter = 2 t_c (N-1)/N + t_g.
  // (The all-to-all shares links both ways, so every start and end re-runs water-filling:
  // O(F L) per event. N = 1..16, 24 and 32 keep this test to a second.)
  for (int n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 24, 32}) {
    CAPTURE(n);
    const auto closed = predict(squeezenet(), Scheme::sharded, Mode::sync_join, n);
    const auto sim = run(Scheme::sharded, Mode::sync_join, n, sim::Sharing::fair);
    CHECK(std::abs(sim.t_train.v - closed.t_train.estimate.v) <= byte_slack(n, closed.iterations));
  }
}

TEST_CASE("ring all-reduce: t_g + 2 (N-1) t_c / N") {
  // 2 (N-1) steps, each a chunk of B/N over each worker's own up and down link: t_c / N.
  for (int n = 1; n <= 64; ++n) {
    CAPTURE(n);
    const auto closed = predict(squeezenet(), Scheme::ring, Mode::sync_join, n);
    const auto sim = run(Scheme::ring, Mode::sync_join, n, sim::Sharing::fair);
    CHECK(std::abs(sim.t_train.v - closed.t_train.estimate.v) <= byte_slack(n, closed.iterations));
  }
}

TEST_CASE("asynchronous central server lands inside [best, worst]") {
  for (int n : {1, 2, 3, 4, 8, 16, 32}) {
    for (auto sharing : {sim::Sharing::fair, sim::Sharing::fifo}) {
      CAPTURE(n);
      const auto closed = predict(squeezenet(), Scheme::central, Mode::async, n);
      const auto sim = run(Scheme::central, Mode::async, n, sharing);
      CHECK(sim.t_train.v >= closed.t_train.best.v * (1 - 1e-9));
      CHECK(sim.t_train.v <= closed.t_train.worst.v * (1 + 1e-9));
      std::int64_t updates = 0;
      for (const auto& [stale, count] : sim.staleness) updates += count;
      CHECK(updates == 128);  // every batch's gradients reach the server once
    }
  }
  // One worker: nothing can land between its read and its write.
  const auto one = run(Scheme::central, Mode::async, 1, sim::Sharing::fair);
  REQUIRE(one.staleness.size() == 1);
  CHECK(one.staleness.at(0) == 128);
}

TEST_CASE("link utilization of the server port") {
  // Fair, N = 4: the server's up link is busy N t_c = 0.132 s of each 2 N t_c + t_g =
  // 1.022 s iteration: 0.132 / 1.022 = 0.12916. Host 4 is the server: links 8 (up), 9 (down).
  const auto r = run(Scheme::central, Mode::sync_join, 4, sim::Sharing::fair);
  REQUIRE(r.links.size() == 10);
  CHECK(r.links[8].name == "host4.up");
  CHECK(r.links[8].utilization == Approx(0.132 / 1.022).epsilon(1e-9));
  CHECK(r.links[9].utilization == Approx(0.132 / 1.022).epsilon(1e-9));
  // A worker's down link: its own download shares the server's up link, so it carries B in
  // N t_c: busy 0.132 / 1.022, but only B of its capacity (B / t_c) x 1.022 s: 0.033 / 1.022.
  CHECK(r.links[1].busy == Approx(0.132 / 1.022).epsilon(1e-9));
  CHECK(r.links[1].utilization == Approx(0.033 / 1.022).epsilon(1e-9));
}
